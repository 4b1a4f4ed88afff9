/**
 * Copying a byte range between two open files, the one loop behind the skeleton, the grown output,
 * install.img and files read straight from the ISO's blocks.
 */
import * as fs from "node:fs";

const CHUNK = 4 * 1024 * 1024;

/**
 * Copies bytes [start, end) of `inFd` into `outFd`: at the same offsets, or, with `outStart` null,
 * at the output's current position (one write after the other, as after a prefix or in append
 * mode). An input that ends before `end` would leave the output silently short, so it is an error:
 * `shortRead(pos)` makes it, `pos` being where the input ended, so the caller can say which file
 * that is and why it may have happened.
 * @param outStart where the range goes in the output @default start
 */
export function copyRange(inFd: number, outFd: number, start: number, end: number, shortRead: (pos: number) => Error, outStart: number | null = start): void {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(0, end - start)));
    for (let pos = start; pos < end;) {
        const n = fs.readSync(inFd, buf, 0, Math.min(buf.length, end - pos), pos);
        if (n <= 0) throw shortRead(pos);
        fs.writeSync(outFd, buf, 0, n, outStart === null ? null : outStart + (pos - start));
        pos += n;
    }
}
