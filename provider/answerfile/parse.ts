/**
 * XML text → AnswerFile model, reading a file the way host-installer's answerfile.py does:
 * elements are found anywhere below the top element (minidom's getElementsByTagName is
 * recursive), the first one wins where the installer reads one, the deprecated spellings are
 * accepted (`ip`, `subnet-mask`, `nameserver`, `srtype`, `gueststorage`, `ntp-servers`), text is
 * the element's own text nodes joined and stripped (CDATA is not text to the installer), boolean
 * attributes are true only for "true"/"yes", and unknown elements are ignored.
 *
 * Parsing does not validate values: a field the file lacks stays undefined even where the types
 * say required, and a value outside a closed set is kept as written, so validateAnswerFile can
 * name it. Only what the model cannot represent, or what makes the installer reject the file
 * before reading values, is a parse error.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AnswerFileParseError } from "./errors";
import type { AdminInterface, AnswerFile, LegacyScript, PrimaryDisk, Source } from "./types";

/** A parsed element: its attributes, child elements and own (stripped) text. */
interface Elem {
    tag: string;
    attrs: Record<string, string>;
    children: Elem[];
    text: string;
}

/** The XML-predefined entities and character references; anything else needs a DTD we do not read. */
const UNDEFINED_ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

function lineOf(text: string, index: number): number {
    return text.slice(0, index).split("\n").length;
}

/** Rejects what fast-xml-parser would accept but the installer's minidom would not (or must not). */
function preflight(xml: string): void {
    const verdict = XMLValidator.validate(xml);
    if (verdict !== true) {
        throw new AnswerFileParseError(`answer file is not well-formed XML: ${verdict.err.msg} (line ${verdict.err.line}, column ${verdict.err.col})`);
    }
    // Comments and CDATA may legitimately hold a bare "&"; entity rules apply to the rest.
    const markup = xml.replace(/<!--[\s\S]*?-->/g, (c) => " ".repeat(c.length)).replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, (c) => " ".repeat(c.length));
    const doctype = /<!DOCTYPE/i.exec(markup);
    if (doctype) {
        throw new AnswerFileParseError(`answer file must not contain a DOCTYPE declaration (entity definitions are not supported), found one on line ${lineOf(markup, doctype.index)}`);
    }
    const entity = UNDEFINED_ENTITY.exec(markup);
    if (entity) {
        const name = /^&[^;\s<]{0,20};?/.exec(markup.slice(entity.index))?.[0] ?? "&";
        throw new AnswerFileParseError(`answer file uses the undefined entity reference ${JSON.stringify(name)} on line ${lineOf(markup, entity.index)}: only &amp; &lt; &gt; &quot; &apos; and numeric references are defined in XML`);
    }
}

type RawNode = Record<string, unknown>;

function toElem(node: RawNode): Elem | undefined {
    const tag = Object.keys(node).find((k) => k !== ":@");
    if (tag === undefined || tag.startsWith("#") || tag.startsWith("?")) return undefined;
    const raw = (node[tag] as RawNode[]) ?? [];
    const attrs = (node[":@"] as Record<string, string> | undefined) ?? {};
    const children: Elem[] = [];
    let text = "";
    for (const child of raw) {
        if (typeof child["#text"] === "string") text += child["#text"];
        const e = toElem(child);
        if (e) children.push(e);
    }
    return { tag, attrs, children, text: text.trim() };
}

/** All descendants named by `tags`, per tag in document order, tags in the given order (as xcp.xmlunwrap does). */
function findAll(el: Elem, tags: string[]): Elem[] {
    const out: Elem[] = [];
    for (const tag of tags) {
        const walk = (e: Elem) => e.children.forEach((c) => { if (c.tag === tag) out.push(c); walk(c); });
        walk(el);
    }
    return out;
}

const first = (el: Elem, tags: string[]): Elem | undefined => findAll(el, tags)[0];
const textOf = (el: Elem, tags: string[]): string | undefined => first(el, tags)?.text;

/** getStrAttribute: the first of `names` whose value is not empty. */
function attr(el: Elem, names: string[]): string | undefined {
    for (const n of names) {
        const v = el.attrs[n];
        if (v !== undefined && v !== "") return v;
    }
    return undefined;
}

/** getBoolAttribute: "yes"/"true" (any case) are true, any other value false. */
function boolAttr(el: Elem, names: string[]): boolean | undefined {
    const v = attr(el, names);
    return v === undefined ? undefined : ["yes", "true"].includes(v.toLowerCase());
}

/** Values of closed sets are kept as written; validation names the ones outside the set. */
function as<T>(value: string | undefined): T {
    return value as unknown as T;
}

function parseSource(el: Elem): Source {
    const type = as<Source["type"]>(attr(el, ["type"]));
    const s: Source = { type };
    if (type !== "local") s.location = el.text;
    const repoGpgCheck = boolAttr(el, ["repo-gpgcheck"]);
    const gpgCheck = boolAttr(el, ["gpgcheck"]);
    if (repoGpgCheck !== undefined) s.repoGpgCheck = repoGpgCheck;
    if (gpgCheck !== undefined) s.gpgCheck = gpgCheck;
    return s;
}

