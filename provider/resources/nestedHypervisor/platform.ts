/**
 * The VM settings that make a XenServer install and run nested (anchors.md §7.3): the nested
 * virtualisation platform key chosen by the physical host's version, e1000 NICs, an explicit boot
 * order (the template's changed from "dc" to "cd" in 2019, seed-and-installer.md §2.4.2) and the
 * firmware.
 */
import type { Firmware } from "./args";

export type NestedVirtKey = "exp-nested-hvm" | "nested-virt";

/**
 * Up to 8.2 (Xen ≤ 4.13) Xen reads platform:exp-nested-hvm; XenServer 8 and XCP-ng 8.3 (Xen 4.17
 * toolstack) read only platform:nested-virt (xe-cli.md §5). Unknown products get both, as
 * xcp-ng-tests does.
 */
export function nestedVirtKeys(brand: string, productVersion: string): NestedVirtKey[] {
    const [major, minor] = productVersion.split(".").map((n) => Number(n));
    const b = brand.trim().toLowerCase();
    if (!Number.isInteger(major) || !Number.isInteger(minor)) return ["exp-nested-hvm", "nested-virt"];
    if (b === "xcp-ng") return major > 8 || (major === 8 && minor >= 3) ? ["nested-virt"] : ["exp-nested-hvm"];
    if (b === "xenserver" || b === "citrix hypervisor") {
        if (major < 8 || (major === 8 && minor <= 2)) return ["exp-nested-hvm"];
        if (major > 8 || (major === 8 && minor >= 4)) return ["nested-virt"];
    }
    return ["exp-nested-hvm", "nested-virt"];
}

/** The vm-param-set entries of a nested hypervisor, besides tags and vCPUs. */
export function platformParams(keys: readonly NestedVirtKey[], firmware: Firmware): { platform: Record<string, string>; "HVM-boot-params": Record<string, string> } {
    const platform: Record<string, string> = { nic_type: "e1000" };
    for (const key of keys) platform[key] = "true";
    if (firmware === "uefi") platform["device-model"] = "qemu-upstream-uefi";
    // CD first: the empty disk falls through to the installer; after the CD is ejected the disk boots.
    return { platform, "HVM-boot-params": { order: "dc", firmware } };
}
