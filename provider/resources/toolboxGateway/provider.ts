/**
 * The ToolboxGateway provider implementation, loaded by the serialized shim (../shim.ts) inside
 * the dynamic-provider host. `this` is the shim: configure() left the stack config on it.
 *
 * create: find the running toolbox VM, plug our VIF (deterministic MAC) into it, configure the
 * toolbox over SSH (it finds the new NIC by that MAC); on failure everything done is rolled back.
 * read: no id when our VIF is gone, otherwise the drift the toolbox shows. update: re-apply.
 * delete: remove the toolbox configuration, then unplug and destroy the VIF, trying every step.
 */
import * as pulumi from "@pulumi/pulumi";
import { applyGateway, ApplyResult, GatewaySpec, inspectGateway, removeGateway } from "../../gateway";
import { getSession } from "../../ssh";
import { XeClient } from "../../xe";
import type { ConnectionArgs } from "../../ssh";
import { effectiveConnection, ProviderConfig, storedConnection } from "../common/connection";
import { jsonSafe, readState, STATE_VERSION } from "../common/state";
import type { ToolboxGatewayInputs, ToolboxGatewayOutputs } from "./args";
import { checkInputs } from "./check";
import { diffGateway } from "./diff";
import { ToolboxGatewayCreateError, ToolboxGatewayDeleteError, ToolboxVmError } from "./errors";
import { gatewayMac } from "./mac";
import { ensureVif, findToolboxVm, plugVif, removeVif, ToolboxVm, vifState } from "./vif";

interface Shim {
    config?: ProviderConfig;
}

const label = (lab: string | undefined) => `ToolboxGateway of lab ${lab}`;

function specOf(inputs: ToolboxGatewayInputs, mac: string): GatewaySpec {
    return {
        lab: inputs.lab,
        homeMac: mac,
        gatewayCidr: inputs.gatewayCidr,
        upstreamInterface: inputs.upstreamInterface,
        upstreamDns: inputs.upstreamDns,
        hosts: inputs.hosts,
        natBackend: inputs.natBackend,
        stateDir: inputs.stateDir,
        serviceManager: inputs.serviceManager,
    };
}

function outputsOf(
    inputs: ToolboxGatewayInputs, connection: ConnectionArgs, vm: ToolboxVm, vif: { uuid: string; owned: boolean }, mac: string, applied: ApplyResult,
): ToolboxGatewayOutputs {
    return jsonSafe({
        ...inputs,
        connection,
        vifUuid: vif.uuid,
        mac,
        vifOwned: vif.owned,
        toolboxVmUuid: vm.uuid,
        homeInterface: applied.homeInterface,
        gatewayAddress: applied.gatewayAddress,
        dnsAddress: applied.gatewayAddress,
        prefixLength: applied.prefixLength,
        activeUpstreamInterface: applied.upstreamInterface,
        activeUpstreamDns: applied.upstreamDns,
        drift: [],
        stateVersion: STATE_VERSION,
    });
}

async function warn(applied: ApplyResult): Promise<void> {
    for (const w of applied.warnings) await pulumi.log.warn(`toolbox gateway: ${w}`);
}

async function runningToolbox(xe: XeClient, ref: string): Promise<ToolboxVm> {
    const vm = await findToolboxVm(xe, ref);
    if (vm.powerState !== "running") {
        throw new ToolboxVmError(`the toolbox VM ${vm.nameLabel} (${vm.uuid}) is ${vm.powerState}; it must be running to take the home network's VIF and be configured`);
    }
    return vm;
}

