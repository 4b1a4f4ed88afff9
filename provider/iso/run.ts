/**
 * The steps every remaster shares, whatever it writes: checking the inputs, preparing the changed
 * files in a working directory (./prepare), computing the content hash alongside, and assembling
 * the result once the image is written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { contentHash, remasteredIsoName, sourceIsoSha256 } from "./contentHash";
import { RemasterLayout, RemasterOptions, RemasterResult } from "./options";
import { Prepared, prepareRemaster, resolveInputs, ResolvedInputs } from "./prepare";

/** Everything up to the moment the image is written; `cleanup` removes the working directory. */
export interface Ready {
    inputs: ResolvedInputs;
    prepared: Prepared;
    layout: RemasterLayout;
    /** The working directory (removed by cleanup). */
    work: string;
    hash: Promise<string>;
    cleanup(): void;
    started: number;
    /** Expected size of the output, for progress. */
    total: number;
}

/**
 * Checks the inputs, then prepares the changed files. `onInputs` runs once the inputs are valid and
 * before the ISO is read, to start work that needs only them (the grow layout's copy).
 */
export async function ready(
    options: RemasterOptions, layout: RemasterLayout, writeMessage: string, layouts: readonly RemasterLayout[],
    onInputs?: (inputs: ResolvedInputs) => void,
): Promise<Ready> {
    const started = Date.now();
    const inputs = resolveInputs(options, layouts);
    onInputs?.(inputs);
    const hash = contentHashOf(inputs, options);
    hash.catch(() => undefined); // observed later; an early failure must not be an unhandled rejection
    const work = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), "vh-remaster-"));
    const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
    try {
        const prepared = await prepareRemaster(inputs, work, options);
        const sourceSize = fs.statSync(inputs.sourceIso).size;
        // A grown image is the source plus a session holding (mostly) the new install.img.
        const total = layout === "grow" ? sourceSize + prepared.installImg.size : sourceSize;
        options.onProgress?.({ step: "write", message: writeMessage, bytesDone: 0, bytesTotal: total });
        return { inputs, prepared, layout, work, hash, cleanup, started, total };
    } catch (err) {
        cleanup();
        throw err;
    }
}

export async function finish(r: Ready, size: number, sha256: string, options: RemasterOptions): Promise<RemasterResult> {
    const digest = await r.hash;
    const { prepared, inputs } = r;
    options.onProgress?.({ step: "done", message: `Done: ${size} bytes, sha256 ${sha256}`, bytesDone: size, bytesTotal: size });
    return {
        size, sha256, contentHash: digest, name: remasteredIsoName(digest), layout: r.layout, volumeId: prepared.info.volumeId,
        answerFilePath: inputs.answerFilePath, kernelArgs: inputs.kernelArgs, installImg: prepared.installImg,
        configs: prepared.configs, durationMs: Date.now() - r.started,
    };
}

export async function contentHashOf(inputs: ResolvedInputs, options: RemasterOptions): Promise<string> {
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

/** Reports the size of a file being written, once a second, until stopped. */
export function reportFileGrowth(file: string, message: string, total: number, options: RemasterOptions): () => void {
    if (!options.onProgress) return () => undefined;
    const timer = setInterval(() => {
        let bytesDone: number;
        try {
            bytesDone = fs.statSync(file).size;
        } catch {
            return; // not created yet, or already renamed
        }
        options.onProgress?.({ step: "write", message, bytesDone, bytesTotal: Math.max(total, bytesDone) });
    }, 1000);
    return () => clearInterval(timer);
}
