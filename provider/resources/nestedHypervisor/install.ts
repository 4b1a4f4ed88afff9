/**
 * installNestedHypervisor(): the seed's _xs_vm_starter.sh flow made robust, shared by the resource
 * and the `vh` CLI (which must never re-implement it):
 *
 *  pre-flight → VM from "Other install media" as "<name> - created (Step 1 of 3)", tagged; pinned
 *  memory; vCPUs; nested-virt key per host version; e1000; boot order dc; system disk on the default
 *  SR (owner VBD); VIF with the MAC; CD with the ISO → start, "<name> - booted from iso (Step 2 of 3)",
 *  wait for the installer's power-off (install deadline) → eject the CD → start, "<name> - first boot
 *  (Step 3 of 3)", wait for the first-boot power-off (first-boot deadline) → requested power state →
 *  "<name>".
 *
 * A retry after a crash adopts a complete VM of ours with this name and removes partial ones (and
 * disks no VM uses) before starting over. Any failure removes what this call created before the
 * error is reported (unless keepFailedVm), and the error says what could not be removed. Installs
 * per host are limited to maxParallelInstalls per process.
 */
import { parseSet, XeClient } from "../../xe";
import { asError, CleanupReport, ResourceCreateError } from "../common/errors";
import { PhaseClock, ProgressCallback } from "../common/progress";
import { withSlot } from "../common/semaphore";
import { isOurs, ownershipTags } from "../common/tags";
import { PhaseTimeoutError, waitFor } from "../common/wait";
import { DesiredPowerState, Firmware, NESTED_DEFAULTS } from "./args";
import { PreflightError } from "./errors";
import { consoleCommand, diskName, progressName } from "./naming";
import { observeVm, vncPortOf } from "./observe";
import { NestedVirtKey, platformParams } from "./platform";
import { setPowerState, startVm } from "./power";
import { gatherFacts, GiB, HostFacts, memoryBytesOf, orphanDisks, preflightProblems, PreflightSpec } from "./preflight";
import { removeVm } from "./remove";

export interface InstallSpec extends PreflightSpec {
    mac: string;
    powerState: DesiredPowerState;
    firmware: Firmware;
    installTimeoutMinutes: number;
    firstBootTimeoutMinutes: number;
    /** @default false */
    keepFailedVm?: boolean;
    /** @default 2 */
    maxParallelInstalls?: number;
}

export interface InstallOptions {
    /** Progress events. @default none */
    progress?: ProgressCallback;
    /** First power-state poll interval (grows 1.5× per poll). @default 250 */
    initialPollMs?: number;
    /** @default 10000 */
    maxPollMs?: number;
    /** What limits parallel installs share. @default the xe client's target */
    hostKey?: string;
    /** For console commands in outputs and errors. @default parsed from the client's target */
    console?: { host: string; port?: number; user?: string };
}

export interface InstallResult {
    uuid: string;
    nameLabel: string;
    mac: string;
    powerState: string;
    memoryGiB: number;
    vcpus: number;
    installSeconds: number;
    firstBootSeconds: number;
    nestedVirtKeys: NestedVirtKey[];
    diskVdiUuid: string;
    vncPort: number | null;
    domid: number;
    consoleCommand: string;
    /** Found complete from an earlier run instead of installed now. */
    adopted: boolean;
}

/** other-config keys recording the phase durations on the VM (adoption reports them). */
const INSTALL_SECONDS_KEY = "vh-install-seconds";
const FIRST_BOOT_SECONDS_KEY = "vh-first-boot-seconds";
const NESTED_KEYS_KEY = "vh-nested-virt-keys";

/** "root@10.0.0.5:22" → { user, host, port }. */
export function consoleTargetOf(target: string): { host: string; port: number; user: string } {
    const m = /^([^@]+)@(.+):(\d+)/.exec(target.split(" via ")[0]);
    return m ? { user: m[1], host: m[2], port: Number(m[3]) } : { user: "root", host: target, port: 22 };
}

