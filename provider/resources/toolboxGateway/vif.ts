/**
 * The XenServer side: the toolbox VM, and our VIF on the home network (deterministic MAC, tagged
 * in other-config), hot-plugged into the running VM. Every xe call goes through the xe client.
 */
import { withLock } from "../common/semaphore";
import { isOurs, ownershipTags, ROLE_KEY } from "../common/tags";
import { isXeNotFound, parseMap, XeClient, XeError } from "../../xe";
import { ToolboxVmError } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our VIF carries the ownership tags every resource uses (common/tags.ts), keyed by the lab. */
export const VIF_ROLE = "gateway-vif";

export interface ToolboxVm {
    uuid: string;
    nameLabel: string;
    powerState: string;
}

export async function findToolboxVm(xe: XeClient, ref: string): Promise<ToolboxVm> {
    const fields = ["uuid", "name-label", "power-state"];
    const records = UUID.test(ref)
        ? await xe.list("vm", { uuid: ref, "is-a-template": "false", "is-control-domain": "false" }, fields)
        : await xe.list("vm", { "name-label": ref, "is-a-template": "false", "is-control-domain": "false" }, fields);
    if (records.length === 0) throw new ToolboxVmError(`no VM ${UUID.test(ref) ? "with uuid" : "named"} ${JSON.stringify(ref)} on ${xe.target} (toolboxVm)`);
    if (records.length > 1) {
        throw new ToolboxVmError(`${records.length} VMs are named ${JSON.stringify(ref)} on ${xe.target}: ${records.map((r) => r.uuid).join(", ")}; set toolboxVm to the uuid of the toolbox`);
    }
    const r = records[0];
    return { uuid: r.uuid, nameLabel: r["name-label"], powerState: r["power-state"] };
}

export interface VifInfo {
    uuid: string;
    attached: boolean;
    network: string;
    /** Made by this call. */
    created: boolean;
    /** Ours to destroy: made now, or tagged as ours by an earlier run. A VIF someone else made with our MAC is used, never destroyed. */
    owned: boolean;
}

async function vifRecord(xe: XeClient, filters: Record<string, string>): Promise<Array<{ uuid: string; attached: boolean; network: string; owned: boolean }>> {
    const records = await xe.list("vif", filters, ["uuid", "currently-attached", "network-uuid", "other-config"]);
    return records.map((r) => ({
        uuid: r.uuid, attached: r["currently-attached"] === "true", network: r["network-uuid"],
        owned: isOurs(r["other-config"]) && parseMap(r["other-config"] ?? "")[ROLE_KEY] === VIF_ROLE,
    }));
}

/**
 * Our VIF (by MAC) on the VM: an existing one is used (e.g. a NIC the toolbox was built with, as
 * in the seed's setup, or one left by an earlier run), else one is created and tagged.
 */
export async function ensureVif(xe: XeClient, vm: ToolboxVm, network: string, mac: string, lab: string): Promise<VifInfo> {
    const existing = await vifRecord(xe, { "vm-uuid": vm.uuid, MAC: mac });
    if (existing.length) {
        const vif = existing[0];
        if (vif.network !== network) {
            throw new ToolboxVmError(`the toolbox VM ${vm.nameLabel} already has a VIF with MAC ${mac} (${vif.uuid}) on network ${vif.network}, not on the home network ${network}`);
        }
        return { ...vif, created: false };
    }
    const uuid = await createOnFreeDevice(xe, vm, network, mac);
    try {
        await xe.paramSet("vif", uuid, { "other-config": ownershipTags(lab, VIF_ROLE) });
    } catch (err) {
        await xe.vif.destroy(uuid).catch(() => undefined);
        throw err;
    }
    return { uuid, attached: false, network, created: true, owned: true };
}

/**
 * Creates the VIF on the first free device. Two labs may add their gateway to one toolbox at the
 * same time: within this process they take turns (withLock); another process (a colleague's
 * `pulumi up`) can still take the device between our read and our create, which xapi reports as
 * DEVICE_ALREADY_EXISTS, so the pick is retried a few times.
 */
async function createOnFreeDevice(xe: XeClient, vm: ToolboxVm, network: string, mac: string): Promise<string> {
    return withLock(`toolbox-vif:${vm.uuid}`, async () => {
        for (let attempt = 1; ; attempt++) {
            const devices = await xe.paramGetSet("vm", vm.uuid, "allowed-VIF-devices");
            if (!devices.length) throw new ToolboxVmError(`the toolbox VM ${vm.nameLabel} (${vm.uuid}) has no free VIF device (allowed-VIF-devices is empty)`);
            try {
                return await xe.vif.create({ vmUuid: vm.uuid, networkUuid: network, device: devices[0], mac });
            } catch (err) {
                if (!(err instanceof XeError && err.code === "DEVICE_ALREADY_EXISTS") || attempt === 5) throw err;
            }
        }
    });
}

/** Hot-plugs the VIF into the running VM (no-op when attached). */
export async function plugVif(xe: XeClient, vm: ToolboxVm, vif: { uuid: string; attached: boolean }): Promise<void> {
    if (vif.attached) return;
    try {
        await xe.call("vif-plug", { uuid: vif.uuid });
    } catch (err) {
        const code = err instanceof XeError ? err.code : "";
        // xapi_vif_helpers.ml: no PV drivers reported, or drivers that say they cannot hot-plug VIFs.
        const refusedByGuest = code === "OPERATION_NOT_ALLOWED" && /does not support VIF hotplug/.test((err as XeError).params[0] ?? "");
        const hint = ["VM_MISSING_PV_DRIVERS", "VM_LACKS_FEATURE", "VM_LACKS_FEATURE_VIF"].some((c) => code.startsWith(c))
            ? " (XenServer hot-plugs NICs only into guests with PV drivers: install the XenServer VM Tools / xe-guest-utilities in the toolbox)"
            : refusedByGuest
                ? " (the toolbox's PV drivers say they cannot hot-plug NICs: give the halted toolbox VM a VIF on the home network with the gateway's MAC, start it, and the gateway adopts that NIC)"
                : "";
        throw new ToolboxVmError(`could not hot-plug the home VIF ${vif.uuid} into the toolbox VM ${vm.nameLabel}${hint}: ${(err as Error).message}`, { cause: err });
    }
}

/** Whether the VIF exists, and if so whether it is attached. */
export async function vifState(xe: XeClient, uuid: string): Promise<{ exists: boolean; attached: boolean }> {
    const records = await vifRecord(xe, { uuid }).catch((err) => {
        if (isXeNotFound(err)) return [];
        throw err;
    });
    return records.length ? { exists: true, attached: records[0].attached } : { exists: false, attached: false };
}

/** Unplugs (if attached) and destroys the VIF; a VIF that is already gone is fine. Says what it did. */
export async function removeVif(xe: XeClient, uuid: string): Promise<string | undefined> {
    const state = await vifState(xe, uuid);
    if (!state.exists) return undefined;
    if (state.attached) await xe.call("vif-unplug", { uuid });
    try {
        await xe.vif.destroy(uuid);
    } catch (err) {
        if (isXeNotFound(err)) return undefined;
        throw err;
    }
    return `VIF ${uuid}`;
}
