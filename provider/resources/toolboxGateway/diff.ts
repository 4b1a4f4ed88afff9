/**
 * diff(): pure, no SSH. What identifies the gateway (toolbox VM, home network, lab, CIDR, backend,
 * state directory, service manager, the XenServer host) forces a replacement; the hosts list,
 * resolvers, upstream interface and the toolbox's credentials are updated in place; the host's
 * credentials alone change nothing; drift found by the last refresh makes an update that
 * re-applies. Replacements delete first: the new gateway would use the same MAC, table and
 * directory as the old one.
 */
import type { ProviderConfig } from "../common/connection";
import { connectionHostChanged, DiffResult, differs } from "../common/diff";
import type { ToolboxGatewayInputs, ToolboxGatewayOutputs } from "./args";

export const REPLACE_KEYS = ["toolboxVm", "homeNetwork", "lab", "gatewayCidr", "natBackend", "stateDir", "serviceManager"] as const;
export const UPDATE_KEYS = ["hosts", "upstreamDns", "upstreamInterface", "toolbox"] as const;

export function diffGateway(olds: Partial<ToolboxGatewayOutputs>, news: Partial<ToolboxGatewayInputs>, config: ProviderConfig | undefined): DiffResult {
    const replaces: string[] = REPLACE_KEYS.filter((k) => differs(olds[k], news[k]));
    // Another host (not merely other credentials for it) holds another VIF.
    if (connectionHostChanged(olds.connection, news.connection, config)) replaces.push("connection");
    const updates = UPDATE_KEYS.filter((k) => differs(olds[k], news[k]));
    const drifted = Array.isArray(olds.drift) && olds.drift.length > 0;
    return { changes: replaces.length > 0 || updates.length > 0 || drifted, replaces, deleteBeforeReplace: true };
}
