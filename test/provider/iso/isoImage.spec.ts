import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendIsoFile, blockAddressingProblem, hasJoliet, inspectIso, isPlainlyStored, parseInspectOutput } from "../../../provider/iso/isoImage";
import { remasterIso } from "../../../provider/iso/index";
import { buildStandinIso, readIsoFile } from "../../helpers/standinIso";
import { ANSWER_FILE, volumeDescriptors } from "./fixtures";

describe("provider/iso/isoImage", function () {
    this.timeout(30_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-isoimage-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists files with modes and sizes, the El Torito images and the volume id of a stand-in", async () => {
        const iso = buildStandinIso({ out: path.join(dir, "a.iso"), flavor: "xenserver-8", volumeId: "XS 8 stand-in" });
        const info = await inspectIso(iso);
        assert.equal(info.volumeId, "XS 8 stand-in");
        assert.equal(info.joliet, true);
        assert.deepEqual(info.elTorito, [{ platform: "BIOS", path: "/boot/isolinux/isolinux.bin" }, { platform: "UEFI", path: "/boot/efiboot.img" }]);
        const byPath = new Map(info.files.map((f) => [f.path, f]));
        for (const p of ["/install.img", "/boot/isolinux/isolinux.cfg", "/EFI/xenserver/grub.cfg", "/EFI/xenserver/grub-usb.cfg", "/boot/efiboot.img", "/.treeinfo"]) {
            assert.ok(byPath.has(p), p);
        }
        assert.equal(byPath.get("/boot/efiboot.img")?.size, 2880 * 1024);
        assert.equal(byPath.get("/boot/isolinux/isolinux.cfg")?.mode, 0o444);
        // Extents: one per file, as many blocks as the size needs, inside the image, never overlapping.
        const size = fs.statSync(iso).size;
        const taken: Array<[number, number]> = [];
        for (const f of info.files) {
            if (f.size === 0) { assert.deepEqual(f.extents, [], f.path); continue; }
            assert.equal(f.extents.length, 1, f.path);
            const [{ lba, blocks }] = f.extents;
            assert.equal(blocks, Math.ceil(f.size / 2048), f.path);
            assert.ok(lba >= 32 && (lba + blocks) * 2048 <= size, `${f.path} at ${lba}+${blocks}`);
            taken.push([lba, lba + blocks]);
        }
        taken.sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < taken.length; i++) assert.ok(taken[i][0] >= taken[i - 1][1], "file extents do not overlap");
        // The data really is there: the extent of isolinux.cfg holds its bytes.
        const cfg = byPath.get("/boot/isolinux/isolinux.cfg")!;
        const fd = fs.openSync(iso, "r");
        const data = Buffer.alloc(cfg.size);
        fs.readSync(fd, data, 0, cfg.size, cfg.extents[0].lba * 2048);
        fs.closeSync(fd);
        assert.ok(data.equals(readIsoFile(iso, "/boot/isolinux/isolinux.cfg")));
    });

    it("parses quoted names, including an embedded quote, dates with a year, and multi-extent files", () => {
        const parsed = parseInspectOutput([
            "Volume Id    : MY VOL",
            "-r--r--r--    1 0        0             202 Nov 26 10:49 '/install.img'",
            "-r-xr-xr-x    1 0        0            4096 Jan  3  2019 '/odd name'\"'\"'s.cfg'",
            "El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4          43",
            "El Torito img path :   1  /boot/isolinux/isolinux.bin",
            "Report layout: xt , Startlba ,   Blocks , Filesize , ISO image path",
            "File data lba:  0 ,       41 ,        1 ,      202 , '/install.img'",
            "File data lba:  0 ,     1683 ,        1 ,     2048 , '/odd name'\"'\"'s.cfg'",
            "File data lba:  1 ,  2098835 ,        1 ,     2048 , '/odd name'\"'\"'s.cfg'",
        ].join("\n"));
        assert.equal(parsed.volumeId, "MY VOL");
        assert.deepEqual(parsed.files, [
            { path: "/install.img", size: 202, mode: 0o444, extents: [{ lba: 41, blocks: 1 }] },
            { path: "/odd name's.cfg", size: 4096, mode: 0o555, extents: [{ lba: 1683, blocks: 1 }, { lba: 2098835, blocks: 1 }] },
        ]);
        assert.deepEqual(parsed.elTorito, [{ platform: "BIOS", path: "/boot/isolinux/isolinux.bin" }]);
    });

    it("tells whether the tree's block addresses count from the start of the file", () => {
        const src = buildStandinIso({ out: path.join(dir, "addressing.iso"), flavor: "xenserver-8" });
        assert.equal(blockAddressingProblem(src), undefined);
        const image = fs.readFileSync(src);
        // The volume descriptors stay at sector 16, but everything after them moves one block on.
        const shifted = path.join(dir, "shifted.iso");
        fs.writeFileSync(shifted, Buffer.concat([image.subarray(0, 20 * 2048), Buffer.alloc(2048), image.subarray(20 * 2048)]));
        assert.match(blockAddressingProblem(shifted)!, /^the root directory of .*shifted\.iso is not at byte \d+ \(block \d+ from the start of the file\)$/);
        const noVolume = path.join(dir, "no-volume.iso");
        fs.writeFileSync(noVolume, image.subarray(16 * 2048));
        assert.match(blockAddressingProblem(noVolume)!, /no primary volume descriptor at sector 16$/);
    });

    it("copies a plainly stored file straight from its blocks, and a zisofs-compressed one through osirrox: the file's bytes either way", async () => {
        const iso = buildStandinIso({ out: path.join(dir, "append.iso"), flavor: "xcp-ng-8.3", compression: "gzip" });
        const info = await inspectIso(iso);
        const installImg = info.files.find((f) => f.path === "/install.img")!;
        assert.equal(isPlainlyStored(iso, installImg), true);
        const direct = path.join(dir, "direct.img"), viaOsirrox = path.join(dir, "osirrox.img");
        fs.writeFileSync(direct, "prefix");
        fs.writeFileSync(viaOsirrox, "prefix");
        await appendIsoFile(iso, "/install.img", direct, undefined, installImg);
        await appendIsoFile(iso, "/install.img", viaOsirrox);
        assert.ok(fs.readFileSync(direct).equals(Buffer.concat([Buffer.from("prefix"), readIsoFile(iso, "/install.img")])));
        assert.ok(fs.readFileSync(direct).equals(fs.readFileSync(viaOsirrox)));

        // zisofs: the blocks hold compressed data (fewer blocks than the size needs); osirrox inflates it.
        const tree = fs.mkdtempSync(path.join(dir, "zisofs-"));
        fs.writeFileSync(path.join(tree, "zeros.bin"), Buffer.alloc(300_000));
        fs.writeFileSync(path.join(tree, "magic.bin"), Buffer.concat([Buffer.from([0x37, 0xe4, 0x53, 0x96, 0xc9, 0xdb, 0xd6, 0x07]), Buffer.alloc(100)]));
        const zisofs = path.join(dir, "zisofs.iso");
        execFileSync("xorriso", ["-outdev", zisofs, "-map", tree, "/", "-set_filter", "--zisofs", "/zeros.bin", "--", "-commit"], { stdio: "ignore" });
        const files = new Map((await inspectIso(zisofs)).files.map((f) => [f.path, f]));
        assert.equal(isPlainlyStored(zisofs, files.get("/zeros.bin")!), false);
        assert.equal(isPlainlyStored(zisofs, files.get("/magic.bin")!), false, "data that starts like zisofs is left to osirrox");
        const inflated = path.join(dir, "zeros.bin");
        await appendIsoFile(zisofs, "/zeros.bin", inflated, undefined, files.get("/zeros.bin"));
        assert.ok(fs.readFileSync(inflated).equals(Buffer.alloc(300_000)));
    });

    it("detects a missing Joliet tree, and a remaster does not add one the source lacked", async () => {
        const iso = buildStandinIso({ out: path.join(dir, "nojoliet.iso"), joliet: false });
        assert.equal(hasJoliet(iso), false);
        const out = path.join(dir, "nojoliet-out.iso");
        await remasterIso({ sourceIso: iso, output: out, answerFile: ANSWER_FILE, cacheDir: dir });
        assert.deepEqual(volumeDescriptors(out), volumeDescriptors(iso));
        assert.ok(!volumeDescriptors(out).some((d) => d.startsWith("2 ")));
    });
});
