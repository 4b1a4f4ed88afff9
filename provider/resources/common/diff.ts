/**
 * diff() helpers. Values are compared as check() normalised them (defaults applied), never
 * __provider, so a new provider version alone produces no diff; an unknown value (preview) always
 * counts as a change.
 */
import type { ConnectionArgs } from "../../ssh";
import { connectionFromConfig, hostIdentity, ProviderConfig } from "./connection";
import { containsUnknown } from "./unknown";

export interface DiffResult {
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace?: boolean;
}

export function differs(a: unknown, b: unknown): boolean {
    return containsUnknown(b) || JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
}

/**
 * Whether the host changed: the old connection (kept in outputs) against the new argument, or the
 * config when there is none. Credentials do not count (pulumi-command#447).
 */
export function connectionHostChanged(old: ConnectionArgs | undefined, given: unknown, config: ProviderConfig | undefined): boolean {
    if (containsUnknown(given)) return true;
    const next = (given as ConnectionArgs | undefined) ?? connectionFromConfig(config);
    return hostIdentity(old) !== hostIdentity(next);
}
