/**
 * Remasters a XenServer / XCP-ng installer ISO for an unattended installation (feasibility §7):
 * the answer file and the post-install/first-boot scripts go into install.img in the prefix form,
 * every installer boot entry (isolinux, every EFI/<vendor>/grub*.cfg, and the grub.cfg copies in
 * the El Torito EFI image) gets `answerfile=file://… install atexit=poweroff` plus extras, and
 * xorriso copies everything else while replaying the boot records (BIOS + UEFI El Torito,
 * isohybrid MBR/GPT), keeping the volume id and Joliet. No root, no full extraction: the ISO is
 * read once and written once, at close to disk speed.
 *
 * Output bytes depend only on the inputs (fixed timestamps, deterministic overlay). xorriso writes
 * the image to its stdout in both modes: into the output file directly (the bytes never pass
 * through Node) or into a pipe for streaming; with `-padding included` both give the same bytes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { backgroundSha256, followFileSha256 } from "./backgroundHash";
import { contentHash, remasteredIsoName, sourceIsoSha256 } from "./contentHash";
import { RemasterError } from "./errors";
import { RemasterOptions, RemasterResult } from "./options";
import { Prepared, prepareRemaster, resolveInputs, ResolvedInputs } from "./prepare";
import { runXorriso, spawnXorriso } from "./xorriso";

export interface RemasterStream {
    /** The remastered image. Errors (e.g. xorriso failing midway) are emitted on it, never a short image. */
    stream: Readable;
    /** Settles once the whole image has been read from `stream` and xorriso has exited. */
    result: Promise<RemasterResult>;
}

/** Everything up to the moment xorriso starts writing; `cleanup` removes the working directory. */
interface Ready {
    inputs: ResolvedInputs;
    prepared: Prepared;
    hash: Promise<string>;
    cleanup(): void;
    started: number;
    total: number;
}

async function ready(options: RemasterOptions, writeMessage: string): Promise<Ready> {
    const started = Date.now();
    const inputs = resolveInputs(options);
    const hash = contentHashOf(inputs, options);
    hash.catch(() => undefined); // observed later; an early failure must not be an unhandled rejection
    const work = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), "vh-remaster-"));
    const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
    try {
        const prepared = await prepareRemaster(inputs, work, options);
        const total = fs.statSync(inputs.sourceIso).size;
        options.onProgress?.({ step: "write", message: writeMessage, bytesDone: 0, bytesTotal: total });
        return { inputs, prepared, hash, cleanup, started, total };
    } catch (err) {
        cleanup();
        throw err;
    }
}

async function finish(r: Ready, size: number, sha256: string, options: RemasterOptions): Promise<RemasterResult> {
    const digest = await r.hash;
    const { prepared, inputs } = r;
    options.onProgress?.({ step: "done", message: `Done: ${size} bytes, sha256 ${sha256}`, bytesDone: size, bytesTotal: size });
    return {
        size, sha256, contentHash: digest, name: remasteredIsoName(digest), volumeId: prepared.info.volumeId,
        answerFilePath: inputs.answerFilePath, kernelArgs: inputs.kernelArgs, installImg: prepared.installImg,
        configs: prepared.configs, durationMs: Date.now() - r.started,
    };
}

/**
 * Remasters to a file: written next to `output`, flushed to disk and renamed into place, so no
 * partial file is ever left under the output's name.
 */
