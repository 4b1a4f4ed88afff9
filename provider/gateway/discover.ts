/**
 * What the gateway needs to know about the toolbox before changing anything: its tools, the home
 * interface (found by the MAC of the VIF we plugged; a hot-plugged NIC takes a moment to appear),
 * the upstream interface and resolvers, IPv4 forwarding, and whether systemd runs it. Read-only.
 */
import { GatewayMissingToolError, GatewayStepError, GatewayTimeoutError } from "./errors";
import { parseDefaultRouteInterface, parseIpLinks, parseIpv4Addresses, parseResolvConf, LinkInfo } from "./parse";
import type { ToolPaths } from "./plan";
import { INTERFACE_NAME, NatBackend } from "./spec";
import type { Toolbox } from "./toolbox";

const POLL_MS = 250;

/** Where each tool comes from, for the "missing" message. */
const INSTALL_HINTS: Record<string, string> = {
    ip: "Debian/Ubuntu: apt-get install iproute2",
    nft: "Debian/Ubuntu: apt-get install nftables",
    dnsmasq: "Debian/Ubuntu: apt-get install dnsmasq-base",
    shorewall: "Debian/Ubuntu: apt-get install shorewall",
};

/** Absolute paths of the tools we use (`command -v` as root); throws listing every missing one. */
export async function findTools(toolbox: Toolbox, natBackend: NatBackend): Promise<ToolPaths> {
    const names = ["ip", "nft", "dnsmasq", "sysctl", "shorewall"];
    const r = await toolbox.mustScript("look for ip, nft, dnsmasq and shorewall",
        'for t in "$@"; do printf "%s=%s\\n" "$t" "$(command -v "$t")"; done', names);
    const found: Record<string, string> = {};
    for (const line of r.stdout.split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0 && line.slice(eq + 1).startsWith("/")) found[line.slice(0, eq)] = line.slice(eq + 1);
    }
    const needed = ["ip", "dnsmasq", natBackend === "nftables" ? "nft" : "shorewall"];
    const missing = needed.filter((t) => !found[t]);
    if (missing.length) throw new GatewayMissingToolError(toolbox.target, missing.map((tool) => ({ tool, install: INSTALL_HINTS[tool] })));
    return { ip: found.ip, nft: found.nft, dnsmasq: found.dnsmasq, sysctl: found.sysctl, shorewall: found.shorewall };
}

export async function listLinks(toolbox: Toolbox): Promise<LinkInfo[]> {
    return parseIpLinks((await toolbox.mustExec("list network interfaces", ["ip", "-o", "link", "show"])).stdout);
}

/**
 * The link whose MAC is `mac`, waiting up to `waitMs` for it to appear.
 * @returns undefined when waitMs is 0 and there is none
 */
export async function findLinkByMac(toolbox: Toolbox, mac: string, waitMs: number): Promise<LinkInfo | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
        const link = (await listLinks(toolbox)).find((l) => l.mac === mac.toLowerCase());
        if (link) {
            if (!INTERFACE_NAME.test(link.name)) {
                throw new GatewayStepError(`use the home interface ${JSON.stringify(link.name)}`, toolbox.target, "ip -o link show", 0,
                    `its name must be letters, digits and _.@+- (at most 15 characters) to be written into nft, Shorewall and dnsmasq files; rename it (ip link set dev NAME name NEWNAME)`);
            }
            return link;
        }
        if (waitMs === 0) return undefined;
        if (Date.now() >= deadline) throw new GatewayTimeoutError(toolbox.target, `a network interface with MAC ${mac} (the home network's VIF) to appear`, waitMs);
        await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    }
}

export async function ipv4AddressesOf(toolbox: Toolbox, iface: string): Promise<string[]> {
    const r = await toolbox.exec(["ip", "-o", "-4", "address", "show", "dev", iface]);
    return r.exitCode === 0 ? parseIpv4Addresses(r.stdout) : [];
}

export async function defaultRouteInterface(toolbox: Toolbox): Promise<string> {
    const r = await toolbox.mustExec("find the default route", ["ip", "-o", "-4", "route", "show", "default"]);
    const dev = parseDefaultRouteInterface(r.stdout);
    if (!dev) {
        throw new GatewayStepError("find the upstream interface (the toolbox has no IPv4 default route)", toolbox.target,
            "ip -o -4 route show default", 0, "no default route; set upstreamInterface");
    }
    return dev;
}

/** The toolbox's own IPv4 resolvers; behind systemd-resolved's stub, its upstream servers. */
export async function systemResolvers(toolbox: Toolbox): Promise<string[]> {
    const main = parseResolvConf((await toolbox.readFile("/etc/resolv.conf")) ?? "");
    if (main.servers.length) return main.servers;
    const resolved = parseResolvConf((await toolbox.readFile("/run/systemd/resolve/resolv.conf")) ?? "");
    if (resolved.servers.length) return resolved.servers;
    throw new GatewayStepError("find the toolbox's DNS servers", toolbox.target, "cat /etc/resolv.conf", 0,
        "no IPv4 nameserver other than loopback in /etc/resolv.conf or /run/systemd/resolve/resolv.conf; set upstreamDns");
}

export async function readIpForward(toolbox: Toolbox): Promise<string> {
    const r = await toolbox.mustExec("read IPv4 forwarding", ["cat", "/proc/sys/net/ipv4/ip_forward"]);
    return r.stdout.trim();
}

export async function writeIpForward(toolbox: Toolbox, value: string): Promise<void> {
    await toolbox.mustScript(`set IPv4 forwarding to ${value}`, 'echo "$1" > /proc/sys/net/ipv4/ip_forward', [value]);
}

export async function runsSystemd(toolbox: Toolbox): Promise<boolean> {
    return (await toolbox.exec(["test", "-d", "/run/systemd/system"])).exitCode === 0;
}

/** "nobody" when dnsmasq's compiled-in user "dnsmasq" does not exist (dnsmasq-base does not create it). */
export async function dnsmasqUser(toolbox: Toolbox): Promise<string | undefined> {
    return (await toolbox.exec(["id", "-u", "dnsmasq"])).exitCode === 0 ? undefined : "nobody";
}

/** `nft list tables` as "family name" strings. */
export async function nftTables(toolbox: Toolbox): Promise<string[]> {
    const r = await toolbox.exec(["nft", "list", "tables"]);
    if (r.exitCode !== 0) return [];
    return r.stdout.split("\n").map((l) => /^table\s+(\S+)\s+(\S+)/.exec(l.trim())).filter((m) => !!m).map((m) => `${m![1]} ${m![2]}`);
}