export async function installNestedHypervisor(xe: XeClient, spec: InstallSpec, options: InstallOptions = {}): Promise<InstallResult> {
    const resource = `NestedHypervisor ${spec.nameLabel}`;
    const clock = new PhaseClock(resource, options.progress);
    const limit = spec.maxParallelInstalls ?? NESTED_DEFAULTS.maxParallelInstalls;
    return withSlot(`installs:${options.hostKey ?? xe.target}`, limit, () => install(xe, spec, options, clock),
        (active) => clock.report(`waiting for one of the ${active} installs running on ${xe.target} to finish (maxParallelInstalls ${limit})`));
}

/** What this call created so far (cleanup removes exactly this). */
interface Created {
    installAttempted?: boolean;
    vm?: string;
    diskAttempted?: boolean;
    disk?: string;
}

async function install(xe: XeClient, spec: InstallSpec, options: InstallOptions, clock: PhaseClock): Promise<InstallResult> {
    try {
        return await prepareAndBuild(xe, spec, options, clock);
    } catch (err) {
        // Failures before anything was created (pre-flight reads, leftovers) say which resource failed too.
        if (err instanceof ResourceCreateError || err instanceof PreflightError) throw err;
        throw new ResourceCreateError(clock.resource, asError(err), { done: [], failed: [] });
    }
}

async function prepareAndBuild(xe: XeClient, spec: InstallSpec, options: InstallOptions, clock: PhaseClock): Promise<InstallResult> {
    const target = options.console ?? consoleTargetOf(xe.target);
    clock.enter("pre-flight", `checking ${xe.target} for ${spec.memoryGiB} GiB pinned memory, ${spec.diskGiB} GiB on the default SR, the template, network ${spec.networkUuid} and ISO ${spec.isoName}`);
    let facts = await gatherFacts(xe, spec);
    const mine = facts.vms.filter((v) => isOurs(v["other-config"], spec.nameLabel));
    const complete = mine.find((v) => v["name-label"] === spec.nameLabel);
    if (complete) return adopt(xe, spec, complete.uuid, clock, target);
    const partial = [
        ...mine,
        ...facts.vms.filter((v) => !isOurs(v["other-config"]) && v["name-label"] === progressName(spec.nameLabel, "created")),
    ];
    const orphans = orphanDisks(facts);
    if (partial.length || orphans.length) {
        clock.report(`removing what an interrupted earlier run left: ${[...partial.map((v) => `VM ${v.uuid} ("${v["name-label"]}")`), ...orphans.map((d) => `disk ${d}`)].join(", ")}`);
        // Then every disk named like ours: an interrupted run may have attached one without the owner mark.
        const reports = [...await Promise.all(partial.map((v) => removeVm(xe, v.uuid))), await removeVm(xe, undefined, facts.disks.map((d) => d.uuid))];
        const failed = reports.flatMap((r) => r.failed);
        if (failed.length) throw new ResourceCreateError(clock.resource, new Error(`leftovers of an earlier run could not be removed:\n${failed.map((f) => `  - ${f.message}`).join("\n")}`), { done: [], failed: [] });
        if (partial.some((v) => v["power-state"] !== "halted")) facts = await gatherFacts(xe, spec);
    }
    const problems = preflightProblems(facts, spec);
    if (problems.length) throw new PreflightError(clock.resource, xe.target, problems);

    const created: Created = {};
    try {
        return await build(xe, spec, facts, created, clock, options, target);
    } catch (err) {
        throw new ResourceCreateError(clock.resource, asError(err), await cleanUp(xe, spec, created));
    }
}

async function cleanUp(xe: XeClient, spec: InstallSpec, created: Created): Promise<CleanupReport> {
    if (spec.keepFailedVm && created.vm) {
        return { done: [], failed: [], skipped: `the VM ${created.vm} was kept for inspection (keepFailedVm); the next pulumi up removes it and starts over` };
    }
    try {
        // A create whose answer never arrived (connection lost) may still have happened: find it by name.
        let vm = created.vm;
        if (!vm && created.installAttempted) {
            const named = await xe.list("vm", { "name-label": progressName(spec.nameLabel, "created") }, ["uuid"]);
            vm = named[0]?.uuid;
        }
        let disks = created.disk ? [created.disk] : [];
        if (!created.disk && created.diskAttempted) {
            const named = await xe.list("vdi", { "name-label": diskName(spec.nameLabel) }, ["uuid", "vbd-uuids"]);
            disks = named.filter((d) => parseSet(d["vbd-uuids"] ?? "").length === 0).map((d) => d.uuid);
        }
        return await removeVm(xe, vm, disks);
    } catch (err) {
        return { done: [], failed: [asError(err)] };
    }
}

