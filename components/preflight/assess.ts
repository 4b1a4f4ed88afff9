/**
 * The pre-flight's judgement, pure: what the lab needs beyond what it already has on the host
 * (pinned memory of every hypervisor to create or grow, system disks on the default SR, ISO space
 * in dom0), compared with what the host has, as a need / have / short table; the problems that
 * stop the lab (toolbox VM, home network, source ISO); the time the installs will take with
 * maxParallelInstalls at once, and what the whole lab costs the host.
 */
import { formatBytes } from "../../provider/resources/remasteredIso/format";
import { GiB, startFootprintBytes } from "../../provider/resources/nestedHypervisor/preflight";
import type { LabPlan } from "../plan";

export { GiB };

/** What the host has, as the probe found it. */
export interface LabHostFacts {
    /** "root@host:port", for messages. */
    target: string;
    memoryFreeBytes: number;
    defaultSr?: { uuid: string; nameLabel: string; freeBytes: number };
    isoLibrary: { directory: string; freeBytes: number };
    /** Hypervisor VMs of ours already on the host, by name-label (vh-key). */
    existing: Record<string, { powerState: string; memoryBytes: number; vcpus: number; diskBytes?: number }>;
    /** VMs matching the toolbox reference. */
    toolbox: Array<{ uuid: string; nameLabel: string; powerState: string }>;
    /** Networks matching an existing home network's reference (undefined when the lab creates its own). */
    homeNetworks?: Array<{ uuid: string; nameLabel: string }>;
}

/** The installer ISO on the machine running Pulumi. */
export interface LocalIso {
    path: string;
    /** Size in bytes; undefined when there is no such file. */
    sizeBytes?: number;
}

export interface PreflightRow {
    what: string;
    needBytes: number;
    haveBytes: number;
    shortBytes: number;
}

/** What the whole lab holds on the host once built. */
export interface LabCost {
    hypervisors: number;
    /** Sum of the hypervisors' memory, all of it pinned. */
    memoryGiB: number;
    /** Memory the host must have free to start them all (memory plus Xen's per-VM overhead). */
    pinnedMemoryBytes: number;
    vcpus: number;
    diskGiB: number;
    /** One remastered ISO per hypervisor in dom0's ISO library (an estimate: source ISO size plus a margin). */
    isoBytes: number;
}

export interface TimeEstimate {
    /** Hypervisors to install in this run. */
    installs: number;
    /** Installs at once. */
    parallel: number;
    /** Rounds of installs: ceil(installs / parallel). */
    rounds: number;
    minutes: number;
}

export interface PreflightReport {
    target: string;
    fits: boolean;
    rows: PreflightRow[];
    problems: string[];
    time: TimeEstimate;
    cost: LabCost;
    /** The toolbox VM's uuid, when found exactly once. */
    toolboxVmUuid?: string;
    /** The uuid of an existing home network, when the lab uses one and it was found exactly once. */
    homeNetworkUuid?: string;
}

/** Room beyond the source ISO's size per remastered ISO (answer file and scripts added to install.img). */
export const ISO_MARGIN_BYTES = 64 * 1024 * 1024;

export function labCost(plan: LabPlan, iso: LocalIso): LabCost {
    const hv = plan.hypervisors;
    return {
        hypervisors: hv.length,
        memoryGiB: hv.reduce((s, h) => s + h.memoryGiB, 0),
        pinnedMemoryBytes: hv.reduce((s, h) => s + startFootprintBytes(h.memoryGiB, h.vcpus), 0),
        vcpus: hv.reduce((s, h) => s + h.vcpus, 0),
        diskGiB: hv.reduce((s, h) => s + h.diskGiB, 0),
        isoBytes: hv.length * ((iso.sizeBytes ?? 0) + ISO_MARGIN_BYTES),
    };
}

const RUNNING = new Set(["running", "paused"]);

