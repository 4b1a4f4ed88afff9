/**
 * XenNetwork: a private network on the XenServer host (`xe network-create`), e.g. a lab's "home"
 * network. Name, description and MTU update in place; delete refuses while VMs still use it.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import type { XenNetworkArgs } from "./args";

export type { XenNetworkArgs, XenNetworkInputs, XenNetworkOutputs } from "./args";
export { NETWORK_DEFAULTS } from "./args";
export { NetworkConflictError, NetworkInUseError } from "./errors";

/** One provider object for every instance: Pulumi caches its serialization per object. */
const PROVIDER = providerShim("XenNetwork");

export class XenNetwork extends pulumi.dynamic.Resource {
    /** The network's uuid (also the resource id). */
    declare readonly uuid: pulumi.Output<string>;
    /** The dom0 bridge carrying it, e.g. "xapi3". */
    declare readonly bridge: pulumi.Output<string>;
    declare readonly nameLabel: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string>;
    declare readonly mtu: pulumi.Output<number>;
    declare readonly stateVersion: pulumi.Output<number>;

    constructor(name: string, args: XenNetworkArgs, opts: pulumi.CustomResourceOptions = {}) {
        super(PROVIDER, name, {
            uuid: undefined, bridge: undefined, stateVersion: undefined,
            ...args,
            // Secret as an input too, so no state file holds a password or key in plaintext.
            connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
        }, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "connection"] }, "virtual-hypervisor", "XenNetwork");
    }
}
