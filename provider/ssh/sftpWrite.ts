/**
 * Pipelined SFTP writing from any readable stream: like ssh2's fastPut (many WRITE requests in
 * flight, each at its own offset) but for streams too, hashing the bytes as they pass.
 */
import * as crypto from "node:crypto";
import type { Readable } from "node:stream";
import type { SFTPWrapper } from "ssh2";
import { withTimeout } from "./deadline";

export interface SftpWriteProgress {
    bytes: number;
}

export interface SftpWriteOptions {
    mode: number;
    concurrency: number;
    stallTimeoutMs: number;
    /** Hash the bytes as they pass (the caller may hash the source itself). */
    hash: boolean;
    /** @default none */
    onProgress?: (p: SftpWriteProgress) => void;
}

/** Largest WRITE payload when the server does not announce limits@openssh.com (ssh2's own floor). */
const FALLBACK_MAX_WRITE = 32 * 1024 - 512;
const PROGRESS_EVERY_MS = 250;

/** Writes `stream` to a new file `remotePath`; resolves with the byte count and, if asked, its sha256 (hex). */
export async function sftpWriteAll(
    sftp: SFTPWrapper,
    remotePath: string,
    stream: Readable,
    options: SftpWriteOptions,
): Promise<{ bytes: number; sha256?: string }> {
    // ssh2 learns the server's write limit (OpenSSH: 255 KiB) from limits@openssh.com; writing
    // larger buffers makes it split them into sequential requests, which defeats the pipelining.
    const learned = (sftp as unknown as { _maxWriteLen?: unknown })._maxWriteLen;
    const maxWrite = typeof learned === "number" && learned > 0 ? learned : FALLBACK_MAX_WRITE;
    const handle = await withTimeout(
        new Promise<Buffer>((resolve, reject) => sftp.open(remotePath, "w", { mode: options.mode }, (err, h) => (err ? reject(err) : resolve(h)))),
        options.stallTimeoutMs,
        () => new Error(`timed out after ${options.stallTimeoutMs} ms waiting for the host to open ${remotePath} for writing`),
    );
    const hash = options.hash ? crypto.createHash("sha256") : undefined;
    let position = 0;
    let acknowledged = 0;
    let inflight = 0;
    let failure: Error | undefined;
    let lastAck = Date.now();
    let lastReport = 0;
    let wake: (() => void) | undefined;
    const notify = () => { const w = wake; wake = undefined; w?.(); };
    const report = (force: boolean) => {
        if (!options.onProgress || (!force && Date.now() - lastReport < PROGRESS_EVERY_MS)) return;
        lastReport = Date.now();
        options.onProgress({ bytes: acknowledged });
    };
    const watchdog = setInterval(() => {
        if (inflight > 0 && Date.now() - lastAck > options.stallTimeoutMs) {
            failure ??= new Error(`timed out after ${options.stallTimeoutMs} ms waiting for the host to acknowledge a write (${acknowledged} bytes written)`);
            notify();
        }
    }, Math.min(1000, options.stallTimeoutMs));
    const waitForSlot = async () => {
        while (inflight >= options.concurrency && !failure) await new Promise<void>((r) => { wake = r; });
    };
    const send = (piece: Buffer) => {
        const at = position;
        position += piece.length;
        inflight++;
        sftp.write(handle, piece, 0, piece.length, at, (err) => {
            inflight--;
            if (err) failure ??= err;
            else {
                acknowledged += piece.length;
                lastAck = Date.now();
                report(false);
            }
            notify();
        });
    };
    try {
        for await (const chunk of stream) {
            const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
            hash?.update(buf);
            for (let off = 0; off < buf.length && !failure; off += maxWrite) {
                await waitForSlot();
                if (failure) break;
                send(buf.subarray(off, Math.min(buf.length, off + maxWrite)));
            }
            if (failure) break;
        }
        while (inflight > 0 && !failure) await new Promise<void>((r) => { wake = r; });
        if (failure) throw failure;
        report(true);
        return { bytes: position, sha256: hash?.digest("hex") };
    } finally {
        clearInterval(watchdog);
        if (failure && typeof (stream as Readable).destroy === "function") (stream as Readable).destroy();
        // Bounded: on a dead connection the CLOSE is never answered.
        await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 5000);
            sftp.close(handle, () => { clearTimeout(timer); resolve(); });
        });
    }
}

/**
 * Available bytes from `df -Pk DIR` output: a header line, then one line per filesystem whose 4th
 * field is the available 1024-byte blocks. A long device name can wrap the POSIX format onto two
 * lines, so fields are counted from the end (mount point, capacity, available, …).
 */
export function parseDfAvailableBytes(output: string): number | undefined {
    const lines = output.trim().split("\n");
    if (lines.length < 2 || !/^Filesystem/.test(lines[0])) return undefined;
    const fields = lines.slice(1).join(" ").trim().split(/\s+/);
    const capacityAt = fields.findIndex((f, i) => i >= 3 && /^\d+%$/.test(f));
    if (capacityAt < 0) return undefined;
    const available = Number(fields[capacityAt - 1]);
    return Number.isFinite(available) ? available * 1024 : undefined;
}
