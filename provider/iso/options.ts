/**
 * Inputs, progress events and results of a remaster (see ./remaster for the functions).
 */
import type { BootEntry, SkippedEntry } from "./bootEntries";
import type { OverlayFile } from "./initramfs";
import type { InstallImgResult } from "./installImage";

/**
 * How the remastered image is laid out (both boot the same way and carry the same files):
 * - "grow": the source image with one more ISO 9660 session appended, holding the changed files
 *   and a new directory tree; the first blocks (system area, volume descriptors) are rewritten to
 *   point at it (feasibility §1.3 method (d)). Fast: the bulk of the image is copied by the kernel,
 *   never passing through user space. Larger: the replaced install.img, efiboot.img and boot
 *   configs stay in the image as unreferenced dead space (the size of the original install.img,
 *   plus a few MiB); remastering a grown image grows it again.
 * - "replay": xorriso writes a fresh, compact image, copying every file (method (b)). The image is
 *   read and written once through xorriso; the only layout a stream can have.
 */
export type RemasterLayout = "grow" | "replay";

export const REMASTER_LAYOUTS: readonly RemasterLayout[] = ["grow", "replay"];

/** The timestamp every changed file gets (2020-01-01T00:00:00Z), so output bytes depend on inputs only. */
export const REMASTER_EPOCH = 1577836800;

export interface RemasterOptions {
    /** The installer ISO to remaster (XenServer 7.x/8.x, XCP-ng 8.x layout). It is only read. */
    sourceIso: string;
    /** The answer file, put into the installer ramdisk byte for byte (it is not parsed). */
    answerFile: string | Buffer;
    /** Where the answer file goes in the ramdisk; `answerfile=file://<path>` points there. @default "/answerfile.xml" */
    answerFilePath?: string;
    /**
     * Extra installer kernel arguments, added after `answerfile=… install atexit=poweroff`.
     * An `atexit=…` here replaces the default. @default []
     */
    kernelArgs?: string[];
    /** Files put into the ramdisk next to the answer file. @default the bundled /postinst.sh and /firstboot.sh */
    scripts?: OverlayFile[];
    /** Timestamp (seconds) for every file the remaster writes. @default REMASTER_EPOCH */
    sourceDateEpoch?: number;
    /**
     * Layout of the output (see RemasterLayout). remasterIsoStream only writes "replay".
     * @default "grow" for remasterIso, "replay" for remasterIsoStream
     */
    layout?: RemasterLayout;
    /** Parent of the temporary working directory (needs room for install.img, twice for the "grow" layout). @default os.tmpdir() */
    tmpDir?: string;
    /** Where the source-ISO hash cache lives. @default defaultCacheDir() ($XDG_CACHE_HOME/virtual-hypervisor) */
    cacheDir?: string;
    /** Progress of the long steps. @default - no progress reporting */
    onProgress?: (event: RemasterProgress) => void;
    /** Aborts the remaster; temporary files are removed. @default - never aborted */
    signal?: AbortSignal;
}

export type RemasterStep = "inspect" | "hash" | "install.img" | "patch" | "write" | "done";

export interface RemasterProgress {
    step: RemasterStep;
    /** One line for a person, in the style of the seed's create_customxs_iso.sh. */
    message: string;
    /** For "hash" and "write": bytes done so far and the (estimated, for "write") total. */
    bytesDone?: number;
    bytesTotal?: number;
}

export interface PatchedConfig {
    /** "/boot/isolinux/isolinux.cfg", "/EFI/xenserver/grub.cfg", or "/boot/efiboot.img:/EFI/xenserver/grub.cfg" for the copy in the FAT image. */
    path: string;
    kind: "isolinux" | "grub";
    patched: BootEntry[];
    skipped: SkippedEntry[];
}

export interface RemasterResult {
    /** The file written (remasterIso); undefined when streamed. */
    output?: string;
    size: number;
    /** SHA-256 hex of the output bytes. */
    sha256: string;
    /**
     * SHA-256 hex of all inputs (see contentHash.ts); equal inputs give equal files in the image, and
     * equal output bytes for the same layout. The layout is not part of it: it names the content.
     */
    contentHash: string;
    layout: RemasterLayout;
    /** `vh-<first 16 hex of contentHash>.iso`. */
    name: string;
    volumeId: string;
    answerFilePath: string;
    /** The arguments added to every installer entry. */
    kernelArgs: string[];
    installImg: InstallImgResult;
    /** Every boot configuration looked at, with what was patched and what was left alone. */
    configs: PatchedConfig[];
    durationMs: number;
}
