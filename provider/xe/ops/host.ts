/** Host and pool queries over xe: what the resources check before they build a lab. */
import type { XeClient } from "../client";
import { optionalRef } from "./util";

export class HostOps {
    constructor(private readonly xe: XeClient) {}

    /** The uuid of the (single) host; throws naming the uuids if the pool has several. */
    async uuid(): Promise<string> {
        const uuids = await this.xe.uuids("host");
        if (uuids.length !== 1) {
            throw new Error(`expected exactly one host on ${this.xe.target}, found ${uuids.length}${uuids.length ? `: ${uuids.join(", ")}` : ""}; pass the host uuid explicitly`);
        }
        return uuids[0];
    }

    /** `software-version` map: product_version, product_brand, build_number, xapi, xen, … */
    async softwareVersion(hostUuid: string): Promise<Record<string, string>> {
        return this.xe.paramGetMap("host", hostUuid, "software-version");
    }

    /** `cpu_info` map: cpu_count, socket_count, vendor, speed, modelname, flags, … */
    async cpuInfo(hostUuid: string): Promise<Record<string, string>> {
        return this.xe.paramGetMap("host", hostUuid, "cpu_info");
    }

    /** Free memory in bytes (`memory-free`). */
    async memoryFree(hostUuid: string): Promise<number> {
        return toBytes(await this.xe.paramGet("host", hostUuid, "memory-free"), "memory-free");
    }

    /** Total memory in bytes (`memory-total`). */
    async memoryTotal(hostUuid: string): Promise<number> {
        return toBytes(await this.xe.paramGet("host", hostUuid, "memory-total"), "memory-total");
    }
}

export class PoolOps {
    constructor(private readonly xe: XeClient) {}

    async uuid(): Promise<string> {
        const uuids = await this.xe.uuids("pool");
        if (uuids.length !== 1) throw new Error(`expected exactly one pool on ${this.xe.target}, found ${uuids.length}`);
        return uuids[0];
    }

    /** Licence restrictions (`restrictions` map: restrict_nested_virt, …). */
    async restrictions(): Promise<Record<string, string>> {
        return this.xe.paramGetMap("pool", await this.uuid(), "restrictions");
    }

    /** The pool's default SR uuid, or undefined when none is set. */
    async defaultSr(): Promise<string | undefined> {
        return optionalRef(await this.xe.paramGet("pool", await this.uuid(), "default-SR"));
    }
}

function toBytes(value: string, field: string): number {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new Error(`unexpected ${field} value ${JSON.stringify(value)}: expected a number of bytes`);
    return n;
}
