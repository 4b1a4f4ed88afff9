/**
 * The grow layout's shortcut: xorriso grows a sparse skeleton of the source, and the output is the
 * skeleton with the left-out file data taken from the source. Proven against the plain method
 * (feasibility (d): copy the whole source, let xorriso add the session to the copy) on stand-ins
 * built with the real tools: both must give the same bytes. The checks that send a run back to
 * the plain method are provoked for real.
 */
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileRange } from "../../../provider/iso/backgroundHash";
import { growInPlace, growSkeleton, holeRanges, outputRanges, rewrittenFromHoles, wroteIntoHoles } from "../../../provider/iso/grow";
import type { IsoInfo } from "../../../provider/iso/isoImage";
import { Prepared, prepareRemaster, resolveInputs } from "../../../provider/iso/prepare";
import { standinRootfs } from "../../helpers/qemu";
import { buildStandinIso } from "../../helpers/standinIso";
import { ANSWER_FILE } from "./fixtures";

const MiB = 1024 * 1024;

/** The bytes the ranges describe, laid end to end. */
function assemble(ranges: FileRange[]): Buffer {
    return Buffer.concat(ranges.map((r) => {
        const fd = fs.openSync(r.file, "r");
        try {
            const b = Buffer.alloc(r.end - r.start);
            fs.readSync(fd, b, 0, b.length, r.start);
            return b;
        } finally {
            fs.closeSync(fd);
        }
    }));
}

function file(p: string, size: number, lba: number, blocks = Math.ceil(size / 2048)) {
    return { path: p, size, mode: 0o444, extents: [{ lba, blocks }] };
}

