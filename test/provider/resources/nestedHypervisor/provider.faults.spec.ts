/**
 * Fault injection at every xe call of a NestedHypervisor create and delete, straight against the
 * provider implementation (the provider host adds nothing here; one faulted run through it is in
 * provider.spec.ts). The calls of a good create and delete are read from calls.log; then, for each
 * call and for both a dropped connection and an xe error at it:
 *   - the operation fails cleanly (or succeeds: a dropped read is retried), a failed create having
 *     removed everything it made (ResourceCreateError, nothing left over per the sweep); an xe
 *     error always fails a delete (ResourceDeleteError);
 *   - a rerun converges (the VM is installed; the delete finishes);
 *   - a sweep of tagged objects and of VMs/VDIs named after the VM finds nothing.
 * Delete faults ride on the rerun's VM, so each case costs one faulted create, one create and one
 * delete (plus a second delete when the first failed). Cases run on a few simulated hosts at once.
 */
import * as assert from "node:assert/strict";
import { providers } from "../../../../provider/resources/impl";
import { closeAll } from "../../../../provider/ssh";
import { XeClient } from "../../../../provider/xe";
import { addFault, CallRecord, clearFaults, FaultAction, readCalls } from "../../../../sim";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep, sweepState } from "../../../helpers/sweep";
import { answerFile, stackConfig, standinSourceIso, xeOf } from "../fixtures";

const WORKERS = 3;
const NAME = "vh-fault";

interface Worker {
    sim: SimHost;
    xe: XeClient;
    call: (kind: string, method: string, ...args: any[]) => Promise<any>;
    inputs: Record<string, any>;
    /** Objects the worker keeps (its network, ISO library SR and ISO). */
    allow: string[];
}

interface CallSite {
    /** Anchored regular expression matching this call's argv (uuids and timings wildcarded). */
    match: string;
    /** Which occurrence of `match` it is. */
    nth: number;
    /** For messages. */
    text: string;
}

interface Case {
    create?: { site: CallSite; index: number; action: FaultAction };
    delete?: { site: CallSite; index: number; action: FaultAction };
}

const ACTIONS: Array<[string, FaultAction]> = [
    ["drop-connection", { kind: "drop-connection" }],
    ["xe-error", { kind: "xe-error", code: "INTERNAL_ERROR", params: ["fault injected by the test"] }],
];

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The call sites of a run, each identified by a pattern and its occurrence. */
function callSites(calls: CallRecord[]): CallSite[] {
    const seen = new Map<string, number>();
    return calls.map((c) => {
        const text = c.argv.join(" ");
        const match = "^" + escape(text)
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "[0-9a-f-]{36}")
            .replace(/(vh-install-seconds|vh-first-boot-seconds)=[0-9\\.]+/g, "$1=[0-9.]+") + "$";
        const nth = (seen.get(match) ?? 0) + 1;
        seen.set(match, nth);
        return { match, nth, text };
    });
}

