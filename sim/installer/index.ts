/**
 * The simulated installer: decides what a VM boot does (see ./types), the way the firmware, the
 * bootloader on the CD and XenServer's installer would.
 *
 * Firmware: the letters of `HVM-boot-params:order` are tried in turn, `c` the boot disk, `d` the
 * CD, `n` the network. A device that cannot boot is skipped, as SeaBIOS/OVMF move on: an empty CD
 * drive, an unreadable or non-bootable ISO, a never-installed (blank) disk, network boot (the
 * simulated networks have no DHCP/TFTP server). Nothing bootable → "No bootable device".
 *
 * CD: ./cdrom reads the ISO (El Torito, isolinux or GRUB config); the dom0 kernel's initrd is
 * unpacked (./initrd) and the installer runs (./installer). Disk: the installed system boots; its
 * first boot runs the first-boot step the post-install script set up (./firstboot).
 *
 * Every decision is logged; a plan that stalls always says why.
 */
import type { BootPlan, BootRequest } from "./types";
import { bootFromCd } from "./cdrom";
import { openInitrd } from "./initrd";
import { runInstaller } from "./installer";
import { IsoFormatError, IsoImage } from "./iso9660";
import { InitramfsFormatError } from "../../provider/iso/initramfs";

export type { BootPlan, BootRequest, InstalledSystem, Firmware, PlanBoot } from "./types";

/** The order hvmloader uses when `HVM-boot-params:order` is empty. */
const DEFAULT_ORDER = "cd";

export function planBoot(request: BootRequest): BootPlan {
    const firmware = request.firmware === "uefi" ? "OVMF" : "SeaBIOS";
    const log: string[] = [`vm ${request.vmUuid}: ${firmware} boot, order ${JSON.stringify(request.bootOrder)}`];
    const order = request.bootOrder.trim() === "" ? DEFAULT_ORDER : request.bootOrder.trim();
    if (order !== request.bootOrder) log.push(`${firmware}: empty boot order; using ${DEFAULT_ORDER}`);
    for (const letter of order.toLowerCase()) {
        const plan = letter === "c" ? fromDisk(request, log) : letter === "d" ? fromCd(request, log) : letter === "n" ? fromNetwork(request, log) : undefined;
        if (letter !== "c" && letter !== "d" && letter !== "n") log.push(`${firmware}: unknown boot device letter ${JSON.stringify(letter)} ignored`);
        if (plan) return plan;
    }
    log.push(`${firmware}: No bootable device.`);
    return { kind: "no-bootable-device", log };
}

function fromDisk(request: BootRequest, log: string[]): BootPlan | undefined {
    const disk = request.disk;
    if (!disk) { log.push("c: the VM has no boot disk (userdevice 0); trying the next device"); return undefined; }
    if (disk.blank) { log.push("c: Boot failed: not a bootable disk (the disk was never installed); trying the next device"); return undefined; }
    const s = disk.system;
    log.push(`c: booting ${request.product.brand} ${s.productVersion} installed on the disk (hostname ${s.hostname})`);
    if (s.firstBootHalts && (!s.firstBootDone || s.firstBootRepeats)) {
        const when = s.firstBootDone ? "again (it never disables itself)" : "at first boot";
        log.push(`c: the first-boot step runs ${when} and powers the machine off after ${request.firstBootSeconds} s`);
        return { kind: "first-boot", durationMs: request.firstBootSeconds * 1000, halts: true, log };
    }
    log.push(s.firstBootHalts ? "c: the first-boot step already ran; the host keeps running" : "c: no first-boot step powers the machine off; the host keeps running");
    return { kind: "run", log };
}

function fromNetwork(request: BootRequest, log: string[]): BootPlan | undefined {
    if (request.nics.length === 0) log.push("n: the VM has no network interface; trying the next device");
    else log.push("n: network boot (iPXE) gets no DHCP offer on the simulated network; trying the next device");
    return undefined;
}

function fromCd(request: BootRequest, log: string[]): BootPlan | undefined {
    if (!request.cdIsoPath) { log.push("d: the CD drive is empty (or absent); trying the next device"); return undefined; }
    let iso: IsoImage;
    try {
        iso = IsoImage.open(request.cdIsoPath);
    } catch (err) {
        const why = err instanceof IsoFormatError ? err.message : `cannot read ${request.cdIsoPath}: ${(err as Error).message}`;
        log.push(`d: Boot failed: could not read from CDROM (${why}); trying the next device`);
        return undefined;
    }
    try {
        log.push(`d: CD ${request.cdIsoPath} (volume ${JSON.stringify(iso.volumeId)}${iso.rockRidge ? ", Rock Ridge" : ""})`);
        const boot = bootFromCd(iso, request.firmware);
        log.push(...boot.log.map((l) => `d: ${l}`));
        if (boot.kind === "not-bootable") { log.push(`d: Boot failed: ${boot.reason}; trying the next device`); return undefined; }
        if (boot.kind === "wait") return stall(boot.reason, log);
        const { choice } = boot;
        if (choice.other) return stall(`the bootloader loads ${choice.other}, which the simulator does not model; the VM keeps running`, log);
        if (!choice.kernel) return stall(`Xen (${choice.hypervisor?.path}) was given no dom0 kernel module and stops`, log);
        if (choice.initrds.length === 0) return stall(`the kernel ${choice.kernel.path} boots without an initrd, so it is not the XenServer installer; the simulator cannot tell what it does`, log);
        let initrd;
        try {
            initrd = openInitrd(iso, choice.initrds);
        } catch (err) {
            if (!(err instanceof InitramfsFormatError)) throw err;
            return stall(`the kernel cannot unpack the initrd ${choice.initrds.join(" + ")} (${err.message}) and panics`, log);
        }
        log.push(`d: initrd ${choice.initrds.join(" + ")}: segments ${initrd.layout}`);
        if (!initrd.hasUnder("/opt/xensource/installer")) {
            return stall(`the initrd ${choice.initrds.join(" + ")} has no /opt/xensource/installer, so it is not the XenServer installer; the simulator cannot tell what it does`, log);
        }
        return runInstaller({ request, iso, initrd, args: choice.kernel.args, log });
    } finally {
        iso.close();
    }
}

function stall(reason: string, log: string[]): BootPlan {
    return { kind: "stall", reason, log: [...log, `STALLED: ${reason}`] };
}
