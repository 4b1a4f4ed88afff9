/**
 * The Lab end to end: a program run by the test engine, which drives the REAL dynamic-provider
 * host; the providers reach a simulated XenServer host over SSH (its installer really reads the
 * remastered ISOs) and the toolbox's real sshd in a network namespace. A 3-hypervisor lab is
 * built, refreshed, scaled to 4, resized, re-applied without a single xe write, and destroyed,
 * with the host checked through xe after each step and nothing left behind.
 *
 * Requirements: root, and what test/helpers/labHost.ts needs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Lab, LabArgs, PreflightReport } from "../../components";
import { startFootprintBytes } from "../../provider/resources/nestedHypervisor";
import { parseMap } from "../../provider/xe";
import { readCalls } from "../../sim";
import { httpGet, resolveA } from "../helpers/netns";
import { LabHost, labHostSkipReason, startLabHost } from "../helpers/labHost";
import { REPO_ROOT } from "../helpers/paths";
import { sweep } from "../helpers/sweep";
import { TestEngine } from "../helpers/testEngine";

const ROOT_PASSWORD = "Lab-root-pw-5e4d3c2b";
const GiB = 1024 ** 3;

describe("components/lab end to end (test engine, real provider host, simulated XenServer, toolbox namespace)", function () {
    this.timeout(180_000);
    let host: LabHost;
    let engine: TestEngine;

    const args = (extra: Partial<LabArgs> = {}): LabArgs => ({
        sourceIso: host.sourceIso,
        rootPassword: pulumi.secret(ROOT_PASSWORD),
        toolbox: host.toolbox("alice"),
        count: 3,
        hypervisorDefaults: { memoryGiB: 4, diskGiB: 46 },
        maxParallelInstalls: 4,
        isoLibrary: { directory: host.isoLibrary },
        allowHalt: true,
        ...extra,
    });
    let lab: Lab | undefined;
    /** One `pulumi up` of a program holding this lab (the connection comes from stack config). */
    const up = (a: LabArgs) => engine.up(() => {
        pulumi.runtime.setAllConfig(host.config);
        lab = new Lab("lab", a);
    });
    const vms = async () => (await host.xe.list("vm", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["uuid", "name-label", "power-state", "memory-static-max", "other-config"]))
        .sort((a, b) => a["name-label"].localeCompare(b["name-label"]));
    const report0 = () => new Promise<PreflightReport | undefined>((resolve) => lab!.preflight.apply((r) => { resolve(r); return r; }));
    const writesSince = (from: number) => readCalls(host.sim.stateDir).slice(from).filter((c) => c.writes).map((c) => c.argv.join(" "));
    const ops = (r: { ops: Array<{ op: string; name: string }> }) => r.ops.filter((o) => o.op !== "same").map((o) => `${o.op} ${o.name}`).sort();

    before(async function () {
        if (labHostSkipReason()) this.skip();
        host = await startLabHost([{ prefix: "alice" }]);
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "lab-e2e", stack: "alice", config: host.config });
    });
    afterEach(() => assert.deepEqual(host?.errors ?? [], [], "the toolbox guest NIC watcher failed"));
    after(async () => {
        if (engine) {
            await engine.destroy().catch(() => undefined);
            await engine.stop();
        }
        await host?.stop();
    });

    it("previews: a lab too big for the host fails with the pre-flight table, one that fits plans every child; nothing is written", async () => {
        const from = readCalls(host.sim.stateDir).length;
        const big = await engine.preview(() => {
            pulumi.runtime.setAllConfig(host.config);
            new Lab("lab", args({ count: 3, hypervisorDefaults: { memoryGiB: 96, diskGiB: 46 } }));
        });
        assert.deepEqual(big.ops, [], "no child reached the engine");
        assert.equal(big.errors.length >= 1, true);
        assert.match(big.errors[0].message, /^the Lab "lab" does not fit on root@127\.0\.0\.1:\d+; nothing was created:\n.*\n {2}pinned memory \(3 hypervisors, 3 new\) +290\.\d GiB +2\d\d\.\d GiB +\d+\.\d GiB\n/s);
        const fits = await engine.preview(() => {
            pulumi.runtime.setAllConfig(host.config);
            new Lab("lab", args());
        });
        assert.deepEqual(fits.errors, []);
        assert.deepEqual(ops(fits), [
            "create lab-gateway", "create lab-home",
            "create lab-vh0", "create lab-vh0-iso", "create lab-vh1", "create lab-vh1-iso", "create lab-vh2", "create lab-vh2-iso",
        ]);
        assert.deepEqual(writesSince(from), []);
        assert.equal(engine.state.size, 0);
    });

    it("builds a 3-hypervisor lab: network, gateway, one ISO each, hypervisors running on the home network", async () => {
        const r = await up(args());
        assert.deepEqual(r.errors, []);
        assert.deepEqual(ops(r), [
            "create lab-gateway", "create lab-home",
            "create lab-vh0", "create lab-vh0-iso", "create lab-vh1", "create lab-vh1-iso", "create lab-vh2", "create lab-vh2-iso",
        ]);
        const home = (await host.xe.list("network", { "name-label": "alice-home" }, ["uuid", "other-config"]));
        assert.equal(home.length, 1);
        const found = await vms();
        assert.deepEqual(found.map((v) => [v["name-label"], v["power-state"], Number(v["memory-static-max"]) / GiB]), [
            ["alice-vh0", "running", 4], ["alice-vh1", "running", 4], ["alice-vh2", "running", 4],
        ]);
        for (const v of found) {
            const vifs = await host.xe.list("vif", { "vm-uuid": v.uuid }, ["network-uuid"]);
            assert.deepEqual(vifs.map((x) => x["network-uuid"]), [home[0].uuid], `${v["name-label"]} is on the home network only`);
        }
        // The hypervisors' ISOs carry their own host names and addresses.
        const isos = engine.resourcesOfType("RemasteredIso");
        assert.equal(new Set(isos.map((i) => i.outputs.isoName)).size, 3, "one ISO per hypervisor");
        const hv = await new Promise<any[]>((resolve) => lab!.hypervisors.apply((h) => { resolve(h); return h; }));
        assert.deepEqual(hv.map((h) => [h.name, h.hostname, h.address, h.uuid === found.find((v) => v["name-label"] === h.nameLabel)!.uuid]), [
            ["vh0", "alice-vh0.lab", "192.168.32.2", true], ["vh1", "alice-vh1.lab", "192.168.32.3", true], ["vh2", "alice-vh2.lab", "192.168.32.4", true],
        ]);
        assert.equal(hv[0].sshCommand, `ssh -J root@${host.net.toolbox.address} root@192.168.32.2`);
        // The toolbox answers the hypervisors' names and NATs the home network to the corporate one.
        assert.deepEqual(host.events, ["alice plugged"]);
        assert.deepEqual(resolveA(host.homeNs("alice"), "192.168.32.1", "alice-vh2.lab"), ["192.168.32.4"]);
        assert.deepEqual(resolveA(host.homeNs("alice"), "192.168.32.1", "alice-vh0"), ["192.168.32.2"]);
        assert.equal(httpGet(host.homeNs("alice"), `http://${host.net.corp.server}:${host.net.corp.httpPort}/`).stdout, "corp-ok\n");
        const plain = engine.plainState();
        for (const secret of [ROOT_PASSWORD, host.sim.connection.password, host.net.toolbox.connection.privateKey.split("\n")[1]]) {
            assert.ok(!plain.includes(secret), "no secret in plain state");
        }
    });

    it("refreshes clean and re-applies without a single xe write", async () => {
        const refreshed = await engine.refresh();
        assert.deepEqual([refreshed.errors, refreshed.ops.filter((o) => o.op !== "same")], [[], []]);
        const from = readCalls(host.sim.stateDir).length;
        const r = await up(args());
        assert.deepEqual([r.errors, ops(r)], [[], []]);
        assert.deepEqual(writesSince(from), []);
    });

    it("scales to 4: one more ISO and hypervisor, the gateway learns its name, the others stay", async () => {
        const before = (await vms()).map((v) => v.uuid);
        const r = await up(args({ count: 4 }));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(ops(r), ["create lab-vh3", "create lab-vh3-iso", "update lab-gateway"]);
        const after = await vms();
        assert.deepEqual(after.map((v) => [v["name-label"], v["power-state"]]), [
            ["alice-vh0", "running"], ["alice-vh1", "running"], ["alice-vh2", "running"], ["alice-vh3", "running"],
        ]);
        assert.deepEqual(after.slice(0, 3).map((v) => v.uuid), before);
        // The pre-flight counted only what the lab did not hold yet.
        const report = (await report0())!;
        assert.deepEqual([report.time.installs, report.rows[0].needBytes, report.rows[1].needBytes], [1, startFootprintBytes(4, 2), 46 * GiB]);
        assert.deepEqual(resolveA(host.homeNs("alice"), "192.168.32.1", "alice-vh3"), ["192.168.32.5"]);
    });

    it("changes one hypervisor's memory in place (allowHalt), leaving the others alone", async () => {
        const before = await vms();
        const r = await up(args({ count: 4, hypervisors: [{}, { memoryGiB: 5 }] }));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(ops(r), ["update lab-vh1"]);
        const after = await vms();
        assert.deepEqual(after.map((v) => [v["name-label"], v["power-state"], Number(v["memory-static-max"]) / GiB]), [
            ["alice-vh0", "running", 4], ["alice-vh1", "running", 5], ["alice-vh2", "running", 4], ["alice-vh3", "running", 4],
        ]);
        assert.deepEqual(after.map((v) => v.uuid), before.map((v) => v.uuid));
        const report = (await report0())!;
        assert.deepEqual([report.time.installs, report.rows[0].needBytes, report.rows[1].needBytes], [0, startFootprintBytes(5, 2) - startFootprintBytes(4, 2), 0]);
    });

    it("destroys everything: no tagged object, no ISO, no gateway state, no home NIC on the toolbox", async () => {
        const r = await engine.destroy();
        assert.deepEqual(r.errors, []);
        assert.equal(engine.state.size, 0);
        assert.deepEqual(await sweep(host.xe, { names: ["alice-"] }), []);
        assert.deepEqual(await host.xe.uuids("network", { "name-label": "alice-home" }), []);
        assert.deepEqual(await host.xe.list("vif", { "vm-uuid": host.toolboxUuid }, ["device"]), [{ device: "0" }], "only the toolbox's own NIC is left");
        assert.deepEqual(fs.existsSync(host.isoLibrary) ? fs.readdirSync(host.isoLibrary) : [], []);
        assert.equal(fs.existsSync(host.toolbox("alice").stateDir!), false);
        await new Promise((r2) => setTimeout(r2, 200));
        assert.deepEqual(host.events, ["alice plugged", "alice unplugged"]);
        for (const v of await host.xe.list("vm", {}, ["name-label", "other-config"])) {
            assert.ok(!("vh-key" in parseMap(v["other-config"])), `no VM of ours left: ${v["name-label"]}`);
        }
    });
});
