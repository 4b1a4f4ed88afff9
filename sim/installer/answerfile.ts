/**
 * The simulated installer's reading of an answer file: the rules, order and messages of
 * host-installer's answerfile.py (through xcp.xmlunwrap), version-aware via InstallerFeatures.
 * The first rule broken stops the parse, as the Python exception does; its message is the one the
 * installer logs and shows.
 *
 * Secrets: the root password is read for its `type` only; its text never leaves this module.
 */
import { attributeOf, elementsByTagName, parseXmlDocument, textOf, XmlElement, XmlSyntaxError } from "./xml";
import type { InstallerFeatures } from "./versions";

/** An AnswerfileException / XmlUnwrapError / AssertionError raised while reading the answer file. */
export class AnswerfileError extends Error {
    override name = "AnswerfileError";
}

/** What the installer can see of the machine it runs on. */
export interface InstallTarget {
    /** Block devices by name ("/dev/sda") with their size in bytes. */
    disks: Map<string, number>;
    /** Devices that hold an installation of the product (for mode="upgrade"). */
    installedDisks: Set<string>;
    /** Network interfaces ("eth0", …) and, where known, their MAC addresses. */
    nics: string[];
    macs: (string | undefined)[];
}

export interface AnswerfileScript {
    stage: string;
    url: string;
    /** The element that declared it, for messages. */
    element: "script" | "post-install-script" | "install-failed-script";
}

export interface AdminInterface {
    name?: string;
    hwaddr?: string;
    proto: "static" | "dhcp" | "none";
    ip?: string;
    netmask?: string;
    gateway?: string;
    protov6?: "static" | "dhcp" | "autoconf";
    vlan?: number;
}

export interface Answers {
    mode: "fresh" | "reinstall";
    primaryDisk: string;
    guestDisks: string[];
    srType: string;
    admin: AdminInterface;
    /** Set when the admin interface is named but absent and this installer version does not check. */
    adminMissing?: string;
    hostname?: string;
    nameServers: string[];
    timezone: string;
    ntpMethod?: string;
    ntpServers: string[];
    passwordType: "plaintext" | "pwdhash";
    sources: Source[];
}

export interface Source {
    media: "local" | "url" | "nfs";
    address: string;
}

/** mode="upgrade" keeps the existing installation's settings; only the disk and sources are read. */
export interface UpgradeAnswers {
    mode: "upgrade";
    primaryDisk: string;
    sources: Source[];
}

export interface SetupAnswers {
    uiConfirmationPrompt: boolean;
    driverSources: { media: string; address: string }[];
}

/** Answerfile.fetch + Answerfile(): well-formed XML with a known top-level element. */
export function loadAnswerfile(text: string): { root: XmlElement; operation: "installation" | "restore" } {
    let root: XmlElement;
    try {
        root = parseXmlDocument(text);
    } catch (err) {
        const detail = err instanceof XmlSyntaxError ? err.message : String(err);
        throw new AnswerfileError(`Answerfile is incorrectly formatted. (${detail})`, { cause: err });
    }
    if (root.name === "installation" || root.name === "upgrade") return { root, operation: "installation" };
    if (root.name === "restore") return { root, operation: "restore" };
    throw new AnswerfileError(`Unexpected top level element (<${root.name}>; expected <installation>, <upgrade> or <restore>)`);
}

const mandatoryElements = (el: XmlElement, tags: string[]) => {
    const found = elementsByTagName(el, tags);
    if (found.length === 0) throw new AnswerfileError(`Missing mandatory element ${tags[0]}`);
    return found;
};
const mandatoryAttribute = (el: XmlElement, names: string[]) => {
    const v = attributeOf(el, names);
    if (v === undefined) throw new AnswerfileError(`Missing mandatory attribute ${names[0]}`);
    return v;
};
/** xmlunwrap.getMapAttribute: the attribute (or its default) must be one of the keys. */
const mapAttribute = <T extends string>(el: XmlElement, names: string[], keys: Record<string, T>, fallback: string): T => {
    const key = attributeOf(el, names) ?? fallback;
    if (!(key in keys)) throw new AnswerfileError(`Unexpected key ${key} for attribute (<${el.name} ${names[0]}=…> accepts ${Object.keys(keys).join(", ")})`);
    return keys[key];
};
const boolAttribute = (el: XmlElement, names: string[], fallback: boolean) => {
    const v = attributeOf(el, names);
    return v === undefined ? fallback : ["yes", "true"].includes(v.toLowerCase());
};

