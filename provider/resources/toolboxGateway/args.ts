/**
 * The ToolboxGateway resource's arguments (pulumi.Input everywhere), the plain inputs its provider
 * receives, and the outputs it keeps in state.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GatewayHost, NatBackend, ServiceManager } from "../../gateway";
import type { ConnectionArgs } from "../../ssh";

export { STATE_VERSION } from "../common/state";

export interface GatewayHostArgs {
    /** Host name of a nested hypervisor, e.g. "vh0.lab"; its short form ("vh0") is answered too. */
    hostname: pulumi.Input<string>;
    /** Its static address on the home network, e.g. "192.168.32.2". */
    address: pulumi.Input<string>;
}

export interface ToolboxGatewayArgs {
    /**
     * SSH connection to the physical XenServer host that runs the toolbox VM (secret in state).
     * Changing its host or port replaces the resource.
     * @default - from stack config: virtual-hypervisor:host, :port, :user, :password, :privateKey, :hostKey
     */
    connection?: pulumi.Input<ConnectionArgs>;
    /** The toolbox VM on that host: its uuid or exact name-label. It must be running. Changing it replaces the resource. */
    toolboxVm: pulumi.Input<string>;
    /** uuid of the lab's private "home" network. Changing it replaces the resource. */
    homeNetwork: pulumi.Input<string>;
    /** SSH connection to the toolbox itself (root, or a user with passwordless sudo; secret in state). Changing it updates in place. */
    toolbox: pulumi.Input<ConnectionArgs>;
    /** Lab name: 1–32 lower-case letters, digits and inner dashes. Names the VIF's MAC, nft table and state directory. Changing it replaces the resource. */
    lab: pulumi.Input<string>;
    /** The gateway's address and prefix on the home network. Changing it replaces the resource. @default "192.168.32.1/24" */
    gatewayCidr?: pulumi.Input<string>;
    /** NAT on the toolbox: a nftables table of our own, or Shorewall (the seed's choice). Changing it replaces the resource. @default "nftables" */
    natBackend?: pulumi.Input<NatBackend>;
    /** The toolbox's interface towards the corporate network. Updates in place. @default - the interface of its default route */
    upstreamInterface?: pulumi.Input<string>;
    /** Resolvers the DNS proxy forwards to. Updates in place. @default - the toolbox's own resolvers */
    upstreamDns?: pulumi.Input<pulumi.Input<string>[]>;
    /** Names the DNS proxy answers for: every nested hypervisor. Updates in place. @default [] */
    hosts?: pulumi.Input<pulumi.Input<GatewayHostArgs>[]>;
    /** Directory on the toolbox for everything we add. Changing it replaces the resource. @default "/etc/virtual-hypervisor/<lab>" */
    stateDir?: pulumi.Input<string>;
    /** How services run on the toolbox. Changing it replaces the resource. @default "auto" - systemd units when the toolbox runs systemd, else daemons */
    serviceManager?: pulumi.Input<ServiceManager>;
}

/** What the provider receives: ToolboxGatewayArgs resolved, with defaults applied by check(). */
export interface ToolboxGatewayInputs {
    connection?: ConnectionArgs;
    toolboxVm: string;
    homeNetwork: string;
    toolbox: ConnectionArgs;
    lab: string;
    gatewayCidr: string;
    natBackend: NatBackend;
    upstreamInterface?: string;
    upstreamDns?: string[];
    hosts: GatewayHost[];
    stateDir: string;
    serviceManager: ServiceManager;
}

export interface ToolboxGatewayOutputs extends ToolboxGatewayInputs {
    /** The XenServer host connection used (the argument, else the stack config's), for read and delete. */
    connection?: ConnectionArgs;
    /** uuid of the VIF plugged into the toolbox on the home network (the resource id). */
    vifUuid: string;
    /** Its MAC, derived from lab and home network. */
    mac: string;
    /** The VIF was made by this resource (delete destroys it); false for a NIC the toolbox already had with that MAC. */
    vifOwned: boolean;
    toolboxVmUuid: string;
    /** The toolbox's interface on the home network, e.g. "eth1". */
    homeInterface: string;
    /** The gateway address (the hypervisors' default route), e.g. "192.168.32.1". */
    gatewayAddress: string;
    /** The DNS proxy's address (the hypervisors' name server); the gateway address. */
    dnsAddress: string;
    prefixLength: number;
    /** The upstream interface and resolvers in use (discovered when not given). */
    activeUpstreamInterface: string;
    activeUpstreamDns: string[];
    /** Differences found by the last refresh; a non-empty list makes the next update re-apply. */
    drift: string[];
    stateVersion: number;
}
