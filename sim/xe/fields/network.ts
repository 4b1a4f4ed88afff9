/**
 * Network and PIF records (records.ml net_record, pif_record).
 */
import type { Ctx } from "../context";
import { CliFailure } from "../errors";
import { NetworkRec, PifRec, Ref } from "../../model/types";
import { int64 } from "../values";
import { ClassDef, FieldDef, constant, emptySet, mapField, ro, rw, semi, setField } from "./types";

const NID = "<not in database>";

const vifsOf = (c: Ctx, ref: Ref) => c.all("vif").filter(([, v]) => v.network === ref).map(([, v]) => v.uuid);
const pifsOf = (c: Ctx, ref: Ref) => c.all("pif").filter(([, p]) => p.network === ref).map(([, p]) => p.uuid);

export const NETWORK_FIELDS: FieldDef<NetworkRec>[] = [
    ro("uuid", (r) => r.uuid),
    rw("name-label", (r) => r.name_label, (_c, r, _ref, v) => { r.name_label = v; }),
    rw("name-description", (r) => r.name_description, (_c, r, _ref, v) => { r.name_description = v; }),
    { name: "VIF-uuids", get: (c, _r, ref) => semi(vifsOf(c, ref)), getSet: (c, _r, ref) => vifsOf(c, ref) },
    { name: "PIF-uuids", get: (c, _r, ref) => semi(pifsOf(c, ref)), getSet: (c, _r, ref) => pifsOf(c, ref) },
    rw("MTU", (r) => r.MTU, (_c, r, _ref, v) => { r.MTU = int64(v); }),
    ro("bridge", (r) => r.bridge),
    { ...ro("managed", (r: NetworkRec) => r.managed), since: 1 },
    mapField<NetworkRec>("other-config", "other_config"),
    ro("blobs", () => ""),
    setField<NetworkRec>("tags", "tags", { commas: true }),
    rw("default-locking-mode", (r) => r.default_locking_mode, (_c, r, _ref, v) => {
        if (v !== "unlocked" && v !== "disabled") throw new CliFailure(`Expected 'unlocked' or 'disabled', got ${v}`);
        r.default_locking_mode = v;
    }),
    { ...setField<NetworkRec>("purpose", "purpose"), since: 1 },
];

export const PIF_FIELDS: FieldDef<PifRec>[] = [
    ro("uuid", (r) => r.uuid),
    ro("device", (r) => r.device),
    ro("MAC", (r) => r.MAC, { caseInsensitive: true }),
    ro("physical", (r) => r.physical),
    ro("managed", (r) => r.managed),
    ro("currently-attached", (r) => r.currently_attached),
    ro("MTU", (r) => r.MTU),
    ro("VLAN", (r) => r.VLAN),
    { ...constant("vlan-master-of", NID), since: 1 },
    { ...constant("vlan-slave-of", ""), since: 1 },
    constant("bond-master-of", ""),
    constant("bond-slave-of", NID),
    { ...constant("sriov-physical-PIF-of", ""), since: 1 },
    { ...constant("sriov-logical-PIF-of", ""), since: 1 },
    constant("tunnel-access-PIF-of", ""),
    constant("tunnel-transport-PIF-of", ""),
    ro("management", (r) => r.management),
    ro("network-uuid", (r, c) => c.uuidOf("network", r.network)),
    ro("network-name-label", (r, c) => (c.exists("network", r.network) ? c.db.network[r.network].name_label : NID)),
    ro("host-uuid", (r, c) => c.uuidOf("host", r.host)),
    ro("host-name-label", (r, c) => (c.exists("host", r.host) ? c.db.host[r.host].name_label : NID)),
    ro("IP-configuration-mode", (r) => r.ip_configuration_mode),
    ro("IP", (r) => r.IP),
    ro("netmask", (r) => r.netmask),
    ro("gateway", (r) => r.gateway),
    constant("IPv6-configuration-mode", "None"),
    constant("IPv6", ""),
    constant("IPv6-gateway", ""),
    constant("primary-address-type", "IPv4"),
    ro("DNS", (r) => r.DNS),
    { name: "properties", get: () => "gro: on", getMap: () => [["gro", "on"]] },
    emptySet("capabilities"),
    constant("io_read_kbs", "0.000", { expensive: true }),
    constant("io_write_kbs", "0.000", { expensive: true }),
    constant("carrier", "true"),
    constant("vendor-id", "8086"),
    ro("vendor-name", (r) => r.vendor_name),
    constant("device-id", "10fb"),
    ro("device-name", (r) => r.device_name),
    constant("speed", "10000 Mbit/s"),
    constant("duplex", "full"),
    rw("disallow-unplug", () => false, () => {}),
    ro("pci-bus-path", (r) => r.pci_bus_path),
    mapField<PifRec>("other-config", "other_config"),
    { ...constant("igmp-snooping-status", "unknown"), since: 1 },
];

export const NETWORK_CLASS: ClassDef<NetworkRec> = {
    name: "network", table: "network", fields: NETWORK_FIELDS, defaultList: ["uuid", "name-label", "name-description", "bridge"], defaultFilters: [],
};
export const PIF_CLASS: ClassDef<PifRec> = {
    name: "pif", table: "pif", fields: PIF_FIELDS,
    defaultList: ["uuid", "device", "VLAN", "MAC", "network-uuid", "currently-attached", "host-uuid"], defaultFilters: [],
};
