/**
 * The simulated host's object database: one JSON document (state.json) holding a table per XenAPI
 * class, keyed by opaque reference. The shapes follow xapi's datamodel closely enough that the
 * record printers (sim/xe/fields) can derive every `xe` field the way records.ml does, but only the
 * fields some behaviour or printout needs are stored; the rest print their xapi defaults.
 *
 * References are "OpaqueRef:<uuid>" strings, distinct from the object's uuid, because xapi error
 * parameters carry references and `xe` renders them through ref_convert as "<uuid> (<name>)".
 */
import type { InstalledSystem, BootPlan } from "../installer/types";
import type { SimSettings } from "../settings";
import type { GuestMetrics, GuestTools } from "./guest";

export type { GuestMetrics, GuestTools, Tristate } from "./guest";

export type Ref = string;
export const NULL_REF: Ref = "OpaqueRef:NULL";

/** Ordered string map; xapi keeps insertion order and prints maps in that order. */
export type StrMap = Record<string, string>;

export type PowerState = "halted" | "running" | "paused" | "suspended";

export interface VmMetrics {
    startTime: number;
    installTime: number;
    vcpusNumber: number;
    memoryActual: number;
    hvm: boolean;
    nestedVirt: boolean;
    nomigrate: boolean;
    currentDomainType: string;
}

/** What a running VM is doing in the simulated world (sim/lifecycle plays it out). */
export interface VmActivity {
    plan: BootPlan;
    /** Simulated ms when this boot began. */
    bootedAt: number;
    /** Simulated ms when the plan's timed part ends; null when it runs forever. */
    endsAt: number | null;
}

export interface VmRec {
    uuid: string;
    name_label: string;
    name_description: string;
    user_version: number;
    is_a_template: boolean;
    is_default_template: boolean;
    is_a_snapshot: boolean;
    snapshot_of: Ref;
    is_control_domain: boolean;
    power_state: PowerState;
    memory_overhead: number;
    memory_static_max: number;
    memory_dynamic_max: number;
    memory_dynamic_min: number;
    memory_static_min: number;
    memory_target: number;
    suspend_VDI: Ref;
    suspend_SR: Ref;
    VCPUs_params: StrMap;
    VCPUs_max: number;
    VCPUs_at_startup: number;
    actions_after_shutdown: string;
    actions_after_reboot: string;
    actions_after_crash: string;
    actions_after_softreboot: string;
    platform: StrMap;
    blocked_operations: StrMap;
    domain_type: string;
    HVM_boot_policy: string;
    HVM_boot_params: StrMap;
    HVM_shadow_multiplier: number;
    NVRAM: StrMap;
    PV_kernel: string;
    PV_ramdisk: string;
    PV_args: string;
    PV_legacy_args: string;
    PV_bootloader: string;
    PV_bootloader_args: string;
    last_boot_CPU_flags: StrMap;
    last_booted_record: string;
    resident_on: Ref;
    affinity: Ref;
    other_config: StrMap;
    domid: number;
    recommendations: string;
    xenstore_data: StrMap;
    ha_always_run: boolean;
    ha_restart_priority: string;
    tags: string[];
    start_delay: number;
    shutdown_delay: number;
    order: number;
    version: number;
    generation_id: string;
    hardware_platform_version: number;
    has_vendor_device: boolean;
    requires_reboot: boolean;
    reference_label: string;
    bios_strings: StrMap;
    metrics: VmMetrics;
    /** Simulator-only: what the running VM is doing. */
    activity?: VmActivity | null;
    /** Simulator-only: the running HVM domain's VNC port (xenstore console/vnc-port). */
    vnc_port?: number | null;
    /** Simulator-only: PV drivers and guest agent in the guest OS; absent or null when there are none. */
    guest_tools?: GuestTools | null;
    /** VM.guest_metrics: what the guest agent last reported; absent or null when nothing has reported. */
    guest_metrics?: GuestMetrics | null;
}

export interface HostRec {
    uuid: string;
    name_label: string;
    name_description: string;
    hostname: string;
    address: string;
    enabled: boolean;
    software_version: StrMap;
    cpu_info: StrMap;
    other_config: StrMap;
    logging: StrMap;
    memory_total: number;
    memory_overhead: number;
    suspend_image_sr: Ref;
    crash_dump_sr: Ref;
    tags: string[];
    edition: string;
    license_server: StrMap;
    iscsi_iqn: string;
    control_domain: Ref;
    guest_VCPUs_params: StrMap;
    api_version_major: number;
    api_version_minor: number;
}

