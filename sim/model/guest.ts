/**
 * Simulator-only records about what runs inside a guest: the PV tools installed in its OS
 * (sim/guest/tools.ts documents the convention) and the VM_guest_metrics record xapi derives from
 * what the guest agent writes into xenstore (xapi_guest_agent.ml).
 */

type StrMap = Record<string, string>;

/** hotplug support a guest agent announces (xenstore feature/hotplug/vif|vbd; API tristate_type). */
export type Tristate = "yes" | "no" | "unspecified";

/**
 * Simulator-only: the PV drivers and guest agent installed in a VM's guest OS, i.e. what the agent
 * writes into xenstore while the VM runs (sim/guest/tools.ts documents the convention).
 */
export interface GuestTools {
    /** data/os_* keys, as VM_guest_metrics.os_version: name, uname, distro, major, minor. */
    osVersion: StrMap;
    /** attr/PVAddons/* keys, as PV_drivers_version: major, minor, micro, build. */
    pvDriversVersion: StrMap;
    /** control/* keys, as VM_guest_metrics.other (feature-poweroff: 1, …). */
    other: StrMap;
    /** feature/hotplug/vbd and feature/hotplug/vif. */
    hotplugVbd: Tristate;
    hotplugVif: Tristate;
    /** IPv4 address the guest has on the NIC of each VIF device number (attr/vif/<device>/ipv4/0). */
    ipv4: StrMap;
}

/** The VM_guest_metrics record xapi keeps for a VM whose guest agent reported. */
export interface GuestMetrics {
    uuid: string;
    osVersion: StrMap;
    pvDriversVersion: StrMap;
    pvDriversDetected: boolean;
    networks: StrMap;
    other: StrMap;
    canUseHotplugVbd: Tristate;
    canUseHotplugVif: Tristate;
    /** Whether the agent is still reporting (false once the domain is gone). */
    live: boolean;
    /** Simulated ms of the last report. */
    lastUpdated: number;
}