export async function remasterIso(options: RemasterOptions & { output: string }): Promise<RemasterResult> {
    const output = path.resolve(options.output);
    const partial = `${output}.partial-${process.pid}`;
    const r = await ready(options, `Create new iso: ${output}`);
    let fd: number | undefined;
    let follower: ReturnType<typeof followFileSha256> | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
        fd = fs.openSync(partial, "w");
        const out = fd;
        follower = followFileSha256(partial);
        timer = setInterval(() => {
            const bytesDone = fs.fstatSync(out).size;
            options.onProgress?.({ step: "write", message: `Create new iso: ${output}`, bytesDone, bytesTotal: Math.max(r.total, bytesDone) });
        }, 1000);
        await runXorriso(r.prepared.xorrisoArgs, {
            what: `write the remastered image of ${r.inputs.sourceIso} to ${partial}`, env: r.prepared.env, signal: options.signal, stdoutFd: fd,
        });
        clearInterval(timer); // before the fd is closed: the timer reads its size
        const size = fs.fstatSync(fd).size;
        const result = await finish(r, size, await follower.finish(size), options);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        fs.renameSync(partial, output); // last: nothing after it can fail
        return { ...result, output };
    } catch (err) {
        clearInterval(timer);
        follower?.abort();
        if (fd !== undefined) fs.closeSync(fd);
        fs.rmSync(partial, { force: true });
        throw err;
    } finally {
        r.cleanup();
    }
}

/**
 * Remasters to a stream, e.g. straight into an SFTP upload. Preparation (validation, install.img,
 * boot configs) happens before this resolves, so input errors reject here, before any byte flows.
 */
export async function remasterIsoStream(options: RemasterOptions): Promise<RemasterStream> {
    const r = await ready(options, "Writing the remastered image");
    let xorriso;
    try {
        xorriso = await spawnXorriso(r.prepared.xorrisoArgs, { what: `write the remastered image of ${r.inputs.sourceIso}`, env: r.prepared.env, signal: options.signal });
    } catch (err) {
        r.cleanup();
        throw err;
    }
    const sha = backgroundSha256();
    let size = 0;
    let lastReport = 0;
    const out = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
    let ended = false;
    let closedEarly = false;
    out.on("close", () => {
        if (!ended) { closedEarly = true; xorriso.kill(); }
    });
    xorriso.stdout.on("data", (chunk: Buffer) => {
        sha.update(chunk);
        size += chunk.length;
        if (size - lastReport >= 64 * 1024 * 1024) {
            lastReport = size;
            options.onProgress?.({ step: "write", message: "Writing the remastered image", bytesDone: size, bytesTotal: Math.max(r.total, size) });
        }
    });
    // end: false — the stream is ended only once xorriso has exited successfully, so a failure
    // midway surfaces as an error on the stream rather than as a short, valid-looking image.
    xorriso.stdout.pipe(out, { end: false });
    const result = (async (): Promise<RemasterResult> => {
        try {
            await xorriso.done;
            await finished(xorriso.stdout).catch(() => undefined);
            ended = true;
            out.end();
            await finished(out);
            return await finish(r, size, await sha.digest(), options);
        } catch (err) {
            const error = closedEarly
                ? new RemasterError(`the remastered image of ${r.inputs.sourceIso} was not read to the end: its reader closed the stream after ${size} bytes`, { cause: err })
                : err;
            sha.abort();
            if (!out.destroyed) out.destroy(error as Error);
            throw error;
        } finally {
            r.cleanup();
        }
    })();
    result.catch(() => undefined); // the caller observes it; the stream carries the same error
    return { stream: out, result };
}

/** The content hash and output name of a remaster, without remastering (reads the source ISO only when its hash is not cached). */
export async function remasterContentHash(options: RemasterOptions): Promise<{ contentHash: string; name: string }> {
    const digest = await contentHashOf(resolveInputs(options), options);
    return { contentHash: digest, name: remasteredIsoName(digest) };
}

async function contentHashOf(inputs: ResolvedInputs, options: RemasterOptions): Promise<string> {
    let reported = 0;
    const sourceSha = await sourceIsoSha256(inputs.sourceIso, {
        cacheDir: options.cacheDir, signal: options.signal,
        onProgress: (done, total) => {
            if (done - reported < 128 * 1024 * 1024 && done !== total) return;
            reported = done;
            options.onProgress?.({ step: "hash", message: `Hashing ${inputs.sourceIso}`, bytesDone: done, bytesTotal: total });
        },
    });
    return contentHash({ ...inputs, sourceIsoSha256: sourceSha });
}