describe("provider/iso/grow", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-grow-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Prepares a remaster of `src` in a fresh working directory. */
    async function prepare(src: string): Promise<{ prepared: Prepared; work: string }> {
        const work = fs.mkdtempSync(path.join(dir, "work-"));
        const options = { sourceIso: src, answerFile: ANSWER_FILE };
        return { prepared: await prepareRemaster(resolveInputs(options), work, options), work };
    }

    /** Method (d) as the feasibility report ran it: the whole source copied, then grown in place. */
    async function growFullCopy(prepared: Prepared, name: string): Promise<Buffer> {
        const copy = path.join(dir, name);
        fs.copyFileSync(prepared.inputs.sourceIso, copy);
        await growInPlace(prepared, copy, "test: plain method (d)");
        return fs.readFileSync(copy);
    }

    it("leaves out the data of big files that are not El Torito images, merging neighbours", () => {
        const info: IsoInfo = {
            volumeId: "V", joliet: true,
            elTorito: [{ platform: "BIOS", path: "/boot/isolinux/isolinux.bin" }, { platform: "UEFI", path: "/boot/efiboot.img" }],
            files: [
                file("/Packages/a.rpm", 2 * MiB, 100),
                file("/Packages/b.rpm", 3 * MiB, 100 + 1024), // right after a.rpm: one range
                file("/Packages/small.rpm", MiB - 1, 5000), // under the threshold
                file("/boot/efiboot.img", 3 * MiB, 6000), // boot image: xorriso reads it
                file("/boot/isolinux/isolinux.bin", 2 * MiB, 9000),
                file("/install.img", 4 * MiB, 12000), // runs past the end of a truncated image
                file("/empty", 0, 0, 0),
            ],
        };
        const size = 13000 * 2048;
        assert.deepEqual(holeRanges(info, size), [
            { start: 100 * 2048, end: (100 + 1024 + 1536) * 2048 },
            { start: 12000 * 2048, end: size },
        ]);
        assert.deepEqual(holeRanges(info, size, 4 * MiB), [{ start: 12000 * 2048, end: size }]);
        // Nothing inside the first 32 blocks (system area, volume descriptors) is ever left out.
        assert.deepEqual(holeRanges({ ...info, files: [file("/odd", 2 * MiB, 20)] }, size), [{ start: 64 * 1024, end: (20 + 1024) * 2048 }]);
    });

    for (const trailing of [false, true]) {
        it(`gives the bytes of growing a full copy${trailing ? ", also when the file runs past the volume (isohybrid padding)" : ""}`, async () => {
            let padding: Buffer | undefined;
            let src = buildStandinIso({
                out: path.join(dir, `src-${trailing}.iso`), flavor: "xenserver-8", compression: "gzip", fillerMiB: 6,
                rootfs: [...standinRootfs(), { path: "opt/blob", data: crypto.randomBytes(2 * MiB) }],
            });
            if (trailing) {
                // `isohybrid` pads an image to a cylinder boundary, past the ISO volume; xorriso starts the new session inside that padding.
                const padded = path.join(dir, "padded.iso");
                padding = crypto.randomBytes(MiB + 4096);
                fs.writeFileSync(padded, Buffer.concat([fs.readFileSync(src), padding]));
                src = padded;
            }
            const { prepared, work } = await prepare(src);
            const attempt = await growSkeleton(prepared, work);
            assert.ok(attempt.plan, attempt.fallback);
            const { plan } = attempt;
            const byPath = new Map(prepared.info.files.map((f) => [f.path, f]));
            const left = (p: string) => byPath.get(p)!.extents.map((e) => ({ start: e.lba * 2048, end: (e.lba + e.blocks) * 2048 }));
            assert.deepEqual(plan.holes, [...left("/Packages/zz-filler.rpm"), ...left("/install.img")].sort((a, b) => a.start - b.start),
                "the filler and the replaced install.img (over 2 MiB) are left out; nothing else is");
            const skeleton = fs.statSync(plan.skeleton);
            assert.ok(skeleton.blocks * 512 < skeleton.size - 6 * MiB, "the skeleton really lacks the left-out data");

            const expected = await growFullCopy(prepared, `full-${trailing}.iso`);
            const output = assemble(outputRanges(plan, src));
            assert.equal(output.length, expected.length);
            assert.equal(plan.size, expected.length);
            assert.ok(output.equals(expected), "same bytes as growing a full copy");
            if (padding) {
                const volumeEnd = fs.statSync(src).size - padding.length;
                assert.ok(!expected.subarray(volumeEnd, volumeEnd + padding.length).equals(padding), "the session went into the padding, not after it");
            }
        });
    }

    it("refuses the shortcut when xorriso fails on the skeleton (e.g. a boot image left out)", async () => {
        const src = buildStandinIso({ out: path.join(dir, "guard.iso"), flavor: "xcp-ng-8.3", compression: "bzip2" });
        const { prepared, work } = await prepare(src);
        // Pretend nothing is a boot image: xorriso then finds zeros where isolinux.bin should be and cannot replay the boot records.
        prepared.info.elTorito = [];
        const attempt = await growSkeleton(prepared, work, undefined, 0);
        assert.equal(attempt.plan, undefined);
        assert.match(attempt.fallback!, /^xorriso failed on the skeleton: .*FAILURE/);
        assert.ok(!fs.existsSync(path.join(work, "skeleton.iso")), "the failed skeleton is removed at once");
    });

    it("refuses the shortcut when a file xorriso rewrote had its data left out", () => {
        const before = [file("/boot/isolinux/isolinux.bin", 38912, 40), file("/install.img", 3 * MiB, 100), file("/Packages/a.rpm", 2 * MiB, 2000)];
        const holes = [{ start: 40 * 2048, end: 60 * 2048 }, { start: 100 * 2048, end: 3000 * 2048 }];
        const after = new Map([
            ["/boot/isolinux/isolinux.bin", [{ lba: 9000, blocks: 19 }]], // moved: rewritten from the hole
            ["/install.img", [{ lba: 9100, blocks: 1536 }]], // moved, but replaced by the remaster: its old data is not read
            ["/Packages/a.rpm", [{ lba: 2000, blocks: 1024 }]], // untouched
        ]);
        assert.deepEqual(rewrittenFromHoles(before, after, new Set(["/install.img"]), holes), ["/boot/isolinux/isolinux.bin"]);
        assert.deepEqual(rewrittenFromHoles(before, after, new Set(["/install.img"]), holes.slice(1)), []);
    });

    it("refuses the shortcut when the skeleton's allocation grew by more than the new session, or it ends before the data", () => {
        const base = { sourceSize: 100 * MiB, holes: [{ start: MiB, end: 90 * MiB }], allocatedBefore: 11 * MiB };
        assert.equal(wroteIntoHoles({ ...base, size: 120 * MiB, allocatedAfter: 31 * MiB }), undefined);
        assert.match(wroteIntoHoles({ ...base, size: 120 * MiB, allocatedAfter: 40 * MiB })!, /^xorriso wrote into the skeleton's left-out file data \(41943040 bytes allocated after it ran, at most 32505856 expected\)$/);
        // A file system without holes: the allocation proves nothing, and is not held against it.
        assert.equal(wroteIntoHoles({ ...base, allocatedBefore: 100 * MiB, size: 120 * MiB, allocatedAfter: 120 * MiB }), undefined);
        assert.match(wroteIntoHoles({ ...base, size: 80 * MiB, allocatedAfter: 11 * MiB })!, /ends before the file data it refers to \(up to byte 94371840\)/);
    });
});
