/**
 * `vh destroy`: everything of a machine goes (VM, disks, interfaces, drives, its ISO reference;
 * the ISO and the library SR with their last user), also what an interrupted install left; a VM
 * someone else made stays unless --force; a second run has nothing to do.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { machineRefId } from "../../../cli/isoUpload";
import { ownershipTags } from "../../../provider/resources/common/tags";
import { closeAll } from "../../../provider/ssh";
import { XeClient } from "../../../provider/xe";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { buildStandinIso } from "../../helpers/standinIso";
import { documentedJson, json, simFlags, vh, vhInProcess } from "../run";

describe("vh destroy", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let xe: XeClient;
    let tmp: string;
    let key: string[];
    let library: string;

    before(async () => {
        sim = await startSimHost({ installSeconds: 1, firstBootSeconds: 1 });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-destroy-"));
        key = simFlags(sim, "password", tmp);
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        library = path.join(sim.stateDir, "home", "virtual-hypervisor", "iso-library");
    });
    after(async () => {
        await closeAll();
        await sim.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("removes an installed machine with its disk, interfaces, drives, ISO reference, ISO and library SR", async () => {
        buildStandinIso({ out: path.join(tmp, "xs.iso") });
        fs.writeFileSync(path.join(tmp, "a"), (await vhInProcess(["answerfile", "dhcp", "-p", "x-pass-1"])).stdout);
        assert.equal((await vhInProcess(["remaster", "xs.iso", "vh.iso", "a"], tmp)).code, 0);
        await xe.network.create({ nameLabel: "home" });
        const installed = json(await vh(["install", "vh.iso", sim.connection.host, "home", "gone.lab", ...key, "--power-state", "running", "--json"], { cwd: tmp }));
        assert.equal(installed.powerState, "running");
        const srs = await xe.uuids("sr", { "other-config": ownershipTags(library, "iso-library") });
        assert.equal(srs.length, 1);

        const r = await vh(["destroy", sim.connection.host, "gone.lab", ...key, "--json"]);
        assert.equal(r.code, 0, r.stderr);
        const report = json(r);
        assert.deepEqual(Object.keys(report), Object.keys(documentedJson("destroy")));
        assert.deepEqual(report.vms, [{ uuid: installed.uuid, nameLabel: "gone.lab" }]);
        assert.ok(report.removed.includes(`power of VM ${installed.uuid} (hard shutdown)`), report.removed.join("\n"));
        assert.ok(report.removed.includes(`disk ${installed.diskVdiUuid}`));
        assert.deepEqual(report.isoReferences, [{
            directory: library, iso: installed.iso.name, done: [`removed ${installed.iso.name}`, `forgot the empty ISO library SR ${srs[0]}`],
        }]);
        assert.deepEqual(report.failed, []);
        for (const cls of ["vm", "vdi", "vbd", "vif", "sr"] as const) {
            assert.deepEqual(await xe.uuids(cls, { "other-config": { "vh-managed-by": "virtual-hypervisor" } }), [], `no ${cls} of ours is left`);
        }
        assert.equal(fs.existsSync(library), false, "the library directory went with its last ISO");

        const again = await vh(["destroy", sim.connection.host, "gone.lab", ...key]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.stdout, `Nothing of gone.lab on root@127.0.0.1:${sim.connection.port}: nothing to destroy\n`);
    });

    it("removes what an interrupted install left: an untagged step-named VM, a stray disk of ours and its ISO marker", async () => {
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "cut.lab - created (Step 1 of 3)" });
        const sr = (await xe.list("pool", {}, ["default-SR"]))[0]["default-SR"];
        const disk = await xe.vdi.create({ srUuid: sr, nameLabel: "cut.lab system disk", virtualSize: 1024 ** 3, otherConfig: ownershipTags("cut.lab", "system-disk") });
        const marker = path.join(library, ".vh-0123456789abcdef.iso.vh", "refs", machineRefId("cut.lab"));
        fs.mkdirSync(path.dirname(marker), { recursive: true });
        fs.writeFileSync(marker, "");
        fs.writeFileSync(path.join(library, "vh-0123456789abcdef.iso"), "iso bytes");
        const r = await vh(["destroy", sim.connection.host, "cut.lab", ...key]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Destroyed cut\\.lab on .*\\n(.*\\n)* {2}VM ${vm}\\n(.*\\n)* {2}disk ${disk}\\n(.*\\n)* {2}ISO vh-0123456789abcdef\\.iso: removed vh-0123456789abcdef\\.iso\\n$`));
        assert.deepEqual(await xe.uuids("vm", { uuid: vm }).catch(() => []), []);
        assert.equal(fs.existsSync(path.join(library, "vh-0123456789abcdef.iso")), false);
    });

    it("leaves a VM of that name it did not make alone (exit 1) unless --force", async () => {
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "seed.lab" });
        const r = await vh(["destroy", sim.connection.host, "seed.lab", ...key]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, `vh destroy: could not remove everything of seed.lab on root@127.0.0.1:${sim.connection.port}\n` +
            `  - VM ${vm} ("seed.lab") was not made by virtual-hypervisor; left alone (--force removes it)\n`);
        assert.equal((await xe.uuids("vm", { uuid: vm })).length, 1);
        const forced = await vh(["destroy", sim.connection.host, "seed.lab", ...key, "--force"]);
        assert.equal(forced.code, 0, forced.stderr);
        assert.deepEqual(await xe.uuids("vm", { "name-label": "seed.lab" }), []);
        const usage = await vhInProcess(["destroy", "h", "n", "--iso-library", "rel"]);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /^vh destroy: --iso-library must be an absolute dom0 path, got "rel"/);
    });
});
