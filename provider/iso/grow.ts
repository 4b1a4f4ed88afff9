/**
 * The mechanics of the "grow" layout (see RemasterLayout in ./options).
 *
 * xorriso adds a session to an image in place (`-dev <image> … -commit`, feasibility §1.3 method
 * (d)): it writes the changed files and a new directory tree after the end of the image, rewrites
 * the first blocks (system area with the isohybrid MBR/GPT, volume descriptors) to point at them,
 * and leaves every other block alone: unchanged files keep their data where it is. So the output is
 * the source byte for byte, apart from what xorriso writes.
 *
 * Growing a full copy puts the copy, then xorriso, then hashing the result (which costs more than
 * the copy) one after the other. Here xorriso grows a *skeleton* instead: a sparse file of the
 * source's size holding every byte except the data of big files (the "holes"), which xorriso has
 * no reason to read when it only adds a session: files it keeps where they are, and the old data of
 * files the remaster replaces. The output is the grown skeleton with the holes filled from the
 * source, so its SHA-256 can be computed from the source and the skeleton while the kernel copies
 * the source into the output file, and only the skeleton's bytes go on top of that copy (see
 * ./growOutput).
 *
 * Every run checks that the shortcut holds, else the caller grows a full copy (the same bytes, more
 * slowly): the tree's block addresses count from the start of the file (so the holes are where the
 * data is); xorriso succeeded on the skeleton; it wrote nothing into the holes (the skeleton's
 * allocated size grew only by the new session); and it rewrote no file whose data was left out (it
 * rewrites El Torito images to patch them, which are never left out). Tests prove the result equal
 * to growing a full copy, byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FileRange } from "./backgroundHash";
import { copyRange } from "./copyRange";
import { RemasterError, XorrisoError } from "./errors";
import { blockAddressingProblem, FIND_EXTENTS, IsoExtent, IsoFile, IsoInfo, parseExtents } from "./isoImage";
import { Prepared } from "./prepare";
import { runXorriso, xorrisoProblemLines } from "./xorriso";

const BLOCK = 2048;
/** System area and volume descriptors: never file data, always rewritten by xorriso. */
const HEAD_BYTES = 32 * BLOCK;
/**
 * Only files at least this big are left out. Small files are cheap to copy, and this keeps the
 * El Torito boot catalog and any small file a boot record points into inside the skeleton.
 */
export const HOLE_MIN_BYTES = 1024 * 1024;
/** Slack for the file system's own blocks (extent trees) when checking the skeleton's allocation. */
const ALLOCATION_SLACK = 1024 * 1024;

/** Bytes [start, end) of the image. */
export interface Range {
    start: number;
    end: number;
}

export interface GrowPlan {
    /** Size of the source image. */
    sourceSize: number;
    /** Size of the grown image. */
    size: number;
    /** The grown skeleton: every byte of the output except the holes. */
    skeleton: string;
    /** The bytes of the output that come from the source: sorted, disjoint, inside [0, sourceSize). */
    holes: Range[];
}

/** A plan, or why the skeleton cannot be trusted (the caller then grows a full copy). */
export type GrowAttempt = { plan: GrowPlan; fallback?: undefined } | { fallback: string; plan?: undefined };

/**
 * The data of the big files: files of at least `minBytes` that are not El Torito boot images
 * (xorriso reads and rewrites those to patch them). Adjacent extents are merged.
 * @param minBytes @default HOLE_MIN_BYTES
 */
export function holeRanges(info: IsoInfo, sourceSize: number, minBytes = HOLE_MIN_BYTES): Range[] {
    const bootImages = new Set(info.elTorito.map((e) => e.path).filter((p): p is string => p !== undefined));
    const ranges = info.files
        .filter((f) => f.size >= minBytes && !bootImages.has(f.path))
        .flatMap((f) => f.extents.map(toRange))
        .map((r) => ({ start: Math.max(r.start, HEAD_BYTES), end: Math.min(r.end, sourceSize) }))
        .filter((r) => r.start < r.end)
        .sort((a, b) => a.start - b.start);
    const merged: Range[] = [];
    for (const r of ranges) {
        const last = merged[merged.length - 1];
        if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
        else merged.push({ ...r });
    }
    return merged;
}

function toRange(e: IsoExtent): Range {
    return { start: e.lba * BLOCK, end: (e.lba + e.blocks) * BLOCK };
}

/** The complement of `holes` in [0, size). */
function gaps(holes: Range[], size: number): Range[] {
    const out: Range[] = [];
    let pos = 0;
    for (const h of holes) {
        if (h.start > pos) out.push({ start: pos, end: Math.min(h.start, size) });
        pos = Math.max(pos, h.end);
    }
    if (pos < size) out.push({ start: pos, end: size });
    return out.filter((r) => r.start < r.end);
}

/** The output in order, as ranges of the skeleton with the holes taken from `source`. */
export function outputRanges(plan: GrowPlan, source: string): FileRange[] {
    const fromSkeleton = skeletonRanges(plan).map((r) => ({ file: plan.skeleton, ...r }));
    const fromSource = plan.holes.map((r) => ({ file: source, ...r }));
    return [...fromSkeleton, ...fromSource].sort((a, b) => a.start - b.start);
}

/** The ranges of the output that are not the source's bytes in place (everything but the holes). */
export function skeletonRanges(plan: GrowPlan): Range[] {
    return gaps(plan.holes, plan.size);
}

