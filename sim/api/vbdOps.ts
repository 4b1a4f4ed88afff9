/**
 * VBD.plug / VBD.unplug / VBD.unplug_force and the VBD's allowed operations
 * (xapi_vbd_helpers.ml valid_operations, checked first by message_forwarding.ml's with_vbd_marked;
 * then xapi_vbd.ml plug/unplug and xapi_xenops.ml vbd_plug/vbd_unplug).
 *
 * Each operation gets the FIRST error any rule sets for it, rules in xapi's order: not unpluggable,
 * not removable media, empty / not empty, the VM's power state and whether the VBD is attached,
 * the guest's PV drivers (./hotplug) and HVM CD drives, suspended CD drives, then the VDI (managed,
 * and the sharing checks when asked for). The simulator never has operations in progress, so the
 * other_operation_in_progress rules never fire.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import type { Ref } from "../model/types";
import { hotplugRefusal } from "./hotplug";
import { linuxDevice } from "./vbd";

export type VbdOp = "attach" | "eject" | "unplug" | "unplug_force" | "insert" | "plug" | "pause" | "unpause";

/** Xapi_vbd_helpers.all_ops, in xapi's order. */
export const VBD_OPS: VbdOp[] = ["attach", "eject", "unplug", "unplug_force", "insert", "plug", "pause", "unpause"];

const PLUG_OPS: VbdOp[] = ["plug", "unplug", "unplug_force"];

/**
 * valid_operations: each operation with the error that forbids it, or null when it is allowed.
 * @param sharingChecks run the VDI sharing checks, as assert_operation_valid does (allowed-operations skips them). @default true
 */
export function vbdValidOperations(c: Ctx, ref: Ref, sharingChecks = true): Map<VbdOp, ApiError | null> {
    const vbd = c.get("vbd", ref);
    const vm = c.get("vm", vbd.VM);
    const table = new Map<VbdOp, ApiError | null>(VBD_OPS.map((op) => [op, null]));
    const set = (err: ApiError, ops: VbdOp[]) => { for (const op of ops) if (table.get(op) === null) table.set(op, err); };
    if (!vbd.unpluggable) set(new ApiError("VBD_NOT_UNPLUGGABLE", [ref]), ["unplug", "unplug_force"]);
    if (vbd.type !== "CD") set(new ApiError("VBD_NOT_REMOVABLE_MEDIA", [ref]), ["insert", "eject"]);
    if (vbd.empty) set(new ApiError("VBD_IS_EMPTY", [ref]), ["eject"]);
    else set(new ApiError("VBD_NOT_EMPTY", [ref]), ["insert"]);
    if (vm.power_state === "running") {
        if (vbd.currently_attached) set(new ApiError("DEVICE_ALREADY_ATTACHED", [ref]), ["plug"]);
        else set(new ApiError("DEVICE_ALREADY_DETACHED", [ref]), ["unplug", "unplug_force"]);
    } else {
        // VBD pause/unpause stay allowed while the VM is paused.
        const ops: VbdOp[] = vm.power_state === "paused" ? PLUG_OPS : ["pause", "unpause", ...PLUG_OPS];
        set(new ApiError("VM_BAD_POWER_STATE", [vbd.VM, "running", vm.power_state]), ops);
    }
    if (vm.power_state === "running" && vm.metrics.currentDomainType === "hvm") {
        const refusal = hotplugRefusal(c, vbd.VM, "VBD");
        if (refusal) set(refusal, PLUG_OPS);
        if (vbd.type === "CD") set(new ApiError("OPERATION_NOT_ALLOWED", ["HVM CDROMs cannot be hotplugged/unplugged, only inserted or ejected"]), PLUG_OPS);
    }
    if (vbd.type === "CD" && vm.power_state === "suspended") {
        set(new ApiError("VM_BAD_POWER_STATE", [vbd.VM, "halted, running", "suspended"]), ["insert", "eject"]);
    }
    const vdi = vbd.empty ? undefined : c.db.vdi[vbd.VDI];
    if (vdi) {
        if (!vdi.managed) set(new ApiError("VDI_NOT_MANAGED", [ref]), VBD_OPS);
        if (!vbd.currently_attached && sharingChecks) {
            const others = c.all("vbd").filter(([r, b]) => r !== ref && b.VDI === vbd.VDI && b.currently_attached)
                .filter(([, b]) => c.db.vm[b.VM]?.power_state !== "suspended" && c.db.vm[b.VM]?.other_config.is_system_domain !== "true");
            const needWrite = vbd.mode === "RW";
            const isSystemDomain = vm.other_config.is_system_domain === "true";
            if (!vdi.sharable && !isSystemDomain && (others.some(([, b]) => b.mode === "RW") || (needWrite && others.length > 0))) {
                set(new ApiError("VDI_IN_USE", [vbd.VDI]), ["attach", "insert", "plug"]);
            }
            if (needWrite && vdi.read_only) set(new ApiError("VDI_READONLY", [vbd.VDI]), ["attach", "insert", "plug"]);
        }
    }
    return table;
}

/** The allowed-operations field (no sharing checks, as update_allowed_operations); in all_ops order. */
export function vbdAllowedOperations(c: Ctx, ref: Ref): VbdOp[] {
    return [...vbdValidOperations(c, ref, false)].filter(([, err]) => err === null).map(([op]) => op);
}

function assertValid(c: Ctx, ref: Ref, op: VbdOp): void {
    const err = vbdValidOperations(c, ref).get(op);
    if (err) throw err;
}

/** VBD.plug: hot-plugs the disk or drive into its running VM (HVM guests only take read/write disks: CA-83260). */
export function vbdPlug(c: Ctx, ref: Ref): void {
    assertValid(c, ref, "plug");
    const vbd = c.get("vbd", ref);
    const vm = c.get("vm", vbd.VM);
    if (vm.metrics.currentDomainType === "hvm" && vbd.type !== "CD" && vbd.mode === "RO") {
        throw new ApiError("DISK_VBD_MUST_BE_READWRITE_FOR_HVM", [ref]);
    }
    vbd.currently_attached = true;
    vbd.device = linuxDevice(c.gen, vbd.userdevice);
    c.log(vm, `VBD ${vbd.uuid} (userdevice ${vbd.userdevice}) hot-plugged as ${vbd.device}`);
}

/** VBD.unplug / VBD.unplug_force. */
export function vbdUnplug(c: Ctx, ref: Ref, force: boolean): void {
    assertValid(c, ref, force ? "unplug_force" : "unplug");
    const vbd = c.get("vbd", ref);
    vbd.currently_attached = false;
    c.log(c.get("vm", vbd.VM), `VBD ${vbd.uuid} (userdevice ${vbd.userdevice}) ${force ? "force-unplugged" : "unplugged"}`);
}
