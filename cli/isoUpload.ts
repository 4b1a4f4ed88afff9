/**
 * `vh install`'s way of getting the user's ISO file onto the host: into the same content-addressed
 * ISO library the RemasteredIso resource uses (provider/resources/remasteredIso/placement.ts), as
 * `vh-<first 16 hex of its SHA-256>.iso`, under a reference marker named after the machine. A host
 * that already holds those bytes gets nothing uploaded; otherwise the upload is verified on the
 * host (size and SHA-256) before the file takes its name. The seed instead streamed a tar into
 * /root/vh on every run and forgot its ISO SR afterwards.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultCacheDir, remasteredIsoName, sourceIsoSha256 } from "../provider/iso/contentHash";
import type { ProgressCallback } from "../provider/resources/common/progress";
import { DEFAULT_LIBRARY_NAME } from "../provider/resources/remasteredIso/args";
import { IsoLibrarySpaceError } from "../provider/resources/remasteredIso/errors";
import { EnsureIsoResult, placeLibraryIso } from "../provider/resources/remasteredIso/placement";
import { freeBytes, recordIso } from "../provider/resources/remasteredIso/store";
import type { XeClient } from "../provider/xe";
import type { Progress } from "./progress";

export interface LocalIso {
    /** Absolute path on this machine. */
    path: string;
    size: number;
    sha256: string;
    /** Its name in the host's library: "vh-<16 hex of sha256>.iso". */
    isoName: string;
}

/**
 * Hashes the local ISO file and names it by its content, as RemasteredIso names its output. The
 * hash comes from the source-ISO hash cache under `env`'s cache directory when the file is unchanged.
 */
export async function describeLocalIso(file: string, env: NodeJS.ProcessEnv): Promise<LocalIso> {
    const size = (await fs.promises.stat(file)).size;
    const sha256 = await sourceIsoSha256(file, { cacheDir: defaultCacheDir(env) });
    return { path: file, size, sha256, isoName: remasteredIsoName(sha256) };
}

/**
 * The reference marker of the machine `name`: derived from the name only, so `vh destroy` finds
 * (and releases) it with nothing but the name, even after an interrupted install.
 */
export function machineRefId(name: string): string {
    return `vh-cli-${crypto.createHash("sha256").update(`vh install\0${name}`).digest("hex").slice(0, 16)}`;
}

/**
 * Puts `iso` into the library (dom0 directory `directory`, @default - the provider's default
 * library under the login user's home) under the marker `refId`; undone when it fails.
 */
export async function placeLocalIso(
    xe: XeClient, iso: LocalIso, refId: string, progress: Progress, events: ProgressCallback, directory?: string,
): Promise<EnsureIsoResult> {
    return placeLibraryIso(xe, {
        isoName: iso.isoName,
        // The bytes are the content: the record's "content hash" is their SHA-256.
        contentHash: iso.sha256,
        library: { nameLabel: DEFAULT_LIBRARY_NAME, directory },
        resource: `RemasteredIso ${iso.isoName}`,
    }, refId, async (dir, clock) => {
        const available = await freeBytes(xe, dir);
        if (available < iso.size) throw new IsoLibrarySpaceError(xe.target, dir, iso.size, available, iso.isoName);
        clock.enter("upload", `uploading ${iso.path} (${iso.size} bytes) to ${xe.target}:${dir}/${iso.isoName}`);
        const sent = await xe.upload(iso.path, path.posix.join(dir, iso.isoName), {
            sha256: iso.sha256,
            onProgress: (p) => progress.upload(iso.isoName, p),
        });
        const record = { sha256: sent.sha256, size: sent.size, contentHash: iso.sha256 };
        await recordIso(xe, dir, iso.isoName, record);
        clock.report(`uploaded and verified ${sent.size} bytes (sha256 ${sent.sha256.slice(0, 16)}…) in ${sent.seconds.toFixed(1)} s`);
        return record;
    }, events);
}
