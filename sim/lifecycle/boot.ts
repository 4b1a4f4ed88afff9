/**
 * What a VM boots from: the BootRequest sim/installer's planBoot() judges. The CD's ISO is a real
 * file (its ISO SR's location directory plus the VDI's file name), the boot disk is userdevice 0.
 */
import * as path from "node:path";
import type { Ctx } from "../xe/context";
import type { BootPlan, BootRequest } from "../installer/types";
import type { Ref } from "../model/types";
import { srDirectory } from "../api/storage";
import { deviceIndex } from "../api/vbd";

/** The CD drive's ISO on the host filesystem, or null for an empty/absent drive or a forgotten SR. */
function cdIsoPath(c: Ctx, vm: Ref): string | null {
    const cds = c.all("vbd").filter(([, b]) => b.VM === vm && b.type === "CD" && !b.empty)
        .sort(([, a], [, b]) => (deviceIndex(a.userdevice) ?? 0) - (deviceIndex(b.userdevice) ?? 0));
    for (const [, cd] of cds) {
        const vdi = c.db.vdi[cd.VDI];
        if (!vdi) continue;
        const dir = srDirectory(c, vdi.SR);
        if (dir) return path.join(dir, vdi.location);
    }
    return null;
}

export function buildBootRequest(c: Ctx, vmRef: Ref, now: number): BootRequest {
    const vm = c.get("vm", vmRef);
    const diskVbd = c.all("vbd").find(([, b]) => b.VM === vmRef && b.type === "Disk" && !b.empty && deviceIndex(b.userdevice) === 0);
    const vdi = diskVbd ? c.db.vdi[diskVbd[1].VDI] : undefined;
    const disk: BootRequest["disk"] = !vdi
        ? null
        : vdi.installed
            ? { blank: false, sizeBytes: vdi.virtual_size, system: vdi.installed }
            : { blank: true, sizeBytes: vdi.virtual_size };
    const vifs = c.all("vif").filter(([, v]) => v.VM === vmRef).sort(([, a], [, b]) => Number(a.device) - Number(b.device));
    return {
        vmUuid: vm.uuid,
        bootOrder: vm.HVM_boot_params.order ?? "cd",
        firmware: vm.HVM_boot_params.firmware === "uefi" ? "uefi" : "bios",
        cdIsoPath: cdIsoPath(c, vmRef),
        disk,
        nics: vifs.map((_, i) => `eth${i}`),
        macs: vifs.map(([, v]) => v.MAC),
        product: c.product,
        installSeconds: c.db.settings.installSeconds,
        firstBootSeconds: c.db.settings.firstBootSeconds,
        now,
    };
}

/** Asks the simulated installer what this boot does; loaded lazily to keep `xe` start-up light. */
export function planBootFor(c: Ctx, vmRef: Ref, now: number): BootPlan {
    const request = buildBootRequest(c, vmRef, now);
    const { planBoot } = require("../installer") as typeof import("../installer");
    try {
        return planBoot(request);
    } catch (err) {
        const reason = `the simulated installer failed to plan the boot: ${(err as Error)?.stack ?? String(err)}`;
        return { kind: "stall", reason, log: [reason] };
    }
}

/** Simulated ms at which a plan's timed part ends, or null when the VM then runs on forever. */
export function planEnd(plan: BootPlan, bootedAt: number): number | null {
    switch (plan.kind) {
        case "install":
        case "install-failed":
        case "first-boot":
            return bootedAt + Math.max(0, plan.durationMs);
        default:
            return null;
    }
}
