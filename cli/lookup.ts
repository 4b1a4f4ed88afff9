/**
 * Finding things on the host by the names people type: a network by name-label (what the seed's
 * `xe network-list name-label=…` did), and the VMs of a machine: the VM named MACHINE_NAME, the
 * ones still showing an install step ("<name> - booted from iso (Step 2 of 3)", the seed's
 * progress names), and any VM of ours whose ownership key is the name.
 */
import { progressName, stepOf } from "../provider/resources/nestedHypervisor/naming";
import { isOurs, KEY_KEY } from "../provider/resources/common/tags";
import { parseMap, XeClient } from "../provider/xe";
import { CliError } from "./errors";

export interface FoundNetwork {
    uuid: string;
    bridge: string;
    /** Made by virtual-hypervisor. */
    ours: boolean;
}

/** The network named `name`: one of ours first; CliError when there is none or it is ambiguous. */
export async function networkByName(xe: XeClient, name: string): Promise<FoundNetwork> {
    const all = (await xe.list("network", { "name-label": name }, ["uuid", "bridge", "other-config"]))
        .map((n) => ({ uuid: n.uuid, bridge: n.bridge ?? "", ours: isOurs(n["other-config"]) }));
    const ours = all.filter((n) => n.ours);
    const pick = ours.length ? ours : all;
    if (pick.length === 1) return pick[0];
    if (!pick.length) {
        throw new CliError(`there is no network named ${JSON.stringify(name)} on ${xe.target}`, {
            detail: `Create it first: vh network create ${hostOf(xe.target)} ${name}`,
        });
    }
    throw new CliError(`${pick.length} networks are named ${JSON.stringify(name)} on ${xe.target}`, {
        detail: `They are ${pick.map((n) => n.uuid).join(", ")}; rename or remove all but one (xe network-param-set uuid=… name-label=…).`,
    });
}

export interface MachineVm {
    uuid: string;
    nameLabel: string;
    powerState: string;
    domid: number;
    /** Made by virtual-hypervisor (tagged). */
    ours: boolean;
    /** The install step its name shows, or "installed" for the plain name. */
    state: "created" | "booted" | "firstBoot" | "installed" | "other";
    otherConfig: Record<string, string>;
}

/** Every VM that belongs to the machine `name` (see the file comment). */
export async function machineVms(xe: XeClient, name: string): Promise<MachineVm[]> {
    const vms = await xe.list("vm", { "is-control-domain": "false" }, ["uuid", "name-label", "power-state", "dom-id", "other-config"]);
    const out: MachineVm[] = [];
    for (const v of vms) {
        const label = v["name-label"] ?? "";
        const otherConfig = parseMap(v["other-config"] ?? "");
        const ours = isOurs(otherConfig);
        const step = stepOf(label, name);
        const keyed = ours && otherConfig[KEY_KEY] === name;
        if (label !== name && !step && !keyed) continue;
        out.push({
            uuid: v.uuid, nameLabel: label, powerState: v["power-state"] ?? "", domid: Number(v["dom-id"] ?? -1), ours,
            state: label === name ? "installed" : step ?? "other", otherConfig,
        });
    }
    return out;
}

/** The names a machine's VM may carry, for messages. */
export function machineNames(name: string): string[] {
    return [name, progressName(name, "created"), progressName(name, "booted"), progressName(name, "firstBoot")];
}

/** "root@10.0.0.5:22" → "10.0.0.5" (for commands shown to the user). */
export function hostOf(target: string): string {
    return /^[^@]+@(.+):\d+$/.exec(target.split(" via ")[0])?.[1] ?? target;
}
