/**
 * The ISO files in the library directory in dom0, shared between resources by reference markers:
 *
 *   <dir>/vh-<hash>.iso                     the ISO (content-addressed name)
 *   <dir>/.vh-<hash>.iso.vh/record          "<sha256> <size> <contentHash>", written after a verified upload
 *   <dir>/.vh-<hash>.iso.vh/refs/<refId>    one marker per resource using the file
 *   <dir>/.vh-lock                          flock(1) lock around marker changes
 *
 * A resource adds its marker before it looks for the file, and removes the file only when no
 * marker is left, all under the lock: a create of one lab and a delete of another never race into
 * deleting a file in use. Dot names are invisible to the ISO SR (it lists *.iso and *.img only).
 * Every value reaches the remote shell through sh`` (quoted).
 */
import * as path from "node:path";
import { sh, ShellCommand } from "../../shell";
import { parseDfAvailableBytes } from "../../ssh";
import type { XeClient } from "../../xe";
import { IsoLibraryError } from "./errors";

/** How long a marker change waits for another process holding the library lock. */
const LOCK_WAIT_SECONDS = 120;
const COMMAND_TIMEOUT_MS = 180_000;

export interface IsoRecord {
    sha256: string;
    size: number;
    contentHash: string;
}

export interface IsoFileState {
    /** Size of the ISO file, when it exists. */
    fileSize?: number;
    /** The record of a completed upload, when there is one. */
    record?: IsoRecord;
    /** Whether this resource's marker exists. */
    marked: boolean;
}

export function isoPaths(dir: string, isoName: string): { file: string; meta: string } {
    return { file: path.posix.join(dir, isoName), meta: path.posix.join(dir, `.${isoName}.vh`) };
}

/** The file is complete: its record matches the content and its size. */
export function isComplete(state: IsoFileState, contentHash: string): boolean {
    return state.fileSize !== undefined && state.record !== undefined && state.record.contentHash === contentHash && state.record.size === state.fileSize;
}

function locked(dir: string, body: ShellCommand): ShellCommand {
    const lock = path.posix.join(dir, ".vh-lock");
    return sh`mkdir -p -- ${dir} && ( if command -v flock >/dev/null 2>&1; then flock -w ${LOCK_WAIT_SECONDS} 9 || { echo "timed out after ${LOCK_WAIT_SECONDS} s waiting for the lock ${lock}" >&2; exit 75; }; fi
${body}
) 9>>${lock}`;
}

function parseState(stdout: string): IsoFileState {
    const state: IsoFileState = { marked: false };
    for (const line of stdout.split("\n")) {
        const [word, ...rest] = line.trim().split(/\s+/);
        if (word === "size" && /^\d+$/.test(rest[0] ?? "")) state.fileSize = Number(rest[0]);
        if (word === "record" && rest.length >= 3 && /^[0-9a-f]{64}$/.test(rest[0]) && /^\d+$/.test(rest[1])) {
            state.record = { sha256: rest[0], size: Number(rest[1]), contentHash: rest[2] };
        }
        if (word === "marked") state.marked = true;
    }
    return state;
}

async function run(xe: XeClient, command: ShellCommand, what: string, idempotent: boolean): Promise<string> {
    const result = await xe.run(command, { timeoutMs: COMMAND_TIMEOUT_MS, idempotent });
    if (result.exitCode !== 0) throw new IsoLibraryError(`could not ${what} on ${xe.target}: ${(result.stderr || result.stdout).trim() || `exit status ${result.exitCode}`}`);
    return result.stdout;
}

/** Adds this resource's marker (creating the directory) and reports the file's state. */
export async function claimIso(xe: XeClient, dir: string, isoName: string, refId: string): Promise<IsoFileState> {
    const { file, meta } = isoPaths(dir, isoName);
    const body = sh`f=${file}; m=${meta}; r=${refId}
mkdir -p -- "$m/refs" && date -u +%Y-%m-%dT%H:%M:%SZ > "$m/refs/$r" || exit 1
if [ -f "$f" ]; then echo "size $(stat -c %s -- "$f")"; fi
if [ -f "$m/record" ]; then echo "record $(cat -- "$m/record")"; fi
if [ -e "$m/refs/$r" ]; then echo marked; fi`;
    // Re-running it only rewrites the same marker.
    return parseState(await run(xe, locked(dir, body), `add the reference marker of ${isoName} in ${dir}`, true));
}

/** The file's state and whether this resource's marker exists (reads only). */
export async function inspectIso(xe: XeClient, dir: string, isoName: string, refId: string): Promise<IsoFileState> {
    const { file, meta } = isoPaths(dir, isoName);
    return parseState(await run(xe, sh`f=${file}; m=${meta}; r=${refId}
if [ -f "$f" ]; then echo "size $(stat -c %s -- "$f")"; fi
if [ -f "$m/record" ]; then echo "record $(cat -- "$m/record")"; fi
if [ -e "$m/refs/$r" ]; then echo marked; fi`, `look at ${file}`, true));
}

