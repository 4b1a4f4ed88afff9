/**
 * Reading an installer ISO without extracting it: what files it has (with modes, sizes and where
 * their data lies), its El Torito boot images, volume id and whether it carries a Joliet tree; and
 * pulling single files out.
 * The xorriso command lines are built here and run through the choke point in ./xorriso.
 */
import * as fs from "node:fs";
import { copyRange } from "./copyRange";
import { IsoLayoutError } from "./errors";
import { runXorriso } from "./xorriso";

export interface IsoFile {
    /** Absolute path in the ISO, e.g. "/boot/isolinux/isolinux.cfg". */
    path: string;
    size: number;
    /** Permission bits as recorded (Rock Ridge), e.g. 0o444. */
    mode: number;
    /** Where the data lies in the image (one extent, or several for a file over 4 GiB); empty for an empty file. */
    extents: IsoExtent[];
}

/** A run of 2048-byte blocks of file data. */
export interface IsoExtent {
    lba: number;
    blocks: number;
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
// `-exec report_lba` lines: "File data lba:  0 ,     1683 ,        1 ,     1677 , '/EFI/xenserver/grub.cfg'"
const REPORT_LBA = /^File data lba:\s*\d+\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*\d+\s*,\s*'(.*)'$/;
/** xorriso commands listing every regular file's data extents (parseExtents reads their output). */
export const FIND_EXTENTS = ["-find", "/", "-type", "f", "-exec", "report_lba", "--"];

/** Lists the ISO's regular files, their data extents and the boot records with one xorriso run (the tree only, no data is read). */
export async function inspectIso(iso: string, signal?: AbortSignal): Promise<IsoInfo> {
    const { stdout, stderr } = await runXorriso(
        ["-indev", iso, "-pvd_info", "-report_el_torito", "plain", "-find", "/", "-type", "f", "-exec", "lsdl", "--", ...FIND_EXTENTS],
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
    const extents = parseExtents(stdout);
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
        if (file) {
            const filePath = unquoteXorriso(file[3]);
            files.push({ path: filePath, size: Number(file[2]), mode: modeBits(file[1]), extents: extents.get(filePath) ?? [] });
        }
    }
    return { volumeId, files, elTorito: [...images.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]) };
}

/** The data extents of every regular file, by path, from `-exec report_lba` lines (empty files have none). */
export function parseExtents(stdout: string): Map<string, IsoExtent[]> {
    const byPath = new Map<string, IsoExtent[]>();
    for (const line of stdout.split("\n")) {
        const m = REPORT_LBA.exec(line);
        if (!m || Number(m[2]) === 0) continue;
        const filePath = unquoteXorriso(m[3]);
        byPath.set(filePath, [...byPath.get(filePath) ?? [], { lba: Number(m[1]), blocks: Number(m[2]) }]);
    }
    return byPath;
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

/**
 * Appends the bytes of one ISO file to a disk file. Given its listing (`file`, from inspectIso), a
 * plainly stored file is read straight from its blocks (saving an xorriso run); anything else goes
 * through osirrox, which knows every way a file can be stored.
 * @param file the file as inspectIso listed it @default - always osirrox
 */
export async function appendIsoFile(iso: string, isoPath: string, diskPath: string, signal?: AbortSignal, file?: IsoFile): Promise<void> {
    if (file && isPlainlyStored(iso, file)) {
        appendBlocks(iso, file.extents[0].lba * BLOCK, file.size, diskPath);
        return;
    }
    await runXorriso(["-osirrox", "on", "-indev", iso, "-concat", "append", diskPath, isoPath],
        { what: `copy ${isoPath} out of ${iso}`, signal });
}

const BLOCK = 2048;
const ZISOFS_MAGIC = Buffer.from([0x37, 0xe4, 0x53, 0x96, 0xc9, 0xdb, 0xd6, 0x07]);

/**
 * Whether the file's bytes are simply its one extent: exactly as many blocks as its size needs,
 * not zisofs-compressed (that data starts with the zisofs magic), and block numbers that count
 * from the start of the image file.
 */
export function isPlainlyStored(iso: string, file: IsoFile): boolean {
    if (file.extents.length !== 1 || file.extents[0].blocks !== Math.ceil(file.size / BLOCK)) return false;
    if (blockAddressingProblem(iso)) return false;
    const fd = fs.openSync(iso, "r");
    try {
        const head = Buffer.alloc(ZISOFS_MAGIC.length);
        return fs.readSync(fd, head, 0, head.length, file.extents[0].lba * BLOCK) === head.length && !head.equals(ZISOFS_MAGIC);
    } finally {
        fs.closeSync(fd);
    }
}

function appendBlocks(iso: string, offset: number, size: number, diskPath: string): void {
    const inFd = fs.openSync(iso, "r");
    const outFd = fs.openSync(diskPath, "a");
    try {
        copyRange(inFd, outFd, offset, offset + size,
            (pos) => new IsoLayoutError(`${iso} ends at byte ${pos}, inside the data of a file that should run to byte ${offset + size}`), null);
    } finally {
        fs.closeSync(inFd);
        fs.closeSync(outFd);
    }
}

/**
 * Block numbers in the tree (and in xorriso's reports) are file offsets / 2048 only if the tree is
 * addressed from the start of the file (an image cut out of a larger device, or with its volume
 * at an offset, is not). Checked where the tree starts: the root directory named by the primary
 * volume descriptor (sector 16) must begin with its own "." record. Returns why not, or undefined.
 */
export function blockAddressingProblem(iso: string): string | undefined {
    const fd = fs.openSync(iso, "r");
    try {
        const pvd = Buffer.alloc(BLOCK);
        if (fs.readSync(fd, pvd, 0, BLOCK, 16 * BLOCK) < BLOCK || pvd[0] !== 1 || pvd.toString("latin1", 1, 6) !== "CD001") {
            return `${iso} has no primary volume descriptor at sector 16`;
        }
        const rootLba = pvd.readUInt32LE(156 + 2);
        const dot = Buffer.alloc(34);
        const n = fs.readSync(fd, dot, 0, dot.length, rootLba * BLOCK);
        // A directory's first record: length >= 34, its own extent, a one-byte name 0x00.
        if (n < dot.length || dot[0] < 34 || dot.readUInt32LE(2) !== rootLba || dot[32] !== 1 || dot[33] !== 0) {
            return `the root directory of ${iso} is not at byte ${rootLba * BLOCK} (block ${rootLba} from the start of the file)`;
        }
        return undefined;
    } finally {
        fs.closeSync(fd);
    }
}
