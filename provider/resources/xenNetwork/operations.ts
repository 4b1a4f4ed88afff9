/**
 * What XenNetwork does on the host, shared by the resource's provider and the `vh network`
 * commands (which must not re-implement it): find our networks by their ownership key, create one
 * tagged as ours (adopting an unused leftover of an interrupted create), and destroy one only when
 * no VIF uses it.
 */
import { isXeNotFound, parseSet, XeClient, XeError, XeRecord } from "../../xe";
import { ownershipTags, tagFilter } from "../common/tags";
import { NetworkConflictError, NetworkInUseError } from "./errors";

/** Fields read for our networks. */
export const NETWORK_FIELDS = ["uuid", "name-label", "name-description", "MTU", "bridge", "VIF-uuids", "other-config"];

export interface NetworkSpec {
    nameLabel: string;
    description: string;
    mtu: number;
}

export interface EnsuredNetwork {
    uuid: string;
    bridge: string;
    /** An unused network of ours with this key was adopted instead of creating one. */
    adopted: boolean;
}

/** Networks made by virtual-hypervisor with this ownership key (the name they were created with). */
export async function findOwnNetworks(xe: XeClient, nameLabel: string): Promise<XeRecord[]> {
    return xe.list("network", tagFilter(nameLabel), NETWORK_FIELDS);
}

/** Whether no VIF is on the network (listed record). */
export function isUnused(network: XeRecord): boolean {
    return parseSet(network["VIF-uuids"] ?? "").length === 0;
}

/**
 * Creates the network tagged as ours, or adopts an unused network of ours with this key (left by
 * an interrupted run: made to match `spec`, other unused ones dropped). Throws
 * NetworkConflictError when networks of ours with this key exist and VMs use all of them.
 */
export async function createOwnNetwork(xe: XeClient, spec: NetworkSpec, resource: string): Promise<EnsuredNetwork> {
    const ours = await findOwnNetworks(xe, spec.nameLabel);
    const unused = ours.filter(isUnused);
    if (ours.length && !unused.length) {
        throw new NetworkConflictError(
            `${resource}: a network with this name made by virtual-hypervisor already exists on ${xe.target} ` +
            `(${ours.map((n) => n.uuid).join(", ")}) and VMs use it, so it belongs to another stack or resource; choose another nameLabel`,
        );
    }
    let uuid: string;
    if (unused.length) {
        const [keep, ...extra] = unused;
        uuid = keep.uuid;
        await xe.paramSet("network", uuid, { "name-description": spec.description, MTU: spec.mtu });
        for (const n of extra) await xe.network.destroy(n.uuid).catch(() => undefined);
    } else {
        uuid = await xe.network.create({
            nameLabel: spec.nameLabel, nameDescription: spec.description, mtu: spec.mtu,
            otherConfig: ownershipTags(spec.nameLabel, "network"),
        });
    }
    return { uuid, bridge: await xe.network.bridge(uuid), adopted: unused.length > 0 };
}

/** VIFs on the network, as "vm vh0 (VIF 0, <uuid>)". */
export async function networkUsers(xe: XeClient, uuid: string): Promise<string[]> {
    const vifs = await xe.list("vif", { "network-uuid": uuid }, ["uuid", "vm-name-label", "device"]);
    return vifs.map((v) => `vm ${v["vm-name-label"] || "?"} (VIF ${v.device}, ${v.uuid})`);
}

/**
 * Destroys the network unless a VIF uses it (NetworkInUseError): xapi would destroy a network whose
 * VIFs are merely inactive, VIFs and all (xe-cli.md §3), silently breaking halted VMs. Resolves
 * with false when it was already gone.
 */
export async function destroyOwnNetwork(xe: XeClient, uuid: string, nameLabel: string): Promise<boolean> {
    const users = await networkUsers(xe, uuid).catch((err) => {
        if (isXeNotFound(err)) return [];
        throw err;
    });
    if (users.length) throw new NetworkInUseError(nameLabel, uuid, users);
    try {
        await xe.network.destroy(uuid);
        return true;
    } catch (err) {
        if (isXeNotFound(err)) return false;
        if (err instanceof XeError && err.code === "NETWORK_CONTAINS_VIF") {
            throw new NetworkInUseError(nameLabel, uuid, await networkUsers(xe, uuid).catch(() => ["VIFs that appeared meanwhile"]), { cause: err });
        }
        throw err;
    }
}
