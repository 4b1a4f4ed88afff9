/**
 * The installer's root file system as the dom0 kernel unpacks it from the initrd module(s) on the
 * CD: every concatenated segment, any compression, later files replacing earlier ones
 * (provider/iso/initramfs.ts readInitramfs).
 *
 * Unpacking a real install.img (100–300 MB of bzip2) takes seconds to a minute, and a VM boots
 * from the same ISO more than once, so the names in the image and the contents of the few files the
 * installer asked for are cached in the simulated host's state directory (`$XE_SIM_STATE/cache`),
 * keyed by the ISO's identity (device, inode, size, mtime). Without a state directory nothing is cached.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { readInitramfs, S_IFDIR } from "../../provider/iso/initramfs";
import { STATE_DIR_ENV } from "../settings";
import type { IsoImage } from "./iso9660";

const S_IFMT = 0o170000;

export interface InitrdView {
    /** Segment summary for the log, e.g. "none@0 + bzip2@512 + gzip@1048576". */
    layout: string;
    /** A regular file's content, or undefined. */
    read(p: string): Buffer | undefined;
    /** Whether any entry lives under `dir`. */
    hasUnder(dir: string): boolean;
}

interface CacheRecord {
    layout: string;
    dirs: string[];
    files: string[];
    contents: Record<string, string>;
}

const key = (p: string) => p.replace(/^\.?\/+/, "").replace(/\/+$/, "");

/** Opens the initrd(s) `paths` of `iso`; throws InitramfsFormatError when they cannot be unpacked. */
export function openInitrd(iso: IsoImage, paths: string[]): InitrdView {
    const cacheFile = cachePath(iso, paths);
    let record = cacheFile ? readCache(cacheFile) : undefined;
    let full: ReturnType<typeof readInitramfs> | undefined;
    const load = () => {
        full ??= readInitramfs(Buffer.concat(paths.map((p) => iso.readFile(p))));
        return full;
    };
    if (!record) {
        const fsys = load();
        const entries = Object.entries(fsys.files);
        record = {
            layout: fsys.segments.map((s) => `${s.compression}@${s.offset}`).join(" + "),
            dirs: entries.filter(([, e]) => (e.mode & S_IFMT) === S_IFDIR).map(([n]) => n),
            files: entries.filter(([, e]) => (e.mode & S_IFMT) !== S_IFDIR).map(([n]) => n),
            contents: {},
        };
        if (cacheFile) writeCache(cacheFile, record);
    }
    const rec = record;
    const files = new Set(rec.files);
    return {
        layout: rec.layout,
        hasUnder: (dir) => {
            const prefix = key(dir) + "/";
            return rec.files.some((f) => f.startsWith(prefix)) || rec.dirs.some((d) => d.startsWith(prefix));
        },
        read: (p) => {
            const k = key(p);
            if (!files.has(k)) return undefined;
            const cached = rec.contents[k];
            if (cached !== undefined) return Buffer.from(cached, "base64");
            const data = load().files[k].data;
            rec.contents[k] = data.toString("base64");
            if (cacheFile) writeCache(cacheFile, rec);
            return data;
        },
    };
}

function cachePath(iso: IsoImage, paths: string[]): string | undefined {
    const stateDir = process.env[STATE_DIR_ENV];
    if (!stateDir) return undefined;
    const st = fs.statSync(iso.file);
    const id = createHash("sha256").update(JSON.stringify([st.dev, st.ino, st.size, st.mtimeMs, paths])).digest("hex").slice(0, 32);
    return path.join(stateDir, "cache", "initrd", `${id}.json`);
}

function readCache(file: string): CacheRecord | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as CacheRecord;
    } catch {
        return undefined; // absent or half-written by a crashed process: rebuild it
    }
}

function writeCache(file: string, record: CacheRecord): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(record));
        fs.renameSync(tmp, file);
    } catch {
        // A cache that cannot be written only costs time on the next boot.
    }
}
