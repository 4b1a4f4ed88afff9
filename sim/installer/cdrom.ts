/**
 * Booting from the CD: what the firmware finds in the El Torito catalog and which bootloader
 * configuration it really reaches.
 *
 * BIOS (SeaBIOS): the bootable x86 entry must be isolinux (isolinux.bin); isolinux reads the first
 * of isolinux.cfg / syslinux.cfg found in its own directory, /boot/isolinux, /isolinux,
 * /boot/syslinux, /syslinux or /. UEFI (OVMF): the bootable EFI entry is a FAT image (efiboot.img)
 * that must hold \EFI\BOOT\BOOTX64.EFI; installer ISOs build that GRUB with its prefix on the
 * image it was loaded from (`()/EFI/xenserver`), so GRUB reads the grub.cfg copy *inside*
 * efiboot.img. Only when the image has no copy does the ISO's own EFI/xenserver/grub.cfg decide.
 * That is why patching only the ISO's grub.cfg leaves a UEFI boot interactive.
 */
import * as path from "node:path";
import type { Firmware } from "./types";
import { FatFormatError, FatImage } from "./fat";
import { chooseGrubEntry, parseGrubCfg } from "./grub";
import { IsoImage, resolveIsoPath } from "./iso9660";
import { chooseIsolinuxEntry, parseIsolinuxCfg } from "./isolinux";
import type { KernelChoice } from "./loader";

export type CdBoot =
    /** The firmware cannot boot this CD and tries the next boot device. */
    | { kind: "not-bootable"; reason: string; log: string[] }
    /** The bootloader started and waits for a person (prompt, menu, error message). */
    | { kind: "wait"; reason: string; log: string[] }
    | { kind: "kernel"; choice: KernelChoice; log: string[] };

const ISOLINUX_DIRS = ["/boot/isolinux", "/isolinux", "/boot/syslinux", "/syslinux", "/"];
const GRUB_CFG = "/EFI/xenserver/grub.cfg";

export function bootFromCd(iso: IsoImage, firmware: Firmware): CdBoot {
    return firmware === "bios" ? biosBoot(iso) : uefiBoot(iso);
}

function biosBoot(iso: IsoImage): CdBoot {
    const log: string[] = [];
    const image = iso.bootImages().find((b) => b.platform === "bios" && b.bootable);
    if (!image) return { kind: "not-bootable", reason: "the CD has no bootable El Torito entry for BIOS", log };
    const file = iso.findByLba(image.lba);
    const head = iso.readBlocks(image.lba, 64 * 1024);
    if (!head.includes("ISOLINUX")) {
        return { kind: "wait", reason: `the CD's BIOS boot image ${file?.path ?? `at block ${image.lba}`} is not isolinux, which is the only BIOS bootloader the simulator models`, log };
    }
    const home = file ? path.posix.dirname(file.path) : "/boot/isolinux";
    log.push(`SeaBIOS: booting the CD's El Torito BIOS image ${file?.path ?? `at block ${image.lba}`} (isolinux)`);
    let cfgPath: string | undefined;
    for (const dir of [home, ...ISOLINUX_DIRS.filter((d) => d !== home)]) {
        cfgPath = ["isolinux.cfg", "syslinux.cfg"].map((n) => resolveIsoPath(dir, n)).find((p) => iso.find(p) && !iso.find(p)?.isDir);
        if (cfgPath) break;
    }
    if (!cfgPath) return { kind: "wait", reason: `isolinux found no isolinux.cfg or syslinux.cfg (looked in ${home} and ${ISOLINUX_DIRS.join(", ")}), so it waits at its boot: prompt`, log };
    const cfgDir = path.posix.dirname(cfgPath);
    const read = (f: string) => {
        const e = iso.find(resolveIsoPath(cfgDir, f));
        return e && !e.isDir ? iso.readFile(e).toString("utf8") : undefined;
    };
    log.push(`isolinux: reading ${cfgPath}`);
    const decision = chooseIsolinuxEntry(parseIsolinuxCfg(read(path.posix.basename(cfgPath)) ?? "", read), cfgPath);
    log.push(...decision.log);
    if (decision.kind === "wait") return { kind: "wait", reason: decision.reason, log };
    const choice = decision.choice;
    const resolved: KernelChoice = {
        ...choice,
        hypervisor: choice.hypervisor && { ...choice.hypervisor, path: resolveIsoPath(cfgDir, choice.hypervisor.path) },
        kernel: choice.kernel && { ...choice.kernel, path: resolveIsoPath(cfgDir, choice.kernel.path) },
        initrds: choice.initrds.map((i) => resolveIsoPath(cfgDir, i)),
    };
    const needed = [...(choice.hypervisor ? [resolveIsoPath(cfgDir, "mboot.c32")] : []), ...filesOf(resolved)];
    const missing = needed.find((f) => !iso.find(f));
    if (missing) return { kind: "wait", reason: `isolinux entry ${JSON.stringify(choice.entry)} of ${cfgPath} needs ${missing}, which is not on the CD; isolinux prints an error and waits at its prompt`, log };
    log.push(`isolinux: entry ${JSON.stringify(choice.entry)} of ${cfgPath}: ${describeChoice(resolved)}`);
    return { kind: "kernel", choice: resolved, log };
}

