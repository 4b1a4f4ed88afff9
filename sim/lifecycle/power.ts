/**
 * VM power transitions: VM.start (with xapi's start-time checks), shutdown, reboot, and the
 * domain bookkeeping a running VM implies (fresh domid, resident-on, attached devices, console,
 * VNC port, start-time, the guest agent's report), plus what the guest itself does when its boot
 * plan ends.
 */
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import { assertStartMemory } from "../api/vm";
import { assertOperationValid } from "../api/vmOps";
import { linuxDevice } from "../api/vbd";
import { guestDomainGone, guestDomainStarted, reportGuestAgent } from "../guest/agent";
import { hostFreeBytes, startFootprintBytes } from "../model/memory";
import { newRef, newUuid } from "../model/ids";
import { NULL_REF, Ref } from "../model/types";
import { planBootFor, planEnd } from "./boot";

const isTrue = (v: string | undefined) => v !== undefined && ["true", "1"].includes(v.toLowerCase());
const isBoolish = (v: string) => ["true", "false", "1", "0"].includes(v.toLowerCase());

/** Vm_platform.check_restricted_flags: nested-virt must be boolean and licensed. */
function checkRestrictedFlags(c: Ctx, platform: Record<string, string>): void {
    const nv = platform["nested-virt"];
    if (nv !== undefined && !isBoolish(nv)) throw new ApiError("INVALID_VALUE", ["platform:nested-virt", nv]);
    if (isTrue(nv) && c.db.pool[c.poolRef()].restrictions.restrict_nested_virt === "true") {
        throw new ApiError("LICENCE_RESTRICTION", ["Nested_virt"]);
    }
}

export function startVm(c: Ctx, ref: Ref, opts: { paused?: boolean; force?: boolean } = {}): void {
    assertOperationValid(c, ref, "start");
    const vm = c.get("vm", ref);
    const hostRef = c.hostRef();
    const needed = startFootprintBytes(vm);
    const available = hostFreeBytes(c.db, hostRef, c.db.host[hostRef]);
    if (needed > available) throw new ApiError("HOST_NOT_ENOUGH_FREE_MEMORY", [String(needed), String(available)]);
    if (!opts.force) assertStartMemory(c, vm);
    checkRestrictedFlags(c, vm.platform);
    if (vm.domain_type === "hvm" && c.gen >= 1 && !("device-model" in vm.platform)) {
        vm.platform["device-model"] = "qemu-upstream-compat";
    }
    createDomain(c, ref, c.now);
    if (opts.paused) {
        vm.power_state = "paused";
        // The guest has not run yet, so its agent has not reported.
        vm.guest_metrics = null;
        c.log(vm, `started paused (domid ${vm.domid})`);
        return;
    }
    c.log(vm, `started (domid ${vm.domid})`);
    runPlan(c, ref, c.now);
}

/** Builds the domain: domid, residence, metrics, devices, console, VNC port. */
function createDomain(c: Ctx, ref: Ref, at: number): void {
    const vm = c.get("vm", ref);
    const hvm = vm.domain_type === "hvm" || vm.HVM_boot_policy !== "";
    vm.domid = ++c.db.lastDomid;
    vm.power_state = "running";
    vm.resident_on = c.hostRef();
    vm.memory_target = vm.memory_dynamic_max;
    vm.metrics = {
        ...vm.metrics, startTime: at, vcpusNumber: vm.VCPUs_at_startup, memoryActual: vm.memory_dynamic_max, hvm,
        nestedVirt: isTrue(vm.platform[c.product.nestedVirtKey]), nomigrate: isTrue(vm.platform.nomigrate),
        currentDomainType: hvm ? "hvm" : vm.domain_type,
    };
    for (const [, vbd] of c.all("vbd")) {
        if (vbd.VM !== ref) continue;
        vbd.currently_attached = true;
        vbd.device = linuxDevice(c.gen, vbd.userdevice);
    }
    for (const [, vif] of c.all("vif")) if (vif.VM === ref) vif.currently_attached = true;
    guestDomainStarted(c.db, ref, at);
    const uuid = newUuid();
    c.db.console[newRef()] = {
        uuid, VM: ref, protocol: "RFB", location: `https://${c.db.host[c.hostRef()].address}/console?uuid=${uuid}`, other_config: {},
    };
    const used = new Set(Object.values(c.db.vm).map((v) => v.vnc_port).filter((p): p is number => typeof p === "number"));
    let port = 5901;
    while (used.has(port)) port++;
    vm.vnc_port = hvm ? port : null;
    c.invalidate();
}

