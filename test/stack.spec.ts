/**
 * The root Pulumi program (stack.ts, Pulumi.yaml's main) and the per-developer stack files:
 * the committed Pulumi.alice.yaml / Pulumi.bob.yaml describe valid labs that do not collide; bad
 * config is reported all at once; and two developers' stacks run the program side by side on one
 * simulated XenServer host, sharing a toolbox, through the test engine and the real provider host.
 *
 * Requirements (end-to-end part): root, and what test/helpers/labHost.ts needs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { LabConfigError, labArgsFromConfig, LabHypervisorInfo, planLab } from "../components";
import { readCalls } from "../sim";
import { LabHost, labHostSkipReason, startLabHost } from "./helpers/labHost";
import { resolveA } from "./helpers/netns";
import { REPO_ROOT } from "./helpers/paths";
import { sweep } from "./helpers/sweep";
import { TestEngine } from "./helpers/testEngine";
import labStack = require("../stack");

const yaml = require("js-yaml") as { load(text: string): any };

/** A stack file's config as the engine hands it to the program: scalars as strings, objects and lists as JSON. */
function stackFileConfig(file: string): Record<string, string> {
    const doc = yaml.load(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
    return Object.fromEntries(Object.entries(doc.config as Record<string, unknown>)
        .map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]));
}

