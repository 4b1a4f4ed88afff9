/**
 * Host and pool records (records.ml host_record, pool_record) per xapi generation.
 */
import type { Ctx } from "../context";
import { hostFreeBytes } from "../../model/memory";
import { HostRec, NULL_REF, PoolRec, Ref } from "../../model/types";
import { safeBool } from "../values";
import { ClassDef, FieldDef, constant, emptyMap, emptySet, fmtMap, mapField, rfc3339, ro, rw, semi, setField } from "./types";

const NID = "<not in database>";

const srRefField = <R>(name: string, key: keyof R): FieldDef<R> =>
    rw<R>(name, (r, c) => c.uuidOf("sr", r[key] as unknown as Ref), (c, r, _ref, v) => {
        (r as any)[key] = v === "" ? NULL_REF : c.byUuid("sr", v);
    });

const residentVms = (c: Ctx, ref: Ref) => c.all("vm").filter(([, v]) => v.resident_on === ref && v.power_state !== "halted").map(([, v]) => v.uuid);

const apiMinor = (c: Ctx) => [7, 16, 21, 21][c.gen];

export const HOST_FIELDS: FieldDef<HostRec>[] = [
    ro("uuid", (r) => r.uuid),
    rw("name-label", (r) => r.name_label, (_c, r, _ref, v) => { r.name_label = v; }),
    rw("name-description", (r) => r.name_description, (_c, r, _ref, v) => { r.name_description = v; }),
    { name: "allowed-operations", get: () => "vm_migrate; provision; vm_resume; evacuate; vm_start", getSet: () => ["vm_migrate", "provision", "vm_resume", "evacuate", "vm_start"] },
    emptySet("current-operations"),
    ro("enabled", (r) => r.enabled),
    ro("display", () => "enabled"),
    ro("API-version-major", () => 2),
    ro("API-version-minor", (_r, c) => apiMinor(c)),
    ro("API-version-vendor", () => "XenSource"),
    emptyMap("API-version-vendor-implementation"),
    mapField<HostRec>("logging", "logging"),
    srRefField<HostRec>("suspend-image-sr-uuid", "suspend_image_sr"),
    srRefField<HostRec>("crash-dump-sr-uuid", "crash_dump_sr"),
    mapField<HostRec>("software-version", "software_version", { readOnly: true }),
    { name: "capabilities", get: () => semi(CAPABILITIES), getSet: () => CAPABILITIES },
    mapField<HostRec>("other-config", "other_config"),
    mapField<HostRec>("cpu_info", "cpu_info", { readOnly: true }),
    { name: "chipset-info", get: () => "iommu: true", getMap: () => [["iommu", "true"]] },
    ro("hostname", (r) => r.hostname),
    ro("address", (r) => r.address),
    { ...rw<HostRec>("https-only", () => false, () => {}), since: 1 },
    { name: "supported-bootloaders", get: () => "pygrub; eliloader", getSet: () => ["pygrub", "eliloader"] },
    ro("blobs", () => ""),
    ro("memory-overhead", (r) => r.memory_overhead),
    ro("memory-total", (r) => r.memory_total),
    ro("memory-free", (r, c, ref) => hostFreeBytes(c.db, ref, r)),
    ro("memory-free-computed", (r, c, ref) => hostFreeBytes(c.db, ref, r), { expensive: true }),
    ro("host-metrics-live", () => true),
    { ...emptySet("patches"), deprecated: true },
    emptySet("updates"),
    ro("ha-statefiles", () => ""),
    ro("ha-network-peers", () => ""),
    ro("external-auth-type", () => ""),
    ro("external-auth-service-name", () => ""),
    emptyMap("external-auth-configuration"),
    ro("edition", (r) => r.edition),
    { ...mapField<HostRec>("license-server", "license_server", { readOnly: true }) },
    ro("power-on-mode", () => ""),
    emptyMap("power-on-config"),
    ro("local-cache-sr", () => NID),
    setField<HostRec>("tags", "tags", { commas: true }),
    rw<HostRec>("ssl-legacy", (_r, c) => c.gen === 0, () => {}),
    mapField<HostRec>("guest_VCPUs_params", "guest_VCPUs_params"),
    { name: "virtual-hardware-platform-versions", get: () => "0; 1; 2", getSet: () => ["0", "1", "2"] },
    ro("control-domain-uuid", (r, c) => c.uuidOf("vm", r.control_domain)),
    { name: "resident-vms", get: (c, _r, ref) => semi(residentVms(c, ref)), getSet: (c, _r, ref) => residentVms(c, ref) },
    emptySet("updates-requiring-reboot"),
    { ...emptySet("features"), since: 1 },
    { ...rw<HostRec>("iscsi_iqn", (r) => r.iscsi_iqn, (_c, r, _ref, v) => { r.iscsi_iqn = v; }), since: 1 },
    { ...rw<HostRec>("multipathing", () => false, (_c, _r, _ref, v) => { safeBool("multipathing", v); }), since: 1 },
    { ...rw<HostRec>("uefi-certificates", () => "", () => {}), hidden: true, since: 1 },
    { ...rw<HostRec>("numa-affinity-policy", () => "default_policy", () => {}), since: 2 },
    { ...constant("pending-guidances", ""), since: 2 },
    { ...constant("tls-verification-enabled", "true"), since: 2 },
    { ...ro("last-software-update", () => rfc3339(0)), since: 2 },
    { ...constant("latest-synced-updates-applied", "unknown"), since: 2 },
    { ...constant("pending-guidances-recommended", ""), since: 2 },
    { ...constant("pending-guidances-full", ""), since: 2 },
    { ...constant("last-update-hash", ""), since: 2 },
];

