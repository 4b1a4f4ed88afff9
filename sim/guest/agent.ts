/**
 * The guest agent of a simulated VM whose OS has PV tools (VmRec.guest_tools, see ./tools): what it
 * writes into the domain's xenstore while the VM runs, and the VM_guest_metrics record xapi builds
 * from that (xapi_guest_agent.ml get_initial_guest_metrics / create_and_set_guest_metrics).
 *
 * A real agent reports a few seconds after the guest boots; simulated guests boot at once, so the
 * report happens when the domain is created and again whenever the guest's NICs change (a VIF
 * hot-plugged or unplugged), which is when a real agent's networks map changes.
 */
import { newUuid } from "../model/ids";
import type { Db, GuestMetrics, GuestTools, Ref, StrMap, VmRec } from "../model/types";

/** Xapi_pv_driver_version.get_drivers_version: PV drivers are "known" when major and minor parse as ints. */
export function hasPvDrivers(m: GuestMetrics | null | undefined): boolean {
    const isInt = (v: string | undefined) => v !== undefined && /^[+-]?\d+$/.test(v);
    return !!m && isInt(m.pvDriversVersion.major) && isInt(m.pvDriversVersion.minor);
}

/** Device numbers of the VM's attached VIFs, ascending. */
function attachedVifDevices(db: Db, ref: Ref): string[] {
    return Object.values(db.vif).filter((v) => v.VM === ref && v.currently_attached)
        .map((v) => v.device).sort((a, b) => Number(a) - Number(b));
}

/**
 * xapi_guest_agent.networks over attr/vif/<device>/ipv4/0: each NIC with an address gives
 * "<device>/ip" and "<device>/ipv4/0". find_vifs conses over the (sorted) xenstore listing, so the
 * highest device comes first.
 */
function networksOf(db: Db, ref: Ref, tools: GuestTools): StrMap {
    const out: StrMap = {};
    for (const device of attachedVifDevices(db, ref).reverse()) {
        const ip = tools.ipv4[device];
        if (ip === undefined) continue;
        out[`${device}/ip`] = ip;
        out[`${device}/ipv4/0`] = ip;
    }
    return out;
}

/**
 * pv_drivers_version gets micro = -1 in front when the agent wrote no micro version (to avoid
 * breaking older agents' reports).
 */
function driversVersion(tools: GuestTools): StrMap {
    const v = { ...tools.pvDriversVersion };
    return Object.keys(v).length === 0 || "micro" in v ? v : { micro: "-1", ...v };
}

/** The guest agent of a running VM with tools reports: VM.guest_metrics is (re)created from what it wrote. */
export function reportGuestAgent(db: Db, ref: Ref, at: number): void {
    const vm = db.vm[ref];
    const tools = vm?.guest_tools;
    if (!vm || !tools || vm.power_state !== "running") return;
    const metrics: GuestMetrics = {
        uuid: vm.guest_metrics?.live ? vm.guest_metrics.uuid : newUuid(),
        osVersion: { ...tools.osVersion },
        pvDriversVersion: driversVersion(tools),
        // xenopsd sees the PV frontends connected when the guest runs its PV drivers.
        pvDriversDetected: true,
        networks: networksOf(db, ref, tools),
        other: { ...tools.other },
        canUseHotplugVbd: tools.hotplugVbd,
        canUseHotplugVif: tools.hotplugVif,
        live: true,
        lastUpdated: at,
    };
    vm.guest_metrics = metrics;
}

/**
 * A new domain: xapi drops the VM's stale guest metrics (VM.start's delete_guest_metrics, and
 * update_vm for metrics older than the domain's start time); a guest with tools reports again.
 */
export function guestDomainStarted(db: Db, ref: Ref, at: number): void {
    const vm = db.vm[ref];
    if (!vm) return;
    vm.guest_metrics = null;
    reportGuestAgent(db, ref, at);
}

/** The domain is gone: its agent no longer reports; the last metrics stay on the VM until it starts again. */
export function guestDomainGone(vm: VmRec): void {
    if (vm.guest_metrics) vm.guest_metrics = { ...vm.guest_metrics, live: false };
}

/**
 * The xenstore keys the agent (and the guest kernel's control/feature-* writers) put under the
 * domain's home path, relative to it; the inverse of the maps xapi_guest_agent.ml reads.
 */
export function guestXenstoreKeys(db: Db, ref: Ref): Array<[string, string]> {
    const vm = db.vm[ref];
    const tools = vm?.guest_tools;
    if (!vm || !tools || vm.power_state === "halted") return [];
    const keys: Array<[string, string]> = [];
    const osKeys: StrMap = { name: "data/os_name", uname: "data/os_uname", distro: "data/os_distro", major: "data/os_majorver", minor: "data/os_minorver" };
    for (const [k, v] of Object.entries(tools.osVersion)) if (osKeys[k]) keys.push([osKeys[k], v]);
    const pvKeys: StrMap = { major: "attr/PVAddons/MajorVersion", minor: "attr/PVAddons/MinorVersion", micro: "attr/PVAddons/MicroVersion", build: "attr/PVAddons/BuildVersion" };
    for (const [k, v] of Object.entries(tools.pvDriversVersion)) if (pvKeys[k]) keys.push([pvKeys[k], v]);
    for (const device of attachedVifDevices(db, ref)) {
        const ip = tools.ipv4[device];
        if (ip !== undefined) keys.push([`attr/vif/${device}/ipv4/0`, ip]);
    }
    for (const [k, v] of Object.entries(tools.other)) keys.push([`control/${k}`, v]);
    const flag = { yes: "1", no: "0", unspecified: null } as const;
    if (flag[tools.hotplugVbd] !== null) keys.push(["feature/hotplug/vbd", flag[tools.hotplugVbd]!]);
    if (flag[tools.hotplugVif] !== null) keys.push(["feature/hotplug/vif", flag[tools.hotplugVif]!]);
    return keys;
}
