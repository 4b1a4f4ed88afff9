/**
 * Reading an installer ISO without extracting it: what files it has (with modes and sizes), its El
 * Torito boot images, volume id and whether it carries a Joliet tree; and pulling single files out.
 * The xorriso command lines are built here and run through the choke point in ./xorriso.
 */
import * as fs from "node:fs";
import { IsoLayoutError } from "./errors";
import { runXorriso } from "./xorriso";

export interface IsoFile {
    /** Absolute path in the ISO, e.g. "/boot/isolinux/isolinux.cfg". */
    path: string;
    size: number;
    /** Permission bits as recorded (Rock Ridge), e.g. 0o444. */
    mode: number;
}

export interface ElToritoImage {
    platform: "BIOS" | "UEFI" | string;
    /** Path of the boot image file in the ISO tree, when it is a file there. */
    path?: string;
}

export interface IsoInfo {
    volumeId: string;
    /** True when the ISO has a Joliet supplementary volume descriptor (kept on remaster). */
    joliet: boolean;
    files: IsoFile[];
    elTorito: ElToritoImage[];
}

const MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
// `-exec lsdl` lines: "-r--r--r--    1 0        0             202 Nov 26 10:49 '/install.img'"
const LSDL = new RegExp(`^([-dlbcps][-rwxsStT]{9})\\s+\\d+\\s+\\S+\\s+\\S+\\s+(\\d+)\\s+(?:${MONTHS})\\s+\\d+\\s+[\\d:]+\\s+'(.*)'$`);

/** Lists the ISO's regular files and boot records with one xorriso run (the tree only, no data is read). */
export async function inspectIso(iso: string, signal?: AbortSignal): Promise<IsoInfo> {
    const { stdout, stderr } = await runXorriso(
        ["-indev", iso, "-pvd_info", "-report_el_torito", "plain", "-find", "/", "-type", "f", "-exec", "lsdl", "--"],
        { what: `read the ISO ${iso}`, signal },
    );
    // xorriso treats a file without an ISO 9660 volume (even a missing file) as a blank medium rather than failing.
    if (/No ISO 9660 image at LBA|Media status : is blank/.test(stderr)) {
        throw new IsoLayoutError(`not an ISO 9660 image: ${iso} has no volume descriptor at sector 16`);
    }
    return { ...parseInspectOutput(stdout), joliet: hasJoliet(iso) };
}

/** Parses the stdout of the inspectIso command (exported for tests). */
export function parseInspectOutput(stdout: string): Omit<IsoInfo, "joliet"> {
    const files: IsoFile[] = [];
    const images = new Map<number, ElToritoImage>();
    let volumeId = "";
    for (const line of stdout.split("\n")) {
        const volume = /^Volume Id\s*:\s?(.*)$/.exec(line);
        if (volume) { volumeId = volume[1].trim(); continue; }
        const img = /^El Torito boot img\s*:\s*(\d+)\s+(\S+)/.exec(line);
        if (img) { images.set(Number(img[1]), { ...images.get(Number(img[1])), platform: img[2] }); continue; }
        const imgPath = /^El Torito img path\s*:\s*(\d+)\s+(\/.*)$/.exec(line);
        if (imgPath) {
            const n = Number(imgPath[1]);
            images.set(n, { platform: images.get(n)?.platform ?? "unknown", path: imgPath[2].trim() });
            continue;
        }
        const file = LSDL.exec(line);
        if (file) files.push({ path: unquoteXorriso(file[3]), size: Number(file[2]), mode: modeBits(file[1]) });
    }
    return { volumeId, files, elTorito: [...images.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]) };
}

/** xorriso quotes names as '...' and writes an embedded quote as '"'"'. */
function unquoteXorriso(text: string): string {
    return text.replace(/'"'"'/g, "'");
}

function modeBits(perms: string): number {
    let mode = 0;
    const p = perms.slice(1);
    for (let i = 0; i < 9; i++) if (p[i] !== "-") mode |= 1 << (8 - i);
    return mode;
}

/**
 * Whether the image has a Joliet tree: a supplementary volume descriptor (type 2) with one of the
 * UCS-2 escape sequences %/@, %/C, %/E. Read from the raw volume descriptor set at sector 16.
 */
export function hasJoliet(iso: string): boolean {
    const fd = fs.openSync(iso, "r");
    try {
        const sector = Buffer.alloc(2048);
        for (let lba = 16; lba < 16 + 64; lba++) {
            if (fs.readSync(fd, sector, 0, 2048, lba * 2048) < 2048) return false;
            if (sector.toString("latin1", 1, 6) !== "CD001") return false;
            const type = sector[0];
            if (type === 255) return false;
            const escape = sector.toString("latin1", 88, 91);
            if (type === 2 && ["%/@", "%/C", "%/E"].includes(escape)) return true;
        }
        return false;
    } finally {
        fs.closeSync(fd);
    }
}

/** Copies files out of the ISO (osirrox) in one run; the disk paths must not exist yet. */
export async function extractFiles(iso: string, files: Array<{ isoPath: string; diskPath: string }>, signal?: AbortSignal): Promise<void> {
    if (!files.length) return;
    const args = ["-osirrox", "on", "-indev", iso];
    for (const f of files) args.push("-extract", f.isoPath, f.diskPath);
    await runXorriso(args, { what: `extract ${files.map((f) => f.isoPath).join(", ")} from ${iso}`, signal });
    for (const f of files) fs.chmodSync(f.diskPath, 0o644); // extracted copies keep the ISO's read-only mode
}

/** Appends the bytes of one ISO file to a disk file, without an intermediate copy. */
export async function appendIsoFile(iso: string, isoPath: string, diskPath: string, signal?: AbortSignal): Promise<void> {
    await runXorriso(["-osirrox", "on", "-indev", iso, "-concat", "append", diskPath, isoPath],
        { what: `copy ${isoPath} out of ${iso}`, signal });
}
