/**
 * The post-install and first-boot scripts shipped in data/, which a remaster puts at the root of
 * the installer ramdisk: /postinst.sh (named by the answer file's filesystem-populated script) and
 * /firstboot.sh (copied into the new system by postinst.sh).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { OverlayFile } from "./initramfs";

/** The package's data/ directory, whether this file runs from dist/provider/iso or provider/iso. */
export const DATA_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../../data" : "../../data");

/** Ramdisk paths of the bundled scripts. */
export const POSTINST_PATH = "/postinst.sh";
export const FIRSTBOOT_PATH = "/firstboot.sh";

/** The bundled scripts as overlay files (mode 0755, owned by root in the overlay). */
export function defaultScripts(): OverlayFile[] {
    return [
        { path: FIRSTBOOT_PATH, data: fs.readFileSync(path.join(DATA_DIR, "firstboot.sh")), mode: 0o755 },
        { path: POSTINST_PATH, data: fs.readFileSync(path.join(DATA_DIR, "postinst.sh")), mode: 0o755 },
    ];
}
