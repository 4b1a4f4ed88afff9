/**
 * VBD operations (xapi_vbd.ml, xapi_vbd_helpers.ml): create, destroy, eject, insert. Plug and
 * unplug, which depend on the guest's PV drivers, are in ./vbdOps; a VM's VBDs are attached when it
 * (re)starts.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import { newRef, newUuid } from "../model/ids";
import { NULL_REF, Ref, StrMap, VbdRec } from "../model/types";

/** Disk index a device name denotes (Device_number.of_string), or null if it is not a device name. */
export function deviceIndex(dev: string): number | null {
    if (/^\d+$/.test(dev)) return Number(dev);
    const m = /^(?:xvd|hd|sd)([a-z]+)$/.exec(dev);
    if (!m) return null;
    return [...m[1]].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 96), 0) - 1;
}

/** The guest-visible device name xenopsd gives userdevice N when the VM starts. */
export function linuxDevice(gen: number, userdevice: string): string {
    const n = deviceIndex(userdevice) ?? 0;
    let letters = "";
    for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) letters = String.fromCharCode(97 + ((i - 1) % 26)) + letters;
    return gen === 0 && n < 4 ? `hd${letters}` : `xvd${letters}`;
}

export interface VbdCreateArgs {
    vm: Ref;
    vdi: Ref;
    userdevice: string;
    bootable: boolean;
    mode: "RO" | "RW";
    type: VbdRec["type"];
    unpluggable: boolean;
    empty: boolean;
    otherConfig?: StrMap;
}

export function vbdCreate(c: Ctx, a: VbdCreateArgs): Ref {
    const vm = c.get("vm", a.vm);
    if (!a.empty) {
        const vdi = c.get("vdi", a.vdi);
        if (a.mode === "RW" && vdi.read_only) throw new ApiError("VDI_READONLY", [a.vdi]);
    }
    if (a.type === "CD" && a.mode !== "RO") throw new ApiError("VBD_CDS_MUST_BE_READONLY", []);
    if (a.type !== "CD" && a.empty) throw new ApiError("VBD_NOT_REMOVABLE_MEDIA", ["in constructor"]);
    const used = c.all("vbd").filter(([, b]) => b.VM === a.vm).map(([, b]) => deviceIndex(b.userdevice));
    let userdevice = a.userdevice;
    if (userdevice === "autodetect") {
        const limit = vm.domain_type === "hvm" ? 4 : 16;
        const free = Array.from({ length: limit }, (_, i) => i).find((i) => !used.includes(i));
        if (free === undefined) throw new ApiError("INVALID_DEVICE", [a.userdevice]);
        userdevice = String(free);
    } else if (deviceIndex(userdevice) === null) {
        throw new ApiError("INVALID_DEVICE", [userdevice]);
    }
    if (used.includes(deviceIndex(userdevice))) throw new ApiError("DEVICE_ALREADY_EXISTS", [userdevice]);
    const ref = newRef();
    c.db.vbd[ref] = {
        uuid: newUuid(), VM: a.vm, VDI: a.empty ? NULL_REF : a.vdi, device: "", userdevice, bootable: a.bootable, mode: a.mode,
        type: a.type, unpluggable: a.unpluggable, empty: a.empty, currently_attached: false, qos_algorithm_type: "",
        qos_algorithm_params: {}, other_config: { ...(a.otherConfig ?? {}) },
    };
    c.invalidate();
    return ref;
}

export function vbdDestroy(c: Ctx, vbd: Ref): void {
    const r = c.get("vbd", vbd);
    if (r.currently_attached) {
        throw new ApiError("OPERATION_NOT_ALLOWED", [`VBD '${r.uuid}' still attached to '${c.uuidOf("vm", r.VM)}'`]);
    }
    delete c.db.vbd[vbd];
    c.invalidate();
}

function assertNotSuspended(c: Ctx, vm: Ref): void {
    const rec = c.get("vm", vm);
    if (rec.power_state === "suspended") throw new ApiError("VM_BAD_POWER_STATE", [vm, "halted, running", "suspended"]);
}

export function vbdEject(c: Ctx, vbd: Ref): void {
    const r = c.get("vbd", vbd);
    if (r.type !== "CD" && r.type !== "Floppy") throw new ApiError("VBD_NOT_REMOVABLE_MEDIA", [vbd]);
    if (r.empty) throw new ApiError("VBD_IS_EMPTY", [vbd]);
    assertNotSuspended(c, r.VM);
    r.empty = true;
    r.VDI = NULL_REF;
}

export function vbdInsert(c: Ctx, vbd: Ref, vdi: Ref): void {
    const r = c.get("vbd", vbd);
    c.get("vdi", vdi);
    assertNotSuspended(c, r.VM);
    if (r.type !== "CD" && r.type !== "Floppy") throw new ApiError("VBD_NOT_REMOVABLE_MEDIA", [vbd]);
    if (!r.empty) throw new ApiError("VBD_NOT_EMPTY", [vbd]);
    r.empty = false;
    r.VDI = vdi;
}
