/**
 * NestedHypervisor after a crash: a provider host killed in the middle of an install, partial
 * objects made by hand the way an interrupted run leaves them, and a complete VM whose state was
 * lost. The next `up` finds its own objects by tag (or, untagged, by the progress name) and
 * removes partial ones or adopts the complete one, instead of making duplicates.
 */
import * as assert from "node:assert/strict";
import { XeClient } from "../../../../provider/xe";
import { addFault, clearFaults, readCalls } from "../../../../sim";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep, sweepState } from "../../../helpers/sweep";
import { TestEngine } from "../../../helpers/testEngine";
import { LabVm, labProgram, tearDownLab } from "./lab";
import { callCount, callsSince, stackConfig, standinSourceIso, xeOf } from "../fixtures";

describe("NestedHypervisor retry after a crash (real provider host, simulated XenServer)", function () {
    this.timeout(120_000);
    let sim: SimHost;
    let engine: TestEngine;
    let xe: XeClient;
    let source: string;

    before(async () => {
        source = standinSourceIso();
        sim = await startSimHost({ installSeconds: 0.3, firstBootSeconds: 0.2 });
        xe = xeOf(sim);
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "vhtest", config: stackConfig(sim) });
    });
    after(() => tearDownLab(engine, xe, sim));

    const lab = (...vms: LabVm[]) => labProgram(source, ...vms);
    const vmsNamed = async (prefix: string) => (await xe.list("vm", {}, ["uuid", "name-label"])).filter((v) => v["name-label"].startsWith(prefix));
    const disksNamed = async (prefix: string) => (await xe.list("vdi", {}, ["uuid", "name-label"])).filter((v) => v["name-label"].startsWith(prefix));

    it("removes what a provider host killed mid-install left, and installs once", async () => {
        assert.deepEqual((await engine.up(lab())).errors, []);
        const crashing = await TestEngine.start({ cwd: REPO_ROOT, project: "vhtest", config: stackConfig(sim) });
        for (const [urn, rec] of engine.state) crashing.state.set(urn, rec);
        // Slow the install down so there is time to kill the host while it waits.
        addFault(sim.stateDir, { match: "param-name=power-state", repeat: true, action: { kind: "delay", delayMs: 1000 } });
        const calls = callCount(sim.stateDir);
        const run = crashing.up(lab({ name: "vh-crash" }));
        try {
            const deadline = Date.now() + 30_000;
            while (!callsSince(sim.stateDir, calls).some((c) => c.argv[0] === "vm-start")) {
                if (Date.now() > deadline) throw new Error("the install never started");
                await new Promise((r) => setTimeout(r, 50));
            }
            (crashing.host as any).child.kill("SIGKILL");
            const r = await run;
            assert.equal(r.errors.length, 1, "the up fails with the host gone");
        } finally {
            clearFaults(sim.stateDir);
            // Not crashing.stop(): ProviderHost.stop() waits for an exit that already happened
            // when the host died of a signal (exitCode stays null). Close its client only.
            (crashing.host as any).client.close();
        }
        const left = await vmsNamed("vh-crash");
        assert.equal(left.length, 1);
        assert.match(left[0]["name-label"], /^vh-crash - (created|booted from iso)/);

        const r = await engine.up(lab({ name: "vh-crash" }));
        assert.deepEqual(r.errors, []);
        assert.ok(engine.host.logs.some((l) => l.includes(`removing what an interrupted earlier run left: VM ${left[0].uuid}`)));
        const now = await vmsNamed("vh-crash");
        assert.deepEqual(now.map((v) => v["name-label"]), ["vh-crash"]);
        assert.notEqual(now[0].uuid, left[0].uuid);
        assert.equal((await disksNamed("vh-crash")).length, 1, "one system disk");
        assert.deepEqual((await engine.up(lab())).errors, []);
    });

    it("removes an untagged half-made VM and an orphan disk made the way an interrupted run leaves them", async () => {
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "vh-hand - created (Step 1 of 3)" });
        const sr = (await xe.pool.defaultSr())!;
        const disk = await xe.vdi.create({ srUuid: sr, nameLabel: "vh-hand system disk", virtualSize: "60GiB" });
        // Both sweeps see such leftovers (by name; they carry no tag).
        const expected = [`vm ${vm} (vh-hand - created (Step 1 of 3))`, `vdi ${disk} (vh-hand system disk)`];
        const keep = [...engine.resourcesOfType("XenNetwork").map((r) => r.id), ...engine.resourcesOfType("RemasteredIso").map((r) => r.outputs.srUuid)];
        assert.deepEqual(await sweep(xe, { names: ["vh-hand"], allow: keep }), expected);
        assert.deepEqual(sweepState(sim.stateDir, { names: ["vh-hand"], allow: keep }), expected);
        const r = await engine.up(lab({ name: "vh-hand" }));
        assert.deepEqual(r.errors, []);
        const now = await vmsNamed("vh-hand");
        assert.deepEqual(now.map((v) => v["name-label"]), ["vh-hand"]);
        assert.notEqual(now[0].uuid, vm);
        const disks = await disksNamed("vh-hand");
        assert.equal(disks.length, 1);
        assert.notEqual(disks[0].uuid, disk);
        assert.deepEqual((await engine.up(lab())).errors, []);
    });

    it("adopts a complete VM of its own whose state was lost instead of installing a second one", async () => {
        assert.deepEqual((await engine.up(lab({ name: "vh-adopt" }))).errors, []);
        const rec = engine.resourcesOfType("NestedHypervisor").find((x) => x.name === "vh-adopt")!;
        const uuid = rec.id;
        await xe.vm.hardShutdown(uuid);
        engine.state.delete(rec.urn); // as if the run crashed after the install, before the state was saved
        const calls = readCalls(sim.stateDir).length;
        const r = await engine.up(lab({ name: "vh-adopt" }));
        assert.deepEqual(r.errors, []);
        const again = engine.resourcesOfType("NestedHypervisor").find((x) => x.name === "vh-adopt")!;
        assert.equal(again.id, uuid);
        assert.equal(again.outputs.powerState, "running", "brought to the requested power state");
        assert.ok(again.outputs.installSeconds > 0, "the install time recorded on the VM is reported");
        assert.ok(!callsSince(sim.stateDir, calls).some((c) => c.argv[0] === "vm-install"), "nothing installed again");
        assert.deepEqual((await vmsNamed("vh-adopt")).length, 1);
    });
});
