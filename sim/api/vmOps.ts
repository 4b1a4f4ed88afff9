/**
 * Which VM operations are allowed when (xapi_vm_lifecycle.ml). assertOperationValid follows
 * check_operation_error's order: blocked operations first, then the power state (whose error lists
 * the allowed states in allowed_power_states' order), then template, snapshot and control-domain
 * rules. The first failing rule is the error raised.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import type { PowerState, Ref, VmRec } from "../model/types";

export type VmOp =
    | "start" | "start_on" | "provision" | "make_into_template" | "changing_VCPUs" | "changing_static_range"
    | "changing_memory_limits" | "changing_shadow_memory" | "changing_NVRAM" | "unpause" | "resume" | "clean_reboot"
    | "clean_shutdown" | "pause" | "suspend" | "changing_dynamic_range" | "clone" | "copy" | "destroy" | "export"
    | "hard_reboot" | "hard_shutdown" | "checkpoint" | "snapshot" | "metadata_export" | "power_state_reset"
    | "migrate_send" | "pool_migrate" | "changing_VCPUs_live" | "changing_memory_live";

/** allowed_power_states, in xapi's order (it is the `expected` text of VM_BAD_POWER_STATE). */
export function allowedPowerStates(vm: VmRec, op: VmOp): PowerState[] {
    switch (op) {
        case "changing_VCPUs":
        case "changing_static_range":
        case "changing_memory_limits":
            return vm.is_control_domain ? ["halted", "running"] : ["halted"];
        case "changing_shadow_memory":
        case "changing_NVRAM":
        case "make_into_template":
        case "provision":
        case "start":
        case "start_on":
            return ["halted"];
        case "unpause":
            return ["paused"];
        case "resume":
            return ["suspended"];
        case "clean_reboot":
        case "clean_shutdown":
        case "pause":
        case "suspend":
        case "pool_migrate":
        case "changing_VCPUs_live":
        case "changing_memory_live":
            return ["running"];
        case "changing_dynamic_range":
            return ["halted", "running"];
        case "clone":
        case "copy":
            return vm.is_a_snapshot ? ["halted", "suspended"] : ["halted"];
        case "destroy":
        case "export":
            return ["halted", "suspended"];
        case "hard_reboot":
            return ["paused", "running"];
        case "checkpoint":
        case "hard_shutdown":
            return ["paused", "suspended", "running"];
        case "migrate_send":
            return ["halted", "suspended", "running"];
        case "snapshot":
        case "metadata_export":
        case "power_state_reset":
            return ["halted", "paused", "suspended", "running"];
    }
}

const TEMPLATE_OPS: VmOp[] = [
    "changing_dynamic_range", "changing_static_range", "changing_memory_limits", "changing_shadow_memory",
    "changing_VCPUs", "changing_NVRAM", "clone", "copy", "export", "metadata_export", "provision",
];

const SNAPSHOT_OPS: VmOp[] = ["clone", "copy", "export", "destroy", "hard_shutdown", "metadata_export"];

const CONTROL_DOMAIN_OPS: VmOp[] = [
    "changing_memory_live", "metadata_export", "changing_dynamic_range", "changing_memory_limits",
    "changing_static_range", "start", "start_on", "changing_VCPUs", "destroy",
];

function isDefaultTemplate(vm: VmRec): boolean {
    const v = vm.other_config.default_template;
    return vm.is_default_template || (v !== undefined && (v === "1" || v.toLowerCase() === "true"));
}

export function assertOperationValid(c: Ctx, ref: Ref, op: VmOp): void {
    const vm = c.get("vm", ref);
    const blocked = vm.blocked_operations[op];
    if (blocked !== undefined) throw new ApiError("OPERATION_BLOCKED", [ref, blocked]);
    const allowed = allowedPowerStates(vm, op);
    if (!allowed.includes(vm.power_state)) {
        throw new ApiError("VM_BAD_POWER_STATE", [ref, allowed.join(", "), vm.power_state]);
    }
    if (vm.is_a_template && !vm.is_a_snapshot) {
        const ok = TEMPLATE_OPS.includes(op) || ((op === "destroy" || op === "migrate_send") && !isDefaultTemplate(vm));
        if (!ok) throw new ApiError("VM_IS_TEMPLATE", [ref, op]);
    }
    if (vm.is_a_snapshot && !SNAPSHOT_OPS.includes(op)) throw new ApiError("VM_IS_SNAPSHOT", [ref, op]);
    if (op === "provision" && !vm.is_a_template) throw new ApiError("PROVISION_ONLY_ALLOWED_ON_TEMPLATE", []);
    const isDom0 = vm.is_control_domain && vm.domid === 0;
    if ((op === "changing_VCPUs" || op === "destroy") && isDom0) {
        throw new ApiError("OPERATION_NOT_ALLOWED", ["This operation is not allowed on dom0"]);
    }
    if (vm.is_control_domain && !CONTROL_DOMAIN_OPS.includes(op)) {
        throw new ApiError("OPERATION_NOT_ALLOWED", ["This operation is not allowed on a control domain"]);
    }
}

/** The allowed-operations field: a plausible subset of what update_allowed_operations computes. */
export function allowedOperations(vm: VmRec): string[] {
    if (vm.is_control_domain) return ["changing_dynamic_range", "changing_static_range", "changing_memory_limits", "metadata_export"];
    if (vm.is_a_template) return ["changing_NVRAM", "changing_dynamic_range", "changing_shadow_memory", "changing_static_range", "export", "provision", "changing_memory_limits", "changing_VCPUs", "copy", "clone"];
    switch (vm.power_state) {
        case "halted":
            return ["changing_NVRAM", "changing_dynamic_range", "changing_shadow_memory", "changing_static_range", "make_into_template", "migrate_send", "destroy", "export", "start_on", "changing_memory_limits", "changing_VCPUs", "snapshot", "start", "copy", "clone"];
        case "running":
            return ["changing_dynamic_range", "migrate_send", "pool_migrate", "changing_VCPUs_live", "suspend", "hard_reboot", "clean_reboot", "hard_shutdown", "clean_shutdown", "pause", "checkpoint", "snapshot"];
        case "paused":
            return ["hard_reboot", "hard_shutdown", "unpause", "checkpoint", "snapshot"];
        case "suspended":
            return ["hard_shutdown", "resume", "resume_on", "destroy", "export", "snapshot"];
    }
}
