/**
 * VM setters with xapi's checks (xapi_vm.ml, xapi_vm_memory_constraints.ml): memory ranges,
 * VCPU counts and the template flag. Each first asserts its lifecycle operation (./vmOps).
 */
import type { Ctx } from "../xe/context";
import { ApiError, OcamlFailure } from "../xe/errors";
import { vmOverheadBytes } from "../model/memory";
import type { Ref, VmRec } from "../model/types";
import { assertOperationValid } from "./vmOps";

export interface MemoryLimits {
    static_min: number;
    dynamic_min: number;
    dynamic_max: number;
    static_max: number;
}

const isTrue = (v: string | undefined): boolean => v !== undefined && (v === "1" || v.toLowerCase() === "true");

/** Xapi_vm_lifecycle.nested_virt: the VM_metrics flag captured at the last start. */
export function nestedVirtActive(vm: VmRec): boolean {
    return vm.metrics.nestedVirt;
}

/** Vm_memory_constraints.assert_valid_for_current_context. */
export function assertMemoryValid(c: Ctx, vm: VmRec, m: MemoryLimits): void {
    const ordered = m.static_min <= m.dynamic_min && m.dynamic_min <= m.dynamic_max && m.dynamic_max <= m.static_max;
    const pinned = m.static_min <= m.dynamic_min && m.dynamic_min === m.dynamic_max && m.dynamic_max === m.static_max;
    const reason = vm.is_control_domain ? "control domain" : nestedVirtActive(vm) ? "nested virt" : null;
    if (c.gen === 0) {
        // 1.14 raises MEMORY_CONSTRAINT_VIOLATION with the constraint spelled out.
        if (reason ? !pinned : !ordered) {
            throw new ApiError("MEMORY_CONSTRAINT_VIOLATION", [
                reason
                    ? "Memory limits must satisfy: static_min \u2264 dynamic_min = dynamic_max = static_max"
                    : "Memory limits must satisfy: static_min \u2264 dynamic_min \u2264 dynamic_max \u2264 static_max",
            ]);
        }
        return;
    }
    if (reason) {
        if (!pinned) throw new ApiError("MEMORY_CONSTRAINT_VIOLATION_MAXPIN", [reason]);
    } else if (!ordered) {
        throw new ApiError("MEMORY_CONSTRAINT_VIOLATION_ORDER", []);
    }
}

/** At VM.start: platform:nested-virt=true requires memory pinned at static-max (CP-18860). */
export function assertStartMemory(c: Ctx, vm: VmRec): void {
    if (!isTrue(vm.platform["nested-virt"])) return;
    const pinned = vm.memory_static_min <= vm.memory_dynamic_min && vm.memory_dynamic_min === vm.memory_dynamic_max
        && vm.memory_dynamic_max === vm.memory_static_max;
    if (pinned) return;
    if (c.gen === 0) {
        throw new ApiError("MEMORY_CONSTRAINT_VIOLATION", ["Memory limits must satisfy: static_min \u2264 dynamic_min = dynamic_max = static_max"]);
    }
    throw new ApiError("MEMORY_CONSTRAINT_VIOLATION_MAXPIN", ["nested virt"]);
}

export function updateOverhead(vm: VmRec): void {
    vm.memory_overhead = vmOverheadBytes(vm);
}

export function setMemoryLimits(c: Ctx, ref: Ref, m: MemoryLimits): void {
    assertOperationValid(c, ref, "changing_memory_limits");
    const vm = c.get("vm", ref);
    assertMemoryValid(c, vm, m);
    Object.assign(vm, {
        memory_static_min: m.static_min, memory_dynamic_min: m.dynamic_min, memory_target: m.dynamic_min,
        memory_dynamic_max: m.dynamic_max, memory_static_max: m.static_max,
    });
    updateOverhead(vm);
    if (vm.is_control_domain && vm.power_state === "running") vm.requires_reboot = true;
}

/** VM.set_memory_static_{min,max}, forwarded to set_memory_static_range. */
export function setMemoryStaticRange(c: Ctx, ref: Ref, min: number, max: number): void {
    assertOperationValid(c, ref, "changing_static_range");
    const vm = c.get("vm", ref);
    assertMemoryValid(c, vm, { static_min: min, static_max: max, dynamic_min: vm.memory_dynamic_min, dynamic_max: vm.memory_dynamic_max });
    vm.memory_static_min = min;
    vm.memory_static_max = max;
    updateOverhead(vm);
}

/** VM.set_memory_dynamic_{min,max}, forwarded to set_memory_dynamic_range. */
export function setMemoryDynamicRange(c: Ctx, ref: Ref, min: number, max: number): void {
    assertOperationValid(c, ref, "changing_dynamic_range");
    const vm = c.get("vm", ref);
    assertMemoryValid(c, vm, { static_min: vm.memory_static_min, static_max: vm.memory_static_max, dynamic_min: min, dynamic_max: max });
    vm.memory_target = min;
    vm.memory_dynamic_min = min;
    vm.memory_dynamic_max = max;
    if (vm.power_state === "running") vm.metrics.memoryActual = max;
}

const VCPU_RULE = "VCPU values must satisfy: 0 < VCPUs_at_startup \u2264 VCPUs_max";

export function setVcpusMax(c: Ctx, ref: Ref, value: number): void {
    const vm = c.get("vm", ref);
    if (vm.is_control_domain && vm.domid === 0) throw new OcamlFailure("set_VCPUs_max is not allowed on dom0");
    assertOperationValid(c, ref, "changing_VCPUs");
    if (value < 1 || value < vm.VCPUs_at_startup) throw new ApiError("INVALID_VALUE", [VCPU_RULE, String(value)]);
    vm.VCPUs_max = value;
    updateOverhead(vm);
}

export function setVcpusAtStartup(c: Ctx, ref: Ref, value: number): void {
    const vm = c.get("vm", ref);
    if (vm.is_control_domain && vm.domid === 0) {
        throw new ApiError("OPERATION_NOT_ALLOWED", ["set_VCPUs_at_startup is not allowed on dom0"]);
    }
    assertOperationValid(c, ref, "changing_VCPUs");
    if (value < 1 || value > vm.VCPUs_max) throw new ApiError("INVALID_VALUE", [VCPU_RULE, String(value)]);
    vm.VCPUs_at_startup = value;
    updateOverhead(vm);
}

export function setIsATemplate(c: Ctx, ref: Ref, value: boolean): void {
    const vm = c.get("vm", ref);
    if (value && !vm.is_a_template) assertOperationValid(c, ref, "make_into_template");
    vm.is_a_template = value;
}
