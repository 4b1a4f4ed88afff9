/**
 * vbd-* commands (cli_operations.ml vbd_create, vbd_destroy, vbd_plug, vbd_unplug, vbd_eject,
 * vbd_insert).
 */
import * as vbd from "../../api/vbd";
import { vbdPlug, vbdUnplug } from "../../api/vbdOps";
import { CliFailure, OcamlFailure } from "../errors";
import { NULL_REF } from "../../model/types";
import type { ImplTable } from "./types";

export const VBD_COMMANDS: ImplTable = {
    "vbd-create": {
        writes: true,
        run(c) {
            const vm = c.byUuid("vm", c.req("vm-uuid"));
            const empty = !c.has("vdi-uuid");
            const vdi = empty ? NULL_REF : c.byUuid("vdi", c.req("vdi-uuid"));
            const bootable = c.bool("bootable");
            let mode: "RO" | "RW" = "RW";
            if (c.has("mode")) {
                const m = c.req("mode").toLowerCase();
                if (m !== "ro" && m !== "rw") throw new CliFailure(`Unknown mode: ${m} (should be "ro" or "rw"`);
                mode = m === "ro" ? "RO" : "RW";
            }
            let type: "CD" | "Disk" | "Floppy" = "Disk";
            if (c.has("type")) {
                const t = c.req("type").toLowerCase();
                const known = { cd: "CD", disk: "Disk", floppy: "Floppy" } as const;
                if (!(t in known)) throw new CliFailure(`"Unknown type: ${t} (should be "cd", "disk" or "floppy"`);
                type = known[t as keyof typeof known];
            }
            const unpluggable = c.bool("unpluggable", true);
            if (type === "Disk" && empty) throw new CliFailure("Empty VBDs can only be made for type=CD");
            const ref = vbd.vbdCreate(c, { vm, vdi, userdevice: c.req("device"), bootable, mode, type, unpluggable, empty });
            c.printer.print({ kind: "list", items: [c.db.vbd[ref].uuid] });
        },
    },
    "vbd-destroy": { writes: true, run: (c) => vbd.vbdDestroy(c, c.byUuid("vbd", c.req("uuid"))) },
    "vbd-plug": { writes: true, run: (c) => vbdPlug(c, c.byUuid("vbd", c.req("uuid"))) },
    "vbd-unplug": {
        writes: true,
        run(c) {
            const ref = c.byUuid("vbd", c.req("uuid"));
            // timeout= only matters when the guest rejects the detach (DEVICE_DETACH_REJECTED), which
            // simulated guests never do; it is still parsed as float_of_string does.
            if (c.has("timeout") && !/^\s*[+-]?(\d[\d_]*(\.[\d_]*)?([eE][+-]?\d[\d_]*)?|\.\d+|0x[\da-f_.]+(p[+-]?\d+)?|inf(inity)?|nan)$/i.test(c.req("timeout"))) {
                throw new OcamlFailure("Failed to parse parameter 'timeout': expecting a float");
            }
            const force = c.bool("force");
            vbdUnplug(c, ref, force);
        },
    },
    "vbd-eject": { writes: true, run: (c) => vbd.vbdEject(c, c.byUuid("vbd", c.req("uuid"))) },
    "vbd-insert": {
        writes: true,
        run(c) {
            const ref = c.byUuid("vbd", c.req("uuid"));
            vbd.vbdInsert(c, ref, c.byUuid("vdi", c.req("vdi-uuid")));
        },
    },
};
