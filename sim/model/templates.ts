/**
 * The default templates each product ships, from sim/data/templates.json. That file was generated
 * once from xenserver/guest-templates-json (branch release/ely/staging for 7.1,
 * release/stockholm/lcm for 8.2, release/xs8 for XenServer 8 and, lacking XCP-ng's own list, XCP-ng
 * 8.3) by resolving each template's `derived_from` chain the way the loader's BlankTemplate does.
 * Only read when a host is first initialised.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Product, ProductId } from "../products";
import { blankVm } from "./defaults";
import { newUuid } from "./ids";
import type { StrMap, VmRec } from "./types";

interface TemplateBase {
    name_description: string;
    other_config: StrMap;
    platform: StrMap;
    recommendations: string;
    HVM_boot_policy: string;
    HVM_boot_params: StrMap;
    PV_bootloader: string;
    PV_args: string;
    PV_kernel: string;
    PV_ramdisk: string;
    PV_bootloader_args: string;
    PV_legacy_args: string;
    domain_type: string;
    HVM_shadow_multiplier: number;
    has_vendor_device: boolean;
    generation_id: string;
    VCPUs_max: number;
    VCPUs_at_startup: number;
}

/** [name_label, uuid, reference_label, base index, memory_static_min] */
type TemplateRow = [string, string, string, number, number];

type TemplateData = Record<string, { bases: TemplateBase[]; templates: TemplateRow[] } | ProductId>;

function loadData(): TemplateData {
    const file = path.join(__dirname, "..", "data", "templates.json");
    const alt = path.resolve(__dirname, "..", "..", "..", "sim", "data", "templates.json");
    return JSON.parse(fs.readFileSync(fs.existsSync(file) ? file : alt, "utf8")) as TemplateData;
}

export function defaultTemplates(product: Product): VmRec[] {
    const data = loadData();
    let entry = data[product.id];
    if (typeof entry === "string") entry = data[entry];
    if (!entry || typeof entry === "string") throw new Error(`no template list for product ${product.id}`);
    const { bases, templates } = entry;
    return templates.map(([name, uuid, referenceLabel, baseIndex, staticMin]) => {
        const base = bases[baseIndex];
        // guest-templates: static_min = min_memory, everything else twice that.
        const other: StrMap = { mac_seed: newUuid(), ...base.other_config };
        // XenServer 7.1 predates VM.is_default_template: the loader marks templates in other-config.
        if (product.xapiGeneration === 0) other.default_template = "true";
        return blankVm({
            uuid,
            name_label: name,
            name_description: base.name_description,
            is_a_template: true,
            is_default_template: product.xapiGeneration > 0,
            reference_label: product.xapiGeneration > 0 ? referenceLabel : "",
            memory_static_min: staticMin,
            memory_static_max: staticMin * 2,
            memory_dynamic_min: staticMin * 2,
            memory_dynamic_max: staticMin * 2,
            VCPUs_max: base.VCPUs_max,
            VCPUs_at_startup: base.VCPUs_at_startup,
            other_config: other,
            platform: { ...base.platform },
            recommendations: base.recommendations,
            HVM_boot_policy: base.HVM_boot_policy,
            HVM_boot_params: { ...base.HVM_boot_params },
            HVM_shadow_multiplier: base.HVM_shadow_multiplier,
            PV_bootloader: base.PV_bootloader,
            PV_args: base.PV_args,
            PV_kernel: base.PV_kernel,
            PV_ramdisk: base.PV_ramdisk,
            PV_bootloader_args: base.PV_bootloader_args,
            PV_legacy_args: base.PV_legacy_args,
            domain_type: base.domain_type || (base.HVM_boot_policy ? "hvm" : "pv"),
            has_vendor_device: base.has_vendor_device,
            generation_id: base.generation_id,
        });
    });
}
