/**
 * examples/two-labs as a Pulumi program: two labs with different prefixes and CIDRs side by side
 * on one simulated XenServer host and one toolbox, run through the test engine and the real
 * provider host; both up, each answering only its own names, then destroyed without leftovers.
 *
 * Requirements: root, and what test/helpers/labHost.ts needs.
 */
import * as assert from "node:assert/strict";
import { exampleProgram, outputValue } from "../../helpers/exampleProgram";
import { LabHost, labHostSkipReason, startLabHost } from "../../helpers/labHost";
import { resolveA } from "../../helpers/netns";
import { REPO_ROOT } from "../../helpers/paths";
import { sweep } from "../../helpers/sweep";
import { TestEngine } from "../../helpers/testEngine";

describe("examples/two-labs (test engine, real provider host, simulated XenServer)", function () {
    this.timeout(180_000);
    let host: LabHost;
    let engine: TestEngine;
    const program = exampleProgram("two-labs", () => {
        const ssh = host.net.toolbox.connection;
        return {
            ...host.config,
            "two-labs:sourceIso": host.sourceIso,
            "two-labs:rootPassword": "Two-labs-root-pw-42",
            "two-labs:toolboxVm": "toolbox",
            "two-labs:toolboxHost": ssh.host,
            "two-labs:toolboxHostKey": ssh.hostKey,
            "two-labs:toolboxPrivateKey": ssh.privateKey,
            "two-labs:toolboxStateRoot": host.net.toolbox.stateRoot,
            "two-labs:isoLibraryDirectory": host.isoLibrary,
        };
    }, ["two-labs:rootPassword", "two-labs:toolboxPrivateKey"]);

    before(async function () {
        if (labHostSkipReason()) this.skip();
        host = await startLabHost([{ prefix: "blue" }, { prefix: "green", cidr: "192.168.33.0/24" }]);
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "two-labs", stack: "dev", config: host.config });
    });
    after(async () => {
        if (engine) {
            await engine.destroy().catch(() => undefined);
            await engine.stop();
        }
        await host?.stop();
    });

    it("builds both labs on one host, apart by prefix and network, and destroys them without leftovers", async () => {
        const r = await engine.up(program.run);
        assert.deepEqual(r.errors, []);
        const blue = await outputValue<any[]>(program.exports().blueHypervisors);
        const green = await outputValue<any[]>(program.exports().greenHypervisors);
        assert.deepEqual(blue.map((h: any) => [h.nameLabel, h.address]), [["blue-vh0", "192.168.32.2"], ["blue-vh1", "192.168.32.3"]]);
        assert.deepEqual(green.map((h: any) => [h.nameLabel, h.address, h.memoryGiB]), [["green-vh0", "192.168.33.2", 6]]);
        assert.equal(await outputValue(program.exports().hostMemoryGiB), 14);
        const vms = await host.xe.list("vm", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["name-label", "power-state", "VIF-uuids"]);
        assert.deepEqual(vms.map((v) => `${v["name-label"]} ${v["power-state"]}`).sort(), ["blue-vh0 running", "blue-vh1 running", "green-vh0 running"]);
        const networks = await host.xe.list("network", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["name-label"]);
        assert.deepEqual(networks.map((n) => n["name-label"]).sort(), ["blue-home", "green-home"]);
        assert.deepEqual(resolveA(host.homeNs("blue"), "192.168.32.1", "blue-vh1"), ["192.168.32.3"]);
        assert.deepEqual(resolveA(host.homeNs("green"), "192.168.33.1", "green-vh0"), ["192.168.33.2"]);
        assert.deepEqual(resolveA(host.homeNs("green"), "192.168.33.1", "blue-vh1"), [], "each lab's DNS answers only its own hypervisors");
        assert.deepEqual((await engine.destroy()).errors, []);
        assert.deepEqual(await sweep(host.xe, { names: ["blue-", "green-"] }), []);
    });
});
