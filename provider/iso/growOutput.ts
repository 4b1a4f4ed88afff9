/**
 * Writes a remaster in the "grow" layout to a file (see ./grow for the layout's mechanics):
 *
 *   1. as soon as the inputs are valid, the kernel starts copying the source into the output file
 *      (copy_file_range, or a reflink where the file system has them: fs.copyFile), while
 *   2. the changed files are prepared and xorriso grows a skeleton of the source;
 *   3. a worker thread hashes the output from the skeleton and the source (page cache), while
 *   4. the skeleton's bytes (the new head, the new session, the small files) go on top of the copy.
 *
 * Nothing but the skeleton's few MiB and the new session passes through user space, and hashing
 * overlaps the copy. If the skeleton cannot be trusted (see growSkeleton), xorriso grows the full
 * copy instead and the result is hashed afterwards: the same bytes, later.
 */
import * as fs from "node:fs";
import { rangesSha256, RangesHasher } from "./backgroundHash";
import { copyRange } from "./copyRange";
import { RemasterError } from "./errors";
import { growInPlace, growSkeleton, GrowPlan, HOLE_MIN_BYTES, outputRanges, skeletonRanges } from "./grow";
import { RemasterOptions, RemasterResult } from "./options";
import { finish, ready, Ready, reportFileGrowth } from "./run";

/** remasterIso for the "grow" layout. */
export async function remasterGrown(options: RemasterOptions, output: string): Promise<RemasterResult> {
    const partial = `${output}.partial-${process.pid}`;
    const hasher = rangesSha256();
    let copied: Promise<void> | undefined;
    let stopReports = () => undefined as void;
    let r: Ready | undefined;
    let before: fs.Stats | undefined;
    try {
        r = await ready(options, "grow", `Create new iso: ${output}`, ["grow", "replay"], (inputs) => {
            before = fs.statSync(inputs.sourceIso);
            copied = copyInKernel(inputs.sourceIso, partial);
            copied.catch(() => undefined); // observed below
        });
        stopReports = reportFileGrowth(partial, `Create new iso: ${output}`, r.total, options);
        const { size, sha256 } = await writeGrown(r, partial, copied!, hasher, options);
        stopReports();
        // The source is read three times (copy, skeleton, hash): all must have seen the same bytes.
        const after = fs.statSync(r.inputs.sourceIso);
        if (after.size !== before!.size || after.mtimeMs !== before!.mtimeMs || after.ino !== before!.ino) {
            throw new RemasterError(`the source ISO ${r.inputs.sourceIso} changed while it was remastered (size, modification time or inode differ); run the remaster again`);
        }
        const result = await finish(r, size, sha256, options);
        fs.renameSync(partial, output); // last: nothing after it can fail
        return { ...result, output };
    } catch (err) {
        stopReports();
        hasher.abort();
        // The copy cannot be cancelled; the file is removed once it is done with it, so a copy that
        // had not yet opened it cannot create it again after the removal.
        await copied?.catch(() => undefined);
        fs.rmSync(partial, { force: true });
        throw err;
    } finally {
        r?.cleanup();
    }
}

/**
 * Copies the source into `partial` in the kernel. The file gets the mode of a new file (as the
 * replay layout's output does), not the source's, which may be read-only.
 */
export async function copyInKernel(source: string, partial: string): Promise<void> {
    try {
        const fd = fs.openSync(partial, "w");
        const mode = fs.fstatSync(fd).mode & 0o7777;
        fs.closeSync(fd);
        await fs.promises.copyFile(source, partial, fs.constants.COPYFILE_FICLONE);
        fs.chmodSync(partial, mode);
    } catch (err) {
        throw new RemasterError(`could not copy the source ISO ${source} to ${partial}: ${(err as Error).message}`, { cause: err });
    }
}

/**
 * Makes `partial`, which `copied` is filling with the source, the grown image, flushed to disk;
 * returns its size and SHA-256 (hashed by `hasher`).
 * @param minHoleBytes see growSkeleton @default HOLE_MIN_BYTES
 */
export async function writeGrown(
    r: Ready, partial: string, copied: Promise<void>, hasher: RangesHasher, options: RemasterOptions, minHoleBytes = HOLE_MIN_BYTES,
): Promise<{ size: number; sha256: string }> {
    const source = r.inputs.sourceIso;
    const attempt = await growSkeleton(r.prepared, r.work, options.signal, minHoleBytes);
    if (attempt.plan) {
        const { plan } = attempt;
        const sha256 = hasher.hash(outputRanges(plan, source));
        sha256.catch(() => undefined); // observed below, after the writes
        await copied;
        writeSkeletonOver(plan, partial);
        // The flush to disk runs while the hash finishes (it reads the source and the skeleton, not this file).
        const [digest] = await Promise.all([sha256, flush(partial)]);
        return { size: plan.size, sha256: digest };
    }
    options.onProgress?.({ step: "write", message: `Growing a full copy of ${source} instead of a skeleton: ${attempt.fallback}` });
    await copied;
    await growInPlace(r.prepared, partial, `new session, grown on the copy ${partial}`, options.signal);
    const size = fs.statSync(partial).size;
    const [digest] = await Promise.all([hasher.hash([{ file: partial, start: 0, end: size }]), flush(partial)]);
    return { size, sha256: digest };
}

/** fsync, on the thread pool. */
async function flush(file: string): Promise<void> {
    const handle = await fs.promises.open(file, "r+");
    try {
        await handle.sync();
    } finally {
        await handle.close();
    }
}

/** Puts the skeleton's bytes over the copy of the source, making the copy the grown image. */
function writeSkeletonOver(plan: GrowPlan, partial: string): void {
    const inFd = fs.openSync(plan.skeleton, "r");
    const outFd = fs.openSync(partial, "r+");
    try {
        const copiedSize = fs.fstatSync(outFd).size;
        if (copiedSize !== plan.sourceSize) {
            throw new RemasterError(`the copy ${partial} has ${copiedSize} bytes but the source ISO had ${plan.sourceSize}: did the source change during the remaster?`);
        }
        for (const r of skeletonRanges(plan)) {
            copyRange(inFd, outFd, r.start, r.end, (pos) => new RemasterError(`the skeleton ${plan.skeleton} ended at byte ${pos}, before ${r.end}`));
        }
        if (plan.size < plan.sourceSize) fs.ftruncateSync(outFd, plan.size);
    } finally {
        fs.closeSync(inFd);
        fs.closeSync(outFd);
    }
}
