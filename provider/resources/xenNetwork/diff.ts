/**
 * diff(): pure. Another host replaces the network; name, description and MTU update in place;
 * credentials alone change nothing. A replacement deletes first: create() adopts an unused network
 * of ours with the same name (left by an interrupted run), and "another host" may be the same
 * host under another address.
 */
import type { ProviderConfig } from "../common/connection";
import { connectionHostChanged, DiffResult, differs } from "../common/diff";
import type { XenNetworkInputs, XenNetworkOutputs } from "./args";

export function diffNetwork(olds: Partial<XenNetworkOutputs>, news: Partial<XenNetworkInputs>, config: ProviderConfig | undefined): DiffResult {
    const replaces = connectionHostChanged(olds.connection, news.connection, config) ? ["connection"] : [];
    const updates = (["nameLabel", "description", "mtu"] as const).filter((k) => differs(olds[k], news[k]));
    return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: true };
}
