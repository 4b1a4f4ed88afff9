/**
 * Builds stand-in installer ISOs in the layout of XenServer / XCP-ng 8.x media, with real tools
 * (xorriso, syslinux, GRUB, mtools): isolinux + mboot.c32 for BIOS, a FAT El Torito image with GRUB
 * for UEFI, isohybrid MBR + GPT, Joliet and Rock Ridge, and an install.img newc initramfs compressed
 * like the real one. Tests remaster these, boot them in qemu and feed them to the simulator.
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
    /** Replaces the generated boot configs (e.g. to make the Xen entry the default). */
    configs?: Partial<BootConfigs>;
    /** Dom0 kernel and Xen to put in boot/; @default small placeholder files (enough for everything but booting) */
    kernel?: string;
    xen?: string;
    /** Size of an incompressible filler package, to make the ISO realistically large. @default 0 */
    fillerMiB?: number;
    /** @default "XenServer-8.4.0" */
    volumeId?: string;
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
        put("boot/vmlinuz", options.kernel ? fs.readFileSync(options.kernel) : "stand-in dom0 kernel\n");
        put("boot/xen.gz", options.xen ? fs.readFileSync(options.xen) : zlib.gzipSync("stand-in xen\n"));
        if (flavor !== "xenserver-7.1") {
            put("boot/alt/vmlinuz", options.kernel ? fs.readFileSync(options.kernel) : "stand-in alt kernel\n");
            put("boot/memtest.bin", "stand-in memtest\n");
        }
        put("install.img", installImg(options.rootfs ?? DEFAULT_ROOTFS, options.compression ?? "bzip2"));
        put("EFI/xenserver/grub.cfg", configs.grub);
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
            "-as", "mkisofs", "-o", options.out, "-quiet", "-r", "-J", "-joliet-long", "-V", options.volumeId ?? "XenServer-8.4.0",
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

/** A GRUB x86_64-efi image that finds the ISO's EFI/xenserver/grub.cfg (built once per process). */
function grubEfiImage(): string {
    if (cachedGrubEfi && fs.existsSync(cachedGrubEfi)) return cachedGrubEfi;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-grub-"));
    const early = path.join(dir, "early.cfg");
    fs.writeFileSync(early, [
        "search --no-floppy --file --set=root /EFI/xenserver/grub.cfg",
        "set prefix=($root)/EFI/xenserver",
        "configfile ($root)/EFI/xenserver/grub.cfg",
        "",
    ].join("\n"));
    const out = path.join(dir, "bootx64.efi");
    execFileSync("grub-mkimage", ["-O", "x86_64-efi", "-o", out, "-p", "/EFI/xenserver", "-c", early,
        "part_gpt", "part_msdos", "iso9660", "fat", "normal", "configfile", "search", "search_fs_file", "linux", "multiboot2",
        "gzio", "serial", "terminal", "echo", "test", "ls", "cat", "all_video", "efi_gop", "boot", "reboot", "halt"]);
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
