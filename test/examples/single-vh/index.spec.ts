/**
 * examples/single-vh as a Pulumi program: built from the package by its public name
 * ("virtual-hypervisor", resolved through the package's exports map), run through the test engine
 * and the real provider host against a simulated XenServer host and the toolbox namespace, with
 * the example's own config keys. One nested hypervisor up, then destroyed without leftovers.
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

describe("examples/single-vh (test engine, real provider host, simulated XenServer)", function () {
    this.timeout(180_000);
    let host: LabHost;
    let engine: TestEngine;
    const program = exampleProgram("single-vh", () => {
        const ssh = host.net.toolbox.connection;
        return {
            ...host.config,
            "single-vh:sourceIso": host.sourceIso,
            "single-vh:rootPassword": "Single-vh-root-pw-42",
            "single-vh:toolboxVm": "toolbox",
            "single-vh:toolboxHost": ssh.host,
            "single-vh:toolboxHostKey": ssh.hostKey,
            "single-vh:toolboxPrivateKey": ssh.privateKey,
            "single-vh:toolboxStateDir": host.toolbox("dev").stateDir!,
            "single-vh:isoLibraryDirectory": host.isoLibrary,
        };
    }, ["single-vh:rootPassword", "single-vh:toolboxPrivateKey"]);

    before(async function () {
        if (labHostSkipReason()) this.skip();
        host = await startLabHost([{ prefix: "dev" }]);
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "single-vh", stack: "dev", config: host.config });
    });
    after(async () => {
        if (engine) {
            await engine.destroy().catch(() => undefined);
            await engine.stop();
        }
        await host?.stop();
    });

    it("installs one nested hypervisor behind the toolbox and destroys it without leftovers", async () => {
        const r = await engine.up(program.run);
        assert.deepEqual(r.errors, []);
        const hv = await outputValue<any>(program.exports().hypervisor);
        assert.deepEqual([hv.nameLabel, hv.hostname, hv.address, hv.sshCommand],
            ["dev-vh0", "dev-vh0.lab", "192.168.32.2", `ssh -J root@${host.net.toolbox.address} root@192.168.32.2`]);
        const vm = await host.xe.list("vm", { uuid: hv.uuid }, ["name-label", "power-state"]);
        assert.deepEqual(vm, [{ "name-label": "dev-vh0", "power-state": "running" }]);
        assert.deepEqual(resolveA(host.homeNs("dev"), "192.168.32.1", "dev-vh0.lab"), ["192.168.32.2"]);
        assert.equal((await outputValue<any>(program.exports().cost)).memoryGiB, 4);
        assert.ok(!engine.plainState().includes("Single-vh-root-pw-42"));
        assert.deepEqual((await engine.destroy()).errors, []);
        assert.deepEqual(await sweep(host.xe, { names: ["dev-"] }), []);
    });
});
