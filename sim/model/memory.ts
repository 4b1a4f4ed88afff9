/**
 * Memory accounting: a VM's memory-overhead (xenopsd's HVM memory model, xapi-idl memory.ml) and a
 * host's free memory (total minus the host's own overhead minus what resident domains use).
 */
import type { Db, HostRec, Ref, VmRec } from "./types";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

const mibUsed = (bytes: number): number => Math.ceil(bytes / MiB);

/**
 * HVM overhead in MiB: one MiB each of internal and external extra, plus the shadow allocation of
 * ceil((256 * vcpus + 2 * static_max_mib) pages / 256) MiB times the shadow multiplier.
 */
export function overheadMib(vm: Pick<VmRec, "memory_static_max" | "VCPUs_max" | "HVM_shadow_multiplier">): number {
    const staticMaxMib = mibUsed(vm.memory_static_max);
    const pages = 256 * vm.VCPUs_max + 2 * staticMaxMib;
    const shadow = Math.max(1, Math.floor(Math.ceil(pages / 256) * (vm.HVM_shadow_multiplier || 1)));
    return 1 + 1 + shadow;
}

/** A VM's memory-overhead field: overheadMib() in bytes. */
export function vmOverheadBytes(vm: VmRec): number {
    return overheadMib(vm) * MiB;
}

/** What xapi requires free to start the VM (policy Dynamic_min: dynamic-min plus overhead). */
export function startFootprintBytes(vm: VmRec): number {
    return (mibUsed(vm.memory_dynamic_min) + overheadMib(vm)) * MiB;
}

/** Memory a resident domain holds: its actual allocation plus overhead. */
function residentBytes(vm: VmRec): number {
    return vm.metrics.memoryActual + vm.memory_overhead;
}

export function hostFreeBytes(db: Db, hostRef: Ref, host: HostRec): number {
    let used = host.memory_overhead;
    for (const vm of Object.values(db.vm)) {
        if (vm.resident_on === hostRef && vm.power_state !== "halted") used += residentBytes(vm);
    }
    return Math.max(0, host.memory_total - used);
}
