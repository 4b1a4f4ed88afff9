/**
 * The XenNetwork provider implementation, loaded by the serialized shim (../shim.ts) inside the
 * dynamic-provider host; `this` is the shim, on which configure() left the stack config.
 *
 * create: adopts a network of ours with this key that no VM uses (left by an interrupted run),
 * else `network-create` + tags. read: drift of name, description, MTU; no id when it is gone.
 * update: param-set in place. delete: refuses clearly while VIFs use it, succeeds if already gone.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isXeNotFound, parseSet, XeClient, XeError } from "../../xe";
import { effectiveConnection, ProviderConfig, storedConnection } from "../common/connection";
import { jsonSafe, readState, STATE_VERSION } from "../common/state";
import { isOurs, KEY_KEY, ownershipTags, tagFilter } from "../common/tags";
import type { XenNetworkInputs, XenNetworkOutputs } from "./args";
import { checkNetwork } from "./check";
import { diffNetwork } from "./diff";
import { NetworkConflictError, NetworkInUseError } from "./errors";

interface Shim {
    config?: ProviderConfig;
}

const FIELDS = ["uuid", "name-label", "name-description", "MTU", "bridge", "VIF-uuids", "other-config"];
const label = (nameLabel: string) => `XenNetwork ${nameLabel}`;

/** VIFs on the network, as "vm vh0 (VIF 0)" (dom0/templates included, by their names). */
async function networkUsers(xe: XeClient, uuid: string): Promise<string[]> {
    const vifs = await xe.list("vif", { "network-uuid": uuid }, ["uuid", "vm-name-label", "device"]);
    return vifs.map((v) => `vm ${v["vm-name-label"] || "?"} (VIF ${v.device}, ${v.uuid})`);
}

function outputsOf(inputs: XenNetworkInputs, connection: XenNetworkOutputs["connection"], uuid: string, bridge: string): XenNetworkOutputs {
    return jsonSafe({ ...inputs, connection, uuid, bridge, stateVersion: STATE_VERSION });
}

export const provider: pulumi.dynamic.ResourceProvider = {
    async check(this: Shim, _olds: any, news: any) {
        return checkNetwork(news, this.config);
    },

    async diff(this: Shim, _id: string, olds: any, news: any) {
        return diffNetwork(olds, news, this.config);
    },

    async create(this: Shim, inputs: XenNetworkInputs) {
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.nameLabel));
        const xe = XeClient.connect(connection);
        const ours = await xe.list("network", tagFilter(inputs.nameLabel), FIELDS);
        const unused = ours.filter((n) => parseSet(n["VIF-uuids"] ?? "").length === 0);
        let uuid: string;
        if (ours.length && !unused.length) {
            throw new NetworkConflictError(
                `${label(inputs.nameLabel)}: a network with this name made by virtual-hypervisor already exists on ${xe.target} ` +
                `(${ours.map((n) => n.uuid).join(", ")}) and VMs use it, so it belongs to another stack or resource; choose another nameLabel`,
            );
        }
        if (unused.length) {
            // Left by an interrupted create of this resource: adopt one, make it match, drop the rest.
            const [keep, ...extra] = unused;
            uuid = keep.uuid;
            await xe.paramSet("network", uuid, { "name-description": inputs.description, MTU: inputs.mtu });
            for (const n of extra) await xe.network.destroy(n.uuid).catch(() => undefined);
        } else {
            uuid = await xe.network.create({
                nameLabel: inputs.nameLabel, nameDescription: inputs.description, mtu: inputs.mtu,
                otherConfig: ownershipTags(inputs.nameLabel, "network"),
            });
        }
        const bridge = await xe.network.bridge(uuid);
        return { id: uuid, outs: outputsOf(inputs, connection, uuid, bridge) };
    },

    async read(this: Shim, id: string, props: any) {
        const old = readState<XenNetworkOutputs>(props, label(props?.nameLabel));
        const xe = XeClient.connect(storedConnection(old.connection, this.config, label(old.nameLabel)));
        const found = await xe.list("network", { uuid: id }, FIELDS).catch((err) => {
            if (isXeNotFound(err)) return [];
            throw err;
        });
        if (!found.length) return { id: "" };
        const n = found[0];
        return {
            id,
            props: jsonSafe({
                ...old, uuid: id, nameLabel: n["name-label"], description: n["name-description"], mtu: Number(n.MTU), bridge: n.bridge,
                stateVersion: STATE_VERSION,
            }),
        };
    },

    async update(this: Shim, id: string, olds: any, news: any) {
        const old = readState<XenNetworkOutputs>(olds, label(olds?.nameLabel));
        const inputs = news as XenNetworkInputs;
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.nameLabel));
        const xe = XeClient.connect(connection);
        const found = await xe.list("network", { uuid: id }, FIELDS);
        if (!found.length) {
            throw new Error(`${label(inputs.nameLabel)}: network ${id} is gone from ${xe.target}; run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
        }
        const ownKey = isOurs(found[0]["other-config"]);
        await xe.paramSet("network", id, {
            "name-label": inputs.nameLabel,
            "name-description": inputs.description,
            MTU: inputs.mtu,
            // The key follows the name, so a retried create after a rename still finds it.
            "other-config": ownKey ? { [KEY_KEY]: inputs.nameLabel } : undefined,
        });
        return { outs: outputsOf(inputs, connection, id, found[0].bridge ?? old.bridge) };
    },

    async delete(this: Shim, id: string, props: any) {
        const old = readState<XenNetworkOutputs>(props, label(props?.nameLabel));
        const xe = XeClient.connect(storedConnection(old.connection, this.config, label(old.nameLabel)));
        // xapi destroys a network whose VIFs are merely inactive, VIFs and all (xe-cli.md §3):
        // that would silently break halted VMs, so any VIF stops the delete.
        const users = await networkUsers(xe, id).catch((err) => {
            if (isXeNotFound(err)) return [];
            throw err;
        });
        if (users.length) throw new NetworkInUseError(old.nameLabel, id, users);
        try {
            await xe.network.destroy(id);
        } catch (err) {
            if (isXeNotFound(err)) return;
            if (err instanceof XeError && err.code === "NETWORK_CONTAINS_VIF") {
                throw new NetworkInUseError(old.nameLabel, id, await networkUsers(xe, id).catch(() => ["VIFs that appeared meanwhile"]), { cause: err });
            }
            throw err;
        }
    },
};
