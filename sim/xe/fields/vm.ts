/**
 * The VM record (records.ml vm_record): field order, access tags and rendering per xapi generation
 * (Appendix A of xe-cli.md, re-extracted from records.ml at 1.14-lcm, 1.249-lcm, 24.39-lcm and
 * v25.6.0). The guest-metrics fields (./guestMetrics) print "<not in database>" unless the VM's
 * guest has PV tools (sim/guest/tools.ts) and has reported.
 */
import * as api from "../../api/vm";
import { allowedOperations } from "../../api/vmOps";
import type { Ctx } from "../context";
import { CliFailure } from "../errors";
import { NULL_REF, Ref, VmRec } from "../../model/types";
import { bytesOfString, safeBool, safeInt, ocamlBool } from "../values";
import { gmMap, gmValue, tristate } from "./guestMetrics";
import { ClassDef, FieldDef, constant, emptySet, fmtMap, float3, mapField, rfc3339, ro, rw, semi, setField } from "./types";

const NID = "<not in database>";

const uuidOf = (c: Ctx, table: "vm" | "vdi" | "sr" | "host", ref: Ref) => c.uuidOf(table, ref);

function refSetter(table: "vdi" | "sr" | "host", key: keyof VmRec, allowEmpty: boolean) {
    return (c: Ctx, r: VmRec, _ref: Ref, v: string): void => {
        (r as any)[key] = allowEmpty && v === "" ? NULL_REF : c.byUuid(table, v);
    };
}

const exitToString = (v: string) => ({ destroy: "Destroy", restart: "Restart" } as Record<string, string>)[v] ?? v;
const crashToString = (v: string) => ({
    destroy: "Destroy", coredump_and_destroy: "Core dump and destroy", restart: "Restart",
    coredump_and_restart: "Core dump and restart", preserve: "Preserve", rename_restart: "Rename restart",
} as Record<string, string>)[v] ?? v;
const softToString = (v: string) => ({ destroy: "Destroy", restart: "Restart", preserve: "Preserve", soft_reboot: "Soft reboot" } as Record<string, string>)[v] ?? v;

function enumOf(allowed: string[], what: string) {
    return (v: string): string => {
        const k = v.toLowerCase().replace(/ /g, "_");
        if (!allowed.includes(k)) throw new CliFailure(`Expected ${allowed.map((a) => `'${a}'`).join(", ")}, got ${v}`);
        return k;
    };
    void what;
}
const parseExit = enumOf(["destroy", "restart"], "normal exit");
const parseCrash = enumOf(["destroy", "coredump_and_destroy", "restart", "coredump_and_restart", "preserve", "rename_restart"], "crash");
const parseSoft = enumOf(["destroy", "restart", "preserve", "soft_reboot"], "soft reboot");

const mem = (name: string, key: "memory_static_max" | "memory_dynamic_max" | "memory_dynamic_min" | "memory_static_min"): FieldDef<VmRec> =>
    rw<VmRec>(name, (r) => r[key], (c, r, ref, v) => {
        const bytes = bytesOfString(c.gen, name, v);
        if (key === "memory_static_max") api.setMemoryStaticRange(c, ref, r.memory_static_min, bytes);
        else if (key === "memory_static_min") api.setMemoryStaticRange(c, ref, bytes, r.memory_static_max);
        else if (key === "memory_dynamic_max") api.setMemoryDynamicRange(c, ref, r.memory_dynamic_min, bytes);
        else api.setMemoryDynamicRange(c, ref, bytes, r.memory_dynamic_max);
    });

const str = (name: string, key: keyof VmRec): FieldDef<VmRec> =>
    rw<VmRec>(name, (r) => r[key] as string, (_c, r, _ref, v) => { (r as any)[key] = v; });

const vbdsOf = (c: Ctx, ref: Ref) => c.all("vbd").filter(([, b]) => b.VM === ref).map(([, b]) => b.uuid);
const consolesOf = (c: Ctx, ref: Ref) => c.all("console").filter(([, x]) => x.VM === ref).map(([, x]) => x.uuid);
const snapshotsOf = (c: Ctx, ref: Ref) => c.all("vm").filter(([, x]) => x.snapshot_of === ref).map(([, x]) => x.uuid);
const running = (r: VmRec) => r.power_state !== "halted";

