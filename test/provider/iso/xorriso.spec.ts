import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatCommand, runXorriso, spawnXorriso, xorrisoProblemLines } from "../../../provider/iso/xorriso";
import { XorrisoError } from "../../../provider/iso/errors";
import { buildStandinIso } from "../../helpers/standinIso";

describe("provider/iso/xorriso", () => {
    it("runs xorriso with an argv array and returns its output", async () => {
        const { stdout, stderr } = await runXorriso(["-version"], { what: "report its version" });
        assert.match(stdout + stderr, /xorriso 1\.\d+\.\d+/);
    });

    it("turns a failure into a XorrisoError naming what failed, the command, the exit code and xorriso's complaint", async () => {
        await assert.rejects(runXorriso(["-indev", "/nonexistent/in put.iso", "-pvd_info"], { what: "read the ISO /nonexistent/in put.iso" }), (err: unknown) => {
            assert.ok(err instanceof XorrisoError);
            assert.deepEqual(err.command, ["xorriso", "-indev", "/nonexistent/in put.iso", "-pvd_info"]);
            assert.match(err.message, /^xorriso failed to read the ISO \/nonexistent\/in put\.iso: xorriso -indev '\/nonexistent\/in put\.iso' -pvd_info \(exit code \d+\)\n.*(FAILURE|SORRY)/s);
            assert.ok(err.exitCode && err.exitCode > 0);
            assert.match(err.stderr, /nonexistent/);
            return true;
        });
    });

    it("reports a streamed run's failure on `done`", async function () {
        this.timeout(30_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-xorriso-"));
        try {
            const iso = buildStandinIso({ out: path.join(dir, "in.iso") });
            const run = await spawnXorriso(["-indev", iso, "-outdev", "stdio:/dev/fd/1", "-map", "/nonexistent/file", "/x"], { what: "write an image" });
            run.stdout.resume();
            await assert.rejects(run.done, (err: unknown) => err instanceof XorrisoError && /Cannot determine attributes of source file '\/nonexistent\/file'/.test(err.message));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("says when xorriso is not installed", async () => {
        const path0 = process.env.PATH;
        process.env.PATH = "/nonexistent";
        try {
            await assert.rejects(runXorriso(["-version"], { what: "report its version" }),
                (err: unknown) => err instanceof XorrisoError && /^xorriso failed to report its version: xorriso -version \(xorriso is not installed \(Debian package: xorriso\)\)$/.test(err.message));
        } finally {
            process.env.PATH = path0;
        }
    });

    it("quotes only the arguments a reader could not split", () => {
        assert.equal(formatCommand(["xorriso", "-map", "/tmp/a b", "/x.cfg", "it's"]), "xorriso -map '/tmp/a b' /x.cfg 'it'\\''s'");
    });

    it("picks xorriso's problem events out of its stderr, else its last lines", () => {
        const stderr = "xorriso : NOTE : Loading\nlibisofs: FAILURE : Read error\nxorriso : UPDATE : 1 files\nxorriso : aborting : -abort_on 'FAILURE' encountered 'FAILURE'\n";
        assert.deepEqual(xorrisoProblemLines(stderr), ["libisofs: FAILURE : Read error"]);
        assert.deepEqual(xorrisoProblemLines("a\nb\n"), ["a", "b"]);
    });
});
