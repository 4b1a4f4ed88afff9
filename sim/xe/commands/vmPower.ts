/**
 * VM power and memory commands (cli_operations.ml vm_start, vm_shutdown, vm_reboot, vm_pause,
 * vm_unpause, vm_reset_powerstate, vm_memory_limits_set).
 */
import { setMemoryLimits } from "../../api/vm";
import { assertOperationValid } from "../../api/vmOps";
import { pauseVm, rebootVm, shutdownVm, startVm, unpauseVm } from "../../lifecycle/power";
import { CliFailure } from "../errors";
import { doVmOp } from "../select";
import { bytesOfString } from "../values";
import type { ImplTable } from "./types";

export const VM_POWER_COMMANDS: ImplTable = {
    "vm-start": {
        writes: true,
        run(c) {
            const force = c.bool("force");
            const paused = c.bool("paused");
            doVmOp(c, (vm) => {
                if (c.has("on")) {
                    const on = c.req("on");
                    const host = c.all("host").find(([, h]) => h.name_label === on || h.uuid === on);
                    if (!host) throw new CliFailure(`Host ${on} not found`);
                }
                startVm(c, vm.ref, { paused, force });
            }, { includeControl: true, ignore: ["on", "paused", "progress"] });
        },
    },
    "vm-shutdown": {
        writes: true,
        run(c) {
            const force = c.bool("force");
            doVmOp(c, (vm) => shutdownVm(c, vm.ref, force), { ignore: ["progress"] });
        },
    },
    "vm-reboot": {
        writes: true,
        run(c) {
            const force = c.bool("force");
            doVmOp(c, (vm) => rebootVm(c, vm.ref, force));
        },
    },
    "vm-pause": { writes: true, run: (c) => void doVmOp(c, (vm) => pauseVm(c, vm.ref)) },
    "vm-unpause": { writes: true, run: (c) => void doVmOp(c, (vm) => unpauseVm(c, vm.ref)) },
    "vm-reset-powerstate": {
        writes: true,
        run(c) {
            if (!c.bool("force")) {
                throw new CliFailure("This operation is dangerous and may cause data loss. This operation must be forced (use --force).");
            }
            doVmOp(c, (vm) => {
                assertOperationValid(c, vm.ref, "power_state_reset");
                if (vm.rec.power_state !== "halted") shutdownVm(c, vm.ref, true);
            });
        },
    },
    "vm-memory-limits-set": {
        writes: true,
        run(c) {
            const get = (k: string) => bytesOfString(c.gen, k, c.req(k));
            const limits = { static_min: get("static-min"), static_max: get("static-max"), dynamic_min: get("dynamic-min"), dynamic_max: get("dynamic-max") };
            doVmOp(c, (vm) => setMemoryLimits(c, vm.ref, limits), {
                includeControl: true, includeTemplates: true, ignore: ["static-min", "static-max", "dynamic-min", "dynamic-max"],
            });
        },
    },
};
