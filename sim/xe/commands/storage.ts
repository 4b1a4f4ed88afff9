/**
 * SR / PBD / VDI commands (cli_operations.ml sr_create, sr_scan, sr_destroy, sr_forget, pbd_plug,
 * pbd_unplug, vdi_create, vdi_destroy).
 */
import * as storage from "../../api/storage";
import type { Ctx } from "../context";
import { CliFailure } from "../errors";
import type { StrMap } from "../../model/types";
import { bytesOfString } from "../values";
import type { ImplTable } from "./types";

/** read_map_params: `name:key=value` (and the legacy `name-key=value`) parameters as a map. */
export function readMapParams(c: Ctx, name: string): StrMap {
    const out: StrMap = {};
    for (const [k, v] of c.params) if (k.startsWith(name) && k.length > name.length + 1) out[k.slice(name.length + 1)] = v;
    return out;
}

export const STORAGE_COMMANDS: ImplTable = {
    "sr-create": {
        writes: true,
        run(c) {
            const shared = c.bool("shared");
            const host = c.has("host-uuid") ? c.byUuid("host", c.req("host-uuid")) : c.hostRef();
            let physicalSize = 0;
            try {
                if (c.has("physical-size")) physicalSize = bytesOfString(c.gen, "physical-size", c.req("physical-size"));
            } catch {
                physicalSize = 0;
            }
            const deviceConfig = readMapParams(c, "device-config");
            for (const k of Object.keys(deviceConfig)) {
                // k-filename=v uploads a client file; the simulated client has no file channel.
                if (k.endsWith("-filename")) throw new CliFailure("File not found");
            }
            const ref = storage.srCreate(c, {
                host, nameLabel: c.req("name-label"), type: c.req("type"), contentType: c.param("content-type") ?? "",
                shared, physicalSize, deviceConfig, smConfig: readMapParams(c, "sm-config"),
            });
            // sr_create sends `Print uuid` itself instead of using the printer, so with --minimal the
            // (empty) minimal buffer is flushed after it: "uuid\n\n".
            c.printer.printLine(c.db.sr[ref].uuid);
        },
    },
    "sr-scan": { writes: true, run: (c) => storage.srScan(c, c.byUuid("sr", c.req("uuid"))) },
    "sr-destroy": { writes: true, run: (c) => storage.srDestroy(c, c.byUuid("sr", c.req("uuid"))) },
    "sr-forget": { writes: true, run: (c) => storage.srForget(c, c.byUuid("sr", c.req("uuid"))) },
    "pbd-plug": { writes: true, run: (c) => storage.pbdPlug(c, c.byUuid("pbd", c.req("uuid"))) },
    "pbd-unplug": { writes: true, run: (c) => storage.pbdUnplug(c, c.byUuid("pbd", c.req("uuid"))) },
    "vdi-create": {
        writes: true,
        run(c) {
            const sr = c.byUuid("sr", c.req("sr-uuid"));
            const size = bytesOfString(c.gen, "virtual-size", c.req("virtual-size"));
            const type = c.param("type") ?? "user";
            if (!["system", "user", "suspend", "crashdump"].includes(type)) throw new CliFailure(`Unknown vdi type: ${type}`);
            const sharable = c.bool("sharable");
            const ref = storage.vdiCreate(c, {
                sr, nameLabel: c.req("name-label"), nameDescription: "", size, type, sharable,
                smConfig: readMapParams(c, "sm-config"), tags: Object.keys(readMapParams(c, "tags")),
            });
            c.printer.print({ kind: "list", items: [c.db.vdi[ref].uuid] });
        },
    },
    "vdi-destroy": { writes: true, run: (c) => storage.vdiDestroy(c, c.byUuid("vdi", c.req("uuid"))) },
};
