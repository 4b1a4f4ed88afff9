/**
 * VM helpers over xe: install from a template, power operations, CD and disk attachment, memory
 * limits, uninstall. VMs are always selected by `uuid=` so a selector can never match several.
 */
import type { XeClient } from "../client";
import { firstUuid } from "./util";

export type PowerState = "halted" | "running" | "paused" | "suspended";

export interface VmInstallArgs {
    /** Template uuid or exact name-label, e.g. "Other install media". */
    template: string;
    /** name-label of the new VM. */
    nameLabel: string;
    /** SR for the template's disks (copy instead of clone). @default - the pool's default SR */
    srUuid?: string;
}

export interface MemoryLimits {
    staticMin: number | bigint;
    staticMax: number | bigint;
    dynamicMin: number | bigint;
    dynamicMax: number | bigint;
}

export interface PowerOptions {
    /** Deadline of the call. @default the connection's commandTimeoutMs */
    timeoutMs?: number;
}

export class VmOps {
    constructor(private readonly xe: XeClient) {}

    /** `vm-install`: creates a halted VM from a template; resolves with its uuid. */
    async install(args: VmInstallArgs): Promise<string> {
        const out = await this.xe.call("vm-install", { template: args.template, "new-name-label": args.nameLabel, "sr-uuid": args.srUuid });
        return firstUuid(out, `xe vm-install new-name-label=${args.nameLabel}`);
    }

    /** `vm-uninstall --force`: hard-shuts the VM down if needed, destroys it and the disks it owns. */
    async uninstall(uuid: string, options: PowerOptions = {}): Promise<void> {
        await this.xe.call("vm-uninstall", { uuid }, { force: true, timeoutMs: options.timeoutMs });
    }

    /** `vm-destroy`: removes the VM record only (its disks stay). The VM must be halted. */
    async destroy(uuid: string): Promise<void> {
        await this.xe.call("vm-destroy", { uuid });
    }

    async powerState(uuid: string): Promise<PowerState> {
        return (await this.xe.paramGet("vm", uuid, "power-state")) as PowerState;
    }

    /** `vm-start`. @param paused start paused @default false */
    async start(uuid: string, options: PowerOptions & { paused?: boolean } = {}): Promise<void> {
        await this.xe.call("vm-start", { uuid, paused: options.paused || undefined }, { timeoutMs: options.timeoutMs });
    }

    /** `vm-shutdown`: clean shutdown (needs a cooperating guest). */
    async shutdown(uuid: string, options: PowerOptions = {}): Promise<void> {
        await this.xe.call("vm-shutdown", { uuid }, { timeoutMs: options.timeoutMs });
    }

    /** `vm-shutdown --force`: power off. */
    async hardShutdown(uuid: string, options: PowerOptions = {}): Promise<void> {
        await this.xe.call("vm-shutdown", { uuid }, { force: true, timeoutMs: options.timeoutMs });
    }

    /** `vm-cd-add`: a CD drive at `device` (e.g. 3) holding the ISO VDI named `cdName`. */
    async cdAdd(uuid: string, cdName: string, device: string | number): Promise<void> {
        await this.xe.call("vm-cd-add", { uuid, "cd-name": cdName, device: String(device) });
    }

    /** `vm-cd-eject`: empties the VM's only CD drive. */
    async cdEject(uuid: string): Promise<void> {
        await this.xe.call("vm-cd-eject", { uuid });
    }

    /** `vm-cd-insert`: puts `cdName` into the VM's only empty CD drive. */
    async cdInsert(uuid: string, cdName: string): Promise<void> {
        await this.xe.call("vm-cd-insert", { uuid, "cd-name": cdName });
    }

    /** `vm-cd-remove`: removes the CD drive holding `cdName` ("<EMPTY>" for an empty drive). */
    async cdRemove(uuid: string, cdName: string): Promise<void> {
        await this.xe.call("vm-cd-remove", { uuid, "cd-name": cdName });
    }

    /**
     * `vm-disk-add`: a new disk of `diskSize` (bytes, or with a suffix such as "100GiB").
     * @param srUuid @default - the pool's default SR
     */
    async diskAdd(uuid: string, args: { diskSize: number | bigint | string; device: string | number; srUuid?: string }): Promise<void> {
        await this.xe.call("vm-disk-add", { uuid, "disk-size": args.diskSize, device: String(args.device), "sr-uuid": args.srUuid });
    }

    /** `vm-memory-limits-set` (VM halted): static-min ≤ dynamic-min ≤ dynamic-max ≤ static-max, bytes. */
    async memoryLimitsSet(uuid: string, limits: MemoryLimits): Promise<void> {
        await this.xe.call("vm-memory-limits-set", {
            uuid,
            "static-min": limits.staticMin,
            "static-max": limits.staticMax,
            "dynamic-min": limits.dynamicMin,
            "dynamic-max": limits.dynamicMax,
        });
    }

    /** uuids of the VM's VBDs (disks and CDs). */
    async vbdUuids(uuid: string): Promise<string[]> {
        return this.xe.uuids("vbd", { "vm-uuid": uuid });
    }

    /** uuids of the VM's VIFs. */
    async vifUuids(uuid: string): Promise<string[]> {
        return this.xe.uuids("vif", { "vm-uuid": uuid });
    }
}
