/**
 * Lab: a toolbox NAT/DNS gateway, a private "home" network and N nested hypervisors on one
 * physical XenServer host — the seed's setup as one component.
 *
 * Order of work, by real dependencies: pre-flight → home network → toolbox gateway → one
 * RemasteredIso per hypervisor (each answer file carries that hypervisor's host name and address)
 * → the NestedHypervisors. Everything is validated and planned before the component registers
 * (LabValidationError), and every child waits for the pre-flight, so a lab that does not fit the
 * host fails with a need / have / short table before anything is created, in preview too.
 */
import * as pulumi from "@pulumi/pulumi";
import { seedAnswerFile } from "../provider/answerfile";
import { connectionFailures, connectionFromConfig } from "../provider/resources/common/connection";
import { UUID } from "../provider/resources/common/validate";
import { NestedHypervisor, RemasteredIso, XenNetwork } from "../provider/resources";
import { ToolboxGateway } from "../provider/resources/toolboxGateway";
import type { ConnectionArgs } from "../provider/ssh";
import { sshCommand } from "./access";
import type { LabArgs } from "./args";
import { LabValidationError } from "./errors";
import { childName } from "./naming";
import { LabPlan, planLab } from "./plan";
import { formatReport, LabCost, labCost, localIso, PreflightReport, runPreflight } from "./preflight";

export const LAB_TYPE = "virtual-hypervisor:index:Lab";

/** One hypervisor of the lab, as the lab reports it. */
export interface LabHypervisorInfo {
    name: string;
    /** VM name-label on the host, e.g. "alice-vh0". */
    nameLabel: string;
    /** Host name, e.g. "alice-vh0.lab" (the toolbox's DNS answers it and its short form). */
    hostname: string;
    address: string;
    /** The VM's uuid. */
    uuid: string;
    mac: string;
    memoryGiB: number;
    /** How to open its console from your machine. */
    consoleCommand: string;
    /** How to log in: ssh through the toolbox as jump host. */
    sshCommand: string;
}

export class Lab extends pulumi.ComponentResource {
    /** The validated plan: prefix, addresses, names and sizes. */
    readonly plan: LabPlan;
    /** The pre-flight's report (undefined when turned off). */
    readonly preflight: pulumi.Output<PreflightReport | undefined>;
    /** The home network, when the lab creates it. */
    readonly network?: XenNetwork;
    readonly homeNetworkUuid: pulumi.Output<string>;
    readonly gateway: ToolboxGateway;
    /** The gateway's address: default route and name server of the hypervisors. */
    readonly gatewayAddress: string;
    /** The remastered ISO of each hypervisor, by hypervisor name. */
    readonly isos: Record<string, RemasteredIso>;
    /** The NestedHypervisor resources, by hypervisor name. */
    readonly nestedHypervisors: Record<string, NestedHypervisor>;
    readonly hypervisors: pulumi.Output<LabHypervisorInfo[]>;
    /** What the whole lab holds on the host: pinned memory, disks, ISO space. */
    readonly cost: pulumi.Output<LabCost>;