export const provider: pulumi.dynamic.ResourceProvider = {
    async check(this: Shim, _olds: any, news: any) {
        return checkInputs(news, this.config);
    },

    async diff(this: Shim, _id: string, olds: any, news: any) {
        return diffGateway(olds, news, this.config);
    },

    async create(this: Shim, inputs: ToolboxGatewayInputs) {
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.lab));
        const xe = XeClient.connect(connection);
        const vm = await runningToolbox(xe, inputs.toolboxVm);
        const mac = gatewayMac(inputs.lab, inputs.homeNetwork);
        const vif = await ensureVif(xe, vm, inputs.homeNetwork, mac, inputs.lab);
        let configuring = false;
        try {
            await plugVif(xe, vm, vif);
            configuring = true;
            const applied = await applyGateway(getSession(inputs.toolbox), specOf(inputs, mac));
            await warn(applied);
            return { id: vif.uuid, outs: outputsOf(inputs, connection, vm, vif, mac, applied) };
        } catch (err) {
            const failures: Error[] = [];
            const undone: string[] = [];
            if (configuring) {
                await removeGateway(getSession(inputs.toolbox), { lab: inputs.lab, stateDir: inputs.stateDir })
                    .then((r) => { if (r.removed.length) undone.push("toolbox configuration"); }, (e: Error) => { failures.push(e); });
            }
            // A VIF we found (from an earlier run) is left as it was; one we made goes again.
            if (vif.created) await removeVif(xe, vif.uuid).then((d) => { if (d) undone.push(d); }, (e: Error) => { failures.push(e); });
            throw new ToolboxGatewayCreateError(inputs.lab, err as Error, failures, undone);
        }
    },

    async read(this: Shim, id: string, props: any) {
        const outs = readState<ToolboxGatewayOutputs>(props, label(props?.lab));
        const xe = XeClient.connect(storedConnection(outs.connection, this.config, label(outs.lab)));
        const vif = await vifState(xe, id);
        if (!vif.exists) return {};
        const drift: string[] = vif.attached ? [] : [`the home VIF ${id} is not plugged into the toolbox`];
        try {
            const inspected = await inspectGateway(getSession(outs.toolbox), specOf(outs, outs.mac));
            drift.push(...inspected.drift.map((d) => `${d.item}: expected ${d.expected}, found ${d.actual}`));
        } catch (err) {
            drift.push(`could not inspect the toolbox: ${(err as Error).message}`);
        }
        return { id, props: { ...outs, drift } };
    },

    async update(this: Shim, id: string, olds: any, news: any) {
        const old = readState<ToolboxGatewayOutputs>(olds, label(olds?.lab));
        const inputs = news as ToolboxGatewayInputs;
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.lab));
        const xe = XeClient.connect(connection);
        const vm = await runningToolbox(xe, inputs.toolboxVm);
        const vif = await vifState(xe, id);
        if (!vif.exists) throw new ToolboxVmError(`the home VIF ${id} of lab ${inputs.lab} is gone from ${xe.target}; run \`pulumi refresh\`, then \`pulumi up\` creates it again`);
        await plugVif(xe, vm, { uuid: id, attached: vif.attached });
        const applied = await applyGateway(getSession(inputs.toolbox), specOf(inputs, old.mac));
        await warn(applied);
        return { outs: outputsOf(inputs, connection, vm, { uuid: id, owned: old.vifOwned !== false }, old.mac, applied) };
    },

    async delete(this: Shim, id: string, props: any) {
        const outs = readState<ToolboxGatewayOutputs>(props, label(props?.lab));
        const failures: Error[] = [];
        const done: string[] = [];
        try {
            const r = await removeGateway(getSession(outs.toolbox), { lab: outs.lab, stateDir: outs.stateDir });
            if (r.removed.length) done.push("toolbox configuration");
        } catch (err) {
            failures.push(err as Error);
        }
        // A NIC the toolbox already had (not made by us) stays, as it was before create.
        if (outs.vifOwned !== false) {
            try {
                const removed = await removeVif(XeClient.connect(storedConnection(outs.connection, this.config, label(outs.lab))), id);
                if (removed) done.push(removed);
            } catch (err) {
                failures.push(err as Error);
            }
        }
        if (failures.length) throw new ToolboxGatewayDeleteError(outs.lab, failures, done);
    },
};
