import * as assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { createProgress, displayName, uploadLine } from "../../cli/progress";

/** "\r ESC[2K": back to the start of the line and clear it. */
const CLEAR = `\r${String.fromCharCode(27)}[2K`;
const CLEAR_RE = `\\r${String.fromCharCode(27)}\\[2K`;

function sink() {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (d: Buffer) => { text += d.toString(); });
    return { stream, text: () => text };
}

const event = (phase: string, message: string, phaseElapsedMs = 0) => ({
    resource: "NestedHypervisor vh0", phase, message, elapsedMs: phaseElapsedMs + 1000, phaseElapsedMs,
});

describe("cli/progress", () => {
    it("names resources the way people say them and renders upload progress with total and rate", () => {
        assert.equal(displayName("NestedHypervisor vh0.lab"), "vh0.lab");
        assert.equal(displayName("RemasteredIso vh-1.iso"), "ISO vh-1.iso");
        assert.equal(uploadLine("a.iso", { bytes: 3 * 1024 * 1024, total: 12 * 1024 * 1024, bytesPerSecond: 1.5 * 1024 * 1024 }),
            "uploading a.iso: 3.00 MiB of 12.0 MiB (25%), 1.50 MiB/s");
    });

    it("writes timestamped plain lines when not on a terminal, and throttles upload lines", () => {
        const out = sink();
        let t = Date.parse("2026-01-02T03:04:05.678Z");
        const p = createProgress(out.stream, { tty: false, now: () => new Date(t), plainUploadEveryMs: 5000 });
        p.event(event("install (Step 2 of 3)", "starting the installer"));
        p.upload("a.iso", { bytes: 1, total: 100, bytesPerSecond: 10 });
        t += 1000;
        p.upload("a.iso", { bytes: 50, total: 100, bytesPerSecond: 10 }); // within 5 s: dropped
        t += 5000;
        p.upload("a.iso", { bytes: 60, total: 100, bytesPerSecond: 10 });
        p.upload("a.iso", { bytes: 100, total: 100, bytesPerSecond: 10 }); // the last one always shows
        p.event(event("install (Step 2 of 3)", "still waiting", 65_000));
        p.note("a note");
        p.close();
        p.note("after close: dropped");
        assert.deepEqual(out.text().split("\n"), [
            "2026-01-02T03:04:05Z vh0: [install (Step 2 of 3)] starting the installer",
            "2026-01-02T03:04:05Z uploading a.iso: 1 B of 100 B (1%), 10 B/s",
            "2026-01-02T03:04:11Z uploading a.iso: 60 B of 100 B (60%), 10 B/s",
            "2026-01-02T03:04:11Z uploading a.iso: 100 B of 100 B (100%), 10 B/s",
            "2026-01-02T03:04:11Z vh0: [install (Step 2 of 3)] still waiting (1m05s in phase)",
            "2026-01-02T03:04:11Z a note",
            "",
        ]);
    });

    it("on a terminal keeps phase lines and redraws one status line in place, then clears it", async () => {
        const out = sink();
        const p = createProgress(out.stream, { tty: true, tickMs: 20 });
        p.event(event("install (Step 2 of 3)", "starting the installer"));
        await new Promise((r) => setTimeout(r, 70));
        p.upload("a.iso", { bytes: 10, total: 100, bytesPerSecond: 5 });
        p.upload("a.iso", { bytes: 100, total: 100, bytesPerSecond: 5 });
        p.close();
        const text = out.text();
        assert.ok(text.startsWith(`${CLEAR}vh0: [install (Step 2 of 3)] starting the installer\n`), JSON.stringify(text));
        assert.match(text, new RegExp(`${CLEAR_RE}vh0: install \\(Step 2 of 3\\), \\d+ms in phase, 1\\.\\d+s total`), "the status line shows phase and elapsed time");
        assert.ok(text.includes(`${CLEAR}uploading a.iso: 10 B of 100 B (10%), 5 B/s`), "upload progress is drawn in place");
        assert.ok(text.includes(`${CLEAR}uploading a.iso: 100 B of 100 B (100%), 5 B/s\n`), "the finished upload stays");
        assert.ok(text.endsWith(CLEAR), "close() clears the status line");
        const before = text.length;
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(out.text().length, before, "nothing is drawn after close()");
    });
});
