/**
 * apply(): configures the toolbox as the home network's gateway. Idempotent: every step first
 * looks, and changes only what differs; the result lists what changed (nothing, the second time).
 * The prior state of everything we change is recorded before the first change (record.ts).
 */
import { awaitHostsLoaded, dnsmasqPid, logSize, reloadDnsmasqHosts, startDnsmasqDirect, stopDnsmasqDirect, systemdDns, systemdInstall } from "./dns";
import { ipv4AddressesOf, nftTables, readIpForward, writeIpForward } from "./discover";
import { GatewayStepError } from "./errors";
import { applyNft, applyShorewall, forwardWarnings, assertNoForeignShorewall, removeNft, removeShorewall } from "./nat";
import { GatewayPaths, GatewayPlan } from "./plan";
import { prepare } from "./prepare";
import { AppliedState, GatewayRecord, PriorState, readRecord, RECORD_FORMAT, siblingRecords, writeRecord } from "./record";
import { renderDnsmasqConf, renderHosts, renderNftRuleset } from "./render";
import { renderShorewallFiles } from "./shorewall";
import type { GatewaySpec } from "./spec";
import { unitNames } from "./spec";
import { renderDnsUnit, renderNetUnit } from "./systemd";
import type { GatewayTransport, Toolbox } from "./toolbox";

export interface ApplyResult {
    /** What this call changed, in user terms; empty when the toolbox was already configured. */
    changed: string[];
    /** One line for logs: what changed, or that nothing did. */
    summary: string;
    /** Things on the toolbox that may defeat the gateway (e.g. another firewall dropping forwarded traffic). */
    warnings: string[];
    homeInterface: string;
    upstreamInterface: string;
    upstreamDns: string[];
    /** The gateway's (and DNS proxy's) address, e.g. "192.168.32.1". */
    gatewayAddress: string;
    prefixLength: number;
    natBackend: GatewayPlan["natBackend"];
    serviceManager: GatewayPlan["serviceManager"];
    stateDir: string;
}

