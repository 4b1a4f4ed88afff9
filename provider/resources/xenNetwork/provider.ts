/**
 * The XenNetwork provider implementation, loaded by the serialized shim (../shim.ts) inside the
 * dynamic-provider host; `this` is the shim, on which configure() left the stack config.
 *
 * create: adopts a network of ours with this key that no VM uses (left by an interrupted run),
 * else `network-create` + tags. read: drift of name, description, MTU; no id when it is gone.
 * update: param-set in place. delete: refuses clearly while VIFs use it, succeeds if already gone.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isXeNotFound, XeClient } from "../../xe";
import { effectiveConnection, ProviderConfig, storedConnection } from "../common/connection";
import { jsonSafe, readState, STATE_VERSION } from "../common/state";
import { isOurs, KEY_KEY } from "../common/tags";
import type { XenNetworkInputs, XenNetworkOutputs } from "./args";
import { checkNetwork } from "./check";
import { diffNetwork } from "./diff";
import { createOwnNetwork, destroyOwnNetwork, NETWORK_FIELDS as FIELDS } from "./operations";

interface Shim {
    config?: ProviderConfig;
}

const label = (nameLabel: string) => `XenNetwork ${nameLabel}`;

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
        // Adopts an unused network of ours with this name (left by an interrupted run), see operations.ts.
        const { uuid, bridge } = await createOwnNetwork(xe, inputs, label(inputs.nameLabel));
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
        // Refuses while any VIF uses it; already gone is success.
        await destroyOwnNetwork(xe, id, old.nameLabel);
    },
};
