import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hasJoliet, inspectIso, parseInspectOutput } from "../../../provider/iso/isoImage";
import { remasterIso } from "../../../provider/iso/index";
import { buildStandinIso } from "../../helpers/standinIso";
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
    });

    it("parses quoted names, including an embedded quote, and dates with a year", () => {
        const parsed = parseInspectOutput([
            "Volume Id    : MY VOL",
            "-r--r--r--    1 0        0             202 Nov 26 10:49 '/install.img'",
            "-r-xr-xr-x    1 0        0            4096 Jan  3  2019 '/odd name'\"'\"'s.cfg'",
            "El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4          43",
            "El Torito img path :   1  /boot/isolinux/isolinux.bin",
        ].join("\n"));
        assert.equal(parsed.volumeId, "MY VOL");
        assert.deepEqual(parsed.files, [{ path: "/install.img", size: 202, mode: 0o444 }, { path: "/odd name's.cfg", size: 4096, mode: 0o555 }]);
        assert.deepEqual(parsed.elTorito, [{ platform: "BIOS", path: "/boot/isolinux/isolinux.bin" }]);
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