function parsePrimaryDisk(el: Elem): PrimaryDisk {
    const p: PrimaryDisk = { device: el.text };
    const guestStorage = boolAttr(el, ["guest-storage", "gueststorage"]);
    const srAtEnd = boolAttr(el, ["sr-at-end"]);
    const swraid = boolAttr(el, ["swraid"]);
    const preserve = attr(el, ["preserve-first-partition"]);
    const fsType = attr(el, ["fs-type"]);
    if (guestStorage !== undefined) p.guestStorage = guestStorage;
    if (srAtEnd !== undefined) p.srAtEnd = srAtEnd;
    if (preserve !== undefined) {
        const map: Record<string, PrimaryDisk["preserveFirstPartition"]> = { true: true, yes: true, false: false, no: false, "if-utility": "if-utility" };
        p.preserveFirstPartition = preserve in map ? map[preserve] : as<PrimaryDisk["preserveFirstPartition"]>(preserve);
    }
    if (swraid !== undefined) p.swraid = swraid;
    if (fsType !== undefined) p.fsType = as<PrimaryDisk["fsType"]>(fsType);
    return p;
}

function parseAdminInterface(el: Elem): AdminInterface {
    const a: AdminInterface = { proto: as<AdminInterface["proto"]>(attr(el, ["proto"])) };
    const name = attr(el, ["name"]);
    const hwaddr = attr(el, ["hwaddr"]);
    const protov6 = attr(el, ["protov6"]);
    const vlan = attr(el, ["vlan"]);
    if (name !== undefined) a.name = name;
    if (hwaddr !== undefined) a.hwaddr = hwaddr;
    if (protov6 !== undefined) a.protov6 = as<AdminInterface["protov6"]>(protov6);
    // A non-numeric VLAN stays a string so validation can quote it.
    if (vlan !== undefined) a.vlan = /^\d+$/.test(vlan) ? Number(vlan) : as<number>(vlan);
    const address = textOf(el, ["ip", "ipaddr"]);
    const netmask = textOf(el, ["subnet-mask", "subnet"]);
    const gateway = textOf(el, ["gateway"]);
    if (address !== undefined || netmask !== undefined || gateway !== undefined) {
        a.ipv4 = { address: as<string>(address), netmask: as<string>(netmask), gateway: as<string>(gateway) };
    }
    const v6 = textOf(el, ["ipv6"]);
    const gatewayV6 = textOf(el, ["gatewayv6"]);
    if (v6 !== undefined || gatewayV6 !== undefined) {
        const m = v6 === undefined ? null : /^(.*)\/(\d{1,3})$/.exec(v6);
        a.ipv6 = m
            ? { address: m[1], prefixLength: Number(m[2]), gateway: as<string>(gatewayV6) }
            : { address: as<string>(v6), prefixLength: as<number>(undefined), gateway: as<string>(gatewayV6) };
    }
    return a;
}

/** `<post-install-script>` / `<install-failed-script>`: the installer reads them only when there is exactly one. */
function parseLegacyScript(top: Elem, tag: string): LegacyScript | undefined {
    const nodes = findAll(top, [tag]);
    if (nodes.length > 1) {
        throw new AnswerFileParseError(`answer file has ${nodes.length} <${tag}> elements: the installer ignores them all unless there is exactly one`);
    }
    if (nodes.length === 0) return undefined;
    const type = attr(nodes[0], ["type"]);
    return type === undefined ? { location: nodes[0].text } : { type: as<LegacyScript["type"]>(type.toLowerCase()), location: nodes[0].text };
}

function topElement(xml: string): Elem {
    preflight(xml);
    const parser = new XMLParser({
        preserveOrder: true,
        ignoreAttributes: false,
        attributeNamePrefix: "",
        parseTagValue: false,
        parseAttributeValue: false,
        trimValues: false,
        processEntities: true,
        htmlEntities: true, // decodes numeric character references; named ones were vetted in preflight
        ignoreDeclaration: true,
        ignorePiTags: true,
        cdataPropName: "#cdata",
    });
    const roots = (parser.parse(xml) as RawNode[]).map(toElem).filter((e): e is Elem => e !== undefined);
    if (roots.length !== 1) {
        throw new AnswerFileParseError(`answer file must have exactly one top element, found ${roots.length}${roots.length ? `: ${roots.map((r) => `<${r.tag}>`).join(", ")}` : ""}`);
    }
    return roots[0];
}

/**
 * Parses an answer file into the model.
 * @throws AnswerFileParseError for malformed XML, a top element other than `<installation>`,
 *   `<upgrade>` or `<restore>`, an unknown `mode` spelled "restore", several `<ntp>` elements or
 *   several deprecated script elements (which the installer rejects or ignores wholesale).
 */