async function build(xe: XeClient, spec: InstallSpec, facts: HostFacts, created: Created, clock: PhaseClock, options: InstallOptions, target: { host: string; port?: number; user?: string }): Promise<InstallResult> {
    const name = spec.nameLabel;
    const memoryBytes = memoryBytesOf(spec.memoryGiB);
    clock.enter("create (Step 1 of 3)", `creating "${progressName(name, "created")}" from "Other install media"`);
    created.installAttempted = true;
    const vm = await xe.vm.install({ template: facts.templateUuid!, nameLabel: progressName(name, "created") });
    created.vm = vm;
    const platform = platformParams(facts.nestedVirtKeys, spec.firmware);
    // Tags first: a retry finds this VM by them even if a later setting fails.
    await xe.paramSet("vm", vm, {
        "other-config": { ...ownershipTags(name, "vm"), [NESTED_KEYS_KEY]: facts.nestedVirtKeys.join(",") },
        "name-description": `nested hypervisor made by virtual-hypervisor from ${spec.isoName}`,
        "VCPUs-max": spec.vcpus,
        "VCPUs-at-startup": spec.vcpus,
        platform: platform.platform,
        "HVM-boot-params": platform["HVM-boot-params"],
    });
    await xe.vm.memoryLimitsSet(vm, { staticMin: memoryBytes, dynamicMin: memoryBytes, dynamicMax: memoryBytes, staticMax: memoryBytes });
    created.diskAttempted = true;
    const disk = await xe.vdi.create({ srUuid: facts.defaultSr!.uuid, nameLabel: diskName(name), virtualSize: spec.diskGiB * GiB, otherConfig: ownershipTags(name, "system-disk") });
    created.disk = disk;
    const diskVbd = await xe.vbd.create({ vmUuid: vm, vdiUuid: disk, device: 0, type: "Disk", mode: "RW", bootable: true });
    // owner: the disk goes with the VM (vm-uninstall semantics, and our removeVm).
    await xe.paramSet("vbd", diskVbd, { "other-config": { owner: "true", ...ownershipTags(name, "disk-vbd") } });
    const vif = await xe.vif.create({ vmUuid: vm, networkUuid: spec.networkUuid, device: 0, mac: spec.mac });
    await xe.paramSet("vif", vif, { "other-config": ownershipTags(name, "vif") });
    const cd = await xe.vbd.create({ vmUuid: vm, vdiUuid: facts.isoVdiUuid!, device: 3, type: "CD", mode: "RO" });
    await xe.paramSet("vbd", cd, { "other-config": ownershipTags(name, "cd-vbd") });

    const installSeconds = await bootAndWait(xe, vm, name, "booted", spec.installTimeoutMinutes, clock, options, target,
        `the installer to power VM ${vm} off (it does when the installation is complete)`,
        `starting "${progressName(name, "booted")}": the installer runs unattended from ${spec.isoName}`);
    // Without the CD the next boot falls through to the disk (order dc), whatever the template says.
    await xe.call("vbd-eject", { uuid: cd });
    const firstBootSeconds = await bootAndWait(xe, vm, name, "firstBoot", spec.firstBootTimeoutMinutes, clock, options, target,
        `the installed system's first-boot step to power VM ${vm} off`,
        `starting "${progressName(name, "firstBoot")}": the installed system boots once and powers off`);

    clock.enter("finish", spec.powerState === "running" ? `starting ${name}` : `leaving ${name} halted`);
    await setPowerState(xe, vm, "halted", spec.powerState, clock.resource);
    // The final name marks the VM complete: a retry adopts it from here on.
    await xe.paramSet("vm", vm, {
        "name-label": name,
        "other-config": { [INSTALL_SECONDS_KEY]: installSeconds.toFixed(1), [FIRST_BOOT_SECONDS_KEY]: firstBootSeconds.toFixed(1) },
    });
    // Everything else is known: only the domain (for the console) is read back.
    const dom = (await xe.list("vm", { uuid: vm }, ["power-state", "dom-id"]))[0] ?? {};
    const powerState = dom["power-state"] ?? spec.powerState;
    const domid = Number(dom["dom-id"] ?? -1);
    const result: InstallResult = {
        uuid: vm, nameLabel: name, mac: spec.mac, powerState, memoryGiB: spec.memoryGiB, vcpus: spec.vcpus,
        installSeconds, firstBootSeconds, nestedVirtKeys: facts.nestedVirtKeys, diskVdiUuid: disk,
        vncPort: await vncPortOf(xe, powerState, domid), domid, consoleCommand: "", adopted: false,
    };
    result.consoleCommand = consoleCommand(target, result);
    clock.report(`installed in ${installSeconds.toFixed(1)} s, first boot ${firstBootSeconds.toFixed(1)} s; ${result.powerState}`);
    return result;
}

