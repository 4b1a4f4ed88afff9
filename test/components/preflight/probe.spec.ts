/**
 * The pre-flight's questions to a simulated XenServer host over SSH: free memory, the default SR,
 * the ISO library's filesystem (also before the directory exists), the hypervisors a lab already
 * has (by ownership tag), the toolbox VM and an existing home network by name or uuid. Read-only.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gatherFacts, localIso, probeHost } from "../../../components/preflight/probe";
import { closeAll } from "../../../provider/ssh";
import { XeClient } from "../../../provider/xe";
import { readCalls } from "../../../sim";
import { SimHost, startSimHost } from "../../helpers/simHost";

const GiB = 1024 ** 3;

describe("components/preflight/probe (simulated host over SSH)", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let xe: XeClient;
    let tmp: string;
    let toolbox: string;
    let home: string;

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-probe-"));
        sim = await startSimHost();
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        toolbox = await xe.vm.install({ template: "Debian Bookworm 12", nameLabel: "toolbox" });
        await xe.vm.start(toolbox);
        home = await xe.network.create({ nameLabel: "home" });
        // A hypervisor of an earlier run, tagged as the NestedHypervisor resource tags it, with its disk.
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "alice-vh0" });
        await xe.paramSet("vm", vm, { "other-config": { "vh-managed-by": "virtual-hypervisor", "vh-key": "alice-vh0", "vh-role": "vm" } });
        await xe.call("vm-memory-limits-set", { uuid: vm, "static-min": 6 * GiB, "static-max": 6 * GiB, "dynamic-min": 6 * GiB, "dynamic-max": 6 * GiB });
        const sr = (await xe.pool.defaultSr())!;
        await xe.vdi.create({ srUuid: sr, nameLabel: "alice-vh0 system disk", virtualSize: 50 * GiB, otherConfig: { "vh-managed-by": "virtual-hypervisor", "vh-key": "alice-vh0", "vh-role": "system-disk" } });
    });
    after(async () => {
        await closeAll();
        await sim?.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("reads what the host has and what the lab already holds, without writing", async () => {
        const from = readCalls(sim.stateDir).length;
        const library = path.join(tmp, "not", "yet", "there");
        const facts = await gatherFacts(xe, { toolboxVm: "toolbox", homeNetwork: "home", isoLibraryDirectory: library });
        assert.equal(facts.target, xe.target);
        const memoryFree = Number(await xe.paramGet("host", await xe.host.uuid(), "memory-free"));
        assert.equal(facts.memoryFreeBytes, memoryFree);
        assert.equal(facts.defaultSr?.nameLabel, "Local storage");
        assert.ok(facts.defaultSr!.freeBytes > 1000 * GiB);
        assert.equal(facts.isoLibrary.directory, library, "the directory as asked, measured on its nearest existing parent");
        const df = fs.statfsSync(tmp);
        assert.ok(Math.abs(facts.isoLibrary.freeBytes - df.bavail * df.bsize) < 512 * 1024 * 1024, "df of the parent that exists");
        assert.deepEqual(facts.existing, { "alice-vh0": { powerState: "halted", memoryBytes: 6 * GiB, vcpus: 1, diskBytes: 50 * GiB } });
        assert.deepEqual(facts.toolbox, [{ uuid: toolbox, nameLabel: "toolbox", powerState: "running" }]);
        assert.deepEqual(facts.homeNetworks, [{ uuid: home, nameLabel: "home" }]);
        assert.deepEqual(readCalls(sim.stateDir).slice(from).filter((c) => c.writes), []);
    });

    it("finds the toolbox and the home network by uuid, and measures the default library under $HOME", async () => {
        const c = sim.connection;
        const facts = await probeHost({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey }, { toolboxVm: toolbox, homeNetwork: home });
        assert.deepEqual(facts.toolbox.map((t) => t.uuid), [toolbox]);
        assert.deepEqual(facts.homeNetworks?.map((n) => n.uuid), [home]);
        assert.match(facts.isoLibrary.directory, /^\/.*\/virtual-hypervisor\/iso-library$/);
        assert.equal((await probeHost({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey }, { toolboxVm: "nobody" })).toolbox.length, 0);
    });

    it("sizes the local source ISO, or says it is missing", () => {
        const file = path.join(tmp, "x.iso");
        fs.writeFileSync(file, Buffer.alloc(4096));
        assert.deepEqual(localIso(file), { path: file, sizeBytes: 4096 });
        assert.deepEqual(localIso(path.join(tmp, "none.iso")), { path: path.join(tmp, "none.iso") });
        assert.deepEqual(localIso(tmp), { path: tmp });
    });
});
