/**
 * SR, PBD and VDI records (records.ml sr_record, pbd_record, vdi_record).
 */
import type { Ctx } from "../context";
import { pbdsOf } from "../../api/storage";
import { CliFailure } from "../errors";
import { PbdRec, Ref, SrRec, VdiRec } from "../../model/types";
import { safeBool } from "../values";
import { ClassDef, FieldDef, constant, emptyMap, emptySet, mapField, rfc3339, ro, rw, semi, setField } from "./types";

const NID = "<not in database>";

const vdisOf = (c: Ctx, sr: Ref) => c.all("vdi").filter(([, v]) => v.SR === sr);
const vbdsOfVdi = (c: Ctx, vdi: Ref) => c.all("vbd").filter(([, b]) => b.VDI === vdi).map(([, b]) => b.uuid);

/** sr_record "host": the host's name-label for one PBD, "<shared>" for several, NID for none. */
function srHost(c: Ctx, sr: Ref): string {
    const pbds = pbdsOf(c, sr);
    if (pbds.length === 1) return c.exists("host", pbds[0][1].host) ? c.db.host[pbds[0][1].host].name_label : NID;
    return pbds.length === 0 ? NID : "<shared>";
}

export const isToolsSr = (sr: SrRec): boolean => sr.other_config.xenserver_tools_sr === "true";

const srOps = (c: Ctx, sr: SrRec, ref: Ref): string[] => {
    if (sr.type === "iso" || sr.type === "udev") return pbdsOf(c, ref).some(([, p]) => p.currently_attached) ? ["forget", "VDI_introduce", "VDI_destroy", "unplug", "scan", "VDI_clone", "VDI_snapshot", "plug", "update"] : ["forget", "plug"];
    return ["VDI_enable_cbt", "VDI_list_changed_blocks", "unplug", "plug", "PBD_create", "VDI_disable_cbt", "update", "PBD_destroy", "VDI_resize", "VDI_clone", "VDI_data_destroy", "scan", "VDI_snapshot", "VDI_mirror", "VDI_create", "VDI_destroy", "VDI_set_on_boot"];
};

export const SR_FIELDS: FieldDef<SrRec>[] = [
    ro("uuid", (r) => r.uuid),
    rw("name-label", (r) => r.name_label, (_c, r, _ref, v) => { r.name_label = v; }),
    rw("name-description", (r) => r.name_description, (_c, r, _ref, v) => { r.name_description = v; }),
    ro("host", (_r, c, ref) => srHost(c, ref)),
    { name: "allowed-operations", get: (c, r, ref) => semi(srOps(c, r, ref)), getSet: (c, r, ref) => srOps(c, r, ref) },
    emptySet("current-operations"),
    { name: "VDIs", get: (c, _r, ref) => semi(vdisOf(c, ref).map(([, v]) => v.uuid)), getSet: (c, _r, ref) => vdisOf(c, ref).map(([, v]) => v.uuid) },
    { name: "PBDs", get: (c, _r, ref) => semi(pbdsOf(c, ref).map(([, p]) => p.uuid)), getSet: (c, _r, ref) => pbdsOf(c, ref).map(([, p]) => p.uuid) },
    ro("virtual-allocation", (_r, c, ref) => vdisOf(c, ref).reduce((n, [, v]) => n + v.virtual_size, 0)),
    ro("physical-utilisation", (_r, c, ref) => vdisOf(c, ref).reduce((n, [, v]) => n + v.physical_utilisation, 0)),
    ro("physical-size", (r, c, ref) => (r.type === "iso" ? vdisOf(c, ref).reduce((n, [, v]) => n + v.physical_utilisation, 0) : r.physical_size)),
    ro("type", (r) => r.type),
    ro("content-type", (r) => r.content_type),
    rw("shared", (r) => r.shared, (_c, r, _ref, v) => { r.shared = safeBool("shared", v); }),
    constant("introduced-by", NID),
    ro("is-tools-sr", (r) => isToolsSr(r)),
    mapField<SrRec>("other-config", "other_config"),
    mapField<SrRec>("sm-config", "sm_config", { readOnly: true }),
    ro("blobs", () => ""),
    constant("local-cache-enabled", "false"),
    setField<SrRec>("tags", "tags", { commas: true }),
    constant("clustered", "false"),
];

export const PBD_FIELDS: FieldDef<PbdRec>[] = [
    ro("uuid", (r) => r.uuid),
    ro("host", (r, c) => c.uuidOf("host", r.host), { deprecated: true }),
    ro("host-uuid", (r, c) => c.uuidOf("host", r.host)),
    ro("host-name-label", (r, c) => (c.exists("host", r.host) ? c.db.host[r.host].name_label : NID)),
    ro("sr-uuid", (r, c) => c.uuidOf("sr", r.SR)),
    ro("sr-name-label", (r, c) => (c.exists("sr", r.SR) ? c.db.sr[r.SR].name_label : NID)),
    mapField<PbdRec>("device-config", "device_config", { readOnly: true }),
    ro("currently-attached", (r) => r.currently_attached),
    mapField<PbdRec>("other-config", "other_config"),
];

