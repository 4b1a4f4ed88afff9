/**
 * Commands that attach or list a VM's devices (cli_operations.ml vm_cd_add, vm_cd_eject,
 * vm_cd_insert, vm_cd_remove, vm_disk_add, vm_disk_list_aux, vm_vif_list).
 */
import { vdiCreate, vdiDestroy } from "../../api/storage";
import { vbdCreate, vbdDestroy, vbdEject, vbdInsert } from "../../api/vbd";
import { vbdPlug } from "../../api/vbdOps";
import type { Ctx } from "../context";
import { ApiError, CliFailure } from "../errors";
import { VBD_CLASS, VIF_CLASS } from "../fields/devices";
import { VDI_CLASS } from "../fields/storage";
import { fieldsFor, BoundRecord } from "../fields/types";
import { printField, selectFields } from "../generic";
import { doVmOp } from "../select";
import { bytesOfString } from "../values";
import type { Ref } from "../../model/types";
import type { ImplTable } from "./types";

/** ISO VDIs with that name-label, in database order (VDI.get_by_name_label filtered to iso SRs). */
function isoVdisNamed(c: Ctx, name: string): Ref[] {
    return c.all("vdi").filter(([, v]) => v.name_label === name && c.db.sr[v.SR]?.content_type === "iso").map(([r]) => r);
}

const vbdsOf = (c: Ctx, vm: Ref) => c.all("vbd").filter(([, b]) => b.VM === vm);

/** create_vbd_and_plug: create the VBD, then try to hot-plug it and ignore a failure. */
function createAndPlug(c: Ctx, args: Parameters<typeof vbdCreate>[1]): Ref {
    const vbd = vbdCreate(c, args);
    try {
        vbdPlug(c, vbd);
    } catch (err) {
        if (!(err instanceof ApiError)) throw err;
    }
    return vbd;
}

function diskList(c: Ctx, cd: boolean): void {
    doVmOp(c, (vm) => {
        const vbds = vbdsOf(c, vm.ref).filter(([, b]) => b.type === (cd ? "CD" : "Disk"));
        const paramsOf = (alias: string) => c.param(alias) ?? c.param("params");
        const vbdFields = fieldsFor(VBD_CLASS, c.gen);
        const vdiFields = fieldsFor(VDI_CLASS, c.gen);
        vbds.forEach(([ref, b], n) => {
            const label = `${cd ? "CD" : "Disk"} ${n}`;
            const rec: BoundRecord = { ref, rec: b, fields: vbdFields };
            const fields = selectFields(paramsOf("vbd-params"), vbdFields, cd ? ["uuid", "vm-name-label", "userdevice", "empty"] : ["uuid", "vm-name-label", "userdevice"]);
            c.printer.print({ kind: "msg", text: `${label} VBD:` });
            c.printer.print({ kind: "table", records: [fields.map((f) => printField(c, rec, f))] });
            if (!b.empty && c.exists("vdi", b.VDI)) {
                const vrec: BoundRecord = { ref: b.VDI, rec: c.db.vdi[b.VDI], fields: vdiFields };
                const vf = selectFields(paramsOf("vdi-params"), vdiFields, ["uuid", "name-label", "virtual-size", "sr-name-label"]);
                c.printer.print({ kind: "msg", text: `${label} VDI:` });
                c.printer.print({ kind: "table", records: [vf.map((f) => printField(c, vrec, f))] });
            }
        });
    }, { ignore: ["vbd-params", "vdi-params"] });
}

