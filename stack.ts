/**
 * The root Pulumi program (Pulumi.yaml's main, built to dist/stack.js): one Lab driven entirely
 * by stack config. The XenServer host comes from `virtual-hypervisor:*` keys (read by the
 * resources and the Lab), the lab itself from `lab:*` keys or one structured `lab:lab` object;
 * the schema is in docs/lab-stacks.md. Each developer has a stack (Pulumi.<stack>.yaml) whose name
 * is the default prefix of every name on the host, so several labs share one host.
 *
 * Exported as a function: the Pulumi runtime calls it and turns what it returns into the stack's
 * outputs (and tests can run it more than once).
 */
import * as pulumi from "@pulumi/pulumi";
import { Lab, LabArgs, labArgsFromConfig, LabCost, LabHypervisorInfo } from "./components";

interface LabStackOutputs {
    prefix: string;
    homeNetworkUuid: pulumi.Output<string>;
    gatewayAddress: string;
    hypervisors: pulumi.Output<LabHypervisorInfo[]>;
    cost: pulumi.Output<LabCost>;
    estimatedInstallMinutes: pulumi.Output<number | undefined>;
}

export = function labStack(): LabStackOutputs {
    const args = labArgsFromConfig(pulumi.runtime.allConfig());
    // Secrets stay secrets from config to state, whatever the config file marked: the fields every
    // secret lab: key lands in (rootPassword; toolbox.ssh, which takes toolboxPrivateKey and toolboxPassword).
    const secretArgs: LabArgs = {
        ...args,
        rootPassword: pulumi.secret(args.rootPassword),
        toolbox: { ...args.toolbox, ssh: pulumi.secret(args.toolbox.ssh) },
    };
    const lab = new Lab("lab", secretArgs);
    return {
        prefix: lab.plan.prefix,
        homeNetworkUuid: lab.homeNetworkUuid,
        gatewayAddress: lab.gatewayAddress,
        hypervisors: lab.hypervisors,
        cost: lab.cost,
        estimatedInstallMinutes: lab.preflight.apply((r) => r?.time.minutes),
    };
};
