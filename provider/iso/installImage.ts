/**
 * Builds the remastered install.img in the *prefix form* (feasibility report §2.3, §7):
 *
 *     empty uncompressed newc archive ‖ original install.img, byte for byte ‖ gzip(newc overlay)
 *
 * Linux unpacks all three in order and later files win, so the overlay adds the answer file and
 * scripts without unpacking the original (no root, no fakeroot, any compression). The empty archive
 * in front matters: mboot.c32 (BIOS) and GRUB with gzio (UEFI) transparently gunzip a module that
 * starts with the gzip magic and keep only the first member, so a plain `base.gz + overlay.gz`
 * silently loses the overlay (BIOS) or fails to boot (UEFI). A module starting with "070701" is
 * passed to Xen untouched.
 *
 * The overlay carries a small marker file naming the arguments the remaster added, so remastering
 * an already remastered ISO strips our previous prefix and overlay instead of stacking another.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { copyRange } from "./copyRange";
import { RemasterError } from "./errors";
import { appendIsoFile, IsoFile } from "./isoImage";
import { buildOverlay, Compression, detectCompression, emptyNewc, OverlayFile, readInitramfs } from "./initramfs";

/** Path of the marker in the installer ramdisk. */
export const MARKER_PATH = "/.vh-remaster.json";

/** What a remaster records about itself inside its overlay. */
export interface RemasterMarker {
    /** Remaster format version that wrote the overlay. */
    format: number;
    answerFilePath: string;
    /** The kernel arguments it added to every installer entry. */
    kernelArgs: string[];
}

export interface InstallImgResult {
    /** Size of the new install.img in bytes. */
    size: number;
    /** Compression of the original image, by its magic bytes. */
    baseCompression: Compression | "unknown";
    /** The first bytes of the original image, hex (1f8b gzip, 425a68 bzip2, 28b52ffd zstd, …). */
    baseMagic: string;
    /** Size of the original image without any previous remaster's prefix and overlay. */
    baseSize: number;
    /** Set when the ISO had already been remastered by this tool: what that remaster recorded. */
    previous?: RemasterMarker;
}

/** The overlay archive: the given files plus the marker, root-owned, with fixed mtimes. */
export function overlayArchive(files: OverlayFile[], marker: RemasterMarker, mtime: number): Buffer {
    const markerFile = { path: MARKER_PATH, data: Buffer.from(JSON.stringify(marker) + "\n"), mode: 0o644 };
    return buildOverlay([...files, markerFile], mtime);
}

/**
 * Writes the prefix-form image to `out` from the ISO's `isoPath`, streaming the original once (read
 * from its blocks, or by osirrox: see appendIsoFile; it is never decompressed or held in memory).
 * @param file the ISO file as inspectIso listed it @default - copied by osirrox
 */
export async function writeInstallImg(iso: string, isoPath: string, overlay: Buffer, out: string, signal?: AbortSignal, file?: IsoFile): Promise<InstallImgResult> {
    const prefix = emptyNewc();
    fs.writeFileSync(out, prefix);
    await appendIsoFile(iso, isoPath, out, signal, file);
    const fd = fs.openSync(out, "r");
    let layout: { baseStart: number; baseEnd: number; previous?: RemasterMarker; head: Buffer };
    try {
        layout = findBase(fd, fs.fstatSync(fd).size, prefix);
    } finally {
        fs.closeSync(fd);
    }
    const { baseStart, baseEnd, previous, head } = layout;
    if (baseStart === prefix.length && !previous) {
        fs.appendFileSync(out, overlay);
    } else {
        // A previous remaster's prefix and/or overlay: copy only the original bytes between them.
        rewriteRange(out, baseStart, baseEnd, prefix, overlay);
    }
    const compression = detectCompression(head);
    const magicLength = { gzip: 2, bzip2: 3, xz: 6, zstd: 4, lz4: 4, lzma: 3, none: 6, unknown: 6 }[compression];
    return {
        size: fs.statSync(out).size,
        baseCompression: compression,
        baseMagic: head.subarray(0, magicLength).toString("hex"),
        baseSize: baseEnd - baseStart,
        previous,
    };
}

/** Where the original image lies in the freshly written file (prefix + whatever the ISO had). */
function findBase(fd: number, size: number, prefix: Buffer): { baseStart: number; baseEnd: number; previous?: RemasterMarker; head: Buffer } {
    let baseStart = prefix.length;
    const probe = Buffer.alloc(prefix.length);
    // The ISO's image may itself start with our empty archive (remastered before): skip it.
    if (fs.readSync(fd, probe, 0, probe.length, baseStart) === probe.length && probe.equals(prefix)) baseStart += prefix.length;
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, head.length, baseStart);
    const tail = findOurOverlay(fd, size, baseStart);
    return { baseStart, baseEnd: tail ? tail.offset : size, previous: tail?.marker, head };
}

const TAIL_WINDOW = 16 * 1024 * 1024;

/**
 * Looks for a gzip member at the end of the file that is one of our overlays (holds the marker).
 * Candidates are tried from the end backwards; anything that does not inflate to a newc archive
 * with our marker is part of the original image.
 */
function findOurOverlay(fd: number, size: number, notBefore: number): { offset: number; marker: RemasterMarker } | undefined {
    const start = Math.max(notBefore, size - TAIL_WINDOW);
    const tail = Buffer.alloc(size - start);
    fs.readSync(fd, tail, 0, tail.length, start);
    for (let i = tail.lastIndexOf(Buffer.from([0x1f, 0x8b, 0x08])); i >= 0; i = i > 0 ? tail.lastIndexOf(Buffer.from([0x1f, 0x8b, 0x08]), i - 1) : -1) {
        try {
            const member = tail.subarray(i);
            zlib.gunzipSync(member); // cheap rejection of candidates that are not one complete member
            const files = readInitramfs(member).files;
            const marker = files[MARKER_PATH.slice(1)];
            if (marker) return { offset: start + i, marker: JSON.parse(marker.data.toString("utf8")) as RemasterMarker };
        } catch {
            // not a gzip member that runs to the end of the file: keep looking
        }
    }
    return undefined;
}

/** Replaces `out` with prefix ‖ out[start, end) ‖ overlay. */
function rewriteRange(out: string, start: number, end: number, prefix: Buffer, overlay: Buffer): void {
    const next = `${out}.next`;
    const outFd = fs.openSync(next, "w");
    const inFd = fs.openSync(out, "r");
    try {
        fs.writeSync(outFd, prefix);
        copyRange(inFd, outFd, start, end, (pos) => new RemasterError(`${out} ended at byte ${pos}, before the end of the original install.img at byte ${end}, while it was rewritten`), null);
        fs.writeSync(outFd, overlay);
    } finally {
        fs.closeSync(inFd);
        fs.closeSync(outFd);
    }
    fs.renameSync(next, out);
}