/**
 * Runs xorriso's edits as a new session on `image`, in place (feasibility method (d)). Returns where
 * every file's data lies afterwards (xorriso reads the new session back in the same run).
 */
export async function growInPlace(prepared: Prepared, image: string, what: string, signal?: AbortSignal): Promise<Map<string, IsoExtent[]>> {
    const { stdout } = await runXorriso(["-dev", `stdio:${image}`, ...prepared.editArgs, "-commit", ...FIND_EXTENTS], {
        what: `write the remastered image of ${prepared.inputs.sourceIso} (${what})`, env: prepared.env, signal,
    });
    return parseExtents(stdout);
}

/**
 * Builds the skeleton in `work`, grows it with xorriso and checks that xorriso kept off the holes.
 * A failure of xorriso on the skeleton is a reason to fall back too (it may be the skeleton's
 * fault); on a full copy a genuine failure then shows up again, with the full copy's error.
 * @param minHoleBytes @default HOLE_MIN_BYTES
 */
export async function growSkeleton(prepared: Prepared, work: string, signal?: AbortSignal, minHoleBytes = HOLE_MIN_BYTES): Promise<GrowAttempt> {
    const source = prepared.inputs.sourceIso;
    const sourceSize = fs.statSync(source).size;
    // The holes come from block numbers: they must be file offsets / 2048.
    const addressing = blockAddressingProblem(source);
    if (addressing) return { fallback: addressing };
    const holes = holeRanges(prepared.info, sourceSize, minHoleBytes);
    const skeleton = path.join(work, "skeleton.iso");
    const allocatedBefore = writeSkeleton(source, skeleton, holes, sourceSize);
    let extents: Map<string, IsoExtent[]>;
    try {
        extents = await growInPlace(prepared, skeleton, `new session, grown on the skeleton ${skeleton}`, signal);
    } catch (err) {
        if (signal?.aborted || !(err instanceof XorrisoError)) throw err;
        fs.rmSync(skeleton, { force: true });
        return { fallback: `xorriso failed on the skeleton: ${xorrisoProblemLines(err.stderr).join("; ")}` };
    }
    const st = fs.statSync(skeleton);
    const intoHoles = wroteIntoHoles({ sourceSize, holes, allocatedBefore, size: st.size, allocatedAfter: st.blocks * 512 });
    if (intoHoles) return { fallback: intoHoles };
    const rewritten = rewrittenFromHoles(prepared.info.files, extents, prepared.changed, holes);
    if (rewritten.length) return { fallback: `xorriso rewrote ${rewritten.join(", ")}, whose data the skeleton left out` };
    return { plan: { sourceSize, size: st.size, skeleton, holes } };
}

/**
 * Whether the grown skeleton says xorriso wrote into its holes: its allocation may only have grown
 * by the new session (rewriting blocks that were already there allocates nothing), and it must
 * still reach past the holes. Returns why not, or undefined. The allocation says nothing on a file
 * system that does not keep holes (then half the holes' size is allocated anyway).
 */
export function wroteIntoHoles(s: { sourceSize: number; holes: Range[]; allocatedBefore: number; size: number; allocatedAfter: number }): string | undefined {
    const holeBytes = s.holes.reduce((n, h) => n + h.end - h.start, 0);
    const sparse = s.allocatedBefore + holeBytes / 2 <= s.sourceSize;
    const allowed = s.allocatedBefore + Math.max(0, s.size - s.sourceSize);
    if (sparse && s.allocatedAfter > allowed + ALLOCATION_SLACK) {
        return `xorriso wrote into the skeleton's left-out file data (${s.allocatedAfter} bytes allocated after it ran, at most ${allowed} expected)`;
    }
    const dataEnd = s.holes.length ? s.holes[s.holes.length - 1].end : 0;
    if (s.size < dataEnd) return `the grown skeleton (${s.size} bytes) ends before the file data it refers to (up to byte ${dataEnd})`;
    return undefined;
}

/**
 * Files xorriso moved to the new session (other than the ones replaced) whose old data lay in a
 * hole: their new copy was made from the skeleton's zeros.
 */
export function rewrittenFromHoles(before: IsoFile[], after: Map<string, IsoExtent[]>, changed: Set<string>, holes: Range[]): string[] {
    const old = new Map(before.map((f) => [f.path, f.extents]));
    const out: string[] = [];
    for (const [filePath, extents] of after) {
        if (changed.has(filePath)) continue;
        const was = old.get(filePath) ?? [];
        if (JSON.stringify(was) === JSON.stringify(extents)) continue;
        if (was.map(toRange).some((r) => holes.some((h) => r.start < h.end && h.start < r.end))) out.push(filePath);
    }
    return out;
}

/** Sparse copy of `source` without the holes; returns the bytes allocated to it. */
function writeSkeleton(source: string, skeleton: string, holes: Range[], size: number): number {
    const inFd = fs.openSync(source, "r");
    const outFd = fs.openSync(skeleton, "w");
    try {
        fs.ftruncateSync(outFd, size);
        for (const r of gaps(holes, size)) {
            copyRange(inFd, outFd, r.start, r.end, (pos) => new RemasterError(
                `the source ISO ${source} ended at byte ${pos} while the skeleton was copied from it (it had ${size} bytes): did it change during the remaster?`,
            ));
        }
        return fs.fstatSync(outFd).blocks * 512;
    } finally {
        fs.closeSync(inFd);
        fs.closeSync(outFd);
    }
}