/** Answerfile.parseScripts: <script stage type>, and the deprecated single-element forms. */
export function parseScripts(root: XmlElement): AnswerfileScript[] {
    const url = (type: string, path: string) => (type === "nfs" && !path.startsWith("nfs://") ? `nfs://${path}` : path);
    const scripts: AnswerfileScript[] = [];
    for (const node of elementsByTagName(root, ["script"])) {
        const stage = mandatoryAttribute(node, ["stage"]).toLowerCase();
        const type = mandatoryAttribute(node, ["type"]).toLowerCase();
        scripts.push({ stage, url: url(type, textOf(node)), element: "script" });
    }
    for (const [tag, stage] of [["post-install-script", "filesystem-populated"], ["install-failed-script", "installation-complete"]] as const) {
        const nodes = elementsByTagName(root, [tag]);
        if (nodes.length !== 1) continue; // the installer reads the deprecated forms only when given once
        scripts.push({ stage, url: url((attributeOf(nodes[0], ["type"]) ?? "").toLowerCase(), textOf(nodes[0])), element: tag });
    }
    return scripts;
}

/** Answerfile.processAnswerfileSetup: driver sources, FCoE interfaces, the confirmation prompt. */
export function parseSetup(root: XmlElement): SetupAnswers {
    const driverSources = elementsByTagName(root, ["driver-source"]).map((node) => {
        const media = mandatoryAttribute(node, ["type"]);
        if (!["local", "url", "nfs"].includes(media)) throw new AnswerfileError("Invalid type for <driver-source> media specified.");
        return { media, address: media === "local" ? "Install disc" : textOf(node) };
    });
    for (const node of elementsByTagName(root, ["fcoe-interface"])) {
        if (!attributeOf(node, ["name"]) && !attributeOf(node, ["hwaddr"])) {
            throw new AnswerfileError("<fcoe-interface> tag must have one of 'name' or 'hwaddr'");
        }
    }
    // bool(getText(node)): any text at all, even "false", asks for confirmation.
    const prompt = elementsByTagName(root, ["ui-confirmation-prompt"]);
    return { uiConfirmationPrompt: prompt.length > 0 && textOf(prompt[0]) !== "", driverSources };
}

/** Answerfile.processAnswerfile for an installation (fresh, reinstall or upgrade). */
export function parseAnswers(root: XmlElement, target: InstallTarget, features: InstallerFeatures): Answers | UpgradeAnswers {
    const mode = attributeOf(root, ["mode"]) ?? "fresh";
    if (mode === "upgrade") {
        const disk = normalizeDisk(textOf(mandatoryElements(root, ["existing-installation"])[0]));
        if (!target.installedDisks.has(disk)) throw new AnswerfileError("Could not locate the installation specified to be reinstalled.");
        return { mode, primaryDisk: disk, sources: parseSources(root) };
    }
    if (mode !== "fresh" && mode !== "reinstall") throw new AnswerfileError(`Unknown mode, ${mode}`);
    // A reinstall is a fresh install that would back up an existing installation first.
    return { ...fresh(root, target, features), mode, sources: parseSources(root) };
}

