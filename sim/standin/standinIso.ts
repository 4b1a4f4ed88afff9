/**
 * Builds stand-in installer ISOs in the layout of XenServer / XCP-ng 8.x media, with real tools
 * (xorriso, syslinux, GRUB, mtools): isolinux + mboot.c32 for BIOS, a FAT El Torito image with GRUB
 * for UEFI, isohybrid MBR + GPT, Joliet and Rock Ridge, and an install.img newc initramfs compressed
 * like the real one. Tests remaster these, boot them in qemu and feed them to the simulator;
 * `npm run demo` installs nested hypervisors on a simulated host from one. It lives with the
 * simulator (not only in test/helpers) because users and the demo need it in the installed package.
 *
 * Requires (Debian): xorriso isolinux syslinux-common mtools grub-efi-amd64-bin grub-common.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { OverlayFile, S_IFDIR, S_IFREG, writeNewc, NewcEntry } from "../../provider/iso/initramfs";
import { BootConfigs, bootConfigs, Flavor } from "./bootConfigs";

export interface StandinIsoOptions {
    /** Where to write the ISO. */
    out: string;
    /** Boot-config shapes to use. @default "xenserver-8" */
    flavor?: Flavor;
    /** Compression of install.img. @default "bzip2" (what XenServer 7+/XCP-ng 8 ship) */
    compression?: "gzip" | "bzip2" | "zstd" | "xz";
    /** Files of the installer root filesystem. @default a tiny tree with /init and an installer README */
    rootfs?: OverlayFile[];
    /**
     * The exact bytes of install.img (e.g. a prefix-form image with an appended overlay); replaces
     * `rootfs` and `compression`. @default built from `rootfs`
     */
    installImg?: Buffer;
    /** Replaces the generated boot configs (e.g. to make the Xen entry the default). */
    configs?: Partial<BootConfigs>;
    /** Dom0 kernel and Xen to put in boot/; @default small placeholder files (enough for everything but booting) */
    kernel?: string;
    xen?: string;
    /** Size of an incompressible filler package, to make the ISO realistically large. @default 0 */
    fillerMiB?: number;
    /** @default "XenServer-8.4.0" */
    volumeId?: string;
    /** Write a Joliet tree (real installer ISOs have one). @default true */
    joliet?: boolean;
}

const ISOLINUX_DIR = "/usr/lib/ISOLINUX";
const SYSLINUX_MODULES = "/usr/lib/syslinux/modules/bios";

const DEFAULT_ROOTFS: OverlayFile[] = [
    { path: "init", data: Buffer.from("#!/bin/sh\necho stand-in installer\n"), mode: 0o755 },
    { path: "opt/xensource/installer/README", data: Buffer.from("stand-in installer\n") },
];

