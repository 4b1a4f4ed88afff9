/**
 * IPv4 addresses and CIDRs as the gateway needs them: strict parsing (no leading zeros, no
 * shorthand forms that `inet_aton` would accept), membership, and the network of a CIDR.
 */

/** "192.168.32.1/24" parsed: the address as written plus its network. */
export interface Ipv4Cidr {
    /** The address part, e.g. "192.168.32.1". */
    address: string;
    /** Prefix length, 0–32. */
    prefix: number;
    /** The network address, e.g. "192.168.32.0". */
    network: string;
    /** The network in CIDR form, e.g. "192.168.32.0/24". */
    networkCidr: string;
    /** The dotted netmask, e.g. "255.255.255.0". */
    netmask: string;
    /** The broadcast address, e.g. "192.168.32.255". */
    broadcast: string;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** The address as a 32-bit unsigned number, or undefined unless it is a strict dotted quad. */
export function ipv4ToNumber(text: string): number | undefined {
    if (typeof text !== "string") return undefined;
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function numberToIpv4(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function isIpv4(text: string): boolean {
    return ipv4ToNumber(text) !== undefined;
}

function maskOf(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n"; undefined when it is not exactly that. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
    if (typeof text !== "string") return undefined;
    const m = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(text);
    if (!m) return undefined;
    const address = ipv4ToNumber(m[1]);
    const prefix = Number(m[2]);
    if (address === undefined || prefix > 32) return undefined;
    const mask = maskOf(prefix);
    const network = (address & mask) >>> 0;
    const broadcast = (network | (~mask >>> 0)) >>> 0;
    return {
        address: m[1],
        prefix,
        network: numberToIpv4(network),
        networkCidr: `${numberToIpv4(network)}/${prefix}`,
        netmask: numberToIpv4(mask),
        broadcast: numberToIpv4(broadcast),
    };
}

/** Whether `address` lies inside the network of `cidr`. */
export function cidrContains(cidr: Ipv4Cidr, address: string): boolean {
    const n = ipv4ToNumber(address);
    if (n === undefined) return false;
    return ((n & maskOf(cidr.prefix)) >>> 0) === ipv4ToNumber(cidr.network);
}
