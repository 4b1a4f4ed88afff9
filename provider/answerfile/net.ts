/**
 * Address and name checks the answer-file validation needs: IPv4/IPv6 addresses, contiguous
 * netmasks, subnet membership, RFC 1123 host names, MAC addresses and Linux interface names.
 * Pure functions, no I/O.
 */
import { isIPv4, isIPv6 } from "node:net";

export { isIPv4, isIPv6 };

/** The 32-bit value of a dotted-quad IPv4 address (callers check isIPv4 first). */
export function ipv4ToInt(address: string): number {
    return address.split(".").reduce((acc, octet) => (acc * 256 + Number(octet)) >>> 0, 0);
}

/**
 * The prefix length of a contiguous netmask such as 255.255.255.0 (24), or undefined when the
 * value is not an IPv4 address or its one-bits are not contiguous from the left.
 */
export function netmaskPrefixLength(netmask: string): number | undefined {
    if (!isIPv4(netmask)) return undefined;
    const value = ipv4ToInt(netmask);
    const inverted = ~value >>> 0;
    // Contiguous ones from the left means the inverted mask is 2^k - 1.
    if ((inverted & (inverted + 1)) !== 0) return undefined;
    return 32 - Math.log2(inverted + 1);
}

/** Whether two IPv4 addresses share the network of `netmask`. */
export function sameIpv4Subnet(a: string, b: string, netmask: string): boolean {
    const mask = ipv4ToInt(netmask);
    return ((ipv4ToInt(a) & mask) >>> 0) === ((ipv4ToInt(b) & mask) >>> 0);
}

/** "network" or "broadcast" when `address` is that address of its subnet (prefix ≤ 30), else undefined. */
export function reservedIpv4Role(address: string, netmask: string): "network" | "broadcast" | undefined {
    const prefix = netmaskPrefixLength(netmask);
    if (prefix === undefined || prefix > 30) return undefined;
    const mask = ipv4ToInt(netmask);
    const value = ipv4ToInt(address);
    if (((value & ~mask) >>> 0) === 0) return "network";
    if (((value & ~mask) >>> 0) === ~mask >>> 0) return "broadcast";
    return undefined;
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `name` is not an RFC 1123 host name (dot-separated labels of letters, digits and inner
 * hyphens, 1–63 characters each, 253 in all), or undefined when it is one. This is the rule of
 * host-installer's netutil.valid_hostname(fqdn=True) plus the total length.
 */
export function hostnameProblem(name: string): string | undefined {
    if (name.length === 0) return "must not be empty";
    if (name.length > 253) return `must be at most 253 characters long, got ${name.length}`;
    const labels = name.split(".");
    for (const label of labels) {
        if (label.length === 0) return "must not have an empty label (leading, trailing or doubled dot)";
        if (label.length > 63) return `must have labels of at most 63 characters, got one of ${label.length}`;
        if (!LABEL.test(label)) return "must consist of dot-separated labels of letters, digits and inner hyphens";
    }
    return undefined;
}

/** A MAC address written as six colon-separated hex pairs. */
export function isMacAddress(value: string): boolean {
    return /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(value);
}

/** A Linux network interface name: 1–15 characters, no slash, colon or whitespace. */
export function isInterfaceName(value: string): boolean {
    return /^[A-Za-z0-9_.-]{1,15}$/.test(value);
}
