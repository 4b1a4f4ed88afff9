/**
 * SFTP upload with the guarantees a resource needs: the free space is checked first (dom0's root
 * filesystem is small), the bytes go to a temp name in the target directory with many writes in
 * flight, the result is verified on the host (size + SHA-256 by openssl, else sha256sum), and only
 * then renamed into place.
 * A failed upload removes its temp file. Large uploads run on a worker thread (uploadThread.ts).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { sh, shellQuote } from "../shell";
import { InsufficientSpaceError, UploadError, UploadIntegrityError } from "./errors";
import type { SshSession } from "./session";
import { parseDfAvailableBytes, sftpWriteAll, SftpWriteProgress } from "./sftpWrite";
import { uploadOnWorker } from "./uploadThread";

export interface UploadProgress {
    /** Bytes acknowledged by the host so far. */
    bytes: number;
    /** Total bytes, when known. */
    total?: number;
    /** Average rate since the start. */
    bytesPerSecond: number;
}

export interface UploadOptions {
    /** Size of a stream source in bytes: enables the free-space check and a progress total. @default - a file's own size; unknown for a stream */
    size?: number;
    /** Expected sha256 (hex) of the content, checked against the host's. @default - computed from the bytes as they are sent */
    sha256?: string;
    /** Progress callback, called at most every 250 ms and once at the end. @default none */
    onProgress?: (progress: UploadProgress) => void;
    /** Mode of the placed file. @default 0o644 */
    mode?: number;
    /** SFTP writes in flight at once. @default 64 */
    concurrency?: number;
    /** Give up when the host acknowledges nothing for this long. @default 60000 */
    stallTimeoutMs?: number;
    /**
     * Where a file's transfer runs. "worker": on a worker thread with its own connection (same
     * arguments, same host key checks), so the transfer's garbage does not meet the caller's heap:
     * with the Pulumi SDK loaded, ssh2's per-packet buffers make every major GC cost ~5× more, and
     * an upload of 700 MB on the caller's thread runs at ~2/3 of scp's speed instead of ~0.9×.
     * "caller": on this thread, over the pooled connection (no extra handshake). A stream is read
     * on the caller's thread anyway, so it is always sent from there.
     * @default "worker" for a file of 16 MiB or more, else "caller"
     */
    thread?: "worker" | "caller";
}

export interface UploadResult {
    remotePath: string;
    size: number;
    sha256: string;
    seconds: number;
}

const DEFAULT_CONCURRENCY = 64;
/** Below this, an extra handshake and thread start-up (~100 ms) cost more than they save. */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;
const DEFAULT_STALL_MS = 60_000;
/** Hashing on dom0 runs at ≥ 100 MB/s; allow 20 MB/s plus a minute before calling it hung. */
const HASH_BYTES_PER_MS = 20_000;

/**
 * Uploads a local file (path) or a stream to `remotePath` (absolute) on the session's host.
 * An existing file at `remotePath` is replaced atomically.
 */
export async function upload(
    session: SshSession,
    source: string | Readable,
    remotePath: string,
    options: UploadOptions = {},
): Promise<UploadResult> {
    const size = options.size ?? (typeof source === "string" ? (await fs.promises.stat(source)).size : undefined);
    if (typeof source === "string" && (options.thread ?? (size! >= WORKER_MIN_BYTES ? "worker" : "caller")) === "worker") {
        return uploadOnWorker(session, source, remotePath, { ...options, size });
    }
    return uploadHere(session, source, remotePath, { ...options, size });
}

