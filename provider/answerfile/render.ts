/**
 * AnswerFile model → XML text, with fast-xml-parser's builder (which escapes &, <, >, ' and " in
 * text and attributes). Elements come out in a fixed order that starts like the seed's
 * generate_answerfile.sh, so a seed-equivalent model renders in the seed's order; the installer
 * itself does not care about order.
 *
 * Rendering does not validate (run validateAnswerFile first); it only refuses characters XML 1.0
 * cannot carry at all, because writing them would produce a file no parser reads.
 */
import { XMLBuilder } from "fast-xml-parser";
import { AnswerFileRenderError } from "./errors";
import type { AnswerFile, LegacyScript, Source } from "./types";

/** A node in fast-xml-parser's `preserveOrder` shape. */
type XmlNode = { [tag: string]: XmlNode[] | string | Record<string, string> | undefined; ":@"?: Record<string, string> };

type AttrValue = string | number | boolean | undefined;

const ATTR_PREFIX = "@_";

/** XML 1.0 `Char`: tab, LF, CR, and everything from U+0020 except surrogates, U+FFFE and U+FFFF. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Where `value` holds a character XML 1.0 cannot represent, even escaped, as "U+0001 at index 3";
 * undefined when the value is safe. Validation uses it too, so the rule lives in one place.
 */
export function findNonXmlChar(value: string): string | undefined {
    const match = NOT_XML_CHAR.exec(value);
    if (!match) return undefined;
    const code = match[0].codePointAt(0) ?? 0;
    return `U+${code.toString(16).toUpperCase().padStart(4, "0")} at index ${match.index}`;
}

function checked(value: string, path: string): string {
    const bad = findNonXmlChar(value);
    if (bad !== undefined) {
        throw new AnswerFileRenderError(`cannot render answer file field ${path}: XML 1.0 cannot carry the character ${bad}`);
    }
    return value;
}

function attrs(path: string, values: Record<string, AttrValue>): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
        if (value === undefined) continue;
        out[ATTR_PREFIX + name] = checked(String(value), `${path}@${name}`);
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

/** One element; `content` is its text or its child elements. */
function el(tag: string, path: string, content: string | XmlNode[] | undefined, attributes: Record<string, AttrValue> = {}): XmlNode {
    const children: XmlNode[] = typeof content === "string" ? [{ "#text": checked(content, path) }] : (content ?? []);
    const node: XmlNode = { [tag]: children };
    const a = attrs(path, attributes);
    if (a) node[":@"] = a;
    return node;
}

function sourceEl(tag: string, path: string, s: Source): XmlNode {
    // The installer ignores the text of a local source; writing none keeps `<source type="local"/>`.
    const text = s.type === "local" ? undefined : s.location;
    return el(tag, path, text, { type: s.type, "repo-gpgcheck": s.repoGpgCheck, gpgcheck: s.gpgCheck });
}

function legacyScriptEl(tag: string, path: string, s: LegacyScript): XmlNode {
    return el(tag, path, s.location, { type: s.type });
}

