/**
 * Power operations with errors in user terms: vm-start's licence, memory and pinning failures,
 * and a shutdown that asks the guest first (a nested XenServer without PV drivers may not answer)
 * and then forces it.
 */
import { XeClient, XeError } from "../../xe";
import type { DesiredPowerState } from "./args";
import { VmStartError } from "./errors";

/** How long a clean shutdown may take before the VM is powered off. */
export const CLEAN_SHUTDOWN_TIMEOUT_MS = 120_000;

export async function startVm(xe: XeClient, uuid: string, resource: string): Promise<void> {
    try {
        await xe.vm.start(uuid);
    } catch (err) {
        if (!(err instanceof XeError)) throw err;
        const p = err.paramsByName;
        switch (err.code) {
            case "LICENCE_RESTRICTION":
                throw new VmStartError(
                    `${resource}: ${xe.target} refused to start VM ${uuid}: its licence lacks ${p.feature ?? err.params[0] ?? "a feature"} ` +
                    "(nested virtualisation needs a licence that includes it; see `xe pool-param-get param-name=restrictions`)", err.code, { cause: err });
            case "HOST_NOT_ENOUGH_FREE_MEMORY":
                throw new VmStartError(
                    `${resource}: ${xe.target} has not enough free memory to start VM ${uuid}: it needs ${p.needed ?? err.params[0]} bytes, ` +
                    `${p.available ?? err.params[1]} are free (other VMs started meanwhile?)`, err.code, { cause: err });
            case "MEMORY_CONSTRAINT_VIOLATION_MAXPIN":
                throw new VmStartError(`${resource}: VM ${uuid} did not start: nested virtualisation needs its memory pinned (static and dynamic min/max equal)`, err.code, { cause: err });
            default:
                throw err;
        }
    }
}

/** Clean shutdown within CLEAN_SHUTDOWN_TIMEOUT_MS, else (or on refusal) a hard one. */
export async function stopVm(xe: XeClient, uuid: string): Promise<void> {
    try {
        await xe.vm.shutdown(uuid, { timeoutMs: CLEAN_SHUTDOWN_TIMEOUT_MS });
        return;
    } catch {
        // Refused (no PV drivers), timed out, or already halted: check and force.
    }
    if ((await xe.vm.powerState(uuid)) !== "halted") await xe.vm.hardShutdown(uuid);
}

/** Brings the VM from `current` to `desired`. */
export async function setPowerState(xe: XeClient, uuid: string, current: string, desired: DesiredPowerState, resource: string): Promise<void> {
    if (current === desired) return;
    if (desired === "halted") {
        if (current === "running") return stopVm(xe, uuid);
        return xe.vm.hardShutdown(uuid); // paused or suspended
    }
    if (current === "paused") return void (await xe.call("vm-unpause", { uuid }));
    if (current === "suspended") return void (await xe.call("vm-resume", { uuid }));
    return startVm(xe, uuid, resource);
}
