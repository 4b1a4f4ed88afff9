/**
 * Writing the grow layout to a file: the kernel copy, the skeleton's bytes on top, the hash from
 * the pieces, the fall-back to growing a full copy, and the output file's mode.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rangesSha256 } from "../../../provider/iso/backgroundHash";
import { copyInKernel, writeGrown } from "../../../provider/iso/growOutput";
import { RemasterError, RemasterProgress, remasterIso } from "../../../provider/iso/index";
import { ready } from "../../../provider/iso/run";
import { buildStandinIso } from "../../helpers/standinIso";
import { ANSWER_FILE, sha256 } from "./fixtures";

describe("provider/iso/growOutput", function () {
    this.timeout(60_000);
    let dir: string, src: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-grow-output-"));
        src = buildStandinIso({ out: path.join(dir, "src.iso"), flavor: "xenserver-8", compression: "gzip", fillerMiB: 4 });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("falls back to growing a full copy when the skeleton cannot be trusted, with the same bytes, and says why", async () => {
        const normal = await remasterIso({ sourceIso: src, output: path.join(dir, "normal.iso"), answerFile: ANSWER_FILE, cacheDir: dir });
        const events: RemasterProgress[] = [];
        const options = { sourceIso: src, answerFile: ANSWER_FILE, cacheDir: dir, onProgress: (e: RemasterProgress) => events.push(e) };
        const r = await ready(options, "grow", "test", ["grow"]);
        try {
            r.prepared.info.elTorito = []; // isolinux.bin becomes a hole: xorriso cannot replay the boot records from the skeleton
            const partial = path.join(dir, "fallback.iso");
            const written = await writeGrown(r, partial, copyInKernel(src, partial), rangesSha256(), options, 0);
            assert.match(events.map((e) => e.message).join("\n"), /Growing a full copy of .*src\.iso instead of a skeleton: xorriso failed on the skeleton: /);
            assert.deepEqual([written.sha256, written.size], [normal.sha256, normal.size]);
            assert.equal(sha256(partial), normal.sha256);
        } finally {
            r.cleanup();
        }
    });

    it("refuses to finish when the source changed while it was read, leaving nothing behind", async () => {
        const changing = path.join(dir, "changing.iso");
        fs.copyFileSync(src, changing);
        const out = path.join(dir, "changed.iso");
        await assert.rejects(remasterIso({
            sourceIso: changing, output: out, answerFile: ANSWER_FILE, cacheDir: dir,
            onProgress: (e) => { if (e.step === "write") fs.utimesSync(changing, new Date(), new Date(Date.now() + 5000)); },
        }), (err: unknown) => {
            assert.ok(err instanceof RemasterError);
            assert.match(err.message, /^the source ISO .*changing\.iso changed while it was remastered \(size, modification time or inode differ\); run the remaster again$/);
            return true;
        });
        assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith("changed.iso")), []);
    });

    it("gives the output a new file's mode, not the source's (which may be read-only)", async () => {
        const readOnly = path.join(dir, "read-only.iso");
        fs.copyFileSync(src, readOnly);
        fs.chmodSync(readOnly, 0o400);
        const out = path.join(dir, "mode.iso");
        const probe = path.join(dir, "probe");
        fs.writeFileSync(probe, "");
        await remasterIso({ sourceIso: readOnly, output: out, answerFile: ANSWER_FILE, cacheDir: dir });
        assert.equal(fs.statSync(out).mode & 0o7777, fs.statSync(probe).mode & 0o7777);
    });

    it("fails with a RemasterError naming the source and the file when the copy cannot be made, leaving nothing behind", async () => {
        const out = path.join(dir, "no-such-dir", "x.iso");
        await assert.rejects(remasterIso({ sourceIso: src, output: out, answerFile: ANSWER_FILE, cacheDir: dir }), (err: unknown) => {
            assert.ok(err instanceof RemasterError);
            assert.match(err.message, /^could not copy the source ISO .*src\.iso to .*no-such-dir\/x\.iso\.partial-\d+: ENOENT/);
            return true;
        });
        assert.ok(!fs.existsSync(path.dirname(out)));
    });
});