export async function applyGateway(transport: GatewayTransport, spec: GatewaySpec): Promise<ApplyResult> {
    const { toolbox, paths, plan, homeLink } = await prepare(transport, spec, true);
    if (!plan || !homeLink) throw new Error("unreachable: prepare() waits for the home interface");
    const changed: string[] = [];
    const cidr = `${plan.gateway.address}/${plan.gateway.prefix}`;

    const addresses = await ipv4AddressesOf(toolbox, plan.homeInterface);
    // Read once: the prior value for a new record, and whether to turn forwarding on below
    // (nothing in between changes it; Shorewall runs with IP_FORWARDING=Keep).
    const ipForward = await readIpForward(toolbox);
    const existing = await readRecord(toolbox, paths);
    // Refuse before the first change, so a refused apply leaves nothing behind.
    if (plan.natBackend === "shorewall") await assertShorewallIsOurs(toolbox, paths, plan, existing?.applied);
    const record = existing ?? await createRecord(toolbox, paths, plan, { ipForward, homeAddressPresent: addresses.includes(cidr), homeLinkUp: homeLink.up }, changed);
    const previous = record.applied;
    if (previous && previous.natBackend !== plan.natBackend) {
        if (previous.natBackend === "nftables" ? await removeNft(toolbox, plan.lab) : (await removeShorewall(toolbox, paths, record.prior.nftTables)).length) {
            changed.push(`${previous.natBackend} NAT removed (backend is now ${plan.natBackend})`);
        }
    }
    record.applied = appliedState(plan, cidr);
    // A new record too is first written here, before any change past its state directory
    // (nothing on the toolbox changes between createRecord and this write).
    await writeRecord(toolbox, paths, record);

    // Files first: nothing below reads a file that is not yet in its final form.
    const confChanged = await sync(toolbox, paths.dnsmasqConf, renderDnsmasqConf(plan), "dnsmasq.conf", changed);
    const hostsChanged = await sync(toolbox, paths.hosts, renderHosts(plan), "hosts list", changed);
    const natFileChanged = await writeNatFiles(toolbox, paths, plan, changed);
    let unitsChanged = false;
    if (plan.serviceManager === "systemd") {
        unitsChanged = await sync(toolbox, paths.dnsUnit, renderDnsUnit(plan), "systemd unit files", changed);
        unitsChanged = await sync(toolbox, paths.netUnit, renderNetUnit(plan), "systemd unit files", changed) || unitsChanged;
    }

    // The home address (an old one first, if the CIDR changed and it was ours).
    if (previous && previous.gatewayCidr !== cidr && !record.prior.homeAddressPresent && addresses.includes(previous.gatewayCidr)) {
        await toolbox.mustExec(`remove the old gateway address ${previous.gatewayCidr}`, ["ip", "address", "del", previous.gatewayCidr, "dev", plan.homeInterface]);
        changed.push(`old address ${previous.gatewayCidr} removed`);
    }
    const addressAdded = !addresses.includes(cidr);
    if (addressAdded) {
        await toolbox.mustExec(`add the gateway address ${cidr} to ${plan.homeInterface}`, ["ip", "address", "add", cidr, "dev", plan.homeInterface]);
        changed.push(`address ${cidr} on ${plan.homeInterface}`);
    }
    if (!homeLink.up) {
        await toolbox.mustExec(`bring ${plan.homeInterface} up`, ["ip", "link", "set", "dev", plan.homeInterface, "up"]);
        changed.push(`${plan.homeInterface} up`);
    }
    if (ipForward !== "1") {
        await writeIpForward(toolbox, "1");
        changed.push("IPv4 forwarding on");
    }

    const warnings: string[] = [];
    if (plan.natBackend === "nftables") {
        if (await applyNft(toolbox, plan.lab, paths, natFileChanged)) changed.push("NAT (nft table loaded)");
        warnings.push(...await forwardWarnings(toolbox, plan.lab, plan.homeInterface, plan.upstreamInterface));
    } else if (await applyShorewall(toolbox, paths, plan.tools.shorewall!, natFileChanged)) {
        changed.push("NAT (Shorewall started)");
    }

    const dns = await applyDns(toolbox, paths, plan, { confChanged, hostsChanged, addressAdded, unitsChanged });
    if (dns) changed.push(dns);

    const where = `toolbox gateway of lab ${plan.lab} on ${toolbox.target}`;
    return {
        changed,
        summary: changed.length ? `${where}: ${changed.join("; ")}` : `${where}: already configured, nothing changed`,
        warnings,
        homeInterface: plan.homeInterface,
        upstreamInterface: plan.upstreamInterface,
        upstreamDns: plan.upstreamDns,
        gatewayAddress: plan.gateway.address,
        prefixLength: plan.gateway.prefix,
        natBackend: plan.natBackend,
        serviceManager: plan.serviceManager,
        stateDir: plan.stateDir,
    };
}

function appliedState(plan: GatewayPlan, cidr: string): AppliedState {
    return {
        natBackend: plan.natBackend, serviceManager: plan.serviceManager, homeMac: plan.homeMac, homeInterface: plan.homeInterface,
        upstreamInterface: plan.upstreamInterface, upstreamDns: plan.upstreamDns, gatewayCidr: cidr, hostCount: plan.hosts.length,
    };
}

async function sync(toolbox: Toolbox, path: string, content: string, what: string, changed: string[]): Promise<boolean> {
    const wrote = await toolbox.syncFile(path, content);
    if (wrote && !changed.includes(what)) changed.push(what);
    return wrote;
}

/**
 * Makes the state directory and returns the record of prior state (kept as is afterwards), which
 * the caller writes before any other change. `found`: what the caller read before changing anything.
 */