/** Runs `fn` with the SSH layer's reconnect notices (stderr "vh ssh: …") left out of the report. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const write = process.stderr.write;
    process.stderr.write = ((chunk: any, ...rest: any[]) => (String(chunk).startsWith("vh ssh: ") ? true : write.call(process.stderr, chunk, ...rest))) as typeof write;
    try {
        return await fn();
    } finally {
        process.stderr.write = write;
    }
}

describe("NestedHypervisor fault injection at every xe call of create and delete (provider implementation)", function () {
    this.timeout(600_000);
    const workers: Worker[] = [];
    let createSites: CallSite[] = [];
    let deleteSites: CallSite[] = [];
    const log = console.log;

    before(async () => {
        // The provider prints progress lines; hundreds of runs would bury the report.
        console.log = () => undefined;
        const source = standinSourceIso();
        for (let i = 0; i < WORKERS; i++) {
            const sim = await startSimHost({ installSeconds: 0.05, firstBootSeconds: 0.05 });
            const shim = { config: { get: (k: string) => stackConfig(sim)[k] } };
            const call = async (kind: string, method: string, ...args: any[]) => (providers[kind] as any)[method].call(shim, ...args);
            const iso = await call("RemasteredIso", "create", (await call("RemasteredIso", "check", {}, { sourceIso: source, answerFile: answerFile() })).inputs);
            const net = await call("XenNetwork", "create", (await call("XenNetwork", "check", {}, { nameLabel: "fault-home" })).inputs);
            const { inputs, failures } = await call("NestedHypervisor", "check", {}, { nameLabel: NAME, isoName: iso.outs.isoName, networkUuid: net.id, memoryGiB: 2, diskGiB: 50 });
            assert.deepEqual(failures, []);
            workers.push({ sim, xe: xeOf(sim), call, inputs, allow: [net.id, iso.outs.srUuid, iso.outs.vdiUuid] });
        }
        // A good create and delete: the calls to fault.
        const w = workers[0];
        const start = readCalls(w.sim.stateDir).length;
        const vm = await w.call("NestedHypervisor", "create", w.inputs);
        const mid = readCalls(w.sim.stateDir).length;
        await w.call("NestedHypervisor", "delete", vm.id, vm.outs);
        const all = readCalls(w.sim.stateDir);
        createSites = callSites(all.slice(start, mid));
        deleteSites = callSites(all.slice(mid));
        // A delete of what is already gone succeeds.
        await w.call("NestedHypervisor", "delete", vm.id, vm.outs);
        // Both sweeps agree on a clean host (the matrix uses the cheap one).
        assert.deepEqual(await sweep(w.xe, { names: [NAME], allow: w.allow }), []);
        assert.deepEqual(sweepState(w.sim.stateDir, { names: [NAME], allow: w.allow }), []);
    });

    after(async () => {
        console.log = log;
        await closeAll();
        for (const w of workers) await w.sim.stop().catch((e: Error) => log(`could not stop a simulator: ${e.message}`));
    });

    it("fails cleanly, converges on a rerun and leaks nothing, for a dropped connection and an xe error at each call", async () => {
        assert.ok(createSites.length >= 25, `a create makes ${createSites.length} xe calls`);
        assert.ok(deleteSites.length >= 8, `a delete makes ${deleteSites.length} xe calls`);
        const cases: Case[] = [];
        createSites.forEach((site, index) => ACTIONS.forEach(([, action]) => cases.push({ create: { site, index, action } })));
        const deletes: Case["delete"][] = [];
        deleteSites.forEach((site, index) => ACTIONS.forEach(([, action]) => deletes.push({ site, index, action })));
        deletes.forEach((d, i) => { cases[i % cases.length].delete = d; });

        const problems: string[] = [];
        const outcomes = { createFailed: 0, createSucceeded: 0, deleteFailed: 0, deleteSucceeded: 0 };
        const runCase = async (w: Worker, c: Case) => {
            const label = (f: NonNullable<Case["create"]>, op: string) => `${op} call #${f.index + 1} (${f.site.text.slice(0, 90)}), ${f.action.kind}`;
            const fault = async <T>(f: Case["create"], fn: () => Promise<T>): Promise<{ value?: T; error?: Error }> => {
                clearFaults(w.sim.stateDir);
                if (f) addFault(w.sim.stateDir, { match: f.site.match, nth: f.site.nth, action: f.action });
                try {
                    return { value: await fn() };
                } catch (error) {
                    return { error: error as Error };
                } finally {
                    clearFaults(w.sim.stateDir);
                }
            };
            const created = await fault(c.create, () => w.call("NestedHypervisor", "create", w.inputs));
            let vm = created.value;
            if (created.error) {
                outcomes.createFailed++;
                const where = label(c.create!, "create");
                if (created.error.name !== "ResourceCreateError" || (created.error as any).cleanup?.failed?.length) {
                    problems.push(`${where}: not a clean failure: ${created.error.stack}`);
                }
                const leaks = sweepState(w.sim.stateDir, { names: [NAME], allow: w.allow });
                if (leaks.length) problems.push(`${where}: left behind: ${leaks.join(", ")}`);
                try {
                    vm = await w.call("NestedHypervisor", "create", w.inputs);
                } catch (err) {
                    problems.push(`${where}: the rerun failed: ${(err as Error).message}`);
                    return;
                }
            } else {
                outcomes.createSucceeded++;
            }
            const name = await w.xe.paramGet("vm", vm.id, "name-label").catch((e: Error) => e.message);
            if (name !== NAME) problems.push(`case ${c.create?.index}: the VM is named ${JSON.stringify(name)} after the create`);
            const deleted = await fault(c.delete, () => w.call("NestedHypervisor", "delete", vm.id, vm.outs));
            if (deleted.error) {
                outcomes.deleteFailed++;
                const where = label(c.delete!, "delete");
                if (deleted.error.name !== "ResourceDeleteError") problems.push(`${where}: unexpected error: ${deleted.error.stack}`);
                try {
                    await w.call("NestedHypervisor", "delete", vm.id, vm.outs);
                } catch (err) {
                    problems.push(`${where}: the rerun failed: ${(err as Error).message}`);
                }
            } else {
                outcomes.deleteSucceeded++;
                // Every step of removeVm reports an xe error other than "not found": the fault did not fire.
                if (c.delete?.action.kind === "xe-error") problems.push(`${label(c.delete, "delete")}: succeeded despite the injected xe error`);
            }
            const leaks = sweepState(w.sim.stateDir, { names: [NAME], allow: w.allow });
            if (leaks.length) problems.push(`case create #${(c.create?.index ?? 0) + 1}/delete #${(c.delete?.index ?? 0) + 1}: left behind after the delete: ${leaks.join(", ")}`);
        };

        const queue = [...cases];
        await quietly(() => Promise.all(workers.map(async (w) => {
            for (let c = queue.shift(); c; c = queue.shift()) await runCase(w, c);
        })));
        log(`      ${cases.length} create cases (${createSites.length} calls × 2), ${deletes.length} delete cases (${deleteSites.length} calls × 2): ` +
            `creates failed ${outcomes.createFailed} / succeeded ${outcomes.createSucceeded} (retried reads), deletes failed ${outcomes.deleteFailed} / succeeded ${outcomes.deleteSucceeded}`);
        assert.deepEqual(problems, []);
        assert.ok(outcomes.createFailed >= createSites.length, "most faults make the create fail");
        assert.ok(outcomes.deleteFailed >= deleteSites.length, "every injected xe error makes the delete fail");
    });
});
