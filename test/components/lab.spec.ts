/**
 * The Lab's wiring under Pulumi's mock engine, with the MockMonitor wrapped to see what the engine
 * would receive: child names, parents, dependency edges (network → gateway → ISOs → hypervisors),
 * options handed to children, secrets; validation errors before anything registers; and a lab
 * that does not fit the host failing in the pre-flight before any child registers. The mocks
 * replace the engine and the providers only: the pre-flight really queries a simulated XenServer
 * host (`vh sim`) over SSH.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Lab, LabArgs, LabPreflightError, LabValidationError } from "../../components";
import { XeClient } from "../../provider/xe";
import { closeAll } from "../../provider/ssh";
import { collectRejections, drain, installMockEngine, MockEngine, unwrapSecret, valueOf } from "../helpers/mockEngine";
import { SimHost, startSimHost } from "../helpers/simHost";

const ROOT_PASSWORD = "lab-root-secret-1";
const TOOLBOX_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key-toolbox-secret\n-----END OPENSSH PRIVATE KEY-----\n";

/** What the providers would add to a resource's inputs. */
function outputs(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    if (type.endsWith(":XenNetwork")) return { uuid: "11111111-2222-3333-4444-555555555555", bridge: "xapi9" };
    if (type.endsWith(":ToolboxGateway")) return { gatewayAddress: "192.168.32.1", vifUuid: "66666666-2222-3333-4444-555555555555" };
    if (type.endsWith(":RemasteredIso")) return { isoName: `vh-${name}.iso` };
    if (type.endsWith(":NestedHypervisor")) {
        return { uuid: `uuid-of-${inputs.nameLabel}`, mac: "02:00:00:00:00:01", consoleCommand: `vncviewer ${inputs.nameLabel}`, memoryGiB: inputs.memoryGiB };
    }
    return {};
}