export interface PoolRec {
    uuid: string;
    name_label: string;
    name_description: string;
    master: Ref;
    default_SR: Ref;
    suspend_image_SR: Ref;
    crash_dump_SR: Ref;
    other_config: StrMap;
    gui_config: StrMap;
    health_check_config: StrMap;
    guest_agent_config: StrMap;
    restrictions: StrMap;
    tags: string[];
    cpu_info: StrMap;
}

export interface NetworkRec {
    uuid: string;
    name_label: string;
    name_description: string;
    MTU: number;
    bridge: string;
    managed: boolean;
    other_config: StrMap;
    tags: string[];
    default_locking_mode: string;
    purpose: string[];
}

export interface PifRec {
    uuid: string;
    device: string;
    MAC: string;
    physical: boolean;
    managed: boolean;
    currently_attached: boolean;
    MTU: number;
    VLAN: number;
    management: boolean;
    network: Ref;
    host: Ref;
    ip_configuration_mode: string;
    IP: string;
    netmask: string;
    gateway: string;
    DNS: string;
    other_config: StrMap;
    vendor_name: string;
    device_name: string;
    pci_bus_path: string;
}

export interface SrRec {
    uuid: string;
    name_label: string;
    name_description: string;
    type: string;
    content_type: string;
    shared: boolean;
    physical_size: number;
    other_config: StrMap;
    sm_config: StrMap;
    tags: string[];
}

export interface PbdRec {
    uuid: string;
    host: Ref;
    SR: Ref;
    device_config: StrMap;
    currently_attached: boolean;
    other_config: StrMap;
}

export interface VdiRec {
    uuid: string;
    name_label: string;
    name_description: string;
    SR: Ref;
    virtual_size: number;
    physical_utilisation: number;
    type: string;
    sharable: boolean;
    read_only: boolean;
    location: string;
    managed: boolean;
    missing: boolean;
    other_config: StrMap;
    xenstore_data: StrMap;
    sm_config: StrMap;
    on_boot: string;
    allow_caching: boolean;
    tags: string[];
    /** Simulator-only: what an installation left on this disk. */
    installed?: InstalledSystem | null;
}

export interface VbdRec {
    uuid: string;
    VM: Ref;
    VDI: Ref;
    device: string;
    userdevice: string;
    bootable: boolean;
    mode: "RO" | "RW";
    type: "Disk" | "CD" | "Floppy";
    unpluggable: boolean;
    empty: boolean;
    currently_attached: boolean;
    qos_algorithm_type: string;
    qos_algorithm_params: StrMap;
    other_config: StrMap;
}

export interface VifRec {
    uuid: string;
    VM: Ref;
    network: Ref;
    device: string;
    MAC: string;
    MAC_autogenerated: boolean;
    MTU: number;
    currently_attached: boolean;
    qos_algorithm_type: string;
    qos_algorithm_params: StrMap;
    other_config: StrMap;
    locking_mode: string;
    ipv4_allowed: string[];
    ipv6_allowed: string[];
}

export interface ConsoleRec {
    uuid: string;
    VM: Ref;
    protocol: string;
    location: string;
    other_config: StrMap;
}

export interface SecretRec {
    uuid: string;
    value: string;
    other_config: StrMap;
}

export interface Tables {
    vm: Record<Ref, VmRec>;
    host: Record<Ref, HostRec>;
    pool: Record<Ref, PoolRec>;
    network: Record<Ref, NetworkRec>;
    pif: Record<Ref, PifRec>;
    sr: Record<Ref, SrRec>;
    pbd: Record<Ref, PbdRec>;
    vdi: Record<Ref, VdiRec>;
    vbd: Record<Ref, VbdRec>;
    vif: Record<Ref, VifRec>;
    console: Record<Ref, ConsoleRec>;
    secret: Record<Ref, SecretRec>;
}

export type TableName = keyof Tables;

export interface Db extends Tables {
    /** Layout version of state.json. */
    schema: 1;
    settings: SimSettings;
    /** Added to the wall clock: tests fast-forward simulated time with advanceClock(). */
    clockOffsetMs: number;
    /** Next value of xapi's bridge-name counter (network-create without bridge= picks xapiN). */
    bridgeCounter: number;
    /** Last domid handed out; xenopsd never reuses one while the host is up. */
    lastDomid: number;
}

/** The DB table name xapi reports in UUID_INVALID / HANDLE_INVALID for each table. */
export const DB_CLASS_NAME: Record<TableName, string> = {
    vm: "VM",
    host: "host",
    pool: "pool",
    network: "network",
    pif: "PIF",
    sr: "SR",
    pbd: "PBD",
    vdi: "VDI",
    vbd: "VBD",
    vif: "VIF",
    console: "console",
    secret: "secret",
};
