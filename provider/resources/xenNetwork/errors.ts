/** Errors of the XenNetwork resource. */

/** The network cannot be destroyed: VIFs of VMs are still on it. */
export class NetworkInUseError extends Error {
    override name = "NetworkInUseError";
    constructor(readonly nameLabel: string, readonly uuid: string, readonly users: string[], options?: { cause?: unknown }) {
        super(
            `network ${nameLabel} is still used by: ${users.join(", ")}; ` +
            `remove those VIFs (or their VMs) first, e.g. xe vif-destroy uuid=<vif> (network ${uuid})`,
            options,
        );
    }
}

/** A network of ours with this name exists and VMs use it: it belongs to another resource. */
export class NetworkConflictError extends Error {
    override name = "NetworkConflictError";
}