describe("stack.ts (the root program) and the per-developer stack files", function () {
    this.timeout(180_000);

    it("Pulumi.yaml runs the built program with the nodejs runtime", () => {
        const project = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        assert.deepEqual([project.name, project.runtime.name, project.main], ["virtual-hypervisor", "nodejs", "dist/stack.js"]);
        assert.ok(fs.existsSync(path.join(REPO_ROOT, project.main)), "the build produced the program");
        assert.equal(typeof labStack, "function", "the program exports the function the runtime calls");
    });

    it("Pulumi.alice.yaml and Pulumi.bob.yaml describe two valid labs that share one host without colliding", () => {
        // The secrets the files tell the developer to set with `pulumi config set --secret`.
        const secrets = { "lab:rootPassword": "set-by-the-developer", "lab:toolboxPrivateKey": "set-by-the-developer", "virtual-hypervisor:password": "set" };
        const alice = planLab("lab", labArgsFromConfig({ ...stackFileConfig("Pulumi.alice.yaml"), ...secrets }), "alice");
        const bob = planLab("lab", labArgsFromConfig({ ...stackFileConfig("Pulumi.bob.yaml"), ...secrets }), "bob");
        assert.deepEqual([alice.prefix, alice.cidr.networkCidr, alice.home.nameLabel, alice.hypervisors.map((h) => h.nameLabel)],
            ["alice", "192.168.32.0/24", "alice-home", ["alice-vh0", "alice-vh1"]]);
        assert.deepEqual([bob.prefix, bob.cidr.networkCidr, bob.home.nameLabel], ["bob", "192.168.40.0/24", "bob-home"]);
        assert.deepEqual(bob.hypervisors.map((h) => [h.nameLabel, h.hostname, h.address, h.memoryGiB, h.vcpus, h.diskGiB]), [
            ["bob-pool-master", "bob-pool-master.lab", "192.168.40.2", 16, 4, 60],
            ["bob-pool-member", "bob-pool-member.lab", "192.168.40.3", 8, 2, 60],
            ["bob-spare", "bob-spare.lab", "192.168.40.50", 8, 2, 60],
        ]);
        const names = [alice, bob].flatMap((p) => [p.home.nameLabel, ...p.hypervisors.flatMap((h) => [h.nameLabel, h.hostname])]);
        assert.equal(new Set(names).size, names.length, "no host-side name is used twice");
        assert.equal(stackFileConfig("Pulumi.alice.yaml")["virtual-hypervisor:host"], stackFileConfig("Pulumi.bob.yaml")["virtual-hypervisor:host"]);
    });

    it("reports every problem of a bad lab config at once", () => {
        assert.throws(() => labArgsFromConfig({
            "lab:cidrr": "192.168.32.0/24",
            "lab:count": "three",
            "lab:toolbox": "{vm: toolbox",
            "lab:rootPassword": "x".repeat(12),
            "lab:lab": JSON.stringify({ sourceIso: "/isos/xs.iso", cpus: 4 }),
        }), (err: unknown) => {
            assert.ok(err instanceof LabConfigError);
            assert.deepEqual(err.problems, [
                "lab:lab.cpus is not a lab setting; known: sourceIso, rootPassword, prefix, domain, cidr, gateway, homeNetwork, toolbox, toolboxPrivateKey, toolboxPassword, count, hypervisors, hypervisorDefaults, maxParallelInstalls, target, kernelArgs, isoLibrary, installTimeoutMinutes, firstBootTimeoutMinutes, allowHalt, estimatedInstallMinutes, preflight",
                "lab:cidrr is not a lab setting; known: lab, sourceIso, rootPassword, prefix, domain, cidr, gateway, homeNetwork, toolbox, toolboxPrivateKey, toolboxPassword, count, hypervisors, hypervisorDefaults, maxParallelInstalls, target, kernelArgs, isoLibrary, installTimeoutMinutes, firstBootTimeoutMinutes, allowHalt, estimatedInstallMinutes, preflight",
                'lab:count must be a number, got "three"',
                'lab:toolbox must be a JSON object (pulumi config set --path lab:toolbox… or --json), got "{vm: toolbox"',
            ]);
            assert.ok(!err.message.includes("x".repeat(12)), "no secret in the message");
            return true;
        });
    });

    describe("two developers' stacks side by side on one host (test engine, real provider host, simulated XenServer)", () => {
        let host: LabHost;
        const engines: Record<string, TestEngine> = {};
        const outputs: Record<string, ReturnType<typeof labStack>> = {};
        const secrets = { alice: "Alice-root-pw-7a6b5c", bob: "Bob-root-pw-1f2e3d" };

        /** What `pulumi config set` would have stored for this developer. */
        const config = (stack: "alice" | "bob"): Record<string, string> => {
            const { ssh, stateDir } = { ssh: host.net.toolbox.connection, stateDir: host.toolbox(stack).stateDir };
            return {
                ...host.config,
                "lab:sourceIso": host.sourceIso,
                "lab:rootPassword": secrets[stack],
                "lab:toolbox": JSON.stringify({ vm: "toolbox", ssh: { host: ssh.host, port: ssh.port, user: ssh.user, hostKey: ssh.hostKey }, stateDir }),
                "lab:toolboxPrivateKey": ssh.privateKey,
                "lab:isoLibrary": JSON.stringify({ directory: host.isoLibrary }),
                "lab:hypervisorDefaults": JSON.stringify({ memoryGiB: 4, diskGiB: 46 }),
                ...(stack === "alice"
                    ? { "lab:count": "1" }
                    : { "lab:cidr": "192.168.40.0/24", "lab:hypervisors": JSON.stringify([{ name: "pool-master", memoryGiB: 5 }]) }),
            };
        };
        const up = (stack: "alice" | "bob") => engines[stack].up(() => {
            pulumi.runtime.setAllConfig(config(stack), ["lab:rootPassword", "lab:toolboxPrivateKey", "virtual-hypervisor:password"]);
            outputs[stack] = labStack();
        });
        const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => { resolve(v); return v; }));
        const runningVms = async () => (await host.xe.list("vm", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["name-label", "power-state"]))
            .map((v) => `${v["name-label"]} ${v["power-state"]}`).sort();

        before(async function () {
            if (labHostSkipReason()) this.skip();
            host = await startLabHost([{ prefix: "alice" }, { prefix: "bob", cidr: "192.168.40.0/24" }]);
            for (const stack of ["alice", "bob"]) {
                engines[stack] = await TestEngine.start({ cwd: REPO_ROOT, project: "virtual-hypervisor", stack, config: host.config });
            }
        });
        after(async () => {
            for (const engine of Object.values(engines)) {
                await engine.destroy().catch(() => undefined);
                await engine.stop();
            }
            await host?.stop();
        });

        it("builds alice's and bob's labs from their stack config, each under its own prefix", async () => {
            // One after the other: the SDK's engine connection is process-wide.
            assert.deepEqual((await up("alice")).errors, []);
            assert.deepEqual((await up("bob")).errors, []);
            assert.deepEqual(await runningVms(), ["alice-vh0 running", "bob-pool-master running"]);
            const alice = (await value(outputs.alice.hypervisors)) as LabHypervisorInfo[];
            const bob = (await value(outputs.bob.hypervisors)) as LabHypervisorInfo[];
            assert.deepEqual([outputs.alice.prefix, alice.map((h) => [h.hostname, h.address])], ["alice", [["alice-vh0.lab", "192.168.32.2"]]]);
            assert.deepEqual([outputs.bob.prefix, bob.map((h) => [h.hostname, h.address, h.memoryGiB])], ["bob", [["bob-pool-master.lab", "192.168.40.2", 5]]]);
            assert.deepEqual(await value(outputs.bob.estimatedInstallMinutes), 30);
            assert.notEqual(await value(outputs.alice.homeNetworkUuid), await value(outputs.bob.homeNetworkUuid));
            assert.deepEqual(resolveA(host.homeNs("alice"), "192.168.32.1", "alice-vh0"), ["192.168.32.2"]);
            assert.deepEqual(resolveA(host.homeNs("bob"), "192.168.40.1", "bob-pool-master.lab"), ["192.168.40.2"]);
            for (const stack of ["alice", "bob"] as const) {
                const plain = engines[stack].plainState();
                for (const secret of [secrets.alice, secrets.bob, host.sim.connection.password, host.net.toolbox.connection.privateKey.split("\n")[1]]) {
                    assert.ok(!plain.includes(secret), `${stack}: no secret in plain state`);
                }
            }
        });

        it("re-runs each stack without a write, and destroying alice's lab leaves bob's running", async () => {
            const from = readCalls(host.sim.stateDir).length;
            for (const stack of ["alice", "bob"] as const) {
                const r = await up(stack);
                assert.deepEqual([r.errors, r.ops.filter((o) => o.op !== "same")], [[], []]);
            }
            assert.deepEqual(readCalls(host.sim.stateDir).slice(from).filter((c) => c.writes), []);
            assert.deepEqual((await engines.alice.destroy()).errors, []);
            assert.deepEqual(await runningVms(), ["bob-pool-master running"]);
            assert.deepEqual(resolveA(host.homeNs("bob"), "192.168.40.1", "bob-pool-master"), ["192.168.40.2"]);
            assert.deepEqual((await engines.bob.destroy()).errors, []);
            assert.deepEqual(await sweep(host.xe, { names: ["alice-", "bob-"] }), []);
        });
    });
});
