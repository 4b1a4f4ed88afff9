/**
 * Remasters a XenServer / XCP-ng installer ISO for an unattended installation (feasibility §7):
 * the answer file and the post-install/first-boot scripts go into install.img in the prefix form,
 * every installer boot entry (isolinux, every EFI/<vendor>/grub*.cfg, and the grub.cfg copies in
 * the El Torito EFI image) gets `answerfile=file://… install atexit=poweroff` plus extras, and
 * everything else is kept, with xorriso replaying the boot records (BIOS + UEFI El Torito,
 * isohybrid MBR/GPT) onto the changed files and keeping the volume id and Joliet. No root, no full
 * extraction.
 *
 * Two layouts (RemasterLayout in ./options): a file is written "grow" by default (the source copied
 * by the kernel plus one added session: see ./growOutput), a stream always "replay" (xorriso reads
 * the ISO once and writes a compact image once). Output bytes depend only on the inputs and the
 * layout (fixed timestamps, deterministic overlay). In the replay layout xorriso writes the image to
 * its stdout in both cases: into the output file directly (the bytes never pass through Node) or
 * into a pipe for streaming; with `-padding included` both give the same bytes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { backgroundSha256, followFileSha256 } from "./backgroundHash";
import { remasteredIsoName } from "./contentHash";
import { RemasterError } from "./errors";
import { remasterGrown } from "./growOutput";
import { RemasterOptions, RemasterResult } from "./options";
import { resolveInputs } from "./prepare";
import { contentHashOf, finish, ready, reportFileGrowth } from "./run";
import { runXorriso, spawnXorriso } from "./xorriso";

export interface RemasterStream {
    /** The remastered image. Errors (e.g. xorriso failing midway) are emitted on it, never a short image. */
    stream: Readable;
    /** Settles once the whole image has been read from `stream` and xorriso has exited. */
    result: Promise<RemasterResult>;
}

/**
 * Remasters to a file: written next to `output`, flushed to disk and renamed into place, so no
 * partial file is ever left under the output's name. The layout is "grow" unless `layout` says
 * "replay" (see RemasterLayout for the trade-off: grow is faster, replay is smaller).
 */
export async function remasterIso(options: RemasterOptions & { output: string }): Promise<RemasterResult> {
    const output = path.resolve(options.output);
    return (options.layout ?? "grow") === "grow" ? remasterGrown(options, output) : remasterReplayed(options, output);
}

/** remasterIso for the "replay" layout: xorriso writes the whole image into the file. */
async function remasterReplayed(options: RemasterOptions, output: string): Promise<RemasterResult> {
    const partial = `${output}.partial-${process.pid}`;
    const r = await ready(options, "replay", `Create new iso: ${output}`, ["grow", "replay"]);
    let fd: number | undefined;
    let follower: ReturnType<typeof followFileSha256> | undefined;
    let stopReports = () => undefined as void;
    try {
        fd = fs.openSync(partial, "w");
        follower = followFileSha256(partial);
        stopReports = reportFileGrowth(partial, `Create new iso: ${output}`, r.total, options);
        await runXorriso(r.prepared.xorrisoArgs, {
            what: `write the remastered image of ${r.inputs.sourceIso} to ${partial}`, env: r.prepared.env, signal: options.signal, stdoutFd: fd,
        });
        stopReports();
        const size = fs.fstatSync(fd).size;
        const result = await finish(r, size, await follower.finish(size), options);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = undefined;
        fs.renameSync(partial, output); // last: nothing after it can fail
        return { ...result, output };
    } catch (err) {
        stopReports();
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
    const r = await ready(options, "replay", "Writing the remastered image", ["replay"]);
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
