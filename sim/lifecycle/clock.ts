/**
 * Lazy simulated time: every `xe` invocation first plays out whatever should have happened since
 * the last one. Running VMs carry their boot plan (./boot); when a plan's timed part is over the
 * guest does what the plan says, at the exact simulated time it was due, and a follow-up boot may
 * itself already be over. Nothing sleeps.
 */
import type { Ctx } from "../xe/context";
import type { Ref } from "../model/types";

/** The power module (and through it the installer) is only needed when a plan is due. */
const power = (): typeof import("./power") => require("./power") as typeof import("./power");

/** Applies every plan ending at or before `c.now`, earliest first; true if anything changed. */
export function advanceWorld(c: Ctx): boolean {
    let changed = false;
    // Each step ends one plan; a pathological reboot loop is cut off rather than spinning forever.
    for (let steps = 0; steps < 10_000; steps++) {
        let due: { ref: Ref; at: number } | null = null;
        for (const [ref, vm] of c.all("vm")) {
            const end = vm.activity?.endsAt;
            if (vm.power_state === "running" && end !== null && end !== undefined && end <= c.now && (!due || end < due.at)) due = { ref, at: end };
        }
        if (!due) return changed;
        finishPlan(c, due.ref, due.at);
        changed = true;
    }
    return changed;
}

function bootDisk(c: Ctx, vm: Ref) {
    const vbd = c.all("vbd").find(([, b]) => b.VM === vm && b.type === "Disk" && !b.empty && (b.userdevice === "0" || b.userdevice === "xvda" || b.userdevice === "hda"));
    return vbd ? c.db.vdi[vbd[1].VDI] : undefined;
}

function finishPlan(c: Ctx, ref: Ref, at: number): void {
    const vm = c.get("vm", ref);
    const plan = vm.activity!.plan;
    switch (plan.kind) {
        case "install": {
            const disk = bootDisk(c, ref);
            if (disk) disk.installed = { ...plan.system, installedAt: at };
            c.log(vm, `installation finished${disk ? ` on VDI ${disk.uuid}` : " (no disk to write to)"}; atexit=${plan.atexit}`, at);
            return atExit(c, ref, plan.atexit, at);
        }
        case "install-failed":
            c.log(vm, `INSTALL FAILED: ${plan.reason}; atexit=${plan.atexit}`, at);
            return atExit(c, ref, plan.atexit, at);
        case "first-boot": {
            const disk = bootDisk(c, ref);
            if (disk?.installed) disk.installed.firstBootDone = true;
            if (plan.halts) {
                c.log(vm, "first-boot step ran and halted the machine", at);
                return power().guestPoweroff(c, ref, at);
            }
            c.log(vm, "first boot finished; the system keeps running", at);
            vm.activity = { ...vm.activity!, endsAt: null };
            return;
        }
        default:
            vm.activity = { ...vm.activity!, endsAt: null };
    }
}

function atExit(c: Ctx, ref: Ref, action: "poweroff" | "reboot" | "shell", at: number): void {
    const vm = c.get("vm", ref);
    if (action === "poweroff") return power().guestPoweroff(c, ref, at);
    if (action === "reboot") return power().guestReboot(c, ref, at);
    c.log(vm, "installer exited to a shell; the VM keeps running", at);
    vm.activity = { ...vm.activity!, endsAt: null };
}