function fresh(root: XmlElement, target: InstallTarget, features: InstallerFeatures): Omit<Answers, "sources"> {
    const disks = parseDisks(root, target, features);
    const { admin, adminMissing } = parseInterface(root, target, features);
    const passwords = elementsByTagName(root, ["root-password"]);
    const passwordType = passwords.length > 0
        ? mapAttribute(passwords[0], ["type"], { plaintext: "plaintext", hash: "pwdhash" } as const, "plaintext")
        : "pwdhash";
    const nameServers = elementsByTagName(root, ["name-server", "nameserver"]).map(textOf);
    const hostnames = elementsByTagName(root, ["hostname"]);
    const timezones = elementsByTagName(root, ["timezone"]);
    const time = parseNtp(root, admin, features);
    if (features.services) parseServices(root);
    return {
        mode: "fresh",
        ...disks,
        admin,
        adminMissing,
        hostname: hostnames.length > 0 ? textOf(hostnames[0]) : undefined,
        nameServers,
        timezone: timezones.length > 0 ? textOf(timezones[0]) : "Etc/UTC",
        ...time,
        passwordType,
    };
}

/** "sda", "/dev/sda" → "/dev/sda" (answerfile.normalize_disk). */
export function normalizeDisk(disk: string): string {
    return disk.startsWith("/dev/") || disk.startsWith("iscsi:") ? disk : `/dev/${disk}`;
}

function parseDisks(root: XmlElement, target: InstallTarget, features: InstallerFeatures) {
    const node = mandatoryElements(root, ["primary-disk"])[0];
    mapAttribute(node, ["preserve-first-partition"], { true: "true", yes: "true", false: "false", no: "false", "if-utility": "if-utility" }, "if-utility");
    const primaryDisk = normalizeDisk(textOf(node));
    if (features.diskExistsCheck && !target.disks.has(primaryDisk)) throw new AnswerfileError(`Primary disk ${primaryDisk} is missing`);
    const guestDisks = new Set<string>();
    if (boolAttribute(node, ["guest-storage", "gueststorage"], true)) guestDisks.add(primaryDisk);
    for (const g of elementsByTagName(root, ["guest-disk"])) guestDisks.add(normalizeDisk(textOf(g)));
    if (features.diskExistsCheck) {
        for (const d of guestDisks) if (!target.disks.has(d)) throw new AnswerfileError(`Guest disk ${d} is missing`);
    }
    const srType = mapAttribute(root, ["sr-type", "srtype"], { lvm: "lvm", ext: "ext" }, "lvm");
    return { primaryDisk, guestDisks: [...guestDisks], srType };
}

function parseInterface(root: XmlElement, target: InstallTarget, features: InstallerFeatures): { admin: AdminInterface; adminMissing?: string } {
    const node = mandatoryElements(root, ["admin-interface"])[0];
    let name = attributeOf(node, ["name"]);
    let hwaddr: string | undefined;
    let adminMissing: string | undefined;
    if (name && target.nics.includes(name)) {
        hwaddr = target.macs[target.nics.indexOf(name)];
    } else {
        if (name && features.adminNameCheck) throw new AnswerfileError(`<admin-interface> name '${name}' not found on system.`);
        if (name) adminMissing = name;
        hwaddr = attributeOf(node, ["hwaddr"]);
        if (hwaddr) {
            const matches = target.macs.flatMap((m, i) => (m?.toLowerCase() === hwaddr?.toLowerCase() ? [target.nics[i]] : []));
            if (matches.length === 1) { name = matches[0]; adminMissing = undefined; }
        }
    }
    if (!name && !hwaddr) throw new AnswerfileError("<admin-interface> tag must have one of 'name' or 'hwaddr'");
    const protoText = mandatoryAttribute(node, ["proto"]);
    const admin: AdminInterface = { name, hwaddr, proto: protoText === "static" ? "static" : protoText === "dhcp" ? "dhcp" : "none" };
    if (admin.proto === "static") {
        admin.ip = textOf(mandatoryElements(node, ["ip", "ipaddr"])[0]) || undefined;
        admin.netmask = textOf(mandatoryElements(node, ["subnet-mask", "subnet"])[0]) || undefined;
        admin.gateway = textOf(mandatoryElements(node, ["gateway"])[0]) || undefined;
        // NetInterface.__init__: `assert ipaddr; assert netmask` (an empty element counts as absent).
        if (!admin.ip || !admin.netmask) throw new AnswerfileError("AssertionError (a static <admin-interface> with an empty <ip>/<ipaddr> or <subnet-mask>/<subnet>)");
    }
    const protov6 = attributeOf(node, ["protov6"]);
    if (protov6 === "static") {
        const ipv6 = textOf(mandatoryElements(node, ["ipv6"])[0]);
        textOf(mandatoryElements(node, ["gatewayv6"])[0]);
        if (!ipv6) throw new AnswerfileError("AssertionError (a static IPv6 <admin-interface> with an empty <ipv6>)");
        admin.protov6 = "static";
    } else if (protov6 === "dhcp" || protov6 === "autoconf") {
        admin.protov6 = protov6;
    }
    const vlan = attributeOf(node, ["vlan"]);
    if (vlan && features.vlan) {
        if (!/^\d+$/.test(vlan) || Number(vlan) < 1 || Number(vlan) >= 4095) throw new AnswerfileError("Invalid value for vlan attribute specified.");
        admin.vlan = Number(vlan);
    }
    if (admin.proto === "none" && !admin.protov6) throw new AnswerfileError("<admin-interface> tag must have IPv4 or IPv6 defined.");
    return { admin, adminMissing };
}