/** Builds the ISO and returns its path. */
export function buildStandinIso(options: StandinIsoOptions): string {
    const flavor = options.flavor ?? "xenserver-8";
    const configs = { ...bootConfigs(flavor), ...options.configs };
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), "vh-standin-"));
    try {
        const put = (rel: string, data: Buffer | string, mode = 0o644) => {
            const file = path.join(tree, rel);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, data, { mode });
        };
        for (const m of ["ldlinux", "mboot", "libcom32", "libutil", "menu"]) {
            put(`boot/isolinux/${m}.c32`, fs.readFileSync(path.join(SYSLINUX_MODULES, `${m}.c32`)));
        }
        put("boot/isolinux/isolinux.bin", fs.readFileSync(path.join(ISOLINUX_DIR, "isolinux.bin")));
        put("boot/isolinux/isolinux.cfg", configs.isolinux);
        put("boot/isolinux/pg_main", "stand-in installer boot menu\n");
        put("boot/isolinux/pg_help", "stand-in installer boot help\n");
        put("boot/vmlinuz", options.kernel ? fs.readFileSync(options.kernel) : "stand-in dom0 kernel\n");
        put("boot/xen.gz", options.xen ? fs.readFileSync(options.xen) : zlib.gzipSync("stand-in xen\n"));
        if (flavor === "xcp-ng-8.3") {
            put("boot/alt/vmlinuz", options.kernel ? fs.readFileSync(options.kernel) : "stand-in alt kernel\n");
            put("boot/memtest.bin", "stand-in memtest\n");
            put("boot/memtest.efi", "stand-in memtest\n");
        } else {
            put("boot/isolinux/memtest", "stand-in memtest\n");
        }
        put("install.img", options.installImg ?? installImg(options.rootfs ?? DEFAULT_ROOTFS, options.compression ?? "bzip2"));
        put("EFI/xenserver/grub.cfg", configs.grub);
        for (const [rel, text] of Object.entries(configs.extraGrub ?? {})) put(rel, text);
        const grubEfi = grubEfiImage();
        put("EFI/xenserver/grubx64.efi", fs.readFileSync(grubEfi));
        put("boot/efiboot.img", efibootImage(grubEfi, configs.grubEfiboot));
        put(".treeinfo", `[general]\nname = ${flavor} stand-in\nversion = 8.4.0\n`);
        put("repodata/repomd.xml", "<repomd/>\n");
        put("EULA", "stand-in\n");
        for (let i = 1; i <= 5; i++) put(`Packages/pkg-${i}-1.0-1.x86_64.rpm`, Buffer.alloc(4096 + i, i));
        if (options.fillerMiB) {
            const fd = fs.openSync(path.join(tree, "Packages/zz-filler.rpm"), "w");
            const chunk = Buffer.alloc(1024 * 1024);
            for (let i = 0; i < options.fillerMiB; i++) { fillPseudoRandom(chunk, i); fs.writeSync(fd, chunk); }
            fs.closeSync(fd);
        }
        fs.rmSync(options.out, { force: true });
        execFileSync("xorriso", [
            "-as", "mkisofs", "-o", options.out, "-quiet", "-r", ...(options.joliet === false ? [] : ["-J", "-joliet-long"]),
            "-V", options.volumeId ?? "XenServer-8.4.0",
            "-isohybrid-mbr", path.join(ISOLINUX_DIR, "isohdpfx.bin"),
            "-c", "boot/isolinux/boot.cat", "-b", "boot/isolinux/isolinux.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
            "-eltorito-alt-boot", "-e", "boot/efiboot.img", "-no-emul-boot", "-isohybrid-gpt-basdat",
            tree,
        ], { stdio: ["ignore", "ignore", "pipe"] });
        return options.out;
    } finally {
        fs.rmSync(tree, { recursive: true, force: true });
    }
}

