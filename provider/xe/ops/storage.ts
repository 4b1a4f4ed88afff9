/** SR, PBD, VDI and VBD helpers over xe. */
import type { XeClient } from "../client";
import type { XeMap } from "../command";
import { firstUuid } from "./util";

export interface IsoSrCreateArgs {
    nameLabel: string;
    /** Directory in dom0 holding the ISOs (used in place, no mount: legacy_mode). */
    location: string;
    /** Host to attach the SR to. @default - the pool master */
    hostUuid?: string;
    /** @default "" */
    nameDescription?: string;
}

export class SrOps {
    constructor(private readonly xe: XeClient) {}

    /**
     * `sr-create type=iso content-type=iso device-config:location=DIR device-config:legacy_mode=true`:
     * an ISO SR over a local directory; creates and plugs its PBD. Resolves with the SR's uuid.
     */
    async createIso(args: IsoSrCreateArgs): Promise<string> {
        const out = await this.xe.call("sr-create", {
            "name-label": args.nameLabel,
            "name-description": args.nameDescription,
            type: "iso",
            "content-type": "iso",
            shared: false,
            "host-uuid": args.hostUuid,
            "device-config": { location: args.location, legacy_mode: "true" },
        });
        return firstUuid(out, `xe sr-create name-label=${args.nameLabel}`);
    }

    /** `sr-scan`: re-reads the SR (an ISO SR picks up new and removed files). Safe to repeat. */
    async scan(uuid: string): Promise<void> {
        await this.xe.call("sr-scan", { uuid });
    }

    /** `sr-forget`: drops the SR record, keeping its content. All PBDs must be unplugged. */
    async forget(uuid: string): Promise<void> {
        await this.xe.call("sr-forget", { uuid });
    }

    /** `sr-destroy`: destroys the SR and its content. All PBDs must be unplugged. */
    async destroy(uuid: string): Promise<void> {
        await this.xe.call("sr-destroy", { uuid });
    }

    /** uuids of the SR's PBDs. */
    async pbdUuids(uuid: string): Promise<string[]> {
        return this.xe.uuids("pbd", { "sr-uuid": uuid });
    }

    /** uuids of the SR's VDIs. */
    async vdiUuids(uuid: string): Promise<string[]> {
        return this.xe.uuids("vdi", { "sr-uuid": uuid });
    }
}

export class PbdOps {
    constructor(private readonly xe: XeClient) {}

    async plug(uuid: string): Promise<void> {
        await this.xe.call("pbd-plug", { uuid });
    }

    async unplug(uuid: string): Promise<void> {
        await this.xe.call("pbd-unplug", { uuid });
    }
}

export interface VdiCreateArgs {
    srUuid: string;
    nameLabel: string;
    /** Bytes, or a string with a suffix such as "100GiB". */
    virtualSize: number | bigint | string;
    /** @default "user" */
    type?: "user" | "system" | "suspend" | "crashdump";
    /** @default false */
    sharable?: boolean;
    /** other-config keys set right after creation. @default {} */
    otherConfig?: XeMap;
}

export class VdiOps {
    constructor(private readonly xe: XeClient) {}

    /** `vdi-create`; other-config is set afterwards, and the VDI destroyed again if that fails. */
    async create(args: VdiCreateArgs): Promise<string> {
        const out = await this.xe.call("vdi-create", {
            "sr-uuid": args.srUuid,
            "name-label": args.nameLabel,
            "virtual-size": args.virtualSize,
            type: args.type,
            sharable: args.sharable,
        });
        const uuid = firstUuid(out, `xe vdi-create name-label=${args.nameLabel}`);
        if (args.otherConfig && Object.keys(args.otherConfig).length) {
            try {
                await this.xe.paramSet("vdi", uuid, { "other-config": args.otherConfig });
            } catch (err) {
                await this.destroy(uuid).catch(() => undefined);
                throw err;
            }
        }
        return uuid;
    }

    async destroy(uuid: string): Promise<void> {
        await this.xe.call("vdi-destroy", { uuid });
    }
}

export interface VbdCreateArgs {
    vmUuid: string;
    /** The disk or ISO to attach. @default - an empty drive (CD only) */
    vdiUuid?: string;
    /** userdevice, e.g. 0 for the first disk, 3 for a CD. */
    device: string | number;
    /** @default "Disk" */
    type?: "Disk" | "CD";
    /** @default "RW" for disks, "RO" for CDs */
    mode?: "RO" | "RW";
    /** @default false */
    bootable?: boolean;
    /** @default - xapi's default */
    unpluggable?: boolean;
}

export class VbdOps {
    constructor(private readonly xe: XeClient) {}

    async create(args: VbdCreateArgs): Promise<string> {
        const type = args.type ?? "Disk";
        const out = await this.xe.call("vbd-create", {
            "vm-uuid": args.vmUuid,
            "vdi-uuid": args.vdiUuid,
            device: String(args.device),
            type,
            mode: args.mode ?? (type === "CD" ? "RO" : "RW"),
            bootable: args.bootable,
            unpluggable: args.unpluggable,
        });
        return firstUuid(out, `xe vbd-create vm-uuid=${args.vmUuid}`);
    }

    async destroy(uuid: string): Promise<void> {
        await this.xe.call("vbd-destroy", { uuid });
    }
}