function destroyDomain(c: Ctx, ref: Ref): void {
    const vm = c.get("vm", ref);
    vm.power_state = "halted";
    vm.domid = -1;
    vm.resident_on = NULL_REF;
    vm.activity = null;
    vm.vnc_port = null;
    vm.memory_target = 0;
    for (const [, vbd] of c.all("vbd")) if (vbd.VM === ref) vbd.currently_attached = false;
    for (const [, vif] of c.all("vif")) if (vif.VM === ref) vif.currently_attached = false;
    for (const [cref, con] of c.all("console")) if (con.VM === ref) delete c.db.console[cref];
    guestDomainGone(vm);
    c.invalidate();
}

/** Asks the installer what this boot does and records it as the VM's activity. */
function runPlan(c: Ctx, ref: Ref, at: number): void {
    const vm = c.get("vm", ref);
    const plan = planBootFor(c, ref, at);
    vm.activity = { plan, bootedAt: at, endsAt: planEnd(plan, at) };
    for (const line of plan.log) c.log(vm, line, at);
    const what = plan.kind === "stall" ? `stall: ${plan.reason}` : plan.kind === "install-failed" ? `install-failed: ${plan.reason}` : plan.kind;
    c.log(vm, `boot plan: ${what}${vm.activity.endsAt !== null ? ` for ${vm.activity.endsAt - at} ms` : ""}`, at);
}

export function shutdownVm(c: Ctx, ref: Ref, force: boolean): void {
    assertOperationValid(c, ref, force ? "hard_shutdown" : "clean_shutdown");
    const vm = c.get("vm", ref);
    destroyDomain(c, ref);
    c.log(vm, force ? "hard shutdown" : "clean shutdown");
}

export function rebootVm(c: Ctx, ref: Ref, force: boolean): void {
    assertOperationValid(c, ref, force ? "hard_reboot" : "clean_reboot");
    restartDomain(c, ref, c.now, force ? "hard reboot" : "clean reboot");
}

function restartDomain(c: Ctx, ref: Ref, at: number, why: string): void {
    const vm = c.get("vm", ref);
    destroyDomain(c, ref);
    createDomain(c, ref, at);
    c.log(vm, `${why}: restarted (domid ${vm.domid})`, at);
    runPlan(c, ref, at);
}

/** The guest powered itself off at `at`: actions-after-shutdown decides between halt and restart. */
export function guestPoweroff(c: Ctx, ref: Ref, at: number): void {
    const vm = c.get("vm", ref);
    if (vm.actions_after_shutdown === "restart") return restartDomain(c, ref, at, "guest shutdown with actions-after-shutdown=Restart");
    destroyDomain(c, ref);
    c.log(vm, "guest powered off: halted", at);
}

/** The guest rebooted itself at `at`: actions-after-reboot=Destroy halts it instead. */
export function guestReboot(c: Ctx, ref: Ref, at: number): void {
    const vm = c.get("vm", ref);
    if (vm.actions_after_reboot === "destroy") {
        destroyDomain(c, ref);
        c.log(vm, "guest rebooted with actions-after-reboot=Destroy: halted", at);
        return;
    }
    restartDomain(c, ref, at, "guest reboot");
}

export function unpauseVm(c: Ctx, ref: Ref): void {
    assertOperationValid(c, ref, "unpause");
    const vm = c.get("vm", ref);
    vm.power_state = "running";
    if (!vm.guest_metrics) reportGuestAgent(c.db, ref, c.now);
    c.log(vm, "unpaused");
    runPlan(c, ref, c.now);
}

export function pauseVm(c: Ctx, ref: Ref): void {
    assertOperationValid(c, ref, "pause");
    const vm = c.get("vm", ref);
    vm.power_state = "paused";
    vm.activity = null;
    c.log(vm, "paused");
}
