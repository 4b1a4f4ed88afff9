/**
 * VIF.plug / VIF.unplug / VIF.unplug_force and the VIF's allowed operations
 * (xapi_vif_helpers.ml valid_operations, message_forwarding.ml VIF.plug/unplug_common, which
 * check the operation first, and xapi_xenops.ml vif_plug/vif_unplug).
 *
 * As in xapi, each operation gets the FIRST error any rule sets for it, rules in this order: no
 * hot-plug on dom0 (plug; not in 1.14), the VM's power state and whether the VIF is attached, then
 * the guest's PV drivers (./hotplug). A VIF made while its VM runs stays unplugged until plugged
 * (Xapi_vif.create only keeps currently_attached for a suspended VM). There is no unplug_force
 * operation: VIF.unplug_force is checked as `unplug` and differs only in not waiting for the guest.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import type { Ref } from "../model/types";
import { reportGuestAgent } from "../guest/agent";
import { hotplugRefusal } from "./hotplug";

export type VifOp = "attach" | "plug" | "unplug";

/** Xapi_vif_helpers.all_ops, in xapi's order. */
export const VIF_OPS: VifOp[] = ["attach", "plug", "unplug"];

/** valid_operations: each operation with the error that forbids it, or null when it is allowed. */
export function vifValidOperations(c: Ctx, ref: Ref): Map<VifOp, ApiError | null> {
    const vif = c.get("vif", ref);
    const table = new Map<VifOp, ApiError | null>(VIF_OPS.map((op) => [op, null]));
    const set = (err: ApiError, ops: VifOp[]) => { for (const op of ops) if (table.get(op) === null) table.set(op, err); };
    const vm = c.get("vm", vif.VM);
    // Helpers.is_domain_zero: the host's control domain (1.14 has no such rule).
    if (c.gen >= 1 && vm.is_control_domain && vm.domid === 0) {
        set(new ApiError("OPERATION_NOT_ALLOWED", ["Control domain does not support hotplug"]), ["plug"]);
    }
    if (vm.power_state === "running") {
        if (vif.currently_attached) set(new ApiError("DEVICE_ALREADY_ATTACHED", [ref]), ["plug"]);
        else set(new ApiError("DEVICE_ALREADY_DETACHED", [ref]), ["unplug"]);
    } else {
        set(new ApiError("VM_BAD_POWER_STATE", [vif.VM, "running", vm.power_state]), ["plug", "unplug"]);
    }
    const refusal = hotplugRefusal(c, vif.VM, "VIF");
    if (refusal) set(refusal, ["plug", "unplug"]);
    return table;
}

/**
 * The allowed-operations field. xapi stores the operations in the order a Hashtbl.fold yields
 * them; this prints them in all_ops order (a set: clients must not rely on the order).
 */
export function vifAllowedOperations(c: Ctx, ref: Ref): VifOp[] {
    return [...vifValidOperations(c, ref)].filter(([, err]) => err === null).map(([op]) => op);
}

function assertValid(c: Ctx, ref: Ref, op: VifOp): void {
    const err = vifValidOperations(c, ref).get(op);
    if (err) throw err;
}

/** VIF.plug: hot-plugs the VIF into its running VM; the guest then sees the new NIC. */
export function vifPlug(c: Ctx, ref: Ref): void {
    assertValid(c, ref, "plug");
    const vif = c.get("vif", ref);
    vif.currently_attached = true;
    const vm = c.get("vm", vif.VM);
    c.log(vm, `VIF ${vif.uuid} (device ${vif.device}, MAC ${vif.MAC}) hot-plugged`);
    reportGuestAgent(c.db, vif.VM, c.now);
}

/** VIF.unplug / VIF.unplug_force: the NIC disappears from the running guest. */
export function vifUnplug(c: Ctx, ref: Ref, force: boolean): void {
    assertValid(c, ref, "unplug");
    const vif = c.get("vif", ref);
    vif.currently_attached = false;
    const vm = c.get("vm", vif.VM);
    c.log(vm, `VIF ${vif.uuid} (device ${vif.device}, MAC ${vif.MAC}) ${force ? "force-unplugged" : "unplugged"}`);
    reportGuestAgent(c.db, vif.VM, c.now);
}