function parseNtp(root: XmlElement, admin: AdminInterface, features: InstallerFeatures): { ntpMethod?: string; ntpServers: string[] } {
    const servers = elementsByTagName(root, ["ntp-server", "ntp-servers"]).map(textOf);
    if (!features.ntpSource) return { ntpServers: servers }; // <ntp> is an unknown element there: ignored
    const ntp = elementsByTagName(root, ["ntp"]);
    let method: string;
    if (ntp.length === 1) {
        method = mandatoryAttribute(ntp[0], ["source"]);
        if (!["dhcp", "default", "manual", "none"].includes(method)) throw new AnswerfileError("Expected <ntp> source to be one of (dhcp, default, manual, none)");
    } else if (ntp.length === 0) {
        method = servers.length > 0 ? "manual" : admin.proto === "dhcp" ? "dhcp" : "default";
    } else {
        throw new AnswerfileError(`Expected zero or one <ntp> elements but found ${ntp.length}`);
    }
    if (servers.length > 0 && method !== "manual") {
        throw new AnswerfileError('<ntp-server> and <ntp-servers> elements are only valid when using <ntp source="manual" />');
    }
    return { ntpMethod: method, ntpServers: servers };
}

function parseServices(root: XmlElement): void {
    const seen = new Set<string>();
    for (const node of elementsByTagName(root, ["service"])) {
        const service = mandatoryAttribute(node, ["name"]);
        if (seen.has(service)) throw new AnswerfileError(`Multiple entries for service ${service}`);
        seen.add(service);
        const state = mandatoryAttribute(node, ["state"]);
        if (state !== "enabled" && state !== "disabled") throw new AnswerfileError(`Invalid state for service ${service}: ${state}`);
    }
}

/** Answerfile.parseCommon: sources, bootloader. */
function parseSources(root: XmlElement): Source[] {
    const sources = mandatoryElements(root, ["source"]).map((node) => {
        let media = mandatoryAttribute(node, ["type"]);
        let address = media === "local" ? "Install disc" : textOf(node);
        if (!["local", "url", "nfs"].includes(media)) throw new AnswerfileError("Invalid type for <source> media specified.");
        if (media === "url" && address.startsWith("nfs://")) { media = "nfs"; address = address.slice(6); }
        return { media: media as Source["media"], address };
    });
    const bootloader = elementsByTagName(root, ["bootloader"]);
    if (bootloader.length > 0) {
        mapAttribute(bootloader[0], ["location"], { mbr: "mbr", partition: "partition" }, "mbr");
        const bl = textOf(bootloader[0]);
        if (bl !== "" && bl !== "grub2") throw new AnswerfileError(`Unsupported bootloader '${bl}'`);
    }
    return sources;
}
