/**
 * The NestedHypervisor provider implementation (loaded by the shim inside the dynamic-provider
 * host; `this` is the shim, holding the stack config).
 *
 * create: installNestedHypervisor (./install). read: the VM as it is (name, power state, memory,
 * vCPUs, MAC, console), no id when it is gone. update: rename, resize (halting only when allowed),
 * power state. delete: hard shutdown if needed, then VBDs, VIFs, VM and its disks, every step
 * tried; already gone is success.
 */
import type * as pulumi from "@pulumi/pulumi";
import { XeClient } from "../../xe";
import { effectiveConnection, hostKeyOf, ProviderConfig, storedConnection } from "../common/connection";
import { ResourceDeleteError } from "../common/errors";
import { consoleProgress, PhaseClock } from "../common/progress";
import { jsonSafe, readState, STATE_VERSION } from "../common/state";
import { KEY_KEY } from "../common/tags";
import type { ConnectionArgs } from "../../ssh";
import { NestedHypervisorInputs, NestedHypervisorOutputs } from "./args";
import { checkNestedHypervisor } from "./check";
import { diffNestedHypervisor } from "./diff";
import { VmGoneError } from "./errors";
import { InstallResult, installNestedHypervisor } from "./install";
import { consoleCommand, diskName } from "./naming";
import { observeVm, VmObservation } from "./observe";
import { setPowerState, stopVm } from "./power";
import { GiB, memoryBytesOf } from "./preflight";
import { removeVm } from "./remove";

interface Shim {
    config?: ProviderConfig;
}

const label = (nameLabel: string | undefined) => `NestedHypervisor ${nameLabel ?? "(unnamed)"}`;

const consoleTarget = (c: ConnectionArgs) => ({ host: c.host, port: c.port, user: c.user });

function outputsOf(inputs: NestedHypervisorInputs, connection: ConnectionArgs, r: Omit<InstallResult, "adopted" | "domid" | "nameLabel">): NestedHypervisorOutputs {
    return jsonSafe({
        ...inputs, connection, uuid: r.uuid, mac: r.mac, powerState: r.powerState, memoryGiB: r.memoryGiB, vcpus: r.vcpus,
        vncPort: r.vncPort, consoleCommand: r.consoleCommand, installSeconds: r.installSeconds, firstBootSeconds: r.firstBootSeconds,
        nestedVirtKeys: r.nestedVirtKeys, diskVdiUuid: r.diskVdiUuid, stateVersion: STATE_VERSION,
    });
}

/** The state a VM observation implies, over the old state (what read and update report). */
function observed(old: NestedHypervisorOutputs, obs: VmObservation, connection: ConnectionArgs): NestedHypervisorOutputs {
    return jsonSafe({
        ...old,
        nameLabel: obs.nameLabel,
        powerState: obs.powerState,
        memoryGiB: obs.memoryBytes / GiB,
        vcpus: obs.vcpus,
        mac: obs.mac ?? old.mac,
        diskVdiUuid: obs.diskVdiUuid ?? old.diskVdiUuid,
        vncPort: obs.vncPort,
        consoleCommand: consoleCommand(consoleTarget(connection), obs),
        stateVersion: STATE_VERSION,
    });
}

/** Memory and vCPUs as asked; halts a running VM first (the caller checked that this is allowed). */
async function resize(xe: XeClient, obs: VmObservation, inputs: NestedHypervisorInputs, clock: PhaseClock): Promise<void> {
    const memoryBytes = memoryBytesOf(inputs.memoryGiB);
    if (obs.memoryBytes === memoryBytes && obs.vcpus === inputs.vcpus) return;
    if (obs.powerState !== "halted") {
        clock.report(`halting ${inputs.nameLabel} to change memory/vCPUs (allowHalt)`);
        await stopVm(xe, obs.uuid);
    }
    if (obs.memoryBytes !== memoryBytes) {
        clock.report(`memory ${obs.memoryBytes / GiB} GiB → ${inputs.memoryGiB} GiB (pinned)`);
        await xe.vm.memoryLimitsSet(obs.uuid, { staticMin: memoryBytes, dynamicMin: memoryBytes, dynamicMax: memoryBytes, staticMax: memoryBytes });
    }
    if (obs.vcpus !== inputs.vcpus) {
        clock.report(`vCPUs ${obs.vcpus} → ${inputs.vcpus}`);
        // VCPUs-at-startup may never exceed VCPUs-max: raise max first, lower it last.
        const order = inputs.vcpus > obs.vcpus ? ["VCPUs-max", "VCPUs-at-startup"] : ["VCPUs-at-startup", "VCPUs-max"];
        await xe.paramSet("vm", obs.uuid, Object.fromEntries(order.map((k) => [k, inputs.vcpus])));
    }
    obs.powerState = "halted";
}

