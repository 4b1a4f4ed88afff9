/**
 * State written by the resources: outputs that survive protobuf Structs (no undefined, Date,
 * Buffer; pulumi-dynamic-providers.md §1.2) and carry a version, so later code can read state
 * written by earlier code (the engine keeps state across provider upgrades, §2 E2.5).
 */

/** Bump when the shape of outputs changes; readState() accepts every version up to this one. */
export const STATE_VERSION = 1;

/** A JSON round trip: drops undefined, turns Dates into strings; what the engine will store. */
export function jsonSafe<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Old outputs as the current code reads them. Version 0 (no stateVersion: written before
 * versioning) has the same shape as version 1. A newer version than this code knows is refused,
 * since fields it does not know may matter for delete.
 */
export function readState<T extends { stateVersion?: number }>(props: unknown, resource: string): T {
    const state = (props ?? {}) as T;
    const version = typeof state.stateVersion === "number" ? state.stateVersion : 0;
    if (version > STATE_VERSION) {
        throw new Error(`${resource}: its state was written by a newer virtual-hypervisor (state version ${version}, this one reads up to ${STATE_VERSION}); upgrade the virtual-hypervisor package`);
    }
    return state;
}
