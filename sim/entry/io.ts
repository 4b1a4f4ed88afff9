/**
 * Synchronous process I/O for the simulated host's executables. They write as they go (like the
 * real thin client) and must not lose output when the pipe is non-blocking and full.
 */
import * as fs from "node:fs";
import { sleepSync } from "../model/lock";
import type { Out } from "../xe/printer";

export function writeAll(fd: number, text: string): void {
    const buf = Buffer.from(text, "utf8");
    let off = 0;
    while (off < buf.length) {
        try {
            off += fs.writeSync(fd, buf, off, buf.length - off);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === "EAGAIN") {
                sleepSync(1);
                continue;
            }
            if (code === "EPIPE") return;
            throw err;
        }
    }
}

export const processOut: Out = {
    stdout: (t) => writeAll(1, t),
    stderr: (t) => writeAll(2, t),
};

/** Reads stdin up to a newline; throws `eof()` at end of input (as input_line raises End_of_file). */
export function readLineSync(eof: () => Error): string {
    const bytes: number[] = [];
    const one = Buffer.alloc(1);
    for (;;) {
        let n: number;
        try {
            n = fs.readSync(0, one, 0, 1, null);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "EAGAIN") {
                sleepSync(5);
                continue;
            }
            if ((err as NodeJS.ErrnoException).code === "EOF") n = 0;
            else throw err;
        }
        if (n === 0) {
            if (bytes.length === 0) throw eof();
            break;
        }
        if (one[0] === 0x0a) break;
        bytes.push(one[0]);
    }
    return Buffer.from(bytes).toString("utf8");
}
