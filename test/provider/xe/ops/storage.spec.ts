/** Requirements: see ../fronts.ts (root + openssh-server for one front; the built simulator). */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sh } from "../../../../provider/shell";
import { describeOnEachFront } from "../fronts";

describeOnEachFront("provider/xe/ops/storage", (ctx) => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-iso-sr-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("makes an ISO SR over an uploaded ISO, inserts it in a VM, and takes it all down", async () => {
        const local = path.join(dir, "local.iso");
        fs.writeFileSync(local, Buffer.alloc(64 * 1024, 7));
        const location = path.join(dir, "sr");
        await ctx.xe.runOrThrow(sh`mkdir -p -- ${location}`, { idempotent: true });
        await ctx.xe.upload(local, `${location}/lab install.iso`);

        const sr = await ctx.xe.sr.createIso({ nameLabel: "vh-isos", location });
        assert.equal(await ctx.xe.paramGet("sr", sr, "type"), "iso");
        const pbds = await ctx.xe.sr.pbdUuids(sr);
        assert.equal(pbds.length, 1);
        await ctx.xe.sr.scan(sr);
        const vdis = await ctx.xe.sr.vdiUuids(sr);
        assert.deepEqual(await Promise.all(vdis.map((v) => ctx.xe.paramGet("vdi", v, "name-label"))), ["lab install.iso"]);

        const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-cd-vm" });
        try {
            await ctx.xe.vm.cdAdd(vm, "lab install.iso", 3);
            const [cd] = await ctx.xe.vm.vbdUuids(vm);
            assert.equal(await ctx.xe.paramGet("vbd", cd, "vdi-uuid"), vdis[0]);
            await ctx.xe.vm.cdEject(vm);
            assert.equal(await ctx.xe.paramGet("vbd", cd, "empty"), "true");
            await ctx.xe.vm.cdInsert(vm, "lab install.iso");
            await ctx.xe.vm.cdRemove(vm, "lab install.iso");
            assert.deepEqual(await ctx.xe.vm.vbdUuids(vm), []);
        } finally {
            await ctx.xe.vm.uninstall(vm);
        }
        for (const pbd of pbds) await ctx.xe.pbd.unplug(pbd);
        await ctx.xe.sr.forget(sr);
        assert.equal(await ctx.xe.record("sr", sr), undefined);
        assert.ok(fs.existsSync(`${location}/lab install.iso`)); // forget keeps the content
    });

    it("creates a VDI and attaches it with a VBD", async () => {
        const sr = (await ctx.xe.findByNameLabel("sr", "Local storage"))[0];
        const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-disk-vm" });
        try {
            const vdi = await ctx.xe.vdi.create({ srUuid: sr, nameLabel: "vh-disk", virtualSize: "1GiB", otherConfig: { "vh:lab": "x" } });
            assert.equal(await ctx.xe.paramGet("vdi", vdi, "virtual-size"), String(1024 ** 3));
            assert.equal(await ctx.xe.paramGet("vdi", vdi, "other-config", "vh:lab"), "x");
            const vbd = await ctx.xe.vbd.create({ vmUuid: vm, vdiUuid: vdi, device: 0, bootable: true });
            assert.equal(await ctx.xe.paramGet("vbd", vbd, "mode"), "RW");
            await ctx.xe.vbd.destroy(vbd);
            await ctx.xe.vdi.destroy(vdi);
            assert.equal(await ctx.xe.record("vdi", vdi), undefined);
        } finally {
            await ctx.xe.vm.uninstall(vm);
        }
    });
});
