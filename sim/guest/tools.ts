/**
 * Guests with PV drivers: the simulator's convention.
 *
 * On a real XenServer a guest "has PV drivers" when its OS runs the PV drivers and the guest agent
 * (XenServer VM Tools for Linux / xe-guest-utilities, or the Windows tools). The agent writes
 * data/os_*, attr/PVAddons/*, attr/vif/<n>/ipv4/0, control/feature-* and feature/hotplug/* into the
 * domain's xenstore, and xapi turns them into the VM's guest metrics: os-version,
 * PV-drivers-version, PV-drivers-detected, networks, other, can-use-hotplug-vbd/-vif
 * (xapi_guest_agent.ml). Only then may VIFs and VBDs be hot-plugged into a running HVM guest
 * (xapi_vif_helpers.ml / xapi_vbd_helpers.ml valid_operations; without them: VM_MISSING_PV_DRIVERS).
 *
 * Simulated guests run no OS, so "this VM's OS has the tools" is a simulator-private property of
 * the VM: `guest_tools` next to its record in state.json, set from the host side with
 * markGuestPvDrivers(stateDir, vmUuid[, options]) (by tests, or by `vh sim` for a pre-made
 * toolbox). No xe field or parameter exposes it, so a client cannot tell a simulated VM with tools
 * from a real one. It persists like an installed OS: while the VM runs, the guest reports at once
 * (sim/guest/agent.ts): the VM shows guest metrics, xenstore-ls shows the agent's keys, and hot-plug
 * is allowed; after a halt the VM keeps its stale metrics (live false) until it starts again.
 */
import * as fs from "node:fs";
import { withLock } from "../model/lock";
import { loadDb, saveDb } from "../model/store";
import type { GuestTools, Ref, StrMap, Tristate } from "../model/types";
import { reportGuestAgent } from "./agent";

/**
 * What a Debian 12 guest with XenServer VM Tools for Linux 8.4 reports (the map shapes follow
 * public `xe vm-param-list` output of Linux guests; the exact values are illustrative).
 */
export const DEFAULT_GUEST_TOOLS: GuestTools = {
    osVersion: { name: "Debian GNU/Linux 12 (bookworm)", uname: "6.1.0-28-amd64", distro: "debian", major: "12", minor: "8" },
    pvDriversVersion: { major: "8", minor: "4", micro: "0", build: "1" },
    other: {
        "feature-poweroff": "1", "feature-reboot": "1", "feature-suspend": "1", "feature-vcpu-hotplug": "1", "feature-balloon": "1",
        "has-vendor-device": "0", "platform-feature-multiprocessor-suspend": "1", "platform-feature-xs_reset_watches": "1",
    },
    hotplugVbd: "yes",
    hotplugVif: "yes",
    ipv4: {},
};

export interface GuestToolsOptions {
    /** os-version map (data/os_*). @default DEFAULT_GUEST_TOOLS.osVersion (Debian 12) */
    osVersion?: StrMap;
    /** PV-drivers-version map (attr/PVAddons/*); {} reports no version. @default DEFAULT_GUEST_TOOLS.pvDriversVersion */
    pvDriversVersion?: StrMap;
    /** The other map (control/*). @default DEFAULT_GUEST_TOOLS.other */
    other?: StrMap;
    /** feature/hotplug/vbd: "yes", "no" (hot-plug refused) or "unspecified" (key absent). @default "yes" */
    hotplugVbd?: Tristate;
    /** feature/hotplug/vif, as hotplugVbd. @default "yes" */
    hotplugVif?: Tristate;
    /** IPv4 address of the guest's NIC per VIF device number, e.g. { "0": "10.0.0.5" }; shown in networks. @default {} */
    ipv4?: StrMap;
}

export class GuestToolsError extends Error {
    override name = "GuestToolsError";
}

const TRISTATES: Tristate[] = ["yes", "no", "unspecified"];
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function validate(vmUuid: string, o: GuestToolsOptions): void {
    const problems: string[] = [];
    for (const key of ["hotplugVbd", "hotplugVif"] as const) {
        if (o[key] !== undefined && !TRISTATES.includes(o[key]!)) problems.push(`${key} must be one of ${TRISTATES.join(", ")}, got ${JSON.stringify(o[key])}`);
    }
    for (const key of ["osVersion", "pvDriversVersion", "other", "ipv4"] as const) {
        const m = o[key];
        if (m !== undefined && (typeof m !== "object" || m === null || Object.values(m).some((v) => typeof v !== "string"))) {
            problems.push(`${key} must map names to strings, got ${JSON.stringify(m)}`);
        }
    }
    for (const [device, ip] of Object.entries(o.ipv4 ?? {})) {
        if (!/^\d+$/.test(device)) problems.push(`ipv4 keys must be VIF device numbers, got ${JSON.stringify(device)}`);
        if (typeof ip === "string" && !IPV4.test(ip)) problems.push(`ipv4[${device}] must be an IPv4 address, got ${JSON.stringify(ip)}`);
    }
    if (problems.length) throw new GuestToolsError(`invalid guest tools for VM ${vmUuid}: ${problems.join("; ")}`);
}

/**
 * Gives the guest OS of VM `vmUuid` PV drivers and a guest agent (see the convention above), or
 * takes them away with `options` null. A running VM reports at once; a halted one when it starts.
 * @param options what the agent reports. @default {} - DEFAULT_GUEST_TOOLS
 */
export function markGuestPvDrivers(stateDir: string, vmUuid: string, options: GuestToolsOptions | null = {}): void {
    if (options !== null) validate(vmUuid, options);
    if (!fs.existsSync(stateDir)) throw new GuestToolsError(`no simulated host in ${stateDir}`);
    withLock(stateDir, () => {
        const db = loadDb(stateDir);
        if (!db) throw new GuestToolsError(`no simulated host in ${stateDir}`);
        const entry = Object.entries(db.vm).find(([, v]) => v.uuid === vmUuid);
        if (!entry) throw new GuestToolsError(`no VM with uuid ${vmUuid} on the simulated host in ${stateDir}`);
        const [ref, vm]: [Ref, (typeof db.vm)[string]] = entry;
        if (vm.is_a_template || vm.is_control_domain) {
            throw new GuestToolsError(`VM ${vmUuid} (${vm.name_label}) is a ${vm.is_a_template ? "template" : "control domain"}: only guests run PV tools`);
        }
        if (options === null) {
            vm.guest_tools = null;
        } else {
            const d = DEFAULT_GUEST_TOOLS;
            vm.guest_tools = {
                osVersion: { ...(options.osVersion ?? d.osVersion) },
                pvDriversVersion: { ...(options.pvDriversVersion ?? d.pvDriversVersion) },
                other: { ...(options.other ?? d.other) },
                hotplugVbd: options.hotplugVbd ?? d.hotplugVbd,
                hotplugVif: options.hotplugVif ?? d.hotplugVif,
                ipv4: { ...(options.ipv4 ?? d.ipv4) },
            };
            reportGuestAgent(db, ref, Date.now() + db.clockOffsetMs);
        }
        saveDb(stateDir, db);
    });
}