export function assessLab(plan: LabPlan, facts: LabHostFacts, iso: LocalIso): PreflightReport {
    const problems: string[] = [];
    let memoryNeed = 0;
    let diskNeed = 0;
    let isoCount = 0;
    let installs = 0;
    for (const h of plan.hypervisors) {
        const found = facts.existing[h.nameLabel];
        const footprint = startFootprintBytes(h.memoryGiB, h.vcpus);
        // A running VM of this lab already holds its memory: only growth counts. A halted one holds none.
        const held = found && RUNNING.has(found.powerState) ? startFootprintBytes(found.memoryBytes / GiB, found.vcpus) : 0;
        memoryNeed += Math.max(0, footprint - held);
        diskNeed += Math.max(0, h.diskGiB * GiB - (found?.diskBytes ?? 0));
        if (!found) {
            installs++;
            isoCount++;
        }
    }
    const isoEach = (iso.sizeBytes ?? 0) + ISO_MARGIN_BYTES;
    const rows: PreflightRow[] = [
        row(`pinned memory (${plural(plan.hypervisors.length, "hypervisor")}, ${installs} new)`, memoryNeed, facts.memoryFreeBytes),
        row(facts.defaultSr ? `disks on the default SR "${facts.defaultSr.nameLabel}"` : "disks on the default SR (none set)", diskNeed, facts.defaultSr?.freeBytes ?? 0),
        row(`ISO space in ${facts.isoLibrary.directory} (${plural(isoCount, "new ISO")})`, isoCount * isoEach, facts.isoLibrary.freeBytes),
    ];
    for (const r of rows.filter((x) => x.shortBytes > 0)) problems.push(`${r.what}: ${formatBytes(r.shortBytes)} short`);
    if (!facts.defaultSr && diskNeed > 0) problems.push("the pool has no default SR for the hypervisors' disks; set one: xe pool-param-set uuid=<pool> default-SR=<sr uuid>");
    if (iso.sizeBytes === undefined) problems.push(`sourceIso: no file at ${JSON.stringify(iso.path)} on this machine`);

    let toolboxVmUuid: string | undefined;
    if (facts.toolbox.length === 0) {
        problems.push(`toolbox.vm: no VM named or with uuid ${JSON.stringify(plan.toolboxVm)} on ${facts.target}`);
    } else if (facts.toolbox.length > 1) {
        problems.push(`toolbox.vm: ${facts.toolbox.length} VMs are named ${JSON.stringify(plan.toolboxVm)} on ${facts.target} (${facts.toolbox.map((t) => t.uuid).join(", ")}); give the toolbox's uuid`);
    } else if (facts.toolbox[0].powerState !== "running") {
        problems.push(`toolbox.vm: the toolbox VM ${facts.toolbox[0].nameLabel} (${facts.toolbox[0].uuid}) is ${facts.toolbox[0].powerState}; start it: xe vm-start uuid=${facts.toolbox[0].uuid}`);
    } else {
        toolboxVmUuid = facts.toolbox[0].uuid;
    }

    let homeNetworkUuid: string | undefined;
    if (facts.homeNetworks) {
        if (facts.homeNetworks.length === 1) homeNetworkUuid = facts.homeNetworks[0].uuid;
        else if (facts.homeNetworks.length === 0) problems.push(`home.network: no network named or with uuid ${JSON.stringify(plan.home.existing)} on ${facts.target}`);
        else problems.push(`home.network: ${facts.homeNetworks.length} networks are named ${JSON.stringify(plan.home.existing)} on ${facts.target} (${facts.homeNetworks.map((n) => n.uuid).join(", ")}); give its uuid`);
    }

    const parallel = plan.maxParallelInstalls;
    const rounds = Math.ceil(installs / parallel);
    return {
        target: facts.target,
        fits: problems.length === 0,
        rows,
        problems,
        time: { installs, parallel, rounds, minutes: rounds * plan.estimatedInstallMinutes },
        cost: labCost(plan, iso),
        toolboxVmUuid,
        homeNetworkUuid,
    };
}

function plural(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function row(what: string, need: number, have: number): PreflightRow {
    return { what, needBytes: need, haveBytes: have, shortBytes: Math.max(0, need - have) };
}

/** The need / have / short table and the time estimate, as the pre-flight prints it. */
export function formatReport(report: Pick<PreflightReport, "rows" | "time">): string {
    const cells = [["", "need", "have", "short"], ...report.rows.map((r) => [r.what, formatBytes(r.needBytes), formatBytes(r.haveBytes), r.shortBytes > 0 ? formatBytes(r.shortBytes) : "-"])];
    const widths = [0, 1, 2, 3].map((c) => Math.max(...cells.map((r) => r[c].length)));
    const lines = cells.map((r) => `  ${r[0].padEnd(widths[0])}  ${r.slice(1).map((v, i) => v.padStart(widths[i + 1])).join("  ")}`.trimEnd());
    const t = report.time;
    lines.push(t.installs === 0
        ? "  time: nothing to install"
        : `  time: ${t.installs} install${t.installs === 1 ? "" : "s"}, ${t.parallel} at once: ${t.rounds} round${t.rounds === 1 ? "" : "s"} ≈ ${t.minutes} min`);
    return lines.join("\n");
}
