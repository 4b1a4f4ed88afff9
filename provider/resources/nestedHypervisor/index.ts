/**
 * NestedHypervisor: a XenServer / XCP-ng host installed unattended into an HVM VM on the physical
 * XenServer, from a RemasteredIso: the seed's three-step install made robust (pre-flight,
 * deadlines, progress, rollback, power state, drift).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import type { NestedHypervisorArgs } from "./args";

export type { DesiredPowerState, Firmware, NestedHypervisorArgs, NestedHypervisorInputs, NestedHypervisorOutputs } from "./args";
export { NESTED_DEFAULTS, TEMPLATE_NAME } from "./args";
export { installNestedHypervisor, InstallOptions, InstallResult, InstallSpec } from "./install";
export { removeVm } from "./remove";
export { resolveNestedHypervisorInputs } from "./check";
export { consoleCommand, deriveMac, diskName, progressName } from "./naming";
export { nestedVirtKeys, NestedVirtKey } from "./platform";
export { preflightProblems, startFootprintBytes } from "./preflight";
export { PreflightError, VmGoneError, VmStartError } from "./errors";

const PROVIDER = providerShim("NestedHypervisor");

export class NestedHypervisor extends pulumi.dynamic.Resource {
    /** The VM's uuid (also the resource id). */
    declare readonly uuid: pulumi.Output<string>;
    declare readonly nameLabel: pulumi.Output<string>;
    /** MAC of eth0. */
    declare readonly mac: pulumi.Output<string>;
    /** Power state: as asked after create/update, as found after a refresh. */
    declare readonly powerState: pulumi.Output<string>;
    declare readonly memoryGiB: pulumi.Output<number>;
    declare readonly vcpus: pulumi.Output<number>;
    /** qemu's VNC port in dom0 while running (null when halted or served on a socket). */
    declare readonly vncPort: pulumi.Output<number | null>;
    /** How to open the VM's console from your machine. */
    declare readonly consoleCommand: pulumi.Output<string>;
    /** Seconds the installer ran (Step 2 of 3). */
    declare readonly installSeconds: pulumi.Output<number>;
    /** Seconds the first boot ran (Step 3 of 3). */
    declare readonly firstBootSeconds: pulumi.Output<number>;
    /** Platform keys set to enable nested virtualisation. */
    declare readonly nestedVirtKeys: pulumi.Output<string[]>;
    declare readonly diskVdiUuid: pulumi.Output<string>;
    declare readonly stateVersion: pulumi.Output<number>;

    constructor(name: string, args: NestedHypervisorArgs, opts: pulumi.CustomResourceOptions = {}) {
        super(PROVIDER, name, {
            uuid: undefined, vncPort: undefined, consoleCommand: undefined, installSeconds: undefined, firstBootSeconds: undefined,
            nestedVirtKeys: undefined, diskVdiUuid: undefined, stateVersion: undefined, mac: undefined, powerState: undefined,
            memoryGiB: undefined, vcpus: undefined,
            ...args,
            connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
        }, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "connection"] }, "virtual-hypervisor", "NestedHypervisor");
    }
}
