/**
 * XenNetwork through the real dynamic-provider host (TestEngine) against a simulated host: the
 * full lifecycle with the host's objects checked through xe after each step, preview with unknown
 * inputs, secrets kept out of state and logs, out-of-band deletion, and the in-use delete error.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { XenNetwork } from "../../../../provider/resources/xenNetwork";
import { closeAll } from "../../../../provider/ssh";
import { XeClient } from "../../../../provider/xe";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep } from "../../../helpers/sweep";
import { TestEngine } from "../../../helpers/testEngine";
import { connectionOf, stackConfig, xeOf } from "../fixtures";

describe("XenNetwork resource (real provider host, simulated XenServer)", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let engine: TestEngine;
    let xe: XeClient;

    before(async () => {
        sim = await startSimHost();
        xe = xeOf(sim);
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "vhtest", config: stackConfig(sim) });
    });
    after(async () => {
        await engine?.stop();
        await closeAll();
        await sim?.stop();
    });

    const network = (uuid: string) => xe.list("network", { uuid }, ["uuid", "name-label", "name-description", "MTU", "other-config", "bridge"]).then((r) => r[0]);
    const state = () => engine.resourcesOfType("XenNetwork")[0];

    it("creates a tagged network, refreshes without a diff, updates in place, replaces on another host, and destroys", async () => {
        let r = await engine.up(() => { new XenNetwork("home", { nameLabel: "lab1-home" }); });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create"]);
        const uuid = state().id;
        let net = await network(uuid);
        assert.equal(net["name-label"], "lab1-home");
        assert.equal(net.MTU, "1500");
        assert.match(net["other-config"], /vh-managed-by: virtual-hypervisor/);
        assert.match(net["other-config"], /vh-key: lab1-home/);
        assert.equal(state().outputs.bridge, net.bridge);
        assert.equal(state().outputs.stateVersion, 1);

        r = await engine.refresh();
        assert.deepEqual(r.ops.map((o) => o.op), ["same"]);
        r = await engine.up(() => { new XenNetwork("home", { nameLabel: "lab1-home" }); });
        assert.deepEqual(r.ops.map((o) => o.op), ["same"]);

        r = await engine.up(() => { new XenNetwork("home", { nameLabel: "lab1-home2", description: "the lab's home", mtu: 9000 }); });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["update"]);
        assert.equal(state().id, uuid);
        net = await network(uuid);
        assert.equal(net["name-label"], "lab1-home2");
        assert.equal(net["name-description"], "the lab's home");
        assert.equal(net.MTU, "9000");
        assert.match(net["other-config"], /vh-key: lab1-home2/);

        // Only credentials differ (same host and port): no change at all.
        const conn = connectionOf(sim);
        r = await engine.up(() => { new XenNetwork("home", { nameLabel: "lab1-home2", description: "the lab's home", mtu: 9000, connection: { ...conn, password: undefined, privateKey: sim.connection.privateKey } }); });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["same"]);

        // Another host (here: the same simulator under another address) replaces it.
        r = await engine.up(() => { new XenNetwork("home", { nameLabel: "lab1-home2", description: "the lab's home", mtu: 9000, connection: { ...conn, host: "localhost" } }); });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => [o.op, o.replaces]), [["replace", ["connection"]]]);
        assert.notEqual(state().id, uuid);
        assert.equal(await network(uuid), undefined, "the old network is destroyed");

        r = await engine.destroy();
        assert.deepEqual(r.errors, []);
        assert.deepEqual(await sweep(xe), []);
    });

    it("previews with unknown inputs without creating anything", async () => {
        const before = (await xe.uuids("network")).length;
        const r = await engine.preview(() => {
            const first = new XenNetwork("first", { nameLabel: "lab-first" });
            // The bridge of a network not created yet is unknown in preview.
            new XenNetwork("second", { nameLabel: pulumi.interpolate`${first.bridge}-second`, description: first.bridge });
        });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create", "create"]);
        assert.equal((await xe.uuids("network")).length, before);
        assert.equal(engine.resourcesOfType("XenNetwork").length, 0);
    });

    it("keeps the host password out of state and provider logs", async () => {
        const conn = connectionOf(sim);
        const r = await engine.up(() => { new XenNetwork("secret", { nameLabel: "lab-secret", connection: conn }); });
        assert.deepEqual(r.errors, []);
        assert.ok(!engine.plainState().includes(conn.password!), "password in plain state");
        assert.ok(!engine.host.logs.join("\n").includes(conn.password!), "password in provider logs");
        assert.equal((await engine.destroy()).errors.length, 0);
    });

    it("drops an out-of-band deleted network on refresh and creates it again on the next up", async () => {
        const program = () => { new XenNetwork("oob", { nameLabel: "lab-oob" }); };
        await engine.up(program);
        const uuid = state().id;
        await xe.network.destroy(uuid);
        let r = await engine.refresh();
        assert.deepEqual(r.ops.map((o) => o.op), ["refresh-gone"]);
        r = await engine.up(program);
        assert.deepEqual(r.ops.map((o) => o.op), ["create"]);
        assert.ok(await network(state().id));
        await engine.destroy();
    });

    it("refuses to destroy a network VMs still use, naming them, and leaves it alone", async () => {
        const program = () => { new XenNetwork("used", { nameLabel: "lab-used" }); };
        await engine.up(program);
        const uuid = state().id;
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "user-vm" });
        const vif = await xe.vif.create({ vmUuid: vm, networkUuid: uuid, device: 0 });
        let r = await engine.destroy();
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /network lab-used is still used by: vm user-vm \(VIF 0, [0-9a-f-]{36}\)/);
        assert.doesNotMatch(r.errors[0].message, /NETWORK_CONTAINS_VIF/);
        assert.ok(await network(uuid));
        await xe.vif.destroy(vif);
        await xe.vm.destroy(vm);
        await engine.up(program);
        r = await engine.destroy();
        assert.deepEqual(r.errors, []);
        assert.deepEqual(await sweep(xe), []);
    });
});