async function waitFor(done: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the program to fail`);
        await new Promise((r) => setTimeout(r, 20));
    }
}

describe("components/lab (mock engine, pre-flight against a simulated host)", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let iso: string;
    let tmp: string;

    const args = (extra: Partial<LabArgs> = {}): LabArgs => ({
        connection: { host: sim.connection.host, port: sim.connection.port, user: sim.connection.user, password: sim.connection.password, hostKey: sim.connection.hostKey },
        sourceIso: iso,
        rootPassword: ROOT_PASSWORD,
        toolbox: { vm: "toolbox", ssh: { host: "198.51.100.7", user: "root", privateKey: TOOLBOX_KEY, hostKey: "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ" } },
        count: 3,
        hypervisorDefaults: { memoryGiB: 4, diskGiB: 60 },
        isoLibrary: { directory: path.join(tmp, "iso-library") },
        ...extra,
    });

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-lab-mock-"));
        iso = path.join(tmp, "source.iso");
        fs.writeFileSync(iso, Buffer.alloc(1024 * 1024));
        sim = await startSimHost();
        const c = sim.connection;
        const xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        const toolbox = await xe.vm.install({ template: "Debian Bookworm 12", nameLabel: "toolbox" });
        await xe.vm.start(toolbox);
    });
    after(async () => {
        await closeAll();
        await sim?.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("wiring", () => {
        let engine: MockEngine;
        let lab: Lab;
        let labUrn: string;

        before(async () => {
            engine = await installMockEngine("vh", "alice", outputs);
            lab = new Lab("lab", args());
            labUrn = await valueOf(lab.urn);
            await valueOf(lab.hypervisors);
            await drain();
        });

        it("names every child by childName and parents it to the lab", () => {
            const names = engine.registrations.filter((r) => r.custom).map((r) => `${r.type.split(":").pop()} ${r.name}`).sort();
            assert.deepEqual(names, [
                "NestedHypervisor lab-vh0", "NestedHypervisor lab-vh1", "NestedHypervisor lab-vh2",
                "RemasteredIso lab-vh0-iso", "RemasteredIso lab-vh1-iso", "RemasteredIso lab-vh2-iso",
                "ToolboxGateway lab-gateway", "XenNetwork lab-home",
            ]);
            for (const r of engine.registrations.filter((x) => x.custom)) assert.equal(r.parent, labUrn, `${r.name} is parented to the lab`);
            assert.equal(engine.byName("lab").type, "virtual-hypervisor:index:Lab");
        });

        it("orders the children by real dependencies: network → gateway → ISOs → hypervisors", async () => {
            const urn = (name: string) => valueOf(name === "lab-home" ? lab.network!.urn : name === "lab-gateway" ? lab.gateway.urn
                : name.endsWith("-iso") ? lab.isos[name.split("-")[1]].urn : lab.nestedHypervisors[name.split("-")[1]].urn);
            const home = await urn("lab-home");
            const gateway = await urn("lab-gateway");
            assert.deepEqual(engine.byName("lab-home").deps, []);
            assert.deepEqual(engine.byName("lab-gateway").propDeps.homeNetwork, [home]);
            for (const vh of ["vh0", "vh1", "vh2"]) {
                const iso = await urn(`lab-${vh}-iso`);
                assert.ok(engine.byName(`lab-${vh}-iso`).deps.includes(gateway), `${vh}'s ISO waits for the gateway`);
                assert.deepEqual(engine.byName(`lab-${vh}`).propDeps.isoName, [iso]);
                assert.deepEqual(engine.byName(`lab-${vh}`).propDeps.networkUuid, [home]);
            }
        });

        it("derives every host-side name and host name from the prefix (the stack name)", () => {
            assert.equal(engine.byName("lab-home").inputs.nameLabel, "alice-home");
            const gw = engine.byName("lab-gateway").inputs;
            assert.equal(gw.lab, "alice");
            assert.equal(gw.gatewayCidr, "192.168.32.1/24");
            assert.deepEqual(gw.hosts, [
                { hostname: "alice-vh0.lab", address: "192.168.32.2" },
                { hostname: "alice-vh1.lab", address: "192.168.32.3" },
                { hostname: "alice-vh2.lab", address: "192.168.32.4" },
            ]);
            assert.deepEqual(engine.of(":NestedHypervisor").map((r) => r.inputs.nameLabel).sort(), ["alice-vh0", "alice-vh1", "alice-vh2"]);
            const vh1 = engine.byName("lab-vh1").inputs;
            assert.deepEqual([vh1.memoryGiB, vh1.vcpus, vh1.diskGiB, vh1.maxParallelInstalls, vh1.isoName], [4, 2, 60, 2, "vh-lab-vh1-iso.iso"]);
        });

        it("gives each hypervisor an answer file with its host name, static address, gateway and DNS, as a secret", () => {
            const { value, secret } = unwrapSecret(engine.byName("lab-vh2-iso").inputs.answerFile);
            assert.equal(secret, true);
            assert.equal(value.hostname, "alice-vh2.lab");
            assert.deepEqual(value.adminInterface, { name: "eth0", proto: "static", ipv4: { address: "192.168.32.4", netmask: "255.255.255.0", gateway: "192.168.32.1" } });
            assert.deepEqual(value.nameServers, ["192.168.32.1"]);
        });

        it("keeps secrets out of plain registrations and asks for secret outputs", () => {
            for (const r of engine.registrations) {
                const plain = JSON.stringify(Object.fromEntries(Object.entries(r.inputs).filter(([, v]) => !unwrapSecret(v).secret)));
                assert.ok(!plain.includes(ROOT_PASSWORD), `${r.name}: no root password in plain inputs`);
                assert.ok(!plain.includes("toolbox-secret"), `${r.name}: no toolbox key in plain inputs`);
                assert.ok(!plain.includes(sim.connection.password), `${r.name}: no host password in plain inputs`);
            }
            assert.deepEqual(engine.byName("lab-home").additionalSecretOutputs, ["connection"]);
            assert.deepEqual(engine.byName("lab-gateway").additionalSecretOutputs, ["connection", "toolbox"]);
            assert.deepEqual(engine.byName("lab-vh0-iso").additionalSecretOutputs, ["connection", "answerFile"]);
            assert.deepEqual(engine.byName("lab-vh0").additionalSecretOutputs, ["connection"]);
        });

        it("reports each hypervisor's address, console and an ssh command through the toolbox, and what the lab costs", async () => {
            const hv = await valueOf(lab.hypervisors);
            assert.deepEqual(hv.map((h) => [h.name, h.nameLabel, h.hostname, h.address, h.uuid, h.consoleCommand, h.sshCommand]), [
                ["vh0", "alice-vh0", "alice-vh0.lab", "192.168.32.2", "uuid-of-alice-vh0", "vncviewer alice-vh0", "ssh -J root@198.51.100.7 root@192.168.32.2"],
                ["vh1", "alice-vh1", "alice-vh1.lab", "192.168.32.3", "uuid-of-alice-vh1", "vncviewer alice-vh1", "ssh -J root@198.51.100.7 root@192.168.32.3"],
                ["vh2", "alice-vh2", "alice-vh2.lab", "192.168.32.4", "uuid-of-alice-vh2", "vncviewer alice-vh2", "ssh -J root@198.51.100.7 root@192.168.32.4"],
            ]);
            const cost = await valueOf(lab.cost);
            assert.deepEqual([cost.hypervisors, cost.memoryGiB, cost.vcpus, cost.diskGiB], [3, 12, 6, 180]);
            assert.ok(cost.pinnedMemoryBytes > 12 * 1024 ** 3, "pinned memory includes Xen's overhead");
            assert.equal(cost.isoBytes, 3 * (1024 * 1024 + 64 * 1024 * 1024));
            const report = (await valueOf(lab.preflight))!;
            assert.equal(report.fits, true);
            assert.deepEqual(report.time, { installs: 3, parallel: 2, rounds: 2, minutes: 60 });
        });
    });

    it("hands protect, retainOnDelete and the ignoreChanges it understands to the children", async () => {
        const engine = await installMockEngine("vh", "alice", outputs);
        const lab = new Lab("opts", args({ count: 1 }), { protect: true, retainOnDelete: true, ignoreChanges: ["rootPassword", "memoryGiB", "connection"] });
        await valueOf(lab.hypervisors);
        await drain();
        for (const r of engine.registrations.filter((x) => x.custom)) {
            assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
        }
        assert.deepEqual(engine.byName("opts-vh0-iso").ignoreChanges, ["answerFile", "connection"]);
        assert.deepEqual(engine.byName("opts-vh0").ignoreChanges, ["memoryGiB", "connection"]);
        assert.deepEqual(engine.byName("opts-home").ignoreChanges, ["connection"]);
    });

    it("uses an existing home network found by the pre-flight, creating none", async () => {
        const c = sim.connection;
        const xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        const home = await xe.network.create({ nameLabel: "seed home" });
        const engine = await installMockEngine("vh", "alice", outputs);
        const lab = new Lab("seed", args({ count: 1, home: { network: "seed home", cidr: "192.168.32.0/24" } }));
        assert.equal(await valueOf(lab.homeNetworkUuid), home);
        await valueOf(lab.hypervisors);
        await drain();
        assert.deepEqual(engine.of(":XenNetwork"), []);
        assert.equal(engine.byName("seed-gateway").inputs.homeNetwork, home);
        assert.equal(engine.byName("seed-vh0").inputs.networkUuid, home);
    });

    it("skips the pre-flight when told to, and needs a host connection from somewhere", async () => {
        const engine = await installMockEngine("vh", "alice", outputs);
        const lab = new Lab("blind", args({ count: 1, preflight: false, connection: { host: "192.0.2.1", password: "x", hostKey: "SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ" } }));
        assert.equal(await valueOf(lab.preflight), undefined);
        await valueOf(lab.hypervisors);
        await drain();
        assert.equal(engine.of(":NestedHypervisor").length, 1, "registered without asking the (unreachable) host");
        pulumi.runtime.setAllConfig({}); // no virtual-hypervisor:host from an earlier spec
        assert.throws(() => new Lab("nohost", args({ connection: undefined, preflight: false, home: { network: "home" } })), (err: unknown) => {
            assert.ok(err instanceof LabValidationError);
            assert.deepEqual(err.problems, [
                "connection: no XenServer host to connect to: set the connection argument, or the stack config virtual-hypervisor:host with virtual-hypervisor:password or :privateKey (secret) and virtual-hypervisor:hostKey",
                'home.network must be a network uuid when preflight is false (the pre-flight resolves name-labels), got "home"',
            ]);
            return true;
        });
        // A host in config is not enough: its fields are checked as the children's check() would.
        pulumi.runtime.setAllConfig({ "virtual-hypervisor:host": "192.0.2.1" });
        try {
            assert.throws(() => new Lab("nocreds", args({ connection: undefined, preflight: false })), (err: unknown) => {
                assert.ok(err instanceof LabValidationError);
                assert.deepEqual(err.problems, ["stack config virtual-hypervisor:*: one of password, privateKey or agent must be set"]);
                return true;
            });
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });

    it("rejects a lab with overlapping, outside and reserved addresses, duplicate names and too little memory and disk, before registering anything", async () => {
        const engine = await installMockEngine("vh", "alice", outputs);
        const err = (() => {
            try {
                new Lab("bad", args({
                    count: 1,
                    hypervisors: [
                        { name: "vh0", address: "192.168.32.10" },
                        { name: "vh0", address: "192.168.32.10" },
                        { name: "far", address: "10.0.0.5", memoryGiB: 2 },
                        { address: "192.168.32.1", diskGiB: 20 },
                        { address: "192.168.32.255" },
                    ],
                    prefix: "Alice_Lab",
                }, ), { ignoreChanges: ["answerFile"] });
            } catch (e) {
                return e as Error;
            }
            return undefined;
        })();
        assert.ok(err instanceof LabValidationError, `expected a LabValidationError, got ${err}`);
        assert.deepEqual(err.problems, [
            'prefix must be 1–32 lower-case letters, digits and inner dashes (it starts every VM name-label and host name of the lab), got "Alice_Lab"',
            "count 1 conflicts with the 5 entries of hypervisors: count may only add hypervisors after the listed ones; raise count to at least 5 or drop it",
            'hypervisors[1].name "vh0" is already the name of hypervisors[0]',
            'hypervisors[1].address "192.168.32.10" is already the address of hypervisors[0] (vh0)',
            'hypervisors[2].address must lie inside home.cidr 192.168.32.0/24, got "10.0.0.5"',
            'hypervisors[3].address must differ from the gateway address 192.168.32.1 (home.gateway: the toolbox), got "192.168.32.1"',
            'hypervisors[4].address must be a host address, not the broadcast address of home.cidr 192.168.32.0/24, got "192.168.32.255"',
            "hypervisors[2].memoryGiB must be a number from 4 to 4096 GiB (a nested XenServer needs at least 4 GiB of pinned memory), got 2",
            "hypervisors[3].diskGiB must be a whole number from 46 to 65536 GiB (the XenServer installer needs at least 46 GB), got 20",
            'ignoreChanges: the Lab does not know "answerFile"; it understands "rootPassword", "sourceIso", "kernelArgs", "memoryGiB", "vcpus", "connection"',
        ]);
        assert.match(err.message, /^invalid arguments for the Lab "bad" \(10 problems\):\n {2}- prefix must be/);
        await drain();
        assert.deepEqual(engine.registrations, [], "nothing was registered, not even the component");
    });

    it("fails in the pre-flight with a need / have / short table when the lab does not fit, before any child registers", async () => {
        const engine = await installMockEngine("vh", "alice", outputs);
        const failures = collectRejections();
        new Lab("big", args({ count: 3, hypervisorDefaults: { memoryGiB: 100, diskGiB: 800 } }));
        await waitFor(() => failures.errors.length > 0);
        await drain();
        failures.stop();
        // Every child and output fails with the pre-flight's error (some wrapped by the SDK).
        const error = failures.errors.find((e) => e instanceof LabPreflightError)!;
        assert.ok(error, `a LabPreflightError, got ${failures.errors.map((e) => e.message).join("; ")}`);
        for (const other of failures.errors) assert.ok(other.message.includes(error.message), other.message);
        assert.match(error.message, /^the Lab "big" does not fit on root@127\.0\.0\.1:\d+; nothing was created:\n/);
        assert.match(error.message, /\n {2} +need +have +short\n/);
        assert.match(error.message, /\n {2}pinned memory \(3 hypervisors, 3 new\) +302\.\d GiB +2\d\d\.\d GiB +\d+\.\d GiB\n/);
        assert.match(error.message, /\n {2}disks on the default SR "Local storage" +2\.34 TiB +\d\.\d\d TiB +\d+\.\d GiB\n/);
        assert.match(error.message, /\n {2}time: 3 installs, 2 at once: 2 rounds ≈ 60 min\n/);
        assert.match(error.message, /\n {2}- pinned memory \(3 hypervisors, 3 new\): \d+\.\d GiB short\n {2}- disks on the default SR "Local storage": \d+\.\d GiB short$/);
        assert.deepEqual(engine.registrations.map((r) => r.name), ["big"], "only the component registered; no child");
    });

    it("names a missing or stopped toolbox and a missing source ISO in the pre-flight", async () => {
        await installMockEngine("vh", "alice", outputs);
        const failures = collectRejections();
        new Lab("nobox", args({ count: 1, sourceIso: path.join(tmp, "missing.iso"), toolbox: { vm: "no such toolbox", ssh: { host: "198.51.100.7" } } }));
        await waitFor(() => failures.errors.length > 0);
        await drain();
        failures.stop();
        assert.match(failures.errors.find((e) => e instanceof LabPreflightError)!.message, /- sourceIso: no file at ".*missing\.iso" on this machine\n {2}- toolbox\.vm: no VM named or with uuid "no such toolbox" on root@127\.0\.0\.1:\d+$/);
    });
});
