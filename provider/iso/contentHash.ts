/**
 * The content hash of a remaster: a SHA-256 over everything that determines the output bytes (the
 * source ISO's SHA-256, the answer file, the scripts, the kernel arguments, the answer-file path,
 * the fixed timestamp and the remaster format version). It names the output (`vh-<16 hex>.iso`) and
 * is computable without remastering, so a caller can tell whether a host already has the ISO.
 * It identifies the content, not the byte layout: the "grow" and "replay" layouts (options.ts) of
 * the same inputs carry the same files and share the hash; each layout is byte-reproducible.
 *
 * Hashing a 700 MB source ISO takes seconds, so its SHA-256 is cached per path in a small JSON
 * file under the user's cache directory, keyed by size, mtime and inode: a re-run does not re-read
 * an ISO that has not changed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { OverlayFile } from "./initramfs";

/**
 * Bumped whenever the same inputs would produce different content or different bytes in a given
 * layout (layout of install.img, patch rules, xorriso options), so old names are never reused for
 * new content.
 */
export const REMASTER_FORMAT = 2;

export interface ContentHashInputs {
    sourceIsoSha256: string;
    answerFile: Buffer;
    answerFilePath: string;
    /** Hashed by path as given: pass them normalised (resolveInputs does), so spellings of one path agree. */
    scripts: OverlayFile[];
    /** The arguments added to installer entries (installerArgs()). */
    kernelArgs: string[];
    sourceDateEpoch: number;
}

/** SHA-256 hex of the canonical description of the inputs. */
export function contentHash(inputs: ContentHashInputs): string {
    const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
    const canonical = JSON.stringify({
        format: REMASTER_FORMAT,
        sourceIsoSha256: inputs.sourceIsoSha256,
        answerFileSha256: sha(inputs.answerFile),
        answerFilePath: inputs.answerFilePath,
        scripts: [...inputs.scripts]
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
            .map((s) => ({ path: s.path, mode: s.mode ?? 0o644, sha256: sha(s.data) })),
        kernelArgs: inputs.kernelArgs,
        sourceDateEpoch: inputs.sourceDateEpoch,
    });
    return sha(Buffer.from(canonical));
}

/** The output file name for a content hash. */
export function remasteredIsoName(hash: string): string {
    return `vh-${hash.slice(0, 16)}.iso`;
}

/** `$XDG_CACHE_HOME/virtual-hypervisor`, else `~/.cache/virtual-hypervisor`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
    const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
    return path.join(base, "virtual-hypervisor");
}

interface CacheEntry { size: number; mtimeMs: number; ino: number; sha256: string }
const CACHE_FILE = "iso-sha256.json";
const CACHE_LIMIT = 200;

export interface SourceHashOptions {
    /** Directory of the cache file. @default defaultCacheDir() */
    cacheDir?: string;
    /** Called while the ISO is read (not called on a cache hit). @default - no progress */
    onProgress?: (bytesDone: number, bytesTotal: number) => void;
    /** @default - never aborted */
    signal?: AbortSignal;
}

/** SHA-256 hex of a file, from the cache when its path, size, mtime and inode are unchanged. */
export async function sourceIsoSha256(iso: string, options: SourceHashOptions = {}): Promise<string> {
    const cacheFile = path.join(options.cacheDir ?? defaultCacheDir(), CACHE_FILE);
    const key = fs.realpathSync(iso);
    const st = fs.statSync(key);
    const cache = readCache(cacheFile);
    const hit = cache[key];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) return hit.sha256;
    const sha256 = await hashFile(key, st.size, options);
    // Re-read before writing: another process may have added entries meanwhile.
    const fresh = { ...readCache(cacheFile), [key]: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256 } };
    writeCache(cacheFile, fresh);
    return sha256;
}

function hashFile(file: string, size: number, options: SourceHashOptions): Promise<string> {
    return new Promise((resolve, reject) => {
        const hash = crypto.createHash("sha256");
        let done = 0;
        const stream = fs.createReadStream(file, { highWaterMark: 4 * 1024 * 1024, signal: options.signal });
        stream.on("data", (chunk) => {
            hash.update(chunk);
            done += chunk.length;
            options.onProgress?.(done, size);
        });
        stream.on("error", reject);
        stream.on("end", () => resolve(hash.digest("hex")));
    });
}

function readCache(file: string): Record<string, CacheEntry> {
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { entries?: Record<string, CacheEntry> };
        return parsed.entries ?? {};
    } catch {
        return {}; // missing or damaged: it is only a cache
    }
}

function writeCache(file: string, entries: Record<string, CacheEntry>): void {
    const keys = Object.keys(entries);
    const kept = Object.fromEntries(keys.slice(Math.max(0, keys.length - CACHE_LIMIT)).map((k) => [k, entries[k]]));
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ entries: kept }, null, 1) + "\n");
        fs.renameSync(tmp, file); // atomic: readers never see half a file
    } catch {
        // An unwritable cache only costs a re-read next time.
    }
}