const VDI_TYPES: Record<string, string> = {
    system: "System", user: "User", ephemeral: "Ephemeral", suspend: "Suspend", crashdump: "Crashdump",
    ha_statefile: "HA statefile", metadata: "Metadata", redo_log: "Redo log", rrd: "rrd", pvs_cache: "PVS cache", cbt_metadata: "CBT metadata",
};
export const vdiTypeToString = (t: string): string => VDI_TYPES[t] ?? t;

const vdiOps = (c: Ctx, r: VdiRec, ref: Ref): string[] => {
    const sr = c.db.sr[r.SR];
    if (sr && (sr.type === "iso" || sr.type === "udev")) return r.read_only ? ["forget", "generate_config", "update", "copy", "clone"] : ["forget", "update", "copy", "clone"];
    const attached = c.all("vbd").some(([, b]) => b.VDI === ref && b.currently_attached);
    return attached
        ? ["generate_config", "update", "snapshot", "copy", "clone"]
        : ["enable_cbt", "generate_config", "update", "resize", "destroy", "clone", "copy", "snapshot", "data_destroy"];
};

export const VDI_FIELDS: FieldDef<VdiRec>[] = [
    ro("uuid", (r) => r.uuid),
    rw("name-label", (r) => r.name_label, (_c, r, _ref, v) => { r.name_label = v; }),
    rw("name-description", (r) => r.name_description, (_c, r, _ref, v) => { r.name_description = v; }),
    constant("is-a-snapshot", "false"),
    constant("snapshot-of", NID),
    constant("snapshots", ""),
    ro("snapshot-time", () => rfc3339(0)),
    { name: "allowed-operations", get: (c, r, ref) => semi(vdiOps(c, r, ref)), getSet: (c, r, ref) => vdiOps(c, r, ref) },
    emptySet("current-operations"),
    ro("sr-uuid", (r, c) => c.uuidOf("sr", r.SR)),
    ro("sr-name-label", (r, c) => (c.exists("sr", r.SR) ? c.db.sr[r.SR].name_label : NID)),
    { name: "vbd-uuids", get: (c, _r, ref) => semi(vbdsOfVdi(c, ref)), getSet: (c, _r, ref) => vbdsOfVdi(c, ref) },
    emptySet("crashdump-uuids"),
    ro("virtual-size", (r) => r.virtual_size),
    ro("physical-utilisation", (r) => r.physical_utilisation),
    ro("location", (r) => r.location),
    ro("type", (r) => vdiTypeToString(r.type)),
    ro("sharable", (r) => r.sharable),
    ro("read-only", (r) => r.read_only),
    constant("storage-lock", "false"),
    ro("managed", (r) => r.managed),
    constant("parent", NID, { deprecated: true }),
    ro("missing", (r) => r.missing),
    ro("is-tools-iso", (r, c) => Boolean(c.db.sr[r.SR] && isToolsSr(c.db.sr[r.SR]))),
    mapField<VdiRec>("other-config", "other_config"),
    mapField<VdiRec>("xenstore-data", "xenstore_data", { readOnly: true }),
    mapField<VdiRec>("sm-config", "sm_config", { readOnly: true }),
    rw("on-boot", (r) => r.on_boot, (_c, r, _ref, v) => {
        const x = v.toLowerCase();
        if (x !== "persist" && x !== "reset") throw new CliFailure(`Expected 'persist' or 'reset', got ${v}`);
        r.on_boot = x;
    }),
    rw("allow-caching", (r) => r.allow_caching, (_c, r, _ref, v) => { r.allow_caching = safeBool("allow-caching", v); }),
    constant("metadata-latest", "false"),
    constant("metadata-of-pool", NID),
    setField<VdiRec>("tags", "tags", { commas: true }),
    { ...constant("cbt-enabled", "false"), since: 1 },
];
void emptyMap;

export const SR_CLASS: ClassDef<SrRec> = {
    name: "sr", table: "sr", fields: SR_FIELDS, defaultList: ["uuid", "name-label", "name-description", "host", "type", "content-type"], defaultFilters: [],
};
export const PBD_CLASS: ClassDef<PbdRec> = {
    name: "pbd", table: "pbd", fields: PBD_FIELDS, defaultList: ["uuid", "host-uuid", "sr-uuid", "device-config", "currently-attached"], defaultFilters: [],
};
export const VDI_CLASS: ClassDef<VdiRec> = {
    name: "vdi", table: "vdi", fields: VDI_FIELDS,
    defaultList: ["uuid", "name-label", "name-description", "virtual-size", "read-only", "sharable", "sr-uuid"], defaultFilters: [],
};