function uefiBoot(iso: IsoImage): CdBoot {
    const log: string[] = [];
    const image = iso.bootImages().find((b) => b.platform === "uefi" && b.bootable);
    if (!image) return { kind: "not-bootable", reason: "the CD has no bootable El Torito entry for UEFI", log };
    const file = iso.findByLba(image.lba);
    const imageName = file?.path ?? `El Torito EFI image at block ${image.lba}`;
    let fat: FatImage;
    try {
        fat = new FatImage(file ? iso.readFile(file) : iso.readBlocks(image.lba, image.sectorCount * 512), imageName);
    } catch (err) {
        if (err instanceof FatFormatError) return { kind: "not-bootable", reason: `OVMF cannot read ${imageName}: ${err.message}`, log };
        throw err;
    }
    if (!fat.exists("/EFI/BOOT/BOOTX64.EFI")) {
        return { kind: "not-bootable", reason: `${imageName} has no \\EFI\\BOOT\\BOOTX64.EFI, so OVMF finds no boot loader on the CD`, log };
    }
    log.push(`OVMF: booting \\EFI\\BOOT\\BOOTX64.EFI from ${imageName} (taken to be GRUB)`);
    const isoCfg = iso.find(GRUB_CFG);
    const isoText = isoCfg && !isoCfg.isDir ? iso.readFile(isoCfg).toString("utf8") : undefined;
    const copy = fat.readFile(GRUB_CFG)?.toString("utf8");
    let text: string;
    let cfgName: string;
    if (copy !== undefined) {
        text = copy;
        cfgName = `${imageName}:${GRUB_CFG}`;
        log.push(`grub: reading the grub.cfg copy inside ${imageName} (GRUB's prefix is the image it was loaded from)`);
        if (isoText !== undefined) {
            // Tell a remaster that patched only the ISO's copy why its change has no effect.
            const viaIso = chooseGrubEntry(parseGrubCfg(isoText), GRUB_CFG);
            const viaCopy = chooseGrubEntry(parseGrubCfg(copy), imageName);
            const summary = (d: typeof viaIso) => (d.kind === "boot" ? describeChoice(d.choice) : d.reason);
            if (summary(viaIso) !== summary(viaCopy).replace(imageName, GRUB_CFG)) {
                log.push(`grub: note: the ISO's own ${GRUB_CFG} would boot something else (${summary(viaIso)}), but GRUB never reads it`);
            }
        }
    } else if (isoText !== undefined) {
        text = isoText;
        cfgName = GRUB_CFG;
        log.push(`grub: ${imageName} has no ${GRUB_CFG}; reading the ISO's ${GRUB_CFG}`);
    } else {
        return { kind: "wait", reason: `GRUB finds no ${GRUB_CFG} in ${imageName} or on the ISO, so it waits at its command line`, log };
    }
    const decision = chooseGrubEntry(parseGrubCfg(text), cfgName);
    log.push(...decision.log);
    if (decision.kind === "wait") return { kind: "wait", reason: decision.reason, log };
    const missing = filesOf(decision.choice).find((f) => !iso.find(f));
    if (missing) return { kind: "wait", reason: `GRUB entry ${JSON.stringify(decision.choice.entry)} of ${cfgName} needs ${missing}, which is not on the CD; GRUB prints "file not found" and returns to its menu`, log };
    log.push(`grub: entry ${JSON.stringify(decision.choice.entry)} of ${cfgName}: ${describeChoice(decision.choice)}`);
    return { kind: "kernel", choice: decision.choice, log };
}

function filesOf(choice: KernelChoice): string[] {
    return [choice.hypervisor?.path, choice.kernel?.path, ...choice.initrds].filter((f): f is string => f !== undefined);
}

/** One log line for a kernel choice, with any secret-looking argument masked. */
export function describeChoice(choice: KernelChoice): string {
    const parts: string[] = [];
    if (choice.hypervisor) parts.push(`Xen ${choice.hypervisor.path}`);
    if (choice.kernel) parts.push(`kernel ${choice.kernel.path} ${redactArgs(choice.kernel.args).join(" ")}`.trim());
    if (choice.initrds.length) parts.push(`initrd ${choice.initrds.join(" + ")}`);
    if (choice.other) parts.push(choice.other);
    return parts.join("; ");
}

/** Masks values that are secrets (the installer's `sshpassword=`). */
export function redactArgs(args: string[]): string[] {
    return args.map((a) => (/^sshpassword=/.test(a) ? "sshpassword=<redacted>" : a));
}