export const VM_FIELDS: FieldDef<VmRec>[] = [
    ro("uuid", (r) => r.uuid),
    str("name-label", "name_label"),
    str("name-description", "name_description"),
    rw("user-version", (r) => r.user_version, (_c, r, _ref, v) => { r.user_version = safeInt("user-version", v); }),
    rw("is-a-template", (r) => r.is_a_template, (c, _r, ref, v) => api.setIsATemplate(c, ref, safeBool("is-a-template", v))),
    { ...rw("is-default-template", (r) => r.is_default_template, (_c, r, _ref, v) => { r.is_default_template = safeBool("is-default-template", v); }), since: 1 },
    ro("is-a-snapshot", (r) => r.is_a_snapshot),
    ro("snapshot-of", (r, c) => uuidOf(c, "vm", r.snapshot_of)),
    ro("snapshots", (_r, c, ref) => semi(snapshotsOf(c, ref))),
    ro("snapshot-time", () => rfc3339(0)),
    ro("transportable-snapshot-id", () => "", { hidden: true }),
    ro("snapshot-info", () => ""),
    ro("parent", () => NID),
    ro("children", () => ""),
    ro("is-control-domain", (r) => r.is_control_domain),
    ro("power-state", (r) => r.power_state),
    ro("memory-actual", (r) => (running(r) ? r.metrics.memoryActual : 0)),
    ro("memory-target", (r) => (running(r) ? r.memory_target || r.memory_dynamic_max : 0), { expensive: true }),
    ro("memory-overhead", (r) => r.memory_overhead),
    mem("memory-static-max", "memory_static_max"),
    mem("memory-dynamic-max", "memory_dynamic_max"),
    mem("memory-dynamic-min", "memory_dynamic_min"),
    mem("memory-static-min", "memory_static_min"),
    rw("suspend-VDI-uuid", (r, c) => uuidOf(c, "vdi", r.suspend_VDI), refSetter("vdi", "suspend_VDI", false)),
    rw("suspend-SR-uuid", (r, c) => uuidOf(c, "sr", r.suspend_SR), refSetter("sr", "suspend_SR", false)),
    {
        ...mapField<VmRec>("VCPUs-params", "VCPUs_params"),
        addToMap: (_c, r, _ref, k, v) => {
            if (!["weight", "cap", "mask"].includes(k)) throw new CliFailure(`Failed to add parameter '${k}': expecting 'weight','cap' or 'mask'`);
            r.VCPUs_params[k] = v;
        },
    },
    rw("VCPUs-max", (r) => r.VCPUs_max, (c, _r, ref, v) => api.setVcpusMax(c, ref, safeInt("VCPUs-max", v))),
    rw("VCPUs-at-startup", (r) => r.VCPUs_at_startup, (c, _r, ref, v) => api.setVcpusAtStartup(c, ref, safeInt("VCPUs-at-startup", v))),
    rw("actions-after-shutdown", (r) => exitToString(r.actions_after_shutdown), (_c, r, _ref, v) => { r.actions_after_shutdown = parseExit(v); }),
    { ...rw("actions-after-softreboot", (r) => softToString(r.actions_after_softreboot), (_c, r, _ref, v) => { r.actions_after_softreboot = parseSoft(v); }), since: 2 },
    rw("actions-after-reboot", (r) => exitToString(r.actions_after_reboot), (_c, r, _ref, v) => { r.actions_after_reboot = parseExit(v); }),
    rw("actions-after-crash", (r) => crashToString(r.actions_after_crash), (_c, r, _ref, v) => { r.actions_after_crash = parseCrash(v); }),
    { name: "console-uuids", get: (c, _r, ref) => semi(consolesOf(c, ref)), getSet: (c, _r, ref) => consolesOf(c, ref) },
    ro("hvm", (r) => running(r) && r.metrics.hvm),
    ro("nomigrate", (r) => running(r) && r.metrics.nomigrate, { hidden: true }),
    ro("nested-virt", (r) => running(r) && r.metrics.nestedVirt, { hidden: true }),
    mapField<VmRec>("platform", "platform"),
    { name: "allowed-operations", get: (_c, r) => semi(allowedOperations(r)), getSet: (_c, r) => allowedOperations(r) },
    emptySet("current-operations"),
    mapField<VmRec>("blocked-operations", "blocked_operations"),
    { ...emptySet("allowed-VBD-devices"), expensive: true, get: (c, _r, ref) => semi(freeDevices(c, ref, "vbd")), getSet: (c, _r, ref) => freeDevices(c, ref, "vbd") },
    { ...emptySet("allowed-VIF-devices"), expensive: true, get: (c, _r, ref) => semi(freeDevices(c, ref, "vif")), getSet: (c, _r, ref) => freeDevices(c, ref, "vif") },
    ro("possible-hosts", (r, c) => (r.is_a_template ? "" : c.uuidOf("host", c.hostRef())), { expensive: true }),
    { ...rw("domain-type", (r) => r.domain_type, (_c, r, _ref, v) => {
        const t = v.toLowerCase();
        if (!["hvm", "pv", "pv-in-pvh", "pvh"].includes(t)) throw new CliFailure(`Invalid domain type. Got ${v}`);
        r.domain_type = t;
    }), since: 1 },
    { ...ro("current-domain-type", (r) => (running(r) ? r.metrics.currentDomainType : "unspecified")), since: 1 },
    str("HVM-boot-policy", "HVM_boot_policy"),
    mapField<VmRec>("HVM-boot-params", "HVM_boot_params"),
    rw("HVM-shadow-multiplier", (r) => float3(r.HVM_shadow_multiplier), (_c, r, _ref, v) => { r.HVM_shadow_multiplier = Number(v); }),
    { ...mapField<VmRec>("NVRAM", "NVRAM", { hidden: true }), since: 1 },
    str("PV-kernel", "PV_kernel"),
    str("PV-ramdisk", "PV_ramdisk"),
    str("PV-args", "PV_args"),
    str("PV-legacy-args", "PV_legacy_args"),
    str("PV-bootloader", "PV_bootloader"),
    str("PV-bootloader-args", "PV_bootloader_args"),
    ro("last-boot-CPU-flags", (r) => fmtMap(r.last_boot_CPU_flags)),
    ro("last-boot-record", (r) => `'${r.last_booted_record}'`, { expensive: true }),
    ro("resident-on", (r, c) => uuidOf(c, "host", r.resident_on)),
    rw("affinity", (r, c) => uuidOf(c, "host", r.affinity), refSetter("host", "affinity", true)),
    mapField<VmRec>("other-config", "other_config"),
    ro("dom-id", (r) => r.domid),
    ro("recommendations", (r) => r.recommendations),
    mapField<VmRec>("xenstore-data", "xenstore_data", { clear: true }),
    rw("ha-always-run", (r) => r.ha_always_run, (_c, r, _ref, v) => { r.ha_always_run = ocamlBool(v); }, { deprecated: true }),
    str("ha-restart-priority", "ha_restart_priority"),
    ro("blobs", () => ""),
    ro("start-time", (r) => rfc3339(r.metrics.startTime)),
    ro("install-time", (r) => rfc3339(r.metrics.installTime)),
    ro("VCPUs-number", (r) => (running(r) ? r.metrics.vcpusNumber : 0)),
    { name: "VCPUs-utilisation", expensive: true, get: (_c, r) => (running(r) ? semi(vcpuUtil(r).map(([k, v]) => `${k}: ${v}`)) : ""), getMap: (_c, r) => (running(r) ? vcpuUtil(r) : []) },
    gmMap("os-version", (m) => m.osVersion),
    // Linux agents write no data/host_name_dns: an empty map once metrics exist.
    gmMap("netbios-name", () => ({}), { since: 2 }),
    gmMap("PV-drivers-version", (m) => m.pvDriversVersion),
    // create_and_set_guest_metrics sets PV_drivers_up_to_date to PV_drivers_detected.
    gmValue("PV-drivers-up-to-date", (m) => String(m.pvDriversDetected), { deprecated: true }),
    // memory and disks start empty (create_and_set_guest_metrics ~memory:[] ~disks:[]).
    gmMap("memory", () => ({})),
    gmMap("disks", () => ({})),
    { name: "VBDs", get: (c, _r, ref) => semi(vbdsOf(c, ref)), getSet: (c, _r, ref) => vbdsOf(c, ref) },
    gmMap("networks", (m) => m.networks),
    gmValue("PV-drivers-detected", (m) => String(m.pvDriversDetected)),
    gmMap("other", (m) => m.other),
    gmValue("live", (m) => String(m.live)),
    gmValue("guest-metrics-last-updated", (m) => rfc3339(m.lastUpdated)),
    gmValue("can-use-hotplug-vbd", (m) => tristate(m.canUseHotplugVbd)),
    gmValue("can-use-hotplug-vif", (m) => tristate(m.canUseHotplugVif)),
    ro("cooperative", () => "true", { expensive: true, deprecated: true }),
    setField<VmRec>("tags", "tags", { commas: true }),
    rw("appliance", () => NID, (_c, _r, _ref, v) => { if (v !== "") throw new CliFailure(`No appliance with uuid ${v}`); }),
    { ...rw("groups", () => "", (_c, _r, _ref, v) => { if (v !== "") throw new CliFailure(`No VM group with uuid ${v}`); }), since: 2 },
    { ...rw("snapshot-schedule", () => NID, (_c, _r, _ref, v) => { if (v !== "") throw new CliFailure(`No snapshot schedule with uuid ${v}`); }), since: 1 },
    { ...ro("is-vmss-snapshot", () => false), since: 1 },
    rw("start-delay", (r) => r.start_delay, (_c, r, _ref, v) => { r.start_delay = safeInt("start-delay", v); }),
    rw("shutdown-delay", (r) => r.shutdown_delay, (_c, r, _ref, v) => { r.shutdown_delay = safeInt("shutdown-delay", v); }),
    rw("order", (r) => r.order, (_c, r, _ref, v) => { r.order = safeInt("order", v); }),
    ro("version", (r) => r.version),
    ro("generation-id", (r) => r.generation_id),
    ro("hardware-platform-version", (r) => r.hardware_platform_version),
    rw("has-vendor-device", (r) => r.has_vendor_device, (_c, r, _ref, v) => { r.has_vendor_device = safeBool("has-vendor-device", v); }),
    ro("requires-reboot", (r) => r.requires_reboot),
    ro("reference-label", (r) => r.reference_label),
    { ...mapField<VmRec>("bios-strings", "bios_strings", { readOnly: true }), since: 1 },
    { ...constant("pending-guidances", ""), since: 2 },
    { ...constant("vtpms", ""), since: 2 },
    { ...constant("pending-guidances-recommended", ""), since: 2 },
    { ...constant("pending-guidances-full", ""), since: 2 },
];