/** The children of the top element, in render order. */
function body(m: AnswerFile): XmlNode[] {
    const out: XmlNode[] = [];
    const push = (node: XmlNode | undefined) => { if (node) out.push(node); };

    if (m.existingInstallation) {
        push(el("existing-installation", "existingInstallation.device", m.existingInstallation.device, { "fs-type": m.existingInstallation.fsType }));
    }
    if (m.backupDisk !== undefined) push(el("backup-disk", "backupDisk", m.backupDisk));
    (m.raid ?? []).forEach((r, i) => {
        const disks = r.disks.map((d, j) => el("disk", `raid[${i}].disks[${j}]`, d));
        push(el("raid", `raid[${i}]`, disks, { device: r.device }));
    });
    if (m.primaryDisk) {
        const p = m.primaryDisk;
        push(el("primary-disk", "primaryDisk.device", p.device, {
            "guest-storage": p.guestStorage,
            "sr-at-end": p.srAtEnd,
            "preserve-first-partition": p.preserveFirstPartition,
            swraid: p.swraid,
            "fs-type": p.fsType,
        }));
    }
    if (m.guestDisks && m.guestDisks.length > 0) {
        push(el("guest-disks", "guestDisks", m.guestDisks.map((d, i) => el("guest-disk", `guestDisks[${i}]`, d))));
    }
    if (m.keymap !== undefined) push(el("keymap", "keymap", m.keymap));
    if (m.rootPassword) push(el("root-password", "rootPassword.value", m.rootPassword.value, { type: m.rootPassword.type }));
    (m.sources ?? []).forEach((s, i) => push(sourceEl("source", `sources[${i}]`, s)));
    (m.driverSources ?? []).forEach((s, i) => push(sourceEl("driver-source", `driverSources[${i}]`, s)));
    if (m.adminInterface) push(adminInterfaceEl(m));
    if (m.timezone !== undefined) push(el("timezone", "timezone", m.timezone));
    if (m.ntp?.source !== undefined) push(el("ntp", "ntp", undefined, { source: m.ntp.source }));
    (m.ntp?.servers ?? []).forEach((s, i) => push(el("ntp-server", `ntp.servers[${i}]`, s)));
    (m.scripts ?? []).forEach((s, i) => push(el("script", `scripts[${i}].location`, s.location, { stage: s.stage, type: s.type })));
    if (m.postInstallScript) push(legacyScriptEl("post-install-script", "postInstallScript", m.postInstallScript));
    if (m.installFailedScript) push(legacyScriptEl("install-failed-script", "installFailedScript", m.installFailedScript));
    if (m.hostname !== undefined) push(el("hostname", "hostname", m.hostname));
    (m.nameServers ?? []).forEach((s, i) => push(el("name-server", `nameServers[${i}]`, s)));
    if (m.networkBackend !== undefined) push(el("network-backend", "networkBackend", m.networkBackend));
    if (m.bootloader) {
        const b = m.bootloader;
        push(el("bootloader", "bootloader", b.variant, { location: b.location, "write-boot-entry": b.writeBootEntry }));
    }
    (m.services ?? []).forEach((s, i) => push(el("service", `services[${i}]`, undefined, { name: s.name, state: s.state })));
    if (m.sshMode !== undefined) push(el("ssh-mode", "sshMode", m.sshMode));
    if (m.uiConfirmationPrompt !== undefined) {
        // host-installer reads this element as Python's bool(text): "false" would mean true.
        push(el("ui-confirmation-prompt", "uiConfirmationPrompt", m.uiConfirmationPrompt ? "true" : undefined));
    }
    return out;
}

function adminInterfaceEl(m: AnswerFile): XmlNode {
    const a = m.adminInterface!;
    const children: XmlNode[] = [];
    if (a.ipv4) {
        children.push(el("ipaddr", "adminInterface.ipv4.address", a.ipv4.address));
        children.push(el("subnet", "adminInterface.ipv4.netmask", a.ipv4.netmask));
        children.push(el("gateway", "adminInterface.ipv4.gateway", a.ipv4.gateway));
    }
    if (a.ipv6) {
        children.push(el("ipv6", "adminInterface.ipv6.address", `${a.ipv6.address}/${a.ipv6.prefixLength}`));
        children.push(el("gatewayv6", "adminInterface.ipv6.gateway", a.ipv6.gateway));
    }
    return el("admin-interface", "adminInterface", children, {
        name: a.name, hwaddr: a.hwaddr, proto: a.proto, protov6: a.protov6, vlan: a.vlan,
    });
}

/**
 * Renders the model as an answer file: an XML declaration, then `<installation>` (or `<restore>`
 * for mode "restore") with two-space indentation and a final newline. Deterministic: the same
 * model always gives the same bytes (remastered ISOs are content-addressed). parseAnswerFile of
 * the result gives the model back, except that empty lists (no element to write) come back absent.
 * @throws AnswerFileRenderError when a value holds a character XML 1.0 cannot carry.
 */
export function renderAnswerFile(model: AnswerFile): string {
    const top = model.mode === "restore" ? "restore" : "installation";
    // Attributes an installation reads are written for restore too (the installer ignores them
    // there, validation warns), so that every model survives render → parse unchanged.
    const rootAttrs = {
        mode: top === "restore" ? undefined : model.mode,
        "sr-type": model.srType,
        "netinstall-gpg-check": model.netinstallGpgCheck,
        "repo-gpgcheck": model.repoGpgCheck,
        gpgcheck: model.gpgCheck,
    };
    const doc: XmlNode[] = [
        { "?xml": [{ "#text": "" }], ":@": { [`${ATTR_PREFIX}version`]: "1.0", [`${ATTR_PREFIX}encoding`]: "UTF-8" } },
        el(top, top, body(model), rootAttrs),
    ];
    const builder = new XMLBuilder({
        preserveOrder: true,
        ignoreAttributes: false,
        attributeNamePrefix: ATTR_PREFIX,
        format: true,
        indentBy: "  ",
        suppressEmptyNode: true,
        processEntities: true,
        suppressBooleanAttributes: false,
    });
    const xml = builder.build(doc) as string;
    return xml.endsWith("\n") ? xml : `${xml}\n`;
}