/** A newc image of `files` (plus their directories), compressed like the real install.img. */
export function installImg(files: OverlayFile[], compression: "gzip" | "bzip2" | "zstd" | "xz"): Buffer {
    const dirs = new Set<string>();
    for (const f of files) {
        const parts = f.path.replace(/^\/+/, "").split("/");
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    const entries: NewcEntry[] = [
        { name: ".", mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 0, data: Buffer.alloc(0) },
        ...[...dirs].sort().map((d) => ({ name: d, mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime: 0, data: Buffer.alloc(0) })),
        ...files.map((f) => ({ name: f.path.replace(/^\/+/, ""), mode: S_IFREG | (f.mode ?? 0o644), uid: 0, gid: 0, mtime: 0, data: f.data })),
    ];
    const raw = writeNewc(entries);
    if (compression === "gzip") return zlib.gzipSync(raw, { level: 9 });
    const tool = { bzip2: ["bzip2", "-9c"], zstd: ["zstd", "-19cq"], xz: ["xz", "-9c", "--check=crc32"] }[compression];
    return execFileSync(tool[0], tool.slice(1), { input: raw, maxBuffer: 1024 ** 3 });
}

let cachedGrubEfi: string | undefined;

/**
 * A GRUB x86_64-efi image built like XCP-ng's (`grub-mkimage --prefix '()/EFI/xenserver'`): with no
 * embedded config it reads grub.cfg from /EFI/xenserver on the device it was loaded from, which on
 * a UEFI CD boot is the El Torito FAT image. All modules the shipped configs use are built in.
 * Built once per process.
 */
function grubEfiImage(): string {
    if (cachedGrubEfi && fs.existsSync(cachedGrubEfi)) return cachedGrubEfi;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-grub-"));
    const out = path.join(dir, "bootx64.efi");
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    execFileSync("grub-mkimage", ["-O", "x86_64-efi", "-o", out, "-p", "()/EFI/xenserver",
        "part_gpt", "part_msdos", "iso9660", "fat", "ext2", "normal", "configfile", "search", "search_fs_file", "search_fs_uuid",
        "search_label", "linux", "multiboot2", "chain", "gzio", "serial", "terminal", "echo", "test", "ls", "cat",
        "all_video", "efi_gop", "efi_uga", "video_bochs", "video_cirrus", "boot", "reboot", "halt"]);
    cachedGrubEfi = out;
    return out;
}

/** A 2.88 MB FAT image with the GRUB loader as the fallback EFI binary and a grub.cfg copy. */
function efibootImage(grubEfi: string, grubCfg: string): Buffer {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-efiboot-"));
    try {
        const img = path.join(dir, "efiboot.img");
        const cfg = path.join(dir, "grub.cfg");
        fs.writeFileSync(cfg, grubCfg);
        execFileSync("mformat", ["-i", img, "-N", "0", "-C", "-f", "2880", "-L", "16", "::."]);
        execFileSync("mmd", ["-i", img, "::/EFI", "::/EFI/BOOT", "::/EFI/xenserver"]);
        execFileSync("mcopy", ["-i", img, grubEfi, "::/EFI/BOOT/BOOTX64.EFI"]);
        execFileSync("mcopy", ["-i", img, cfg, "::/EFI/xenserver/grub.cfg"]);
        return fs.readFileSync(img);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Fills a buffer with cheap incompressible bytes (xorshift), seeded per chunk. */
function fillPseudoRandom(buf: Buffer, seed: number): void {
    let x = (seed * 2654435761) >>> 0 || 1;
    for (let i = 0; i + 4 <= buf.length; i += 4) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
        buf.writeUInt32LE(x, i);
    }
}

/** Reads one file out of an ISO with osirrox (for checking a remastered image). */
export function readIsoFile(iso: string, isoPath: string): Buffer {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-isofile-"));
    try {
        const out = path.join(dir, "file");
        execFileSync("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", isoPath, out], { stdio: ["ignore", "ignore", "pipe"] });
        return fs.readFileSync(out);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Reads one file inside the ISO's FAT El Torito image (e.g. "/EFI/xenserver/grub.cfg"). */
export function readEfibootFile(iso: string, fatPath: string, image = "/boot/efiboot.img"): Buffer {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-efiboot-"));
    try {
        const img = path.join(dir, "efiboot.img");
        fs.writeFileSync(img, readIsoFile(iso, image));
        return execFileSync("mtype", ["-i", img, `::${fatPath}`], { env: { ...process.env, MTOOLS_SKIP_CHECK: "1" } });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * `xorriso -report_el_torito plain -report_system_area plain` with what legitimately moves when
 * files change size replaced by placeholders: block addresses, the image size, and the GPT GUIDs
 * (xorriso derives them from the volume timestamp). Everything else (boot images, platforms, load
 * sizes, options, partition types and paths, isohybrid geometry) is left for comparison.
 */
export function bootRecordReport(iso: string): string {
    const out = execFileSync("xorriso", ["-indev", iso, "-report_el_torito", "plain", "-report_system_area", "plain"],
        { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\n")
        .filter((l) => !/^GPT (disk|partition) GUID/.test(l))
        .map((l) => l
            .replace(/^(El Torito catalog\s*:\s*)\d+/, "$1<lba>")
            .replace(/^(El Torito boot img\s*:.*\s)\d+$/, "$1<lba>")
            .replace(/^(ISO image size\/512\s*:\s*)\d+/, "$1<size>")
            .replace(/^(MBR partition\s*:\s*\d+\s+\S+\s+\S+\s+)0(\s+)\d+$/, "$10$2<size>")
            .replace(/^(MBR partition\s*:\s*\d+\s+\S+\s+\S+\s+)[1-9]\d*(\s+\d+)$/, "$1<lba>$2")
            .replace(/^(GPT lba range\s*:\s*\d+\s+)\d+\s+\d+$/, "$1<size> <size>")
            .replace(/^(GPT start and size\s*:\s*\d+\s+)0(\s+)\d+$/, "$10$2<size>")
            .replace(/^(GPT start and size\s*:\s*\d+\s+)[1-9]\d*(\s+\d+)$/, "$1<lba>$2")
            .replace(/\s+/g, " ")) // column alignment follows the width of the numbers
        .join("\n");
}