/** Starts the VM, gives it the step's name (after `name`, its final name-label), waits for it to power off; resolves with the seconds it ran. */
async function bootAndWait(
    xe: XeClient, vm: string, name: string, step: "booted" | "firstBoot", timeoutMinutes: number, clock: PhaseClock, options: InstallOptions,
    target: { host: string; port?: number; user?: string }, waitingFor: string, message: string,
): Promise<number> {
    clock.enter(step === "booted" ? "install (Step 2 of 3)" : "first boot (Step 3 of 3)", message);
    const started = Date.now();
    await startVm(xe, vm, clock.resource);
    await xe.paramSet("vm", vm, { "name-label": progressName(name, step) });
    try {
        await waitFor(async () => ((await xe.vm.powerState(vm)) === "halted" ? true : undefined), {
            clock, waitingFor, timeoutMs: timeoutMinutes * 60_000, initialPollMs: options.initialPollMs, maxPollMs: options.maxPollMs,
        });
    } catch (err) {
        if (!(err instanceof PhaseTimeoutError)) throw err;
        // Say how to look: the console of the VM as it is now.
        const obs = await observeVm(xe, vm).catch(() => undefined);
        const look = obs
            ? `look at its console: ${consoleCommand(target, obs)}`
            : `look at VM ${vm} on ${xe.target}`;
        const kept = "(set keepFailedVm: true to keep the VM for a look after a failure; on a simulated host, sim.log in its state directory says why)";
        throw new PhaseTimeoutError(err.resource, err.phase, err.waitingFor, err.timeoutMs, `${look}\n${kept}`);
    }
    return (Date.now() - started) / 1000;
}

/** A complete VM of ours from an earlier run: used as it is, brought to the requested power state. */
async function adopt(xe: XeClient, spec: InstallSpec, uuid: string, clock: PhaseClock, target: { host: string; port?: number; user?: string }): Promise<InstallResult> {
    clock.enter("adopt", `${spec.nameLabel} (${uuid}) was installed by an earlier run; using it`);
    let obs = await observeVm(xe, uuid);
    if (!obs) throw new Error(`${clock.resource}: VM ${uuid} vanished while it was being adopted`);
    if (obs.powerState !== spec.powerState) {
        await setPowerState(xe, uuid, obs.powerState, spec.powerState, clock.resource);
        obs = (await observeVm(xe, uuid)) ?? obs;
    }
    const keys = (obs.otherConfig[NESTED_KEYS_KEY] ?? "").split(",").filter(Boolean) as NestedVirtKey[];
    return {
        uuid, nameLabel: obs.nameLabel, mac: obs.mac ?? spec.mac, powerState: obs.powerState, memoryGiB: obs.memoryBytes / GiB, vcpus: obs.vcpus,
        installSeconds: Number(obs.otherConfig[INSTALL_SECONDS_KEY] ?? 0), firstBootSeconds: Number(obs.otherConfig[FIRST_BOOT_SECONDS_KEY] ?? 0),
        nestedVirtKeys: keys, diskVdiUuid: obs.diskVdiUuid ?? "", vncPort: obs.vncPort, domid: obs.domid,
        consoleCommand: consoleCommand(target, obs), adopted: true,
    };
}