export function parseAnswerFile(xml: string): AnswerFile {
    const top = topElement(xml);
    if (!["installation", "upgrade", "restore"].includes(top.tag)) {
        throw new AnswerFileParseError(`not an answer file: the top element must be <installation>, <upgrade> or <restore>, got <${top.tag}>`);
    }
    const m: AnswerFile = {};
    const set = <K extends keyof AnswerFile>(key: K, value: AnswerFile[K] | undefined) => { if (value !== undefined) m[key] = value; };

    if (top.tag === "restore") {
        m.mode = "restore";
    } else {
        const mode = attr(top, ["mode"]);
        if (mode === "restore") {
            throw new AnswerFileParseError(`<${top.tag} mode="restore"> is not a mode the installer knows (fresh, reinstall, upgrade): a restore uses a top-level <restore> element`);
        }
        set("mode", as<AnswerFile["mode"]>(mode));
    }
    set("srType", as<AnswerFile["srType"]>(attr(top, ["sr-type", "srtype"])));
    set("netinstallGpgCheck", boolAttr(top, ["netinstall-gpg-check"]));
    set("repoGpgCheck", boolAttr(top, ["repo-gpgcheck"]));
    set("gpgCheck", boolAttr(top, ["gpgcheck"]));

    const existing = first(top, ["existing-installation"]);
    if (existing) {
        const fsType = attr(existing, ["fs-type"]);
        m.existingInstallation = fsType === undefined ? { device: existing.text } : { device: existing.text, fsType: as<"ext3">(fsType) };
    }
    set("backupDisk", textOf(top, ["backup-disk"]));
    const raids = findAll(top, ["raid"]);
    if (raids.length) m.raid = raids.map((r) => ({ device: as<string>(attr(r, ["device"])), disks: findAll(r, ["disk"]).map((d) => d.text) }));
    const primary = first(top, ["primary-disk"]);
    if (primary) m.primaryDisk = parsePrimaryDisk(primary);
    const guestDisks = findAll(top, ["guest-disk"]).map((d) => d.text);
    if (guestDisks.length || first(top, ["guest-disks"])) m.guestDisks = guestDisks;
    set("keymap", textOf(top, ["keymap"]));
    const password = first(top, ["root-password"]);
    if (password) m.rootPassword = { type: as<"plaintext">(attr(password, ["type"]) ?? "plaintext"), value: password.text };
    const sources = findAll(top, ["source"]);
    if (sources.length) m.sources = sources.map(parseSource);
    const driverSources = findAll(top, ["driver-source"]);
    if (driverSources.length) m.driverSources = driverSources.map(parseSource);
    const admin = first(top, ["admin-interface"]);
    if (admin) m.adminInterface = parseAdminInterface(admin);
    set("timezone", textOf(top, ["timezone"]));

    const ntpNodes = findAll(top, ["ntp"]);
    if (ntpNodes.length > 1) throw new AnswerFileParseError(`answer file has ${ntpNodes.length} <ntp> elements: the installer accepts zero or one`);
    const ntpServers = findAll(top, ["ntp-server", "ntp-servers"]).map((n) => n.text);
    if (ntpNodes.length || ntpServers.length) {
        m.ntp = {};
        const source = ntpNodes.length ? attr(ntpNodes[0], ["source"]) : undefined;
        if (source !== undefined) m.ntp.source = as<"manual">(source);
        if (ntpServers.length) m.ntp.servers = ntpServers;
    }

    const scripts = findAll(top, ["script"]);
    if (scripts.length) {
        m.scripts = scripts.map((s) => ({
            stage: as<"filesystem-populated">(attr(s, ["stage"])?.toLowerCase()),
            type: as<"url">(attr(s, ["type"])?.toLowerCase()),
            location: s.text,
        }));
    }
    set("postInstallScript", parseLegacyScript(top, "post-install-script"));
    set("installFailedScript", parseLegacyScript(top, "install-failed-script"));
    set("hostname", textOf(top, ["hostname"]));
    const nameServers = findAll(top, ["name-server", "nameserver"]).map((n) => n.text);
    if (nameServers.length) m.nameServers = nameServers;
    set("networkBackend", as<AnswerFile["networkBackend"]>(textOf(top, ["network-backend"])));

    const bootloader = first(top, ["bootloader"]);
    if (bootloader) {
        m.bootloader = {};
        const location = attr(bootloader, ["location"]);
        const writeBootEntry = boolAttr(bootloader, ["write-boot-entry"]);
        if (location !== undefined) m.bootloader.location = as<"mbr">(location);
        if (writeBootEntry !== undefined) m.bootloader.writeBootEntry = writeBootEntry;
        if (bootloader.text !== "") m.bootloader.variant = as<"grub2">(bootloader.text);
    }
    const services = findAll(top, ["service"]);
    if (services.length) m.services = services.map((s) => ({ name: as<string>(attr(s, ["name"])), state: as<"enabled">(attr(s, ["state"])) }));
    set("sshMode", as<AnswerFile["sshMode"]>(textOf(top, ["ssh-mode"])?.toLowerCase()));
    const prompt = first(top, ["ui-confirmation-prompt"]);
    // Python's bool(text): any non-empty text, "false" included, asks for confirmation.
    if (prompt) m.uiConfirmationPrompt = prompt.text !== "";
    return m;
}
