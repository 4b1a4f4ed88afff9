/**
 * Whether a running VM's guest can take a hot-plugged (or hot-unplugged) device: the PV-driver part
 * of xapi's VIF and VBD operation checks (xapi_vif_helpers.ml and xapi_vbd_helpers.ml
 * valid_operations, the same at 1.14-lcm, 1.249-lcm and HEAD).
 *
 * Only a running HVM guest is checked (Helpers.domain_type of a running VM is its metrics'
 * current domain type; PV guests always can). Its guest metrics decide:
 * - none (no agent ever reported) → VM_MISSING_PV_DRIVERS [vm]
 *   (Xapi_pv_driver_version.make_error_opt on an Unknown version);
 * - can_use_hotplug_<kind> = yes → allowed (the drivers claim support);
 * - can_use_hotplug_<kind> = no → OPERATION_NOT_ALLOWED ["VM states it does not support <KIND> hotplug."];
 * - unspecified → allowed if PV_drivers_detected, else allowed iff PV_drivers_version has integer
 *   major and minor, else VM_MISSING_PV_DRIVERS.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import type { Ref } from "../model/types";
import { hasPvDrivers } from "../guest/agent";

export function hotplugRefusal(c: Ctx, vmRef: Ref, kind: "VIF" | "VBD"): ApiError | null {
    const vm = c.get("vm", vmRef);
    if (vm.power_state !== "running" || vm.metrics.currentDomainType !== "hvm") return null;
    const gm = vm.guest_metrics ?? null;
    const fallback = () => (hasPvDrivers(gm) ? null : new ApiError("VM_MISSING_PV_DRIVERS", [vmRef]));
    if (!gm) return fallback();
    switch (kind === "VIF" ? gm.canUseHotplugVif : gm.canUseHotplugVbd) {
        case "yes":
            return null;
        case "no":
            return new ApiError("OPERATION_NOT_ALLOWED", [`VM states it does not support ${kind} hotplug.`]);
        default:
            return gm.pvDriversDetected ? null : fallback();
    }
}