/** Records a verified upload next to the file. */
export async function recordIso(xe: XeClient, dir: string, isoName: string, record: IsoRecord): Promise<void> {
    const { meta } = isoPaths(dir, isoName);
    await run(xe, sh`mkdir -p -- ${meta} && printf '%s %s %s\\n' ${record.sha256} ${String(record.size)} ${record.contentHash} > ${meta + "/record.tmp"} && mv -f -- ${meta + "/record.tmp"} ${meta + "/record"}`,
        `record the upload of ${isoName}`, true);
}

/**
 * Removes this resource's marker; when no marker is left, removes the file and its metadata.
 * Resolves with whether a file was removed, and how many other markers keep it.
 */
export async function releaseIso(xe: XeClient, dir: string, isoName: string, refId: string): Promise<{ removed: boolean; othersLeft: number }> {
    const { file, meta } = isoPaths(dir, isoName);
    const body = sh`f=${file}; m=${meta}; r=${refId}
rm -f -- "$m/refs/$r" || exit 1
left=$(ls -A -- "$m/refs" 2>/dev/null | wc -l)
if [ "$left" -gt 0 ]; then echo "kept $left"; exit 0; fi
if [ -e "$f" ]; then rm -f -- "$f" || exit 1; echo removed; fi
rm -rf -- "$m"`;
    // A missing directory means there is nothing to release.
    const out = await run(xe, sh`if [ -d ${dir} ]; then ${locked(dir, body)}; fi`, `remove the reference marker of ${isoName} in ${dir}`, true);
    const kept = /kept (\d+)/.exec(out);
    return { removed: /\bremoved\b/.test(out), othersLeft: kept ? Number(kept[1]) : 0 };
}

/**
 * Removes only this resource's marker, never the file: for a resource found gone by a refresh
 * (its state is dropped without a delete), so its marker does not keep the file alive forever;
 * the file itself is left for the next create of the same content, or the last delete.
 */
export async function dropMarker(xe: XeClient, dir: string, isoName: string, refId: string): Promise<void> {
    const { meta } = isoPaths(dir, isoName);
    await run(xe, sh`rm -f -- ${path.posix.join(meta, "refs", refId)}`, `remove the reference marker of ${isoName} in ${dir}`, true);
}

/**
 * The ISO names in `dir` that carry the marker `refId` (reads only; [] when `dir` does not
 * exist). Lets a caller that knows only its marker, like `vh destroy`, find what to release.
 */
export async function isosReferencedBy(xe: XeClient, dir: string, refId: string): Promise<string[]> {
    const out = await run(xe, sh`d=${dir}; r=${refId}
[ -d "$d" ] || exit 0
for m in "$d"/.*.vh; do
  if [ -e "$m/refs/$r" ]; then b=$(basename -- "$m"); b=\${b#.}; printf '%s\\n' "\${b%.vh}"; fi
done`, `look for the reference markers ${refId} in ${dir}`, true);
    return out.split("\n").map((l) => l.trim()).filter(Boolean);
}

/** Removes the library directory when nothing but the lock file is left in it. */
export async function removeLibraryDirIfEmpty(xe: XeClient, dir: string): Promise<void> {
    await xe.run(sh`if [ -d ${dir} ] && [ -z "$(ls -A -- ${dir} | grep -v '^\\.vh-lock$')" ]; then rm -f -- ${path.posix.join(dir, ".vh-lock")}; rmdir -- ${dir}; fi`,
        { timeoutMs: 30_000, idempotent: true });
}

/** The login user's home directory in dom0 (the default library lives under it). */
export async function remoteHome(xe: XeClient): Promise<string> {
    const home = (await run(xe, sh`printf '%s\\n' "$HOME"`, "read the home directory", true)).trim();
    if (!home.startsWith("/")) throw new IsoLibraryError(`the home directory of ${xe.target} is ${JSON.stringify(home)}, not an absolute path; set isoLibrary.directory`);
    return home;
}

/** Free bytes on the filesystem holding `dir` (df -Pk: POSIX format, KiB). */
export async function freeBytes(xe: XeClient, dir: string): Promise<number> {
    const out = await run(xe, sh`df -Pk -- ${dir}`, `check the free space of ${dir}`, true);
    const available = parseDfAvailableBytes(out);
    if (available === undefined) throw new IsoLibraryError(`unexpected df output for ${dir} on ${xe.target}: ${JSON.stringify(out.slice(0, 200))}`);
    return available;
}
