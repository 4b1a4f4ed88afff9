/**
 * SHA-256 of a stream computed on a worker thread. Hashing 700 MB costs about 0.4 s of CPU; on the
 * main thread it would add to the time the image takes to pass through, on a worker it overlaps
 * with xorriso and the disk writes.
 */
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const hash = require("node:crypto").createHash("sha256");
parentPort.on("message", (chunk) => {
    if (chunk === null) parentPort.postMessage(hash.digest("hex"));
    else hash.update(new Uint8Array(chunk));
});
`;

export interface BackgroundHash {
    /** Queues a chunk (copied, so the caller may reuse its buffer). */
    update(chunk: Buffer): void;
    /** The hex digest of everything queued; ends the worker. */
    digest(): Promise<string>;
    /** Ends the worker without a digest (on failure). */
    abort(): void;
}

export function backgroundSha256(): BackgroundHash {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref(); // never keeps the process alive on its own
    let failure: Error | undefined;
    worker.on("error", (err) => { failure = err; });
    return {
        update(chunk) {
            // One copy into a fresh ArrayBuffer that is then moved, not cloned, to the worker.
            const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) as ArrayBuffer;
            worker.postMessage(copy, [copy]);
        },
        digest() {
            return new Promise<string>((resolve, reject) => {
                if (failure) { reject(failure); return; }
                worker.once("message", (hex: string) => { void worker.terminate(); resolve(hex); });
                worker.once("error", reject);
                worker.postMessage(null);
            });
        },
        abort() { void worker.terminate(); },
    };
}

const FOLLOWER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const hash = require("node:crypto").createHash("sha256");
const finalSize = new BigInt64Array(workerData.control, 0, 1);
const sleeper = new Int32Array(workerData.control, 8, 1);
const fd = fs.openSync(workerData.file, "r");
const buf = Buffer.alloc(8 * 1024 * 1024);
let pos = 0;
for (;;) {
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n > 0) { hash.update(buf.subarray(0, n)); pos += n; continue; }
    const end = Atomics.load(finalSize, 0);
    if (end >= 0n && BigInt(pos) >= end) break;
    Atomics.wait(sleeper, 0, 0, 20);
}
fs.closeSync(fd);
parentPort.postMessage({ digest: hash.digest("hex"), size: pos });
`;

export interface FileFollower {
    /** Says the writer is done and the file has `size` bytes; resolves with the file's hex digest. */
    finish(size: number): Promise<string>;
    abort(): void;
}

/**
 * SHA-256 of a file that another process is writing sequentially, hashed on a worker thread as it
 * grows (from the page cache), so the digest is ready right after the last write. Only for a
 * writer that never seeks back (xorriso writing an image to stdout does not).
 */
export function followFileSha256(file: string): FileFollower {
    const control = new SharedArrayBuffer(16);
    const finalSize = new BigInt64Array(control, 0, 1);
    Atomics.store(finalSize, 0, -1n);
    const worker = new Worker(FOLLOWER_SOURCE, { eval: true, workerData: { file, control } });
    worker.unref();
    const result = new Promise<{ digest: string; size: number }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
    });
    result.catch(() => undefined); // observed in finish()
    return {
        async finish(size) {
            Atomics.store(finalSize, 0, BigInt(size));
            Atomics.notify(new Int32Array(control, 8, 1), 0);
            const { digest, size: hashed } = await result;
            void worker.terminate();
            if (hashed !== size) throw new Error(`hashed ${hashed} bytes of ${file} but it has ${size}`);
            return digest;
        },
        abort() { void worker.terminate(); },
    };
}

/** Bytes [start, end) of a file. */
export interface FileRange {
    file: string;
    start: number;
    end: number;
}

const RANGES_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
parentPort.once("message", (ranges) => {
    const hash = require("node:crypto").createHash("sha256");
    // 1 MiB: read into a buffer that stays in the CPU cache for the hash (8 MiB is ~10% slower).
    const buf = Buffer.allocUnsafe(1024 * 1024);
    const fds = new Map();
    try {
        for (const r of ranges) {
            if (!fds.has(r.file)) fds.set(r.file, fs.openSync(r.file, "r"));
            for (let pos = r.start; pos < r.end;) {
                const n = fs.readSync(fds.get(r.file), buf, 0, Math.min(buf.length, r.end - pos), pos);
                if (n <= 0) throw new Error(r.file + " ends at byte " + pos + ", before " + r.end);
                hash.update(buf.subarray(0, n));
                pos += n;
            }
        }
        parentPort.postMessage({ digest: hash.digest("hex") });
    } catch (err) {
        parentPort.postMessage({ error: err.message });
    } finally {
        for (const fd of fds.values()) fs.closeSync(fd);
    }
});
`;

export interface RangesHasher {
    /** SHA-256 hex of the ranges read in order, as if they were one file; call once. */
    hash(ranges: FileRange[]): Promise<string>;
    abort(): void;
}

/**
 * SHA-256 of byte ranges of files laid end to end, on a worker thread. The worker starts here, so
 * its start-up overlaps whatever the caller does before it knows the ranges.
 */
export function rangesSha256(): RangesHasher {
    const worker = new Worker(RANGES_SOURCE, { eval: true });
    worker.unref();
    const reply = new Promise<{ digest?: string; error?: string }>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
    });
    reply.catch(() => undefined); // observed in hash()
    return {
        async hash(ranges) {
            worker.postMessage(ranges);
            const { digest, error } = await reply;
            void worker.terminate();
            if (error !== undefined) throw new Error(`could not hash ${ranges.length} byte ranges of ${[...new Set(ranges.map((r) => r.file))].join(", ")}: ${error}`);
            return digest!;
        },
        abort() { void worker.terminate(); },
    };
}
