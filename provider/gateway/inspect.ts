/**
 * inspect(): compares the toolbox with what apply() would make of `spec`, without changing
 * anything. Each difference is one drift item: the home interface or its address gone, the link
 * down, forwarding off, the NAT table missing or edited, dnsmasq not running, a file (the hosts
 * list, the DNS or NAT configuration) different from what the spec renders to.
 */
import { dnsmasqPid } from "./dns";
import { ipv4AddressesOf, readIpForward } from "./discover";
import { inspectNft, inspectShorewall } from "./nat";
import { prepare } from "./prepare";
import { readRecord } from "./record";
import { renderDnsmasqConf, renderHosts, renderNftRuleset } from "./render";
import { renderShorewallFiles } from "./shorewall";
import type { GatewaySpec } from "./spec";
import type { GatewayTransport } from "./toolbox";

export interface DriftItem {
    /** What drifted, in user terms, e.g. "hosts list". */
    item: string;
    expected: string;
    actual: string;
}

export interface InspectResult {
    /** A gateway record exists on the toolbox (apply ran and remove did not). */
    configured: boolean;
    drift: DriftItem[];
    /** The interface with the home MAC, when present. */
    homeInterface?: string;
    summary: string;
}

export async function inspectGateway(transport: GatewayTransport, spec: GatewaySpec): Promise<InspectResult> {
    const { toolbox, paths, plan, homeLink } = await prepare(transport, spec, false);
    const drift: DriftItem[] = [];
    const where = `toolbox gateway of lab ${spec.lab} on ${toolbox.target}`;
    const record = await readRecord(toolbox, paths);
    if (!record) {
        drift.push({ item: "gateway record", expected: paths.state, actual: "missing (never applied, or removed)" });
        return { configured: false, drift, homeInterface: homeLink?.name, summary: `${where}: not configured` };
    }
    if (!plan || !homeLink) {
        drift.push({ item: "home interface", expected: `an interface with MAC ${spec.homeMac}`, actual: "none" });
    } else {
        const cidr = `${plan.gateway.address}/${plan.gateway.prefix}`;
        const addresses = await ipv4AddressesOf(toolbox, plan.homeInterface);
        if (!addresses.includes(cidr)) drift.push({ item: "home address", expected: `${cidr} on ${plan.homeInterface}`, actual: addresses.join(", ") || "no IPv4 address" });
        if (!homeLink.up) drift.push({ item: "home interface state", expected: `${plan.homeInterface} up`, actual: "down" });
        const file = async (item: string, path: string, content: string) => {
            const actual = await toolbox.readFile(path);
            if (actual !== content) drift.push({ item, expected: `${path} as rendered from the settings`, actual: actual === undefined ? "missing" : "different content" });
        };
        await file("hosts list", paths.hosts, renderHosts(plan));
        await file("DNS proxy configuration", paths.dnsmasqConf, renderDnsmasqConf(plan));
        if (plan.natBackend === "nftables") {
            await file("NAT rules file", paths.nft, renderNftRuleset(plan));
        } else {
            for (const [name, content] of Object.entries(renderShorewallFiles(plan))) await file(`Shorewall ${name}`, `${paths.shorewallDir}/${name}`, content);
        }
    }
    const forward = await readIpForward(toolbox);
    if (forward !== "1") drift.push({ item: "IPv4 forwarding", expected: "1", actual: forward });
    const backend = record.applied?.natBackend ?? spec.natBackend ?? "nftables";
    const nat = backend === "nftables" ? await inspectNft(toolbox, spec.lab, paths) : await inspectShorewall(toolbox, paths);
    if (!nat.ok) drift.push({ item: "NAT", expected: `${backend} NAT of the home network active`, actual: nat.problem ?? "not active" });
    if ((await dnsmasqPid(toolbox, paths)) === undefined) {
        drift.push({ item: "DNS proxy", expected: `dnsmasq running with ${paths.dnsmasqConf}`, actual: "not running" });
    }
    return {
        configured: true,
        drift,
        homeInterface: homeLink?.name,
        summary: drift.length ? `${where}: ${drift.map((d) => `${d.item}: expected ${d.expected}, found ${d.actual}`).join("; ")}` : `${where}: as applied, no drift`,
    };
}
