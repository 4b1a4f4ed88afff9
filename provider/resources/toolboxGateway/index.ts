/**
 * ToolboxGateway: makes an existing VM on the XenServer host (the "toolbox") the NAT gateway and
 * DNS proxy of a lab's private home network. It plugs a VIF on the home network into the toolbox
 * and configures the toolbox over SSH (provider/gateway).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import type { ToolboxGatewayArgs } from "./args";

export type { GatewayHostArgs, ToolboxGatewayArgs, ToolboxGatewayInputs, ToolboxGatewayOutputs } from "./args";
export { STATE_VERSION } from "./args";
export { gatewayMac } from "./mac";

/** One provider object for every instance: Pulumi caches its serialization per object. */
const PROVIDER = providerShim("ToolboxGateway");

/** Outputs holding credentials: kept secret in state even when given as plain strings. */
const SECRET_OUTPUTS = ["connection", "toolbox"];

export class ToolboxGateway extends pulumi.dynamic.Resource {
    /** uuid of the VIF on the home network plugged into the toolbox (also the resource id). */
    declare readonly vifUuid: pulumi.Output<string>;
    /** Its MAC, derived from lab and home network. */
    declare readonly mac: pulumi.Output<string>;
    /** Whether the VIF was made by this resource (and is destroyed with it). */
    declare readonly vifOwned: pulumi.Output<boolean>;
    declare readonly toolboxVmUuid: pulumi.Output<string>;
    /** The toolbox's interface on the home network, e.g. "eth1". */
    declare readonly homeInterface: pulumi.Output<string>;
    /** Default gateway of the nested hypervisors, e.g. "192.168.32.1". */
    declare readonly gatewayAddress: pulumi.Output<string>;
    /** Name server of the nested hypervisors (the gateway address). */
    declare readonly dnsAddress: pulumi.Output<string>;
    declare readonly prefixLength: pulumi.Output<number>;
    declare readonly natBackend: pulumi.Output<string>;
    declare readonly activeUpstreamInterface: pulumi.Output<string>;
    declare readonly activeUpstreamDns: pulumi.Output<string[]>;
    /** Differences found by the last refresh (empty when the toolbox is as applied). */
    declare readonly drift: pulumi.Output<string[]>;
    declare readonly stateVersion: pulumi.Output<number>;

    constructor(name: string, args: ToolboxGatewayArgs, opts: pulumi.CustomResourceOptions = {}) {
        super(PROVIDER, name, {
            ...args,
            // Secret inputs too, so no state file holds a password or key in plaintext.
            toolbox: pulumi.secret(args.toolbox),
            connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
            vifUuid: undefined, mac: undefined, vifOwned: undefined, toolboxVmUuid: undefined, homeInterface: undefined, gatewayAddress: undefined,
            dnsAddress: undefined, prefixLength: undefined, natBackend: args.natBackend, activeUpstreamInterface: undefined,
            activeUpstreamDns: undefined, drift: undefined, stateVersion: undefined,
        }, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] }, "virtual-hypervisor", "ToolboxGateway");
    }
}
