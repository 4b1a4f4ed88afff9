/**
 * The simulated installer: decides what a VM boot does (see ./types). Placeholder until the
 * installer lands: nothing boots.
 */
import type { BootPlan, BootRequest } from "./types";

export function planBoot(request: BootRequest): BootPlan {
    return { kind: "no-bootable-device", log: [`vm ${request.vmUuid}: the simulated installer is not implemented yet`] };
}