async function createRecord(
    toolbox: Toolbox, paths: GatewayPaths, plan: GatewayPlan, found: Pick<PriorState, "ipForward" | "homeAddressPresent" | "homeLinkUp">, changed: string[],
): Promise<GatewayRecord> {
    const parentExisted = (await toolbox.exec(["test", "-d", paths.parent])).exitCode === 0;
    await toolbox.mustExec(`create the state directory ${paths.dir}`, ["mkdir", "-p", "-m", "0755", paths.dir]);
    // Another lab on this toolbox already turned forwarding on: the value to restore is the one it recorded.
    const siblings = await siblingRecords(toolbox, paths);
    const record: GatewayRecord = {
        format: RECORD_FORMAT,
        lab: plan.lab,
        prior: {
            ipForward: siblings[0]?.prior.ipForward ?? found.ipForward,
            homeAddressPresent: found.homeAddressPresent,
            homeLinkUp: found.homeLinkUp,
            nftTables: await nftTables(toolbox),
            parentExisted,
        },
    };
    changed.push(`state directory ${paths.dir}`);
    return record;
}

async function assertShorewallIsOurs(toolbox: Toolbox, paths: GatewayPaths, plan: GatewayPlan, previous: AppliedState | undefined): Promise<void> {
    if (previous?.natBackend !== "shorewall") await assertNoForeignShorewall(toolbox, plan.tools.shorewall!);
    const other = (await siblingRecords(toolbox, paths)).find((r) => r.applied?.natBackend === "shorewall");
    if (other) {
        throw new GatewayStepError("use Shorewall for NAT", toolbox.target, "shorewall", 0,
            `lab ${other.lab} already runs Shorewall on this toolbox, and Shorewall is one firewall per host; use natBackend "nftables" for lab ${plan.lab}`);
    }
}

async function writeNatFiles(toolbox: Toolbox, paths: GatewayPaths, plan: GatewayPlan, changed: string[]): Promise<boolean> {
    if (plan.natBackend === "nftables") return sync(toolbox, paths.nft, renderNftRuleset(plan), "NAT rules file", changed);
    await toolbox.mustExec("create the Shorewall configuration directory", ["mkdir", "-p", "-m", "0755", paths.shorewallDir]);
    let any = false;
    for (const [name, content] of Object.entries(renderShorewallFiles(plan))) {
        any = await sync(toolbox, `${paths.shorewallDir}/${name}`, content, "Shorewall configuration", changed) || any;
    }
    return any;
}

async function applyDns(
    toolbox: Toolbox, paths: GatewayPaths, plan: GatewayPlan,
    c: { confChanged: boolean; hostsChanged: boolean; addressAdded: boolean; unitsChanged: boolean },
): Promise<string | undefined> {
    const pid = await dnsmasqPid(toolbox, paths);
    const restart = c.confChanged || c.addressAdded || c.unitsChanged;
    if (plan.serviceManager === "systemd") {
        const units = unitNames(plan.lab);
        if (c.unitsChanged) await systemdInstall(toolbox, { dnsFile: paths.dnsUnit, netFile: paths.netUnit, ...units });
        const action = pid === undefined ? "start" : restart ? "restart" : c.hostsChanged ? "reload" : undefined;
        if (!action) return undefined;
        const offset = await logSize(toolbox, paths);
        await systemdDns(toolbox, units.dns, action);
        await awaitHostsLoaded(toolbox, paths, offset);
        return { start: "DNS proxy started", restart: "DNS proxy restarted", reload: "DNS proxy re-read the hosts list" }[action];
    }
    if (pid === undefined) {
        await startDnsmasqDirect(toolbox, paths, plan.tools.dnsmasq);
        return "DNS proxy started";
    }
    if (restart) {
        await stopDnsmasqDirect(toolbox, paths);
        await startDnsmasqDirect(toolbox, paths, plan.tools.dnsmasq);
        return "DNS proxy restarted";
    }
    if (c.hostsChanged) {
        await reloadDnsmasqHosts(toolbox, paths, pid);
        return "DNS proxy re-read the hosts list";
    }
    return undefined;
}
