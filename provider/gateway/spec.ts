/**
 * What a toolbox gateway is made of (GatewaySpec), its defaults, the names derived from the lab
 * (nft table, systemd units, state directory), and validation that reports every problem at once.
 * Pure: no I/O. The resource's check() reuses validateGatewayFields() with its own property names.
 */
import { cidrContains, isIpv4, parseCidr } from "./ipv4";

export type NatBackend = "nftables" | "shorewall";
export type ServiceManager = "auto" | "systemd" | "direct";

export const NAT_BACKENDS: readonly NatBackend[] = ["nftables", "shorewall"];
export const SERVICE_MANAGERS: readonly ServiceManager[] = ["auto", "systemd", "direct"];

/** A name the gateway's DNS proxy answers for. */
export interface GatewayHost {
    /** Fully qualified or short host name, e.g. "vh0.lab". Its first label is answered too ("vh0"). */
    hostname: string;
    /** IPv4 address on the home network, e.g. "192.168.32.2". */
    address: string;
}

/** The toolbox side of a lab's gateway. */
export interface GatewaySpec {
    /** Lab name: lower-case letters, digits and inner dashes, at most 32 characters. Names the nft table, units and state directory. */
    lab: string;
    /** MAC address of the toolbox's home-network interface (the VIF the resource plugged), e.g. "02:5a:…". */
    homeMac: string;
    /** The gateway's address and prefix on the home network. @default "192.168.32.1/24" */
    gatewayCidr?: string;
    /** Interface towards the corporate network that home traffic is masqueraded out of. @default - the interface of the toolbox's IPv4 default route */
    upstreamInterface?: string;
    /** DNS servers the proxy forwards to. @default - the toolbox's own resolvers (/etc/resolv.conf, or systemd-resolved's upstreams) */
    upstreamDns?: string[];
    /** Names the DNS proxy answers for (every nested hypervisor). @default [] */
    hosts?: GatewayHost[];
    /** How NAT is done: a nftables table of our own, or Shorewall (the seed's choice; it becomes the toolbox's firewall). @default "nftables" */
    natBackend?: NatBackend;
    /** Directory on the toolbox holding everything we add, and the record of what we changed. @default "/etc/virtual-hypervisor/<lab>" */
    stateDir?: string;
    /** How dnsmasq (and the boot-time replay) run: systemd units, or daemons with pid files. @default "auto" - systemd when /run/systemd/system exists */
    serviceManager?: ServiceManager;
    /** How long to wait for the home interface to appear after a hot-plug. @default 30000 */
    interfaceWaitMs?: number;
}

export const GATEWAY_DEFAULTS = {
    gatewayCidr: "192.168.32.1/24",
    natBackend: "nftables" as NatBackend,
    serviceManager: "auto" as ServiceManager,
    stateRoot: "/etc/virtual-hypervisor",
    interfaceWaitMs: 30_000,
};

/** One validation failure: the input (by its caller-facing name) and why. */
export interface SpecProblem {
    property: string;
    reason: string;
}

const LAB = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
/** Characters a state directory may use: it appears unquoted in dnsmasq, systemd and Shorewall files. */
const SAFE_PATH = /^\/[A-Za-z0-9._/+-]*$/;
/**
 * Interface names we write into nft rules, Shorewall and dnsmasq files. Linux allows almost any
 * byte; we accept what those formats carry without quoting rules of their own.
 */
export const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,14}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isValidHostname(name: string): boolean {
    return typeof name === "string" && name.length <= 253 && name.split(".").every((l) => LABEL.test(l));
}

/** The nft table of a lab: `vh_<lab with - as _>` (lab names have no `_`, so this is one-to-one). */
export function nftTableName(lab: string): string {
    return `vh_${lab.replace(/-/g, "_")}`;
}

export function unitNames(lab: string): { dns: string; net: string } {
    return { dns: `vh-${lab}-dns.service`, net: `vh-${lab}-net.service` };
}

export function defaultStateDir(lab: string): string {
    return `${GATEWAY_DEFAULTS.stateRoot}/${lab}`;
}

/** The state directory of `lab`: `stateDir` (@default defaultStateDir(lab)) without trailing slashes. */
export function resolveStateDir(lab: string, stateDir: string | undefined): string {
    return (stateDir ?? defaultStateDir(lab)).replace(/\/+$/, "");
}

/** Host names and their short forms, as hosts-file lines ("192.168.32.2 vh0.lab vh0"). */
export function hostsEntries(hosts: readonly GatewayHost[]): Array<{ address: string; names: string[] }> {
    return hosts.map((h) => {
        const short = h.hostname.split(".")[0];
        return { address: h.address, names: short === h.hostname ? [h.hostname] : [h.hostname, short] };
    });
}