/** upload() on this thread, over `session`'s connection. */
export async function uploadHere(
    session: SshSession,
    source: string | Readable,
    remotePath: string,
    options: UploadOptions,
): Promise<UploadResult> {
    const started = Date.now();
    const fail = (detail: string, cause?: unknown) => new UploadError(session.target, remotePath, detail, { cause });
    if (!path.posix.isAbsolute(remotePath) || remotePath.endsWith("/") || remotePath.split("/").includes("..")) {
        throw fail(`the remote path must be an absolute file path without "..", got ${JSON.stringify(remotePath)}`);
    }
    shellQuote(remotePath, "remote path");
    const dir = path.posix.dirname(remotePath);
    const size = options.size;

    // A stream's size is unknown: the write itself reports a full filesystem (below).
    if (size !== undefined) {
        const available = await freeBytes(session, dir, remotePath);
        if (size > available) throw new InsufficientSpaceError(session.target, remotePath, dir, size, available);
    }

    const temp = `${dir}/.${path.posix.basename(remotePath)}.vh-upload-${crypto.randomBytes(4).toString("hex")}`;
    const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
    const onProgress = options.onProgress;
    const progress = onProgress && ((p: SftpWriteProgress) => onProgress({
        bytes: p.bytes,
        total: size,
        bytesPerSecond: p.bytes / Math.max(0.001, (Date.now() - started) / 1000),
    }));
    try {
        // The SFTP channel is held for the writes only: every later step is one exec of its own, so
        // an upload never waits for a second channel while holding one (maxChannels may be 1).
        let sent: { bytes: number; sha256?: string };
        try {
            sent = await session.withSftp(Date.now() + stallTimeoutMs, `upload to ${remotePath}`, (sftp) => {
                const stream = typeof source === "string" ? fs.createReadStream(source, { highWaterMark: 1 << 20 }) : source;
                // The bytes are hashed as they are sent: a second read of a file on another thread
                // measured slower (2 cores: it competes with ssh2, sshd and the disk for the same CPUs).
                return sftpWriteAll(sftp, temp, stream, {
                    mode: options.mode ?? 0o644,
                    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
                    stallTimeoutMs,
                    hash: !options.sha256,
                    onProgress: progress,
                });
            });
        } catch (err) {
            // SFTP reports ENOSPC as a bare "Failure"; look at the filesystem to say what it was.
            const left = await freeBytes(session, dir, remotePath).catch(() => undefined);
            if (left !== undefined && left < 1024 * 1024) {
                throw new InsufficientSpaceError(session.target, remotePath, dir, size, left, { cause: err });
            }
            throw fail(`writing ${temp} failed: ${(err as Error).message}`, err);
        }
        const expected = { size: size ?? sent.bytes, sha256: options.sha256?.toLowerCase() ?? sent.sha256 ?? "" };
        const actual = await verifyAndPlace(session, temp, remotePath, expected);
        return { remotePath, size: actual.size, sha256: actual.sha256, seconds: (Date.now() - started) / 1000 };
    } catch (err) {
        const cleanup = await session.run(sh`rm -f -- ${temp}`, { idempotent: true, timeoutMs: 30_000 }).catch((e: Error) => e);
        if (cleanup instanceof Error || cleanup.exitCode !== 0) {
            const why = cleanup instanceof Error ? cleanup.message : cleanup.stderr.trim();
            if (err instanceof Error) err.message += `\n(the temporary file ${temp} could not be removed: ${why})`;
        }
        if (err instanceof UploadError) throw err;
        throw fail((err as Error).message, err);
    }
}

/** Free bytes in `dir` per `df -Pk` (POSIX format, one line per filesystem, sizes in KiB). */
async function freeBytes(session: SshSession, dir: string, remotePath: string): Promise<number> {
    const result = await session.run(sh`df -Pk -- ${dir}`, { idempotent: true, timeoutMs: 30_000 });
    const available = result.exitCode === 0 ? parseDfAvailableBytes(result.stdout) : undefined;
    if (available === undefined) {
        throw new UploadError(session.target, remotePath,
            `cannot check free space of the target directory ${dir} (does it exist?): ${(result.stderr || result.stdout).trim()}`);
    }
    return available;
}

/**
 * One exec on the host: size and SHA-256 of `temp` (openssl when present: its SHA-256 uses the
 * CPU's SHA extensions, 3-4× faster than coreutils' sha256sum), and, only when both match, `mv`
 * into place, which in the same directory is an atomic rename(2). Exit 3: they did not match.
 */
async function verifyAndPlace(
    session: SshSession, temp: string, target: string, expected: { size: number; sha256: string },
): Promise<{ size: number; sha256: string }> {
    const command = sh`f=${temp}
size=$(($(wc -c < "$f"))) || exit 2
sum=$( { if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r; else sha256sum; fi; } < "$f") || exit 2
sum=\${sum%% *}
echo "$size $sum"
[ "$size" = ${String(expected.size)} ] && [ "$sum" = ${expected.sha256 || "-"} ] || exit 3
mv -f -- "$f" ${target}`;
    const result = await session.run(command, { timeoutMs: 60_000 + expected.size / HASH_BYTES_PER_MS });
    const m = /^(\d+) ([0-9a-f]{64})$/m.exec(result.stdout);
    if (result.exitCode === 3 && m) {
        throw new UploadIntegrityError(session.target, target, expected, { size: Number(m[1]), sha256: m[2] });
    }
    if (result.exitCode !== 0 || !m) {
        throw new Error(`could not verify and place ${temp} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 500)}`);
    }
    return { size: Number(m[1]), sha256: m[2] };
}
