import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyRange } from "../../../provider/iso/copyRange";

describe("provider/iso/copyRange", () => {
    let dir: string, input: string, output: string;
    const data = crypto.randomBytes(9 * 1024 * 1024 + 7); // more than two chunks
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-copyrange-"));
        input = path.join(dir, "in");
        output = path.join(dir, "out");
        fs.writeFileSync(input, data);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const noShortRead = (pos: number) => new Error(`unexpected short read at ${pos}`);
    const withFds = (outFlags: string, f: (inFd: number, outFd: number) => void) => {
        const inFd = fs.openSync(input, "r"), outFd = fs.openSync(output, outFlags);
        try {
            f(inFd, outFd);
        } finally {
            fs.closeSync(inFd);
            fs.closeSync(outFd);
        }
    };

    it("copies a range to the same offsets, leaving the rest of the output alone", () => {
        fs.writeFileSync(output, Buffer.alloc(data.length, 0xaa));
        const [start, end] = [1000, data.length - 3];
        withFds("r+", (i, o) => copyRange(i, o, start, end, noShortRead));
        assert.ok(fs.readFileSync(output).equals(Buffer.concat([Buffer.alloc(start, 0xaa), data.subarray(start, end), Buffer.alloc(3, 0xaa)])));
    });

    it("copies a range to the output's current position with outStart null", () => {
        fs.writeFileSync(output, "prefix");
        withFds("a", (i, o) => copyRange(i, o, 5, 4 * 1024 * 1024 + 9, noShortRead, null));
        assert.ok(fs.readFileSync(output).equals(Buffer.concat([Buffer.from("prefix"), data.subarray(5, 4 * 1024 * 1024 + 9)])));
    });

    it("throws the caller's error, at the byte where the input ended, instead of copying less", () => {
        withFds("w", (i, o) => assert.throws(
            () => copyRange(i, o, 10, data.length + 100, (pos) => new Error(`input ended at byte ${pos}`), null),
            { message: `input ended at byte ${data.length}` },
        ));
    });
});