    constructor(name: string, args: LabArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Everything is checked before the component registers: a bad lab leaves no trace.
        const config = { get: (key: string) => pulumi.runtime.getConfig(key) };
        const configured = connectionFromConfig(config);
        const { plan, problems } = tryPlan(name, args, opts);
        // Without a connection argument the children fall back on the stack config: check it as their check() would (no host, or bad fields).
        if (args.connection === undefined) problems.push(...connectionFailures(undefined, config).map((f) => f.reason));
        if (args.home?.network !== undefined && args.preflight === false && !UUID.test(String(args.home.network))) {
            problems.push(`home.network must be a network uuid when preflight is false (the pre-flight resolves name-labels), got ${JSON.stringify(args.home.network)}`);
        }
        if (problems.length || !plan) throw new LabValidationError(name, problems);
        // The Lab's ignoreChanges name Lab arguments, which the children receive mapped to their
        // own properties (planLab); the component itself has no inputs to ignore.
        super(LAB_TYPE, name, {}, { ...opts, ignoreChanges: undefined });
        this.plan = plan;
        this.gatewayAddress = plan.gateway;

        const connection = args.connection;
        const hostConnection: pulumi.Input<ConnectionArgs> = connection ?? configured!;
        // The outcome never rejects: the component's own outputs report a failure as a value, so
        // the one error the user sees is the pre-flight's, not the SDK's wrapping of it.
        const outcome: pulumi.Output<{ report?: PreflightReport; error?: Error }> = args.preflight === false
            ? pulumi.output({})
            : pulumi.unsecret(pulumi.all([hostConnection, args.sourceIso, args.isoLibrary?.directory]).apply(async ([conn, iso, dir]) => {
                try {
                    const report = await runPreflight(plan, { connection: conn as ConnectionArgs, sourceIso: iso, isoLibraryDirectory: dir });
                    await pulumi.log.info(`pre-flight of lab ${plan.prefix} on ${report.target}:\n${formatReport(report)}`, this);
                    return { report };
                } catch (error) {
                    return { error: error as Error };
                }
            }));
        this.preflight = outcome.apply((o) => {
            if (o.error) throw o.error;
            return o.report;
        });
        // Every child waits for the pre-flight; a failed one fails them all before anything is created.
        // The component's own dependsOn holds back its children too (Pulumi does not pass it on).
        const gate = this.preflight.apply(() => [] as pulumi.Resource[]);
        const after = (...deps: pulumi.Resource[]): pulumi.Input<pulumi.Input<pulumi.Resource>[]> => [
            gate.apply(() => deps) as unknown as pulumi.Input<pulumi.Resource>,
            ...(opts.dependsOn === undefined ? [] : [opts.dependsOn as unknown as pulumi.Input<pulumi.Resource>]),
        ];
        const base = { parent: this, retainOnDelete: opts.retainOnDelete };
        const ignore = (extra: string[]) => (extra.length || plan.ignore.all.length ? { ignoreChanges: [...extra, ...plan.ignore.all] } : {});

        if (plan.home.existing === undefined) {
            this.network = new XenNetwork(childName(name, "home"), {
                connection, nameLabel: plan.home.nameLabel, mtu: plan.home.mtu,
                description: `home network of the lab ${plan.prefix} (virtual-hypervisor)`,
            }, { ...base, dependsOn: after(), ...ignore([]) });
            // Through the pre-flight, so a failed one fails this output instead of leaving it pending.
            this.homeNetworkUuid = pulumi.all([this.preflight, this.network.uuid]).apply(([, uuid]) => uuid);
        } else {
            const given = plan.home.existing;
            // Found by the pre-flight (by uuid or name-label); without one it must be a uuid (checked above).
            this.homeNetworkUuid = this.preflight.apply((r) => r?.homeNetworkUuid ?? given);
        }

        const t = args.toolbox;
        this.gateway = new ToolboxGateway(childName(name, "gateway"), {
            connection, toolboxVm: t.vm, homeNetwork: this.homeNetworkUuid, toolbox: t.ssh, lab: plan.prefix,
            gatewayCidr: plan.gatewayCidr, natBackend: t.natBackend, upstreamInterface: t.upstreamInterface, upstreamDns: t.upstreamDns,
            stateDir: t.stateDir, serviceManager: t.serviceManager,
            hosts: plan.hypervisors.map((h) => ({ hostname: h.hostname, address: h.address })),
        }, { ...base, dependsOn: after(), ...ignore([]) });

        this.isos = {};
        this.nestedHypervisors = {};
        for (const h of plan.hypervisors) {
            // The answer file takes the planned gateway address (known now, so a gateway update in
            // preview does not mark every ISO as changing); dependsOn keeps the real order.
            const answerFile = pulumi.output(args.rootPassword).apply((password) => seedAnswerFile({
                network: "static", hostname: h.hostname, ip: h.address, netmask: plan.cidr.netmask, gateway: plan.gateway,
                password, nameServers: [plan.gateway],
            }));
            const iso = new RemasteredIso(childName(name, "iso", h.name), {
                connection, sourceIso: args.sourceIso, answerFile, target: args.target, kernelArgs: args.kernelArgs, isoLibrary: args.isoLibrary,
            }, { ...base, dependsOn: after(this.gateway), ...ignore(plan.ignore.isos) });
            this.isos[h.name] = iso;
            this.nestedHypervisors[h.name] = new NestedHypervisor(childName(name, "hypervisor", h.name), {
                connection, nameLabel: h.nameLabel, isoName: iso.isoName, networkUuid: this.homeNetworkUuid,
                memoryGiB: h.memoryGiB, vcpus: h.vcpus, diskGiB: h.diskGiB, firmware: plan.firmware,
                maxParallelInstalls: plan.maxParallelInstalls, installTimeoutMinutes: args.installTimeoutMinutes,
                firstBootTimeoutMinutes: args.firstBootTimeoutMinutes, allowHalt: args.allowHalt,
            }, { ...base, dependsOn: after(), ...ignore(plan.ignore.hypervisors) });
        }

        // Only host and user of the toolbox reach the outputs, never its key: not secret.
        const jump = pulumi.unsecret(pulumi.output(t.ssh).apply((s) => ({ host: s.host, port: s.port, user: s.user })));
        const vms = pulumi.all(plan.hypervisors.map((h) => {
            const vm = this.nestedHypervisors[h.name];
            return pulumi.all([vm.uuid, vm.mac, vm.consoleCommand, vm.memoryGiB]);
        }));
        // The pre-flight first: when it fails, Promise.all rejects at once instead of waiting for
        // children that will never be created (which would keep the program from finishing).
        this.hypervisors = pulumi.all([this.preflight, jump, vms]).apply(([, toolbox, found]) => plan.hypervisors.map((h, i) => {
            const [uuid, mac, consoleCommand, memoryGiB] = found[i];
            return {
                name: h.name, nameLabel: h.nameLabel, hostname: h.hostname, address: h.address,
                uuid, mac, memoryGiB: memoryGiB ?? h.memoryGiB, consoleCommand, sshCommand: sshCommand(toolbox, h.address),
            };
        }));
        // The pre-flight's report has it; computed here only when the pre-flight is off.
        this.cost = pulumi.all([this.preflight, args.sourceIso]).apply(([report, iso]) => report?.cost ?? labCost(plan, localIso(iso)));
        this.registerOutputs(outcome.apply((o) => (o.error ? { failed: o.error.message } : {
            hypervisors: this.hypervisors, homeNetworkUuid: this.homeNetworkUuid, gatewayAddress: this.gatewayAddress,
            cost: this.cost, preflight: o.report,
        })));
    }
}

function tryPlan(name: string, args: LabArgs, opts: pulumi.ComponentResourceOptions): { plan?: LabPlan; problems: string[] } {
    try {
        return { plan: planLab(name, args, pulumi.getStack(), (opts.ignoreChanges ?? []) as string[]), problems: [] };
    } catch (err) {
        if (err instanceof LabValidationError) return { problems: [...err.problems] };
        throw err;
    }
}
