/**
 * Leak sweep for tests: every object on a (simulated) host that carries our ownership tag
 * (other-config:vh-managed-by=virtual-hypervisor) — VMs, VDIs, VBDs, VIFs, networks, SRs — plus
 * VMs and VDIs whose name-label starts with one of the given names (an untagged leftover of an
 * interrupted create, e.g. "vh0 - created (Step 1 of 3)" or "vh0 system disk"). Tests assert the
 * result is empty after a failed or finished operation; objects a test keeps on purpose (its
 * network, its ISO library) are listed in `allow`.
 *
 * sweep() asks the host through xe (any host); sweepState() reads a simulated host's database
 * directly, the same objects without spawning xe six times (for tests that sweep hundreds of times).
 */
import { parseMap, XeClient } from "../../provider/xe";
import { loadDb } from "../../sim";

export interface SweepOptions {
    /** Name-label prefixes of VMs and VDIs that must not exist. @default [] */
    names?: string[];
    /** uuids that may remain (objects the test still uses). @default [] */
    allow?: string[];
}

const TAG = { "other-config": { "vh-managed-by": "virtual-hypervisor" } };

/** Descriptions of leaked objects ("vm 1234… (vh0 - created (Step 1 of 3))"); empty when clean. */
export async function sweep(xe: XeClient, options: SweepOptions = {}): Promise<string[]> {
    const names = options.names ?? [];
    const allow = new Set(options.allow ?? []);
    const named = (label: string | undefined) => names.some((n) => (label ?? "").startsWith(n));
    const [vms, vdis, vbds, vifs, networks, srs] = await Promise.all([
        xe.list("vm", {}, ["uuid", "name-label", "other-config"]),
        xe.list("vdi", {}, ["uuid", "name-label", "other-config"]),
        xe.list("vbd", TAG, ["uuid", "vm-name-label"]),
        xe.list("vif", TAG, ["uuid", "vm-name-label"]),
        xe.list("network", TAG, ["uuid", "name-label"]),
        xe.list("sr", TAG, ["uuid", "name-label"]),
    ]);
    const ours = (oc: string | undefined) => parseMap(oc ?? "")["vh-managed-by"] === "virtual-hypervisor";
    const leaks: string[] = [
        ...vms.filter((v) => ours(v["other-config"]) || named(v["name-label"])).map((v) => ["vm", v.uuid, v["name-label"]]),
        ...vdis.filter((v) => ours(v["other-config"]) || named(v["name-label"])).map((v) => ["vdi", v.uuid, v["name-label"]]),
        ...vbds.map((v) => ["vbd", v.uuid, `of ${v["vm-name-label"]}`]),
        ...vifs.map((v) => ["vif", v.uuid, `of ${v["vm-name-label"]}`]),
        ...networks.map((v) => ["network", v.uuid, v["name-label"]]),
        ...srs.map((v) => ["sr", v.uuid, v["name-label"]]),
    ].filter(([, uuid]) => !allow.has(uuid)).map(([kind, uuid, label]) => `${kind} ${uuid} (${label})`);
    return leaks;
}

/** sweep() for a simulated host, from its state directory's database. */
export function sweepState(stateDir: string, options: SweepOptions = {}): string[] {
    const db = loadDb(stateDir);
    if (!db) return [];
    const names = options.names ?? [];
    const allow = new Set(options.allow ?? []);
    const ours = (oc: Record<string, string> | undefined) => oc?.["vh-managed-by"] === "virtual-hypervisor";
    const named = (label: string | undefined) => names.some((n) => (label ?? "").startsWith(n));
    const vmName = (ref: string) => db.vm[ref]?.name_label ?? "?";
    const leaks: string[][] = [
        ...Object.values(db.vm).filter((v) => ours(v.other_config) || named(v.name_label)).map((v) => ["vm", v.uuid, v.name_label]),
        ...Object.values(db.vdi).filter((v) => ours(v.other_config) || named(v.name_label)).map((v) => ["vdi", v.uuid, v.name_label]),
        ...Object.values(db.vbd).filter((v) => ours(v.other_config)).map((v) => ["vbd", v.uuid, `of ${vmName(v.VM)}`]),
        ...Object.values(db.vif).filter((v) => ours(v.other_config)).map((v) => ["vif", v.uuid, `of ${vmName(v.VM)}`]),
        ...Object.values(db.network).filter((v) => ours(v.other_config)).map((v) => ["network", v.uuid, v.name_label]),
        ...Object.values(db.sr).filter((v) => ours(v.other_config)).map((v) => ["sr", v.uuid, v.name_label]),
    ];
    return leaks.filter(([, uuid]) => !allow.has(uuid)).map(([kind, uuid, label]) => `${kind} ${uuid} (${label})`);
}
