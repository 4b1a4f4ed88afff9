/**
 * diff(): pure, no SSH. What identifies the gateway (toolbox VM, home network, lab, CIDR, backend,
 * state directory, service manager, the XenServer host) forces a replacement; the hosts list,
 * resolvers, upstream interface and credentials are updated in place; drift found by the last
 * refresh makes an update that re-applies. Replacements delete first: the new gateway would use
 * the same MAC, table and directory as the old one.
 */
import type { ToolboxGatewayInputs, ToolboxGatewayOutputs } from "./args";
import { containsUnknown } from "./check";

export const REPLACE_KEYS = ["toolboxVm", "homeNetwork", "lab", "gatewayCidr", "natBackend", "stateDir", "serviceManager"] as const;
export const UPDATE_KEYS = ["hosts", "upstreamDns", "upstreamInterface", "toolbox", "connection"] as const;

export interface GatewayDiff {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

function same(a: unknown, b: unknown): boolean {
    return !containsUnknown(b) && JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function diffGateway(olds: Partial<ToolboxGatewayOutputs>, news: Partial<ToolboxGatewayInputs>): GatewayDiff {
    const replaces: string[] = REPLACE_KEYS.filter((k) => !same(olds[k], news[k]));
    // Another host (not merely other credentials for it) holds another VIF: replace.
    const host = (c: unknown) => (c && typeof c === "object" ? { host: (c as any).host, port: (c as any).port ?? 22 } : c);
    if (!same(host(olds.connection), containsUnknown(news.connection) ? news.connection : host(news.connection))) replaces.push("connection");
    const updates = UPDATE_KEYS.filter((k) => !same(olds[k], news[k]));
    const drifted = Array.isArray(olds.drift) && olds.drift.length > 0;
    return { changes: replaces.length > 0 || updates.length > 0 || drifted, replaces, deleteBeforeReplace: true };
}
