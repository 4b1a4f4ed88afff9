/**
 * Putting a content-addressed ISO into the host's ISO library under a reference marker, and taking
 * the marker away again: the part of RemasteredIso that does not care where the bytes come from.
 * The resource produces them by remastering straight into the upload; `vh install` uploads an ISO
 * file the user already has. Both go through here, so both share the markers, the locks, the
 * library SR and the clean-up rules (see store.ts and library.ts).
 */
import * as path from "node:path";
import { isXeNotFound, XeClient } from "../../xe";
import { asError, ResourceCreateError } from "../common/errors";
import { PhaseClock, ProgressCallback } from "../common/progress";
import { withLock } from "../common/semaphore";
import { DEFAULT_LIBRARY_SUBDIR } from "./args";
import { IsoLibraryError } from "./errors";
import { formatBytes } from "./format";
import { ensureLibrarySr, findIsoVdi, findLibrarySr, forgetLibraryIfEmpty, LibrarySr } from "./library";
import { claimIso, inspectIso, IsoRecord, isComplete, releaseIso, remoteHome, removeLibraryDirIfEmpty } from "./store";

export interface LibraryIsoSpec {
    /** File name in the library and name-label of its VDI, e.g. "vh-0123456789abcdef.iso". */
    isoName: string;
    /** What the file's record must carry for the file to count as complete. */
    contentHash: string;
    /** The library: SR name-label and dom0 directory. @default directory - DEFAULT_LIBRARY_SUBDIR under the login user's home */
    library: { nameLabel: string; directory?: string };
    /** Who asks, for progress and errors, e.g. "RemasteredIso vh-….iso". */
    resource: string;
    /** What `produce` does, for the "already present: nothing to …" line. @default "upload" */
    work?: string;
}

/**
 * Makes the file `<directory>/<isoName>` on the host (verified) and records it (recordIso); called
 * only when the host does not already hold the content.
 */
export type IsoProducer = (directory: string, clock: PhaseClock) => Promise<IsoRecord>;

export interface EnsureIsoResult {
    srUuid: string;
    vdiUuid: string;
    directory: string;
    sha256: string;
    sizeBytes: number;
    uploaded: boolean;
}

/** The per-process lock of one library directory on one host. */
export function libraryKey(xe: XeClient, directory: string): string {
    return `iso-library:${xe.target}:${directory}`;
}

/** The library directory: the one given, else DEFAULT_LIBRARY_SUBDIR under the login user's home in dom0. */
export async function libraryDirectory(xe: XeClient, directory: string | undefined): Promise<string> {
    return directory ?? path.posix.join(await remoteHome(xe), DEFAULT_LIBRARY_SUBDIR);
}

/**
 * Puts the ISO on the host under the marker `refId`: the marker first, then the library SR, then
 * (only when the host does not hold the content yet) `produce`, then a scan for its VDI.
 * Everything done is undone when it fails (ResourceCreateError with the clean-up report).
 */
export async function placeLibraryIso(xe: XeClient, spec: LibraryIsoSpec, refId: string, produce: IsoProducer, progress: ProgressCallback | undefined): Promise<EnsureIsoResult> {
    const clock = new PhaseClock(spec.resource, progress);
    const directory = await libraryDirectory(xe, spec.library.directory);
    let sr: LibrarySr | undefined;
    let claimed = false;
    let scanned = false;
    try {
        const state = await withLock(libraryKey(xe, directory), async () => {
            // The marker goes first: from now on no other resource's delete removes the file.
            const s = await claimIso(xe, directory, spec.isoName, refId);
            claimed = true;
            sr = await ensureLibrarySr(xe, spec.library.nameLabel, directory);
            return s;
        });
        // One upload per content at a time in this process; a second resource then finds it present.
        return await withLock(`${libraryKey(xe, directory)}/${spec.isoName}`, async () => {
            let current = state;
            if (!isComplete(current, spec.contentHash)) current = await inspectIso(xe, directory, spec.isoName, refId);
            let uploaded = false;
            let record = current.record;
            if (!isComplete(current, spec.contentHash)) {
                record = await produce(directory, clock);
                uploaded = true;
            } else {
                clock.enter("present", `${spec.isoName} is already on ${xe.target} in ${directory} (${formatBytes(record!.size)}); nothing to ${spec.work ?? "upload"}`);
            }
            let vdiUuid = uploaded ? undefined : await findIsoVdi(xe, sr!.uuid, spec.isoName);
            if (!vdiUuid) {
                await xe.sr.scan(sr!.uuid);
                scanned = true;
                vdiUuid = await findIsoVdi(xe, sr!.uuid, spec.isoName);
            }
            if (!vdiUuid) throw new IsoLibraryError(`the ISO library SR ${sr!.uuid} does not list ${spec.isoName} after a scan of ${directory}`);
            return { srUuid: sr!.uuid, vdiUuid, directory, sha256: record!.sha256, sizeBytes: record!.size, uploaded };
        });
    } catch (err) {
        const cleanup = { done: [] as string[], failed: [] as Error[] };
        if (claimed) {
            await withLock(libraryKey(xe, directory), async () => {
                const released = await releaseIso(xe, directory, spec.isoName, refId);
                if (released.removed) cleanup.done.push(`${spec.isoName} in ${directory}`);
                if (sr && (released.removed || scanned)) await xe.sr.scan(sr.uuid).catch(() => undefined);
                if (sr?.created && await forgetLibraryIfEmpty(xe, sr.uuid)) cleanup.done.push(`ISO library SR ${sr.uuid}`);
            }).catch((e) => cleanup.failed.push(asError(e)));
        }
        throw new ResourceCreateError(spec.resource, asError(err), cleanup);
    }
}

export interface ReleaseReport {
    /** What was done, e.g. "removed vh-….iso", "kept vh-….iso for 1 other user(s)". */
    done: string[];
    failures: Error[];
    /** The file itself was removed (this was its last marker). */
    removed: boolean;
}

/**
 * Removes the marker `refId`; when it was the last one, the file goes, and our library SR with
 * its last ISO (and then the directory, when empty). Every step is tried; failures are reported.
 */
export async function releaseLibraryIso(xe: XeClient, directory: string, isoName: string, refId: string): Promise<ReleaseReport> {
    const report: ReleaseReport = { done: [], failures: [], removed: false };
    await withLock(libraryKey(xe, directory), async () => {
        try {
            const released = await releaseIso(xe, directory, isoName, refId);
            report.removed = released.removed;
            report.done.push(released.removed ? `removed ${isoName}` : released.othersLeft ? `kept ${isoName} for ${released.othersLeft} other user(s)` : `${isoName} was already gone`);
        } catch (err) {
            report.failures.push(asError(err));
            return;
        }
        if (!report.removed) return;
        const sr = await findLibrarySr(xe, directory).catch((err) => { report.failures.push(asError(err)); return undefined; });
        if (!sr) return;
        try {
            await xe.sr.scan(sr.uuid);
            if (await forgetLibraryIfEmpty(xe, sr.uuid)) {
                report.done.push(`forgot the empty ISO library SR ${sr.uuid}`);
                await removeLibraryDirIfEmpty(xe, directory);
            }
        } catch (err) {
            if (!isXeNotFound(err)) report.failures.push(asError(err));
        }
    });
    return report;
}