export const provider: pulumi.dynamic.ResourceProvider = {
    async check(this: Shim, olds: any, news: any) {
        return checkNestedHypervisor(olds, news, this.config);
    },

    async diff(this: Shim, _id: string, olds: any, news: any) {
        return diffNestedHypervisor(olds, news, this.config);
    },

    async create(this: Shim, inputs: NestedHypervisorInputs) {
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.nameLabel));
        const xe = XeClient.connect(connection);
        const result = await installNestedHypervisor(xe, inputs, { progress: consoleProgress, hostKey: hostKeyOf(connection), console: consoleTarget(connection) });
        return { id: result.uuid, outs: outputsOf(inputs, connection, result) };
    },

    async read(this: Shim, id: string, props: any) {
        const old = readState<NestedHypervisorOutputs>(props, label(props?.nameLabel));
        const connection = storedConnection(old.connection, this.config, label(old.nameLabel));
        const obs = await observeVm(XeClient.connect(connection), id);
        if (!obs) return { id: "" };
        return { id, props: observed(old, obs, connection) };
    },

    async update(this: Shim, id: string, olds: any, news: any) {
        const old = readState<NestedHypervisorOutputs>(olds, label(olds?.nameLabel));
        const inputs = news as NestedHypervisorInputs;
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.nameLabel));
        const xe = XeClient.connect(connection);
        const clock = new PhaseClock(label(inputs.nameLabel), consoleProgress);
        clock.enter("update", `updating ${id}`);
        const obs = await observeVm(xe, id);
        if (!obs) throw new VmGoneError(`${label(inputs.nameLabel)}: VM ${id} is gone from ${xe.target}; run \`pulumi refresh\`, then \`pulumi up\` installs it again`);
        if (obs.nameLabel !== inputs.nameLabel) {
            clock.report(`renaming "${obs.nameLabel}" to "${inputs.nameLabel}"`);
            // The ownership key follows the name, so leftover detection keeps finding it.
            await xe.paramSet("vm", id, { "name-label": inputs.nameLabel, "other-config": { [KEY_KEY]: inputs.nameLabel } });
            if (obs.diskVdiUuid) await xe.paramSet("vdi", obs.diskVdiUuid, { "name-label": diskName(inputs.nameLabel), "other-config": { [KEY_KEY]: inputs.nameLabel } });
        }
        const memoryBytes = memoryBytesOf(inputs.memoryGiB);
        if (obs.memoryBytes !== memoryBytes || obs.vcpus !== inputs.vcpus) {
            if (obs.powerState !== "halted" && !inputs.allowHalt && inputs.powerState !== "halted") {
                throw new Error(`${label(inputs.nameLabel)}: changing memory or vCPUs needs VM ${id} halted; set allowHalt: true (or powerState: "halted")`);
            }
            await resize(xe, obs, inputs, clock);
        }
        await setPowerState(xe, id, obs.powerState, inputs.powerState, clock.resource);
        const now = await observeVm(xe, id);
        if (!now) throw new VmGoneError(`${label(inputs.nameLabel)}: VM ${id} vanished during the update`);
        return { outs: observed({ ...old, ...inputs, connection } as NestedHypervisorOutputs, now, connection) };
    },

    async delete(this: Shim, id: string, props: any) {
        const old = readState<NestedHypervisorOutputs>(props, label(props?.nameLabel));
        const xe = XeClient.connect(storedConnection(old.connection, this.config, label(old.nameLabel)));
        const report = await removeVm(xe, id, old.diskVdiUuid ? [old.diskVdiUuid] : []);
        if (report.failed.length) throw new ResourceDeleteError(label(old.nameLabel), report.failed, report.done);
    },
};
