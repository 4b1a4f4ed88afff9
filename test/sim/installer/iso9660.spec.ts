import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IsoFormatError, IsoImage, resolveIsoPath } from "../../../sim/installer/iso9660";
import { bootConfigs } from "../../helpers/bootConfigs";
import { buildStandinIso } from "../../helpers/standinIso";

describe("sim/installer/iso9660", function () {
    this.timeout(30_000);
    let dir: string;
    let standin: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-iso9660-"));
        standin = buildStandinIso({ out: path.join(dir, "standin.iso") });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists the same tree as xorriso, with Rock Ridge names", () => {
        const iso = IsoImage.open(standin);
        try {
            const listed = execFileSync("xorriso", ["-indev", standin, "-find", "/"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
                .split("\n").filter(Boolean).map((l) => l.replace(/^'(.*)'$/, "$1"));
            assert.deepStrictEqual(iso.paths().sort(), listed.sort());
            assert.ok(iso.rockRidge);
            assert.strictEqual(iso.volumeId, "XenServer-8.4.0");
            assert.strictEqual(iso.readFile("/boot/isolinux/isolinux.cfg").toString(), bootConfigs("xenserver-8").isolinux);
        } finally {
            iso.close();
        }
    });

    it("reads the El Torito catalog: a BIOS and a UEFI boot image at the blocks xorriso reports", () => {
        const report = execFileSync("xorriso", ["-indev", standin, "-report_el_torito", "plain"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        const lbas = [...report.matchAll(/^El Torito boot img :\s+\d+\s+(BIOS|UEFI)\s+y\s+\S+\s+\S+\s+\S+\s+(\d+)\s+(\d+)$/gm)].map((m) => ({ platform: m[1].toLowerCase(), sectors: Number(m[2]), lba: Number(m[3]) }));
        const iso = IsoImage.open(standin);
        try {
            const images = iso.bootImages();
            assert.deepStrictEqual(images.map((b) => ({ platform: b.platform, sectors: b.sectorCount, lba: b.lba })), lbas);
            assert.ok(images.every((b) => b.bootable));
            assert.strictEqual(iso.findByLba(images[0].lba)?.path, "/boot/isolinux/isolinux.bin");
            assert.strictEqual(iso.findByLba(images[1].lba)?.path, "/boot/efiboot.img");
        } finally {
            iso.close();
        }
    });

    it("finds plain ISO 9660 names case-insensitively and follows Rock Ridge continuation areas for long names", () => {
        const tree = path.join(dir, "tree");
        const longName = `${"a-very-long-rock-ridge-name-".repeat(7)}end.txt`;
        fs.mkdirSync(path.join(tree, "boot", "isolinux"), { recursive: true });
        fs.writeFileSync(path.join(tree, "boot", "isolinux", "isolinux.cfg"), "DEFAULT x\n");
        fs.writeFileSync(path.join(tree, longName), "long\n");
        const plain = path.join(dir, "plain.iso");
        execFileSync("xorriso", ["-outdev", plain, "-rockridge", "off", "-joliet", "off", "-map", tree, "/"], { stdio: "ignore" });
        const rr = path.join(dir, "rr.iso");
        execFileSync("xorriso", ["-as", "mkisofs", "-quiet", "-r", "-o", rr, tree], { stdio: "ignore" });
        const p = IsoImage.open(plain);
        try {
            assert.strictEqual(p.rockRidge, false);
            assert.ok(p.paths().includes("/BOOT/ISOLINUX/ISOLINUX.CFG"));
            assert.strictEqual(p.readFile("/boot/isolinux/isolinux.cfg").toString(), "DEFAULT x\n");
            assert.deepStrictEqual(p.bootImages(), []);
        } finally {
            p.close();
        }
        const r = IsoImage.open(rr);
        try {
            assert.strictEqual(r.readFile(`/${longName}`).toString(), "long\n");
        } finally {
            r.close();
        }
    });

    it("refuses a file that is not ISO 9660, naming it", () => {
        const junk = path.join(dir, "junk.bin");
        fs.writeFileSync(junk, Buffer.alloc(40_000));
        assert.throws(() => IsoImage.open(junk), (err: Error) => err instanceof IsoFormatError && err.message.includes(junk));
    });

    it("resolves bootloader paths against a directory", () => {
        assert.strictEqual(resolveIsoPath("/boot/isolinux", "mboot.c32"), "/boot/isolinux/mboot.c32");
        assert.strictEqual(resolveIsoPath("/boot/isolinux", "/install.img"), "/install.img");
        assert.strictEqual(resolveIsoPath("/boot/isolinux", "../xen.gz"), "/boot/xen.gz");
    });
});