/** Names of the inputs in the caller's terms (the resource maps them to its own). */
export type FieldNames = Record<"lab" | "gatewayCidr" | "upstreamInterface" | "upstreamDns" | "hosts" | "natBackend" | "stateDir" | "serviceManager", string>;

const OWN_NAMES: FieldNames = {
    lab: "lab", gatewayCidr: "gatewayCidr", upstreamInterface: "upstreamInterface", upstreamDns: "upstreamDns",
    hosts: "hosts", natBackend: "natBackend", stateDir: "stateDir", serviceManager: "serviceManager",
};

/** A value that is not known yet (Pulumi preview); validation skips it. */
export type IsUnknown = (value: unknown) => boolean;

/**
 * Validates the fields shared by GatewaySpec and the resource's inputs. Every problem is
 * reported; values for which `isUnknown` is true are skipped.
 */
export function validateGatewayFields(
    fields: Partial<Record<keyof FieldNames, unknown>>,
    names: FieldNames = OWN_NAMES,
    isUnknown: IsUnknown = () => false,
): SpecProblem[] {
    const problems: SpecProblem[] = [];
    const add = (property: string, reason: string) => problems.push({ property, reason });
    const known = (v: unknown) => v !== undefined && !isUnknown(v);
    const show = (v: unknown) => JSON.stringify(v);

    if (known(fields.lab) && (typeof fields.lab !== "string" || !LAB.test(fields.lab))) {
        add(names.lab, `${names.lab} must be 1–32 lower-case letters, digits and inner dashes (it names the nft table, units and state directory), got ${show(fields.lab)}`);
    }
    let cidr = undefined as ReturnType<typeof parseCidr>;
    if (known(fields.gatewayCidr)) {
        cidr = parseCidr(fields.gatewayCidr as string);
        if (!cidr || cidr.prefix < 8 || cidr.prefix > 30) {
            add(names.gatewayCidr, `${names.gatewayCidr} must be an IPv4 address with a prefix length from 8 to 30, like "192.168.32.1/24", got ${show(fields.gatewayCidr)}`);
            cidr = undefined;
        } else if (cidr.address === cidr.network || cidr.address === cidr.broadcast) {
            add(names.gatewayCidr, `${names.gatewayCidr} must name a host address, not the network or broadcast address of ${cidr.networkCidr}, got ${show(fields.gatewayCidr)}`);
        }
    }
    if (known(fields.upstreamInterface) && (typeof fields.upstreamInterface !== "string" || !INTERFACE_NAME.test(fields.upstreamInterface))) {
        add(names.upstreamInterface, `${names.upstreamInterface} must be a network interface name (letters, digits and _.@+-, at most 15 characters), got ${show(fields.upstreamInterface)}`);
    }
    if (known(fields.upstreamDns)) {
        if (!Array.isArray(fields.upstreamDns)) {
            add(names.upstreamDns, `${names.upstreamDns} must be a list of IPv4 addresses, got ${show(fields.upstreamDns)}`);
        } else {
            fields.upstreamDns.forEach((d, i) => {
                if (known(d) && !(typeof d === "string" && isIpv4(d))) add(`${names.upstreamDns}[${i}]`, `${names.upstreamDns}[${i}] must be an IPv4 address like "10.0.0.53", got ${show(d)}`);
            });
        }
    }
    if (known(fields.hosts)) validateHosts(fields.hosts, names.hosts, cidr, known, add);
    if (known(fields.natBackend) && !NAT_BACKENDS.includes(fields.natBackend as NatBackend)) {
        add(names.natBackend, `${names.natBackend} must be one of ${NAT_BACKENDS.map((b) => `"${b}"`).join(", ")}, got ${show(fields.natBackend)}`);
    }
    if (known(fields.serviceManager) && !SERVICE_MANAGERS.includes(fields.serviceManager as ServiceManager)) {
        add(names.serviceManager, `${names.serviceManager} must be one of ${SERVICE_MANAGERS.map((b) => `"${b}"`).join(", ")}, got ${show(fields.serviceManager)}`);
    }
    if (known(fields.stateDir)) {
        const dir = fields.stateDir;
        if (typeof dir !== "string" || !SAFE_PATH.test(dir) || dir.split("/").some((s) => s === "..") || dir.replace(/\/+$/, "") === "") {
            add(names.stateDir, `${names.stateDir} must be an absolute path of letters, digits and ._/+- without "..", other than "/", got ${show(dir)}`);
        }
    }
    return problems;
}

