/**
 * NestedHypervisor through the real dynamic-provider host (TestEngine) with its real dependencies
 * (XenNetwork, RemasteredIso) against a simulated host whose installer really reads the ISO: the
 * lifecycle with the host's objects checked through xe after each step, preview with unknowns,
 * secrets, out-of-band deletion, an install that stalls into its deadline, a faulted run, and the
 * per-host install limit.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { NestedHypervisor, NestedHypervisorArgs } from "../../../../provider/resources/nestedHypervisor";
import { RemasteredIso } from "../../../../provider/resources/remasteredIso";
import { XenNetwork } from "../../../../provider/resources/xenNetwork";
import { parseMap, XeClient } from "../../../../provider/xe";
import { addFault, clearFaults, readSimLog } from "../../../../sim";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep } from "../../../helpers/sweep";
import { TestEngine } from "../../../helpers/testEngine";
import { LabVm, labProgram, tearDownLab } from "./lab";
import { answerFile, callCount, callsSince, connectionOf, ROOT_PASSWORD, stackConfig, standinSourceIso, writes, xeOf } from "../fixtures";

const GiB = 1024 ** 3;

describe("NestedHypervisor resource (real provider host, simulated XenServer)", function () {
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
    // The network and the ISO stay for every test (made once); each test's VMs go after it.
    afterEach(async () => {
        const r = await engine.up(lab());
        if (r.errors.length) {
            await engine.destroy();
            engine.state.clear();
        }
    });
    after(() => tearDownLab(engine, xe, sim));

    const lab = (...vms: LabVm[]) => labProgram(source, ...vms);
    const vmState = (name: string) => engine.resourcesOfType("NestedHypervisor").find((r) => r.name === name)!;
    const vmRecord = async (uuid: string) => (await xe.list("vm", { uuid }, ["all"]))[0];
    const keep = () => [
        ...engine.resourcesOfType("XenNetwork").map((r) => r.id),
        ...engine.resourcesOfType("RemasteredIso").flatMap((r) => [r.outputs.srUuid, r.outputs.vdiUuid]),
    ];

    it("installs in three steps, refreshes without a diff, updates in place, replaces on a new disk size, and destroys", async () => {
        const calls0 = callCount(sim.stateDir);
        let r = await engine.up(lab({ name: "vh0" }));
        assert.deepEqual(r.errors, []);
        const outs = vmState("vh0").outputs;
        const vm = await vmRecord(outs.uuid);
        assert.equal(vm["name-label"], "vh0");
        assert.equal(vm["power-state"], "running");
        const oc = parseMap(vm["other-config"]);
        assert.equal(oc["vh-managed-by"], "virtual-hypervisor");
        assert.equal(oc["vh-key"], "vh0");
        for (const f of ["memory-static-min", "memory-dynamic-min", "memory-dynamic-max", "memory-static-max"]) assert.equal(Number(vm[f]), 4 * GiB, f);
        assert.equal(vm["VCPUs-max"], "2");
        const platform = parseMap(vm.platform);
        assert.equal(platform["nested-virt"], "true", "XenServer 8 reads platform:nested-virt");
        assert.equal(platform.nic_type, "e1000");
        assert.equal(parseMap(vm["HVM-boot-params"]).order, "dc");
        const vbds = await xe.list("vbd", { "vm-uuid": outs.uuid }, ["type", "empty", "vdi-uuid", "other-config", "userdevice"]);
        const disk = vbds.find((b) => b.type === "Disk")!;
        assert.equal(parseMap(disk["other-config"]).owner, "true");
        const vdi = (await xe.list("vdi", { uuid: disk["vdi-uuid"] }, ["name-label", "virtual-size", "other-config"]))[0];
        assert.deepEqual([vdi["name-label"], Number(vdi["virtual-size"])], ["vh0 system disk", 60 * GiB]);
        assert.match(vdi["other-config"], /vh-key: vh0/);
        assert.equal(vbds.find((b) => b.type === "CD")!.empty, "true", "the CD is ejected before the first boot");
        const vif = (await xe.list("vif", { "vm-uuid": outs.uuid }, ["MAC", "network-uuid"]))[0];
        assert.equal(vif.MAC, outs.mac);
        assert.match(outs.mac, /^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/, "locally administered unicast");
        assert.equal(outs.powerState, "running");
        assert.equal(outs.vncPort, 5901);
        assert.match(outs.consoleCommand, /ssh -N -L 5901:localhost:5901 -p \d+ root@127\.0\.0\.1/);
        assert.ok(outs.installSeconds > 0 && outs.firstBootSeconds > 0);
        // The seed's name-label state machine, in order.
        const names = callsSince(sim.stateDir, calls0).filter((c) => c.argv[0].startsWith("vm-")).flatMap((c) => c.argv.filter((a) => /^(new-)?name-label=vh0/.test(a)).map((a) => a.replace(/^[^=]*=/, "")));
        assert.deepEqual(names, ["vh0 - created (Step 1 of 3)", "vh0 - booted from iso (Step 2 of 3)", "vh0 - first boot (Step 3 of 3)", "vh0"]);
        assert.ok(engine.host.logs.some((l) => /NestedHypervisor vh0: \[install \(Step 2 of 3\)\]/.test(l)), "progress per phase");

        r = await engine.refresh();
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "same"]);
        let calls = callCount(sim.stateDir);
        r = await engine.up(lab({ name: "vh0" }));
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "same"]);
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), []);

        // Rename, halt and resize in place (halted, so no allowHalt needed); the MAC stays.
        const before = vmState("vh0").outputs;
        r = await engine.up(lab({ name: "vh0", nameLabel: "vh0-renamed", memoryGiB: 6, vcpus: 4, powerState: "halted" }));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "update"]);
        const after = vmState("vh0").outputs;
        assert.equal(after.uuid, before.uuid);
        assert.equal(after.mac, before.mac, "a rename keeps the derived MAC");
        const vm2 = await vmRecord(after.uuid);
        assert.deepEqual([vm2["name-label"], vm2["power-state"], Number(vm2["memory-static-max"]), Number(vm2["memory-dynamic-min"]), vm2["VCPUs-max"], vm2["VCPUs-at-startup"]],
            ["vh0-renamed", "halted", 6 * GiB, 6 * GiB, "4", "4"]);
        assert.equal((await xe.list("vdi", { uuid: after.diskVdiUuid }, ["name-label"]))[0]["name-label"], "vh0-renamed system disk");
        assert.equal(after.vncPort, null);

        // A running VM whose memory changes without allowHalt is replaced (delete first).
        const resized = (args: Partial<NestedHypervisorArgs>) => lab({ name: "vh0", nameLabel: "vh0-renamed", memoryGiB: 6, vcpus: 4, ...args });
        r = await engine.up(resized({ powerState: "running" }));
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "update"]);
        r = await engine.preview(resized({ memoryGiB: 5 }));
        assert.deepEqual(r.ops.map((o) => [o.op, o.replaces]), [["same", undefined], ["same", undefined], ["replace", ["memoryGiB"]]]);
        r = await engine.preview(resized({ memoryGiB: 5, allowHalt: true }));
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "update"]);

        calls = callCount(sim.stateDir);
        r = await engine.up(resized({ diskGiB: 70 }));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => [o.op, o.replaces]), [["same", undefined], ["same", undefined], ["replace", ["diskGiB"]]]);
        const replaced = vmState("vh0").outputs;
        assert.notEqual(replaced.uuid, after.uuid);
        assert.equal(await vmRecord(after.uuid), undefined, "the old VM is gone");
        const w = writes(callsSince(sim.stateDir, calls));
        assert.ok(w.findIndex((c) => c.startsWith("vm-destroy")) < w.findIndex((c) => c.startsWith("vm-install")), "deleted before the new one was made");

        r = await engine.destroy();
        assert.deepEqual(r.errors, []);
        assert.deepEqual(await sweep(xe, { names: ["vh0"] }), []);
        assert.deepEqual((await engine.up(lab())).errors, []);
    });

    it("previews with unknown network and ISO without touching the host", async () => {
        const calls = callCount(sim.stateDir);
        // A second lab: its network and ISO are new, so their outputs are unknown in preview.
        const r = await engine.preview(() => {
            lab()();
            const net = new XenNetwork("home2", { nameLabel: "lab2-home" });
            const iso = new RemasteredIso("iso2", { sourceIso: source, answerFile: answerFile(), kernelArgs: ["lab2"] });
            new NestedHypervisor("vh-preview", { nameLabel: "vh-preview", isoName: iso.isoName, networkUuid: net.uuid });
        });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(Object.fromEntries(r.ops.map((o) => [o.name, o.op])), { home: "same", iso: "same", home2: "create", iso2: "create", "vh-preview": "create" });
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), []);
        assert.equal(engine.state.size, 2);
    });

    it("keeps the host password and the root password out of state and provider logs", async () => {
        const conn = connectionOf(sim);
        const r = await engine.up(() => {
            const net = new XenNetwork("home", { nameLabel: "lab-home", connection: conn });
            const iso = new RemasteredIso("iso", { sourceIso: source, answerFile: answerFile(), connection: conn });
            new NestedHypervisor("vh-secret", { nameLabel: "vh-secret", isoName: iso.isoName, networkUuid: net.uuid, memoryGiB: 4, diskGiB: 60, connection: conn });
        });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "create"], "the same host with credentials given: no change");
        for (const secret of [conn.password!, ROOT_PASSWORD]) {
            assert.ok(!engine.plainState().includes(secret), "secret in plain state");
            assert.ok(!engine.host.logs.join("\n").includes(secret), "secret in provider logs");
        }
    });

    it("drops a VM uninstalled behind its back on refresh and installs it again on the next up", async () => {
        const program = lab({ name: "vh-oob" });
        await engine.up(program);
        const uuid = vmState("vh-oob").id;
        await xe.vm.uninstall(uuid);
        let r = await engine.refresh();
        assert.deepEqual(r.ops.filter((o) => o.name === "vh-oob").map((o) => o.op), ["refresh-gone"]);
        r = await engine.up(program);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["same", "same", "create"]);
        assert.equal((await vmRecord(vmState("vh-oob").id))["name-label"], "vh-oob");
    });

    it("times out an install that stalls (an ISO without answer file), says which phase and how to look, and removes the VM", async () => {
        const dir = path.join(sim.stateDir, "home", "raw-isos");
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(source, path.join(dir, "raw-installer.iso"));
        const sr = await xe.sr.createIso({ nameLabel: "raw ISOs", location: dir });
        try {
            // keepFailedVm: the VM stays for a look, and the next up removes it before starting over.
            let r = await engine.up(lab({ name: "vh-stall", isoName: "raw-installer.iso", installTimeoutMinutes: 0.02, keepFailedVm: true }));
            assert.equal(r.errors.length, 1);
            assert.match(r.errors[0].message, /the VM [0-9a-f-]{36} was kept for inspection \(keepFailedVm\); the next pulumi up removes it and starts over/);
            const kept = await xe.list("vm", { "name-label": "vh-stall - booted from iso (Step 2 of 3)" }, ["uuid", "power-state"]);
            assert.equal(kept.length, 1);
            assert.equal(kept[0]["power-state"], "running", "still sitting in the stalled installer");
            r = await engine.up(lab({ name: "vh-stall", isoName: "raw-installer.iso", installTimeoutMinutes: 0.02 }));
            assert.equal(r.errors.length, 1);
            assert.ok(engine.host.logs.some((l) => l.includes(`removing what an interrupted earlier run left: VM ${kept[0].uuid}`)));
            const m = r.errors[0].message;
            assert.match(m, /could not create NestedHypervisor vh-stall: NestedHypervisor vh-stall: phase "install \(Step 2 of 3\)" timed out after 1\.2s waiting for the installer to power VM [0-9a-f-]{36} off/);
            assert.match(m, /look at its console: vncviewer|look at its console: ssh -N -L 5901:localhost:59\d\d/);
            assert.match(m, /removed again: .*VM [0-9a-f-]{36}/);
            assert.match(readSimLog(sim.stateDir), /STALLED: /);
            assert.deepEqual(await sweep(xe, { names: ["vh-stall"], allow: keep() }), []);
        } finally {
            await xe.pbd.unplug((await xe.sr.pbdUuids(sr))[0]);
            await xe.sr.forget(sr);
        }
    });

    it("fails a faulted create cleanly through the real host, and the next up converges", async () => {
        const program = lab({ name: "vh-fault" });
        addFault(sim.stateDir, { match: "^vbd-create .*type=CD", action: { kind: "xe-error", code: "SR_BACKEND_FAILURE_46", params: ["", "The VDI is not available", ""] } });
        let r: Awaited<ReturnType<TestEngine["up"]>>;
        try {
            r = await engine.up(program);
        } finally {
            clearFaults(sim.stateDir);
        }
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /could not create NestedHypervisor vh-fault: xe failed with SR_BACKEND_FAILURE_46 .*vbd-create/s);
        assert.match(r.errors[0].message, /removed again: /);
        assert.deepEqual(await sweep(xe, { names: ["vh-fault"], allow: keep() }), []);
        r = await engine.up(program);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.filter((o) => o.name === "vh-fault").map((o) => o.op), ["create"]);
    });

    it("installs one VM at a time per host with maxParallelInstalls 1", async () => {
        const calls = callCount(sim.stateDir);
        const r = await engine.up(lab({ name: "vh-a", maxParallelInstalls: 1 }, { name: "vh-b", maxParallelInstalls: 1 }));
        assert.deepEqual(r.errors, []);
        const argv = callsSince(sim.stateDir, calls).map((c) => c.argv.join(" "));
        const installs = argv.map((a, i) => [a, i] as const).filter(([a]) => a.startsWith("vm-install"));
        const finals = argv.map((a, i) => [a, i] as const).filter(([a]) => /^vm-param-set .*name-label=vh-[ab] other-config:vh-install-seconds/.test(a));
        assert.equal(installs.length, 2);
        assert.ok(finals[0][1] < installs[1][1], "the second install starts after the first finished");
        assert.ok(engine.host.logs.some((l) => /waiting for one of the 1 installs running/.test(l)));
    });
});
