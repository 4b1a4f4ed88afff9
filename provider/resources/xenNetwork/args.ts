/**
 * XenNetwork: arguments (pulumi.Input everywhere), the plain inputs the provider receives after
 * check() applied the defaults, and the outputs kept in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../../ssh";

export interface XenNetworkArgs {
    /**
     * SSH connection to the XenServer host (secret in state). Changing its host or port replaces
     * the network; changing only credentials changes nothing.
     * @default - from stack config: virtual-hypervisor:host, :port, :user, :password, :privateKey, :hostKey
     */
    connection?: pulumi.Input<ConnectionArgs>;
    /** name-label of the network, e.g. "lab1-home". Also its ownership key (other-config:vh-key). Updates in place. */
    nameLabel: pulumi.Input<string>;
    /** name-description. Updates in place. @default "" */
    description?: pulumi.Input<string>;
    /** MTU in bytes, 68–9216. Updates in place (VIFs plugged later use it). @default 1500 */
    mtu?: pulumi.Input<number>;
}

export interface XenNetworkInputs {
    connection?: ConnectionArgs;
    nameLabel: string;
    description: string;
    mtu: number;
}

export interface XenNetworkOutputs extends XenNetworkInputs {
    /** The network's uuid (also the resource id). */
    uuid: string;
    /** The bridge carrying it in dom0, e.g. "xapi3". */
    bridge: string;
    /** The connection in use (the argument or the config's), kept so delete reaches the same host. */
    connection: ConnectionArgs;
    stateVersion: number;
}

export const NETWORK_DEFAULTS = { description: "", mtu: 1500 } as const;
