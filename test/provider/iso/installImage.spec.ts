import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { buildOverlay, emptyNewc, readInitramfs, S_IFREG, writeNewc } from "../../../provider/iso/initramfs";
import { overlayArchive, writeInstallImg } from "../../../provider/iso/installImage";
import { buildStandinIso, installImg } from "../../helpers/standinIso";

const BASE_FILES = [{ path: "init", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 }, { path: "etc/issue", data: Buffer.from("stand-in\n") }];
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
const MARKER = { format: 1, answerFilePath: "/answerfile.xml", kernelArgs: ["answerfile=file:///answerfile.xml", "install", "atexit=poweroff"] };

describe("provider/iso/installImage", function () {
    this.timeout(30_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-installimg-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const overlay = (text: string) => overlayArchive([{ path: "/answerfile.xml", data: Buffer.from(text), mode: 0o600 }], MARKER, 0);
    const isoWith = (name: string, image: Buffer) => buildStandinIso({ out: path.join(dir, `${name}.iso`), installImg: image });

    it("writes empty newc ‖ original ‖ overlay, whatever the original's compression", async () => {
        for (const compression of ["gzip", "bzip2", "zstd", "xz"] as const) {
            const base = installImg(BASE_FILES, compression);
            const out = path.join(dir, `${compression}.img`);
            const result = await writeInstallImg(isoWith(compression, base), "/install.img", overlay("<a/>"), out);
            const image = fs.readFileSync(out);
            assert.ok(image.equals(Buffer.concat([emptyNewc(), base, overlay("<a/>")])), compression);
            assert.deepEqual([result.baseCompression, result.baseSize, result.previous, result.size], [compression, base.length, undefined, image.length]);
        }
    });

    it("strips a previous remaster's prefix and overlay (found by its marker) and reports what it recorded", async () => {
        const base = installImg(BASE_FILES, "gzip");
        const remastered = Buffer.concat([emptyNewc(), base, overlay("<old/>")]);
        const out = path.join(dir, "again.img");
        const result = await writeInstallImg(isoWith("again", remastered), "/install.img", overlay("<new/>"), out);
        assert.ok(fs.readFileSync(out).equals(Buffer.concat([emptyNewc(), base, overlay("<new/>")])));
        assert.deepEqual(result.previous, MARKER);
        assert.equal(result.baseSize, base.length);
        assert.equal(result.baseMagic, "1f8b");
        assert.equal(readInitramfs(fs.readFileSync(out)).files["answerfile.xml"].data.toString(), "<new/>");
    });

    it("keeps someone else's appended archives as part of the original", async () => {
        // A gzip base with a foreign gzip'd overlay appended (the plain-append form): no marker, so it is all original.
        const foreign = Buffer.concat([installImg(BASE_FILES, "gzip"), buildOverlay([{ path: "preset.xml", data: Buffer.from("<x/>") }], 0)]);
        const out = path.join(dir, "foreign.img");
        const result = await writeInstallImg(isoWith("foreign", foreign), "/install.img", overlay("<a/>"), out);
        assert.ok(fs.readFileSync(out).equals(Buffer.concat([emptyNewc(), foreign, overlay("<a/>")])));
        assert.deepEqual([result.previous, result.baseSize], [undefined, foreign.length]);
        assert.ok(readInitramfs(fs.readFileSync(out)).files["preset.xml"]);
    });

    it("is not fooled by gzip magic bytes inside the original", async () => {
        // An uncompressed original, so the magic (and the whole gzip member after it) lies raw in the
        // image for the tail scan to find; a compressor would hide it.
        const blob = Buffer.concat([GZIP_MAGIC, zlib.gzipSync("x")]);
        const tricky = writeNewc([{ name: "blob", mode: S_IFREG | 0o644, uid: 0, gid: 0, mtime: 0, data: blob }]);
        assert.ok(tricky.indexOf(GZIP_MAGIC, 1) > 0, "the original holds the gzip magic");
        const out = path.join(dir, "tricky.img");
        const result = await writeInstallImg(isoWith("tricky", tricky), "/install.img", overlay("<a/>"), out);
        assert.deepEqual([result.previous, result.baseSize, result.baseCompression], [undefined, tricky.length, "none"]);
        assert.ok(fs.readFileSync(out).equals(Buffer.concat([emptyNewc(), tricky, overlay("<a/>")])));
    });
});
