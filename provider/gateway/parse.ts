/** Parsers for what the toolbox prints: `ip -o link`, `ip -o addr`, `ip -o route`, resolv.conf. Pure. */
import { isIpv4 } from "./ipv4";

export interface LinkInfo {
    index: number;
    /** Interface name without the `@peer` suffix `ip` prints for veth and VLAN links. */
    name: string;
    /** Lower-case MAC ("link/ether"), undefined for links without one (lo, tunnels). */
    mac?: string;
    /** Administratively up (the UP flag). */
    up: boolean;
}

/** Parses `ip -o link` (one line per link; the second half follows a literal backslash). */
export function parseIpLinks(output: string): LinkInfo[] {
    const links: LinkInfo[] = [];
    for (const line of output.split("\n")) {
        const m = /^(\d+):\s+([^:\s]+):\s+<([^>]*)>/.exec(line);
        if (!m) continue;
        const at = m[2].indexOf("@");
        const mac = /\blink\/ether\s+([0-9a-fA-F:]{17})\b/.exec(line)?.[1]?.toLowerCase();
        links.push({ index: Number(m[1]), name: at > 0 ? m[2].slice(0, at) : m[2], mac, up: m[3].split(",").includes("UP") });
    }
    return links;
}

/** The IPv4 CIDRs of `ip -o -4 addr show` lines ("inet 192.168.32.1/24 …"). */
export function parseIpv4Addresses(output: string): string[] {
    return [...output.matchAll(/\binet\s+(\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1]);
}

/** The `dev` of the first line of `ip -o -4 route show default`, or undefined. */
export function parseDefaultRouteInterface(output: string): string | undefined {
    for (const line of output.split("\n")) {
        const m = /^default\b.*?\bdev\s+(\S+)/.exec(line.trim());
        if (m) return m[1];
    }
    return undefined;
}

/** IPv4 `nameserver` entries of a resolv.conf, loopback stubs (127.0.0.53, …) excluded. */
export function parseResolvConf(text: string): { servers: string[] } {
    const servers = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]).filter((s) => isIpv4(s) && !s.startsWith("127."));
    return { servers: [...new Set(servers)] };
}

/**
 * Base chains on the forward hook with policy drop, from `nft list ruleset`, as "family table
 * chain". A packet our table accepts is still dropped by any of them.
 */
export function parseForwardDropChains(ruleset: string): string[] {
    const found: string[] = [];
    let table = "";
    let chain = "";
    for (const raw of ruleset.split("\n")) {
        const line = raw.trim();
        const t = /^table\s+(\S+)\s+(\S+)\s*\{/.exec(line);
        if (t) table = `${t[1]} ${t[2]}`;
        const c = /^chain\s+(\S+)\s*\{/.exec(line);
        if (c) chain = c[1];
        if (/\bhook\s+forward\b/.test(line) && /\bpolicy\s+drop\b/.test(line)) found.push(`${table} ${chain}`);
    }
    return found;
}
