/**
 * diff(): pure. What XenServer cannot change on an installed VM (ISO, network, disk, MAC,
 * firmware, host) replaces it; the name and power state update in place; memory and vCPUs update
 * in place when that needs no halt of a running VM (it is halted, is to be halted, or allowHalt),
 * and replace it otherwise. Settings that only steer the provider (deadlines, allowHalt,
 * maxParallelInstalls, keepFailedVm) update the state alone. Replacements delete first: the new VM
 * would have the same name, the same MAC on the same network and need the same memory.
 */
import type { ProviderConfig } from "../common/connection";
import { connectionHostChanged, DiffResult, differs } from "../common/diff";
import type { NestedHypervisorInputs, NestedHypervisorOutputs } from "./args";

export const REPLACE_KEYS = ["isoName", "networkUuid", "diskGiB", "mac", "firmware"] as const;
export const UPDATE_KEYS = ["nameLabel", "powerState", "installTimeoutMinutes", "firstBootTimeoutMinutes", "allowHalt", "maxParallelInstalls", "keepFailedVm"] as const;
export const SIZING_KEYS = ["memoryGiB", "vcpus"] as const;

export function diffNestedHypervisor(olds: Partial<NestedHypervisorOutputs>, news: Partial<NestedHypervisorInputs>, config: ProviderConfig | undefined): DiffResult {
    const replaces: string[] = REPLACE_KEYS.filter((k) => differs(olds[k], news[k]));
    if (connectionHostChanged(olds.connection, news.connection, config)) replaces.push("connection");
    const sizing = SIZING_KEYS.filter((k) => differs(olds[k], news[k]));
    const mayHalt = news.allowHalt === true || olds.powerState === "halted" || news.powerState === "halted";
    if (sizing.length && !mayHalt) replaces.push(...sizing);
    const updates = [...UPDATE_KEYS.filter((k) => differs(olds[k], news[k])), ...sizing];
    return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: true };
}
