/**
 * The contract between the simulator's VM lifecycle (sim/lifecycle) and its simulated installer
 * (sim/installer). When a VM starts, the lifecycle describes what is in the VM's drives; the
 * installer decides what that boot does, the way the real firmware, bootloader and XenServer
 * installer would, and returns a plan the lifecycle then plays out on the simulated clock.
 */
import type { Product } from "../products";

export type Firmware = "bios" | "uefi";

/** What a successful installation leaves on the VM's disk (kept in the VDI record of the sim). */
export interface InstalledSystem {
    hostname: string;
    /** Management address for static installs, "dhcp" for DHCP, undefined for proto="none". */
    address?: string;
    netmask?: string;
    gateway?: string;
    nameServers: string[];
    /** Product installed (the ISO's version, which the sim takes to be the host's product). */
    productVersion: string;
    /** True when the post-install script set up a first-boot step that halts the machine. */
    firstBootHalts: boolean;
    /** True once that first-boot step has run (it disables itself, as the seed's does). */
    firstBootDone: boolean;
    /**
     * True when the halting first-boot step never disables itself (a systemd unit without
     * `systemctl disable`), so it halts the machine at every boot, not just the first. @default false
     */
    firstBootRepeats?: boolean;
    /** Unix ms when the installation finished. */
    installedAt: number;
}

export interface BootRequest {
    vmUuid: string;
    /** `HVM-boot-params:order`, e.g. "dc" (CD first) or "cd" (disk first). */
    bootOrder: string;
    firmware: Firmware;
    /** Absolute path of the ISO in the VM's CD drive on the host filesystem; null when empty or absent. */
    cdIsoPath: string | null;
    /** The boot disk (userdevice 0): null when the VM has no disk, `blank` when it was never installed. */
    disk: null | { blank: true; sizeBytes: number } | { blank: false; sizeBytes: number; system: InstalledSystem };
    /** Network devices the guest sees, in VIF device order ("eth0", "eth1", …). */
    nics: string[];
    /** MAC addresses of `nics`, same order, for `<admin-interface hwaddr=…>`. @default unknown */
    macs?: string[];
    product: Product;
    /** Simulated durations, from the host settings (`vh sim --install-seconds`). */
    installSeconds: number;
    firstBootSeconds: number;
    now: number;
}

/**
 * What one boot does. `log` lines explain the decision and go to the simulator's log, so a
 * stalled install always says why.
 */
export type BootPlan =
    /** The unattended installer runs for `durationMs`, then performs its `atexit` action. */
    | { kind: "install"; durationMs: number; atexit: "poweroff" | "reboot" | "shell"; system: InstalledSystem; log: string[] }
    /** The installer starts but the installation fails (logged as INSTALL FAILED); then `atexit` runs. */
    | { kind: "install-failed"; durationMs: number; atexit: "poweroff" | "reboot" | "shell"; reason: string; log: string[] }
    /** The installer ends up waiting for a person (interactive UI, error dialog): the VM runs forever. */
    | { kind: "stall"; reason: string; log: string[] }
    /** The installed system's first boot runs its first-boot step, which halts it when `halts`. */
    | { kind: "first-boot"; durationMs: number; halts: boolean; log: string[] }
    /** The installed system boots and keeps running. */
    | { kind: "run"; log: string[] }
    /** Nothing bootable: firmware prints "No bootable device" and the VM keeps running. */
    | { kind: "no-bootable-device"; log: string[] };

export type PlanBoot = (request: BootRequest) => BootPlan;