const CAPABILITIES = ["xen-3.0-x86_64", "hvm-3.0-x86_32", "hvm-3.0-x86_32p", "hvm-3.0-x86_64"];

const poolRw = (name: string, value: string, since = 0): FieldDef<PoolRec> => ({ ...rw<PoolRec>(name, () => value, () => {}), since });

export const POOL_FIELDS: FieldDef<PoolRec>[] = [
    ro("uuid", (r) => r.uuid),
    rw("name-label", (r) => r.name_label, (_c, r, _ref, v) => { r.name_label = v; }),
    rw("name-description", (r) => r.name_description, (_c, r, _ref, v) => { r.name_description = v; }),
    ro("master", (r, c) => c.uuidOf("host", r.master)),
    srRefField<PoolRec>("default-SR", "default_SR"),
    srRefField<PoolRec>("crash-dump-SR", "crash_dump_SR"),
    srRefField<PoolRec>("suspend-image-SR", "suspend_image_SR"),
    ro("supported-sr-types", () => "lvm; ext; iso; udev; nfs; lvmoiscsi; lvmohba; smb; cifs; file; dummy", { expensive: true }),
    mapField<PoolRec>("other-config", "other_config"),
    { name: "allowed-operations", get: () => "ha_enable; cluster_create", getSet: () => ["ha_enable", "cluster_create"] },
    emptySet("current-operations"),
    ro("ha-enabled", () => false),
    ro("ha-configuration", () => ""),
    ro("ha-statefiles", () => ""),
    poolRw("ha-host-failures-to-tolerate", "0"),
    ro("ha-plan-exists-for", () => 0),
    poolRw("ha-allow-overcommit", "false"),
    ro("ha-overcommitted", () => false),
    ro("blobs", () => ""),
    ro("wlb-url", () => ""),
    ro("wlb-username", () => ""),
    poolRw("wlb-enabled", "false"),
    poolRw("wlb-verify-cert", "false"),
    poolRw("igmp-snooping-enabled", "false", 1),
    mapField<PoolRec>("gui-config", "gui_config"),
    mapField<PoolRec>("health-check-config", "health_check_config"),
    ro("vswitch-controller", () => "", { hidden: true }),
    // A map rendered by get_from_map but without get_map, hence "( RO)" and no param-key lookup.
    ro("restrictions", (r) => fmtMap(r.restrictions)),
    setField<PoolRec>("tags", "tags", { commas: true }),
    ro("license-state", (_r, c) => (c.product.brand === "XCP-ng" ? "edition: xcp-ng; expiry: never" : "edition: trial; expiry: never")),
    ro("ha-cluster-stack", () => "xhad"),
    mapField<PoolRec>("guest-agent-config", "guest_agent_config"),
    mapField<PoolRec>("cpu_info", "cpu_info", { readOnly: true }),
    poolRw("policy-no-vendor-device", "false"),
    poolRw("live-patching-disabled", "false"),
    { ...ro("uefi-certificates", () => ""), hidden: true, since: 1 },
    { ...ro("custom-uefi-certificates", () => ""), hidden: true, since: 2 },
    { ...constant("tls-verification-enabled", "true"), since: 2 },
    { ...constant("client-certificate-auth-enabled", "false"), since: 2 },
    { ...constant("client-certificate-auth-name", ""), since: 2 },
    { ...emptySet("repositories"), addToSet: () => {}, since: 2 },
    { ...constant("repository-proxy-url", ""), since: 2 },
    { ...constant("repository-proxy-username", ""), since: 2 },
    poolRw("https-only", "false", 1),
    poolRw("migration-compression", "false", 2),
    poolRw("coordinator-bias", "true", 2),
    { ...constant("telemetry-frequency", "weekly"), since: 2 },
    { ...ro("telemetry-next-collection", () => rfc3339(0)), since: 2 },
    { ...ro("last-update-sync", () => rfc3339(0)), since: 2 },
    { ...constant("update-sync-frequency", "weekly"), since: 2 },
    { ...constant("update-sync-day", "0"), since: 2 },
    { ...constant("update-sync-enabled", "false"), since: 2 },
    { ...emptyMap("recommendations"), since: 2 },
    { ...poolRw("ext-auth-cache-enabled", "false", 2), hidden: true },
    { ...poolRw("ext-auth-cache-size", "50", 2), hidden: true },
    { ...poolRw("ext-auth-cache-expiry", "300", 2), hidden: true },
    { ...emptyMap("license-server"), addToMap: () => {}, since: 3 },
];

export const HOST_CLASS: ClassDef<HostRec> = { name: "host", table: "host", fields: HOST_FIELDS, defaultList: ["uuid", "name-label", "name-description"], defaultFilters: [] };
export const POOL_CLASS: ClassDef<PoolRec> = {
    name: "pool", table: "pool", fields: POOL_FIELDS, defaultList: ["uuid", "name-label", "name-description", "master", "default-SR"], defaultFilters: [],
};
