/**
 * remove(): deletes exactly what apply() added and restores what it changed, from the record on
 * the toolbox. Every step is tried even when an earlier one fails; the record (and the state
 * directory) are deleted last and only when everything else succeeded, so a failed remove can be
 * run again.
 */
import { stopDnsmasqDirect, systemdRemove } from "./dns";
import { findLinkByMac, ipv4AddressesOf, readIpForward, writeIpForward } from "./discover";
import { GatewayRemoveError, GatewaySpecError } from "./errors";
import { removeNft, removeShorewall } from "./nat";
import { gatewayPaths } from "./plan";
import { readRecord, siblingRecords } from "./record";
import { resolveStateDir, unitNames, validateGatewayFields } from "./spec";
import { GatewayTransport, Toolbox } from "./toolbox";

export interface RemoveTarget {
    /** The lab whose gateway to remove. */
    lab: string;
    /** The state directory given to apply(). @default "/etc/virtual-hypervisor/<lab>" */
    stateDir?: string;
}

export interface RemoveResult {
    /** What was removed or restored, in user terms; empty when nothing was configured. */
    removed: string[];
    summary: string;
}

/** The files apply() may write into the state directory (the record last). */
const OWN_FILES = ["dnsmasq.conf", "hosts", "dnsmasq.pid", "dnsmasq.log", "nftables.nft", "nftables.applied"];

export async function removeGateway(transport: GatewayTransport, target: RemoveTarget): Promise<RemoveResult> {
    const problems = validateGatewayFields({ lab: target.lab, stateDir: target.stateDir });
    if (problems.length) throw new GatewaySpecError(problems);
    const toolbox = await Toolbox.open(transport);
    const paths = gatewayPaths(resolveStateDir(target.lab, target.stateDir), target.lab);
    const where = `toolbox gateway of lab ${target.lab} on ${toolbox.target}`;
    const record = await readRecord(toolbox, paths);
    if (!record) return { removed: [], summary: `${where}: nothing to remove (no record in ${paths.dir})` };

    const removed: string[] = [];
    const failures: Error[] = [];
    const step = async (fn: () => Promise<string | string[] | undefined>) => {
        try {
            const done = await fn();
            if (done) removed.push(...(Array.isArray(done) ? done : [done]));
        } catch (err) {
            failures.push(err as Error);
        }
    };
    const { prior, applied } = record;
    const units = unitNames(target.lab);

    await step(async () => {
        if (applied?.serviceManager === "systemd") {
            await systemdRemove(toolbox, units);
            return "DNS proxy unit and boot unit";
        }
        return (await stopDnsmasqDirect(toolbox, paths)) ? "DNS proxy (dnsmasq)" : undefined;
    });
    await step(async () => (applied?.natBackend === "shorewall"
        ? removeShorewall(toolbox, paths, prior.nftTables)
        : (await removeNft(toolbox, target.lab)) ? "nft table" : undefined));
    const link = applied ? await findLinkByMac(toolbox, applied.homeMac, 0).catch(() => undefined) : undefined;
    if (link && applied) {
        await step(async () => {
            if (prior.homeAddressPresent || !(await ipv4AddressesOf(toolbox, link.name)).includes(applied.gatewayCidr)) return undefined;
            await toolbox.mustExec(`remove the gateway address ${applied.gatewayCidr}`, ["ip", "address", "del", applied.gatewayCidr, "dev", link.name]);
            return `address ${applied.gatewayCidr}`;
        });
        await step(async () => {
            if (prior.homeLinkUp || !link.up) return undefined;
            await toolbox.mustExec(`set ${link.name} down again`, ["ip", "link", "set", "dev", link.name, "down"]);
            return `${link.name} down again`;
        });
    }
    await step(async () => {
        // Another lab on this toolbox still needs forwarding; the last one restores it.
        if ((await siblingRecords(toolbox, paths)).length) return undefined;
        if ((await readIpForward(toolbox)) === prior.ipForward) return undefined;
        await writeIpForward(toolbox, prior.ipForward);
        return `IPv4 forwarding restored to ${prior.ipForward}`;
    });
    await step(async () => {
        const files = [...OWN_FILES, units.dns, units.net].map((f) => `${paths.dir}/${f}`);
        await toolbox.mustScript("delete the gateway's files", 'd="$1"; shift; rm -f -- "$@" && rm -rf -- "$d"', [paths.shorewallDir, ...files]);
        return "configuration files";
    });
    if (failures.length) throw new GatewayRemoveError(toolbox.target, failures, removed);

    await toolbox.mustExec("delete the gateway record", ["rm", "-f", "--", paths.state]);
    const left = await toolbox.exec(["rmdir", "--", paths.dir]);
    if (left.exitCode !== 0) {
        const listing = await toolbox.exec(["ls", "-A", "--", paths.dir]);
        throw new GatewayRemoveError(toolbox.target, [new Error(`the state directory ${paths.dir} was left in place: it holds files we did not write: ${listing.stdout.trim().split("\n").join(", ")}`)], removed);
    }
    removed.push(`state directory ${paths.dir}`);
    if (!prior.parentExisted) await toolbox.exec(["rmdir", "--", paths.parent]);
    return { removed, summary: `${where}: removed ${removed.join(", ")}` };
}