export const VM_DEVICE_COMMANDS: ImplTable = {
    "vm-cd-add": {
        writes: true,
        run(c) {
            const name = c.req("cd-name");
            const vdis = isoVdisNamed(c, name);
            if (vdis.length === 0) throw new CliFailure(`CD ${name} not found!`);
            doVmOp(c, (vm) => createAndPlug(c, {
                vm: vm.ref, vdi: vdis[0], userdevice: c.req("device"), bootable: false, mode: "RO", type: "CD", unpluggable: true, empty: false,
            }), { ignore: ["cd-name", "device", "cd-location"] });
        },
    },
    "vm-cd-eject": {
        writes: true,
        run(c) {
            doVmOp(c, (vm) => {
                const cds = vbdsOf(c, vm.ref).filter(([, b]) => b.type === "CD");
                if (cds.length === 0) throw new CliFailure("No CDs found");
                if (cds.length > 1) throw new CliFailure("Two or more CDs found. Please use vbd-eject");
                vbdEject(c, cds[0][0]);
            });
        },
    },
    "vm-cd-insert": {
        writes: true,
        run(c) {
            const name = c.req("cd-name");
            const vdis = isoVdisNamed(c, name);
            if (vdis.length === 0) throw new CliFailure(`CD ${name} not found`);
            if (vdis.length > 1) throw new CliFailure(`Multiple CDs named ${name} found. Please use vbd-insert and specify uuids`);
            doVmOp(c, (vm) => {
                const empty = vbdsOf(c, vm.ref).filter(([, b]) => b.type === "CD" && b.empty);
                if (empty.length === 0) throw new ApiError("VM_NO_EMPTY_CD_VBD", [vm.ref]);
                if (empty.length > 1) throw new CliFailure("Two or more empty CD devices found. Please use vbd-insert");
                vbdInsert(c, empty[0][0], vdis[0]);
            }, { ignore: ["cd-name"] });
        },
    },
    "vm-cd-remove": {
        writes: true,
        run(c) {
            const name = c.req("cd-name");
            doVmOp(c, (vm) => {
                const hit = vbdsOf(c, vm.ref).find(([, b]) => {
                    const vdi = c.db.vdi[b.VDI];
                    if (!vdi) return name === "<EMPTY>";
                    return c.db.sr[vdi.SR]?.content_type === "iso" && vdi.name_label === name;
                });
                if (!hit) throw new CliFailure("Disk not found");
                vbdDestroy(c, hit[0]);
            }, { ignore: ["cd-name"] });
        },
    },
    "vm-disk-add": {
        writes: true,
        run(c) {
            const size = bytesOfString(c.gen, "disk-size", c.req("disk-size"));
            const device = c.req("device");
            let sr: Ref;
            if (c.has("sr-uuid")) sr = c.byUuid("sr", c.req("sr-uuid"));
            else {
                const def = c.db.pool[c.poolRef()].default_SR;
                if (!c.exists("sr", def)) throw new CliFailure("No default Pool SR set; you must specify an SR on the commandline");
                sr = def;
            }
            doVmOp(c, (vm) => {
                const vdi = vdiCreate(c, {
                    sr, nameLabel: "Created by xe", nameDescription: "Created by xe", size, type: "user", sharable: false,
                    smConfig: { vmhint: vm.rec.uuid }, tags: [],
                });
                try {
                    createAndPlug(c, { vm: vm.ref, vdi, userdevice: device, bootable: false, mode: "RW", type: "Disk", unpluggable: true, empty: false, otherConfig: { owner: "" } });
                } catch (err) {
                    vdiDestroy(c, vdi);
                    throw err;
                }
            }, { ignore: ["sr-uuid", "device", "disk-size"] });
        },
    },
    "vm-disk-list": { writes: false, run: (c) => diskList(c, false) },
    "vm-cd-list": { writes: false, run: (c) => diskList(c, true) },
    "vm-vif-list": {
        writes: false,
        run(c) {
            const fields = fieldsFor(VIF_CLASS, c.gen);
            doVmOp(c, (vm) => {
                const vifs = c.all("vif").filter(([, v]) => v.VM === vm.ref);
                const records = vifs.map(([ref, v]) => {
                    const rec: BoundRecord = { ref, rec: v, fields };
                    return selectFields(c.param("params"), fields, ["uuid", "device", "MAC", "network-uuid", "network-name-label", "vm-name-label"])
                        .map((f) => printField(c, rec, f));
                });
                c.printer.print({ kind: "table", records });
            }, { params: [["multiple", "true"], ...c.params], ignore: ["params"] });
        },
    },
};
