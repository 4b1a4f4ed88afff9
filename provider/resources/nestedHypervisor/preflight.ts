/**
 * Pre-flight: everything a nested install needs, read from the host in one parallel round of
 * read-only xe calls, then judged by a pure function that reports every problem at once in user
 * terms: free memory for the pinned memory, room on the default SR, the "Other install media"
 * template, the network and the ISO, and the licence restriction on nested virtualisation, which
 * XenServer 8 otherwise reports only at VM start as a raw LICENCE_RESTRICTION (anchors.md §9.1).
 * The same round finds leftovers of an interrupted create (VMs and disks of ours with this name).
 */
import { parseMap, parseSet, XeClient, XeRecord } from "../../xe";
import { formatBytes } from "../remasteredIso/format";
import { NestedHypervisorInputs, TEMPLATE_NAME } from "./args";
import { diskName } from "./naming";
import { NestedVirtKey, nestedVirtKeys } from "./platform";

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

/** Bytes of `gib` GiB of VM memory, in whole MiB (check() allows memoryGiB only in steps of 1/1024). */
export function memoryBytesOf(gib: number): number {
    return Math.round(gib * 1024) * MiB;
}

/** The inputs a pre-flight judges. */
export type PreflightSpec = Pick<NestedHypervisorInputs, "nameLabel" | "isoName" | "networkUuid" | "memoryGiB" | "vcpus" | "diskGiB">;

export interface HostFacts {
    target: string;
    hostUuid: string;
    brand: string;
    productVersion: string;
    nestedVirtKeys: NestedVirtKey[];
    restrictNestedVirt: boolean;
    poolUuid: string;
    memoryFreeBytes: number;
    templateUuid?: string;
    networkExists: boolean;
    isoVdiUuid?: string;
    defaultSr?: { uuid: string; nameLabel: string; freeBytes: number };
    /** Every VM (not templates) with name-label and other-config, for leftover detection. */
    vms: XeRecord[];
    /** VDIs named like this VM's system disk. */
    disks: XeRecord[];
}

/** Reads the facts (7 read-only xe calls, in parallel). */
export async function gatherFacts(xe: XeClient, spec: PreflightSpec): Promise<HostFacts> {
    const [hosts, pools, templates, networks, vdis, srs, vms] = await Promise.all([
        xe.list("host", {}, ["uuid", "software-version", "memory-free"]),
        xe.list("pool", {}, ["uuid", "master", "default-SR", "restrictions"]),
        xe.list("template", { "name-label": TEMPLATE_NAME }, ["uuid"]),
        xe.list("network", { uuid: spec.networkUuid }, ["uuid"]),
        // One list for the ISO and for leftover system disks (filters take one value per field).
        xe.list("vdi", {}, ["uuid", "name-label", "sr-uuid", "vbd-uuids"]),
        xe.list("sr", {}, ["uuid", "name-label", "content-type", "physical-size", "physical-utilisation"]),
        xe.list("vm", { "is-control-domain": "false" }, ["uuid", "name-label", "power-state", "other-config"]),
    ]);
    const isoVdis = vdis.filter((v) => v["name-label"] === spec.isoName);
    const disks = vdis.filter((v) => v["name-label"] === diskName(spec.nameLabel));
    const pool = pools[0] ?? {};
    const host = hosts.find((h) => h.uuid === pool.master) ?? hosts[0] ?? {};
    const sv = parseMap(host["software-version"] ?? "");
    const brand = sv.product_brand ?? sv.platform_name ?? "";
    const productVersion = sv.product_version ?? sv.platform_version ?? "";
    const isoSrs = new Set(srs.filter((s) => s["content-type"] === "iso").map((s) => s.uuid));
    const defaultSrRec = srs.find((s) => s.uuid === pool["default-SR"]);
    return {
        target: xe.target,
        hostUuid: host.uuid ?? "",
        brand,
        productVersion,
        nestedVirtKeys: nestedVirtKeys(brand, productVersion),
        restrictNestedVirt: parseMap(pool.restrictions ?? "").restrict_nested_virt === "true",
        poolUuid: pool.uuid ?? "",
        memoryFreeBytes: Number(host["memory-free"] ?? 0),
        templateUuid: templates[0]?.uuid,
        networkExists: networks.length > 0,
        isoVdiUuid: isoVdis.find((v) => isoSrs.has(v["sr-uuid"]))?.uuid,
        defaultSr: defaultSrRec && {
            uuid: defaultSrRec.uuid,
            nameLabel: defaultSrRec["name-label"],
            freeBytes: Number(defaultSrRec["physical-size"]) - Number(defaultSrRec["physical-utilisation"]),
        },
        vms,
        disks,
    };
}

/** Memory xapi wants free to start the VM: its memory plus the HVM overhead (xenopsd's model). */
export function startFootprintBytes(memoryGiB: number, vcpus: number): number {
    const memMib = Math.ceil((memoryGiB * GiB) / MiB);
    const shadowMib = Math.ceil((256 * vcpus + 2 * memMib) / 256);
    return (memMib + 2 + shadowMib) * MiB;
}

/** Every reason the install cannot work on this host, in user terms (empty: go). */
export function preflightProblems(facts: HostFacts, spec: PreflightSpec): string[] {
    const problems: string[] = [];
    if (!facts.templateUuid) problems.push(`the template "${TEMPLATE_NAME}" is missing on ${facts.target}; nested hypervisors are installed from it`);
    if (!facts.networkExists) problems.push(`networkUuid: network ${spec.networkUuid} does not exist on ${facts.target}`);
    if (!facts.isoVdiUuid) problems.push(`isoName: no ISO named ${spec.isoName} in an ISO SR on ${facts.target}; create it with RemasteredIso (and pass its isoName)`);
    const diskBytes = spec.diskGiB * GiB;
    if (!facts.defaultSr) {
        problems.push(`the pool has no default SR to hold the ${spec.diskGiB} GiB system disk; set one: xe pool-param-set uuid=${facts.poolUuid} default-SR=<sr uuid>`);
    } else if (facts.defaultSr.freeBytes < diskBytes) {
        problems.push(`diskGiB: the default SR "${facts.defaultSr.nameLabel}" (${facts.defaultSr.uuid}) has ${formatBytes(Math.max(0, facts.defaultSr.freeBytes))} free, the system disk needs ${spec.diskGiB} GiB`);
    }
    const needed = startFootprintBytes(spec.memoryGiB, spec.vcpus);
    if (facts.memoryFreeBytes < needed) {
        problems.push(
            `memoryGiB: ${facts.target} has ${formatBytes(facts.memoryFreeBytes)} of free memory; ${spec.nameLabel} needs ${formatBytes(needed)} ` +
            `(${spec.memoryGiB} GiB, all of it at start because nested virtualisation pins memory, plus overhead)`,
        );
    }
    if (facts.restrictNestedVirt && facts.nestedVirtKeys.includes("nested-virt")) {
        problems.push(
            `the pool's licence does not allow nested virtualisation (pool restrictions: restrict_nested_virt=true), so ${facts.brand} ${facts.productVersion} ` +
            "refuses to start a VM with platform:nested-virt=true; apply a licence that includes nested virtualisation (Nested_virt)",
        );
    }
    return problems;
}

/** VDIs named like the system disk that no VBD uses (an interrupted create made them). */
export function orphanDisks(facts: HostFacts): string[] {
    return facts.disks.filter((d) => parseSet(d["vbd-uuids"] ?? "").length === 0).map((d) => d.uuid);
}