function validateHosts(
    hosts: unknown,
    name: string,
    cidr: ReturnType<typeof parseCidr>,
    known: (v: unknown) => boolean,
    add: (property: string, reason: string) => void,
): void {
    if (!Array.isArray(hosts)) {
        add(name, `${name} must be a list of { hostname, address }, got ${JSON.stringify(hosts)}`);
        return;
    }
    const seen = new Map<string, number>();
    hosts.forEach((h, i) => {
        const at = `${name}[${i}]`;
        if (!known(h)) return;
        if (typeof h !== "object" || h === null) {
            add(at, `${at} must be { hostname, address }, got ${JSON.stringify(h)}`);
            return;
        }
        const { hostname, address } = h as Record<string, unknown>;
        if (known(hostname)) {
            if (typeof hostname !== "string" || !isValidHostname(hostname)) {
                add(`${at}.hostname`, `${at}.hostname must be a DNS host name (labels of letters, digits and inner dashes, joined by dots), got ${JSON.stringify(hostname)}`);
            } else {
                const key = hostname.toLowerCase();
                if (seen.has(key)) add(`${at}.hostname`, `${at}.hostname ${JSON.stringify(hostname)} is already used by ${name}[${seen.get(key)}]`);
                else seen.set(key, i);
            }
        }
        if (known(address)) {
            if (typeof address !== "string" || !isIpv4(address)) {
                add(`${at}.address`, `${at}.address must be an IPv4 address, got ${JSON.stringify(address)}`);
            } else if (cidr && !cidrContains(cidr, address)) {
                add(`${at}.address`, `${at}.address must lie inside the home network ${cidr.networkCidr}, got ${JSON.stringify(address)}`);
            } else if (cidr && (address === cidr.network || address === cidr.broadcast)) {
                add(`${at}.address`, `${at}.address must be a host address, not the network or broadcast address of ${cidr.networkCidr}, got ${JSON.stringify(address)}`);
            } else if (cidr && address === cidr.address) {
                add(`${at}.address`, `${at}.address must differ from the gateway's own address ${cidr.address}, got ${JSON.stringify(address)}`);
            }
        }
    });
}

/** Validates a whole GatewaySpec (homeMac and interfaceWaitMs included). */
export function validateGatewaySpec(spec: GatewaySpec): SpecProblem[] {
    const problems = validateGatewayFields({ ...spec, gatewayCidr: spec.gatewayCidr ?? GATEWAY_DEFAULTS.gatewayCidr });
    if (spec.lab === undefined) problems.unshift({ property: "lab", reason: "lab is required" });
    if (typeof spec.homeMac !== "string" || !MAC.test(spec.homeMac.toLowerCase())) {
        problems.push({ property: "homeMac", reason: `homeMac must be a MAC address like "02:00:5e:10:00:01", got ${JSON.stringify(spec.homeMac)}` });
    }
    const wait = spec.interfaceWaitMs;
    if (wait !== undefined && (!Number.isFinite(wait) || wait < 0)) {
        problems.push({ property: "interfaceWaitMs", reason: `interfaceWaitMs must be a number of milliseconds ≥ 0, got ${JSON.stringify(wait)}` });
    }
    return problems;
}

/** A GatewaySpec with every default applied (after validation). */
export interface ResolvedSpec {
    lab: string;
    homeMac: string;
    gatewayCidr: string;
    upstreamInterface?: string;
    upstreamDns?: string[];
    hosts: GatewayHost[];
    natBackend: NatBackend;
    stateDir: string;
    serviceManager: ServiceManager;
    interfaceWaitMs: number;
}

export function resolveSpec(spec: GatewaySpec): ResolvedSpec {
    return {
        lab: spec.lab,
        homeMac: spec.homeMac.toLowerCase(),
        gatewayCidr: spec.gatewayCidr ?? GATEWAY_DEFAULTS.gatewayCidr,
        upstreamInterface: spec.upstreamInterface,
        upstreamDns: spec.upstreamDns,
        hosts: spec.hosts ?? [],
        natBackend: spec.natBackend ?? GATEWAY_DEFAULTS.natBackend,
        stateDir: resolveStateDir(spec.lab, spec.stateDir),
        serviceManager: spec.serviceManager ?? GATEWAY_DEFAULTS.serviceManager,
        interfaceWaitMs: spec.interfaceWaitMs ?? GATEWAY_DEFAULTS.interfaceWaitMs,
    };
}