function vcpuUtil(r: VmRec): Array<[string, string]> {
    return Array.from({ length: r.metrics.vcpusNumber }, (_, i) => [String(i), float3(0.01)] as [string, string]);
}

/** Device numbers not yet used by the VM's VBDs (0-3 for HVM) or VIFs (0-6). */
function freeDevices(c: Ctx, ref: Ref, kind: "vbd" | "vif"): string[] {
    const vm = c.get("vm", ref);
    if (vm.is_control_domain) return [];
    const used = kind === "vbd"
        ? c.all("vbd").filter(([, b]) => b.VM === ref).map(([, b]) => b.userdevice)
        : c.all("vif").filter(([, v]) => v.VM === ref).map(([, v]) => v.device);
    const limit = kind === "vbd" ? (vm.domain_type === "hvm" ? 4 : 16) : 7;
    return Array.from({ length: limit }, (_, i) => String(i)).filter((d) => !used.includes(d));
}

const base = { table: "vm" as const, fields: VM_FIELDS };

export const VM_CLASS: ClassDef<VmRec> = { ...base, name: "vm", defaultList: ["name-label", "uuid", "power-state"], defaultFilters: [["is-a-template", "false"]] };
export const TEMPLATE_CLASS: ClassDef<VmRec> = {
    ...base, name: "template", defaultList: ["name-label", "name-description", "uuid"],
    defaultFilters: [["is-a-template", "true"], ["is-a-snapshot", "false"]],
};
export const SNAPSHOT_CLASS: ClassDef<VmRec> = {
    ...base, name: "snapshot",
    // snapshot_of / snapshot_time are typos in xapi's default list and never match a field.
    defaultList: ["name-label", "name-description", "uuid", "snapshot_of", "snapshot_time", "is-vmss-snapshot"],
    defaultFilters: [["is-a-snapshot", "true"]],
};
