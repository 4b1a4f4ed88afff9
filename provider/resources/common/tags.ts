/**
 * Ownership tags. Every object a resource creates gets, in other-config:
 *   vh-managed-by=virtual-hypervisor   — so sweeps and `xe *-list other-config:vh-managed-by=…` find ours;
 *   vh-key=<key>                       — the resource's nameLabel (VMs, disks, VIFs, networks) or the
 *                                        library directory (ISO library SR);
 *   vh-role=<role>                     — what the object is to us ("vm", "system-disk", …).
 * A `pulumi up` retried after a crash finds its own objects by these tags instead of creating
 * duplicates (anchors.md §9.9).
 */
import { parseMap } from "../../xe";

export const MANAGED_BY_KEY = "vh-managed-by";
export const MANAGED_BY = "virtual-hypervisor";
export const KEY_KEY = "vh-key";
export const ROLE_KEY = "vh-role";

export type Role = "vm" | "system-disk" | "disk-vbd" | "cd-vbd" | "vif" | "network" | "iso-library" | "gateway-vif";

/** The other-config entries marking an object as ours. */
export function ownershipTags(key: string, role: Role): Record<string, string> {
    return { [MANAGED_BY_KEY]: MANAGED_BY, [KEY_KEY]: key, [ROLE_KEY]: role };
}

/** Filter for `xe <class>-list`: objects of ours with this key. */
export function tagFilter(key?: string): { "other-config": Record<string, string> } {
    return { "other-config": key === undefined ? { [MANAGED_BY_KEY]: MANAGED_BY } : { [MANAGED_BY_KEY]: MANAGED_BY, [KEY_KEY]: key } };
}

/** Whether an other-config (printed map or parsed) marks the object as ours, optionally with this key. */
export function isOurs(otherConfig: string | Record<string, string> | undefined, key?: string): boolean {
    const map = typeof otherConfig === "string" ? parseMap(otherConfig) : otherConfig ?? {};
    return map[MANAGED_BY_KEY] === MANAGED_BY && (key === undefined || map[KEY_KEY] === key);
}
