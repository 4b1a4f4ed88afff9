/**
 * NestedHypervisor: arguments (pulumi.Input everywhere), the plain inputs the provider receives
 * after check() applied the defaults, and the outputs kept in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../../ssh";

export type DesiredPowerState = "running" | "halted";
export type Firmware = "bios" | "uefi";

export interface NestedHypervisorArgs {
    /**
     * SSH connection to the physical XenServer host (secret in state). Changing its host or port
     * replaces the VM; changing only credentials changes nothing.
     * @default - from stack config: virtual-hypervisor:host, :port, :user, :password, :privateKey, :hostKey
     */
    connection?: pulumi.Input<ConnectionArgs>;
    /** name-label of the VM once installed (during the install: "<name> - … (Step n of 3)"). Renames in place. */
    nameLabel: pulumi.Input<string>;
    /** The remastered installer ISO in an ISO SR, by VDI name-label (RemasteredIso.isoName). Changing it replaces the VM. */
    isoName: pulumi.Input<string>;
    /** uuid of the network for the VM's NIC (eth0), e.g. the lab's home network. Changing it replaces the VM. */
    networkUuid: pulumi.Input<string>;
    /**
     * Memory in GiB (MiB granularity), pinned (static and dynamic min/max equal: nested virtualisation
     * needs it). Updates in place when the VM is halted or allowHalt is set; otherwise replaces. @default 8
     */
    memoryGiB?: pulumi.Input<number>;
    /** Virtual CPUs. Updates like memoryGiB. @default 2 */
    vcpus?: pulumi.Input<number>;
    /** System disk in GiB, on the pool's default SR (XenServer 8 / XCP-ng 8.3 installers need ≥ 46). Changing it replaces the VM. @default 100 */
    diskGiB?: pulumi.Input<number>;
    /**
     * MAC of eth0, e.g. for a static DHCP lease. Changing it replaces the VM.
     * @default - derived from nameLabel when the VM is first created (locally administered, unicast); a rename keeps it
     */
    mac?: pulumi.Input<string>;
    /** Power state after the install and on every update. @default "running" */
    powerState?: pulumi.Input<DesiredPowerState>;
    /** Deadline of the installer phase (Step 2 of 3), minutes; fractions allowed. @default 60 */
    installTimeoutMinutes?: pulumi.Input<number>;
    /** Deadline of the first boot (Step 3 of 3), minutes; fractions allowed. @default 30 */
    firstBootTimeoutMinutes?: pulumi.Input<number>;
    /** Let a memory or vCPU change halt the running VM (and start it again) instead of replacing it. @default false */
    allowHalt?: pulumi.Input<boolean>;
    /** Installs running at once on this host in this deployment (more wait their turn). @default 2 */
    maxParallelInstalls?: pulumi.Input<number>;
    /** Firmware: "bios" (SeaBIOS) or "uefi" (OVMF, qemu-upstream-uefi). Changing it replaces the VM. @default "bios" */
    firmware?: pulumi.Input<Firmware>;
    /** Leave a VM whose install failed on the host for inspection (the next `pulumi up` removes it and starts over). @default false */
    keepFailedVm?: pulumi.Input<boolean>;
}

/** What the provider receives: NestedHypervisorArgs resolved, defaults applied by check(). */
export interface NestedHypervisorInputs {
    connection?: ConnectionArgs;
    nameLabel: string;
    isoName: string;
    networkUuid: string;
    memoryGiB: number;
    vcpus: number;
    diskGiB: number;
    mac: string;
    powerState: DesiredPowerState;
    installTimeoutMinutes: number;
    firstBootTimeoutMinutes: number;
    allowHalt: boolean;
    maxParallelInstalls: number;
    firmware: Firmware;
    keepFailedVm: boolean;
}

export interface NestedHypervisorOutputs extends Omit<NestedHypervisorInputs, "powerState"> {
    connection: ConnectionArgs;
    /** The VM's uuid (also the resource id). */
    uuid: string;
    /** The power state found (desired by the inputs, actual after a refresh). */
    powerState: string;
    /** qemu's VNC TCP port in dom0 (xenstore console/vnc-port) while running; null when halted or served on a socket. */
    vncPort: number | null;
    /** How to open the VM's console from your machine. */
    consoleCommand: string;
    /** How long the installer ran (Step 2 of 3), seconds. */
    installSeconds: number;
    /** How long the first boot ran (Step 3 of 3), seconds. */
    firstBootSeconds: number;
    /** The platform keys set to enable nested virtualisation (per host version). */
    nestedVirtKeys: string[];
    /** uuid of the system disk. */
    diskVdiUuid: string;
    stateVersion: number;
}

export const NESTED_DEFAULTS = {
    memoryGiB: 8,
    vcpus: 2,
    diskGiB: 100,
    powerState: "running" as DesiredPowerState,
    installTimeoutMinutes: 60,
    firstBootTimeoutMinutes: 30,
    allowHalt: false,
    maxParallelInstalls: 2,
    firmware: "bios" as Firmware,
    keepFailedVm: false,
};

/** The template every nested hypervisor is installed from (the seed's choice). */
export const TEMPLATE_NAME = "Other install media";
