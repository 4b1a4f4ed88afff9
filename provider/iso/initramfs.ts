/**
 * Linux initramfs images (the installer's install.img): SVR4 "newc" cpio archives, possibly
 * compressed, possibly several concatenated. The kernel unpacks every segment in order and a later
 * file replaces an earlier one; this module writes archives and reads them back the same way, so
 * tests and the simulated installer see exactly what the installer's kernel would see.
 *
 * GNU `cpio -t` stops at the first TRAILER!!! and cannot check a concatenated image; this reader
 * walks all of it.
 */
import { spawnSync } from "node:child_process";
import * as zlib from "node:zlib";

export interface NewcEntry {
    /** Path inside the archive, without a leading "/" or "./" (e.g. "etc/hosts"). */
    name: string;
    /** Full st_mode including the file type bits (0o100644 for a regular file, 0o040755 for a directory). */
    mode: number;
    uid: number;
    gid: number;
    /** Seconds since the epoch. */
    mtime: number;
    data: Buffer;
}

export type Compression = "none" | "gzip" | "bzip2" | "xz" | "lzma" | "zstd" | "lz4";

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
const S_IFMT = 0o170000;
const NEWC_MAGIC = "070701";
const NEWC_CRC_MAGIC = "070702";
const TRAILER = "TRAILER!!!";
const HEADER_LEN = 110;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function header(fields: number[]): Buffer {
    return Buffer.from(NEWC_MAGIC + fields.map((v) => v.toString(16).padStart(8, "0")).join(""), "latin1");
}

/**
 * Serialises entries as one uncompressed newc archive ending in TRAILER!!!. Inode numbers are
 * assigned in order from 1, so the same entries always give the same bytes.
 */
export function writeNewc(entries: NewcEntry[]): Buffer {
    const parts: Buffer[] = [];
    let ino = 1;
    const push = (e: NewcEntry | null) => {
        const name = Buffer.from((e ? e.name : TRAILER) + "\0", "utf8");
        const data = e ? e.data : Buffer.alloc(0);
        const mode = e ? e.mode : 0;
        const nlink = e ? ((mode & S_IFMT) === S_IFDIR ? 2 : 1) : 1;
        const fields = [e ? ino++ : 0, mode, e?.uid ?? 0, e?.gid ?? 0, nlink, e?.mtime ?? 0, data.length, 0, 0, 0, 0, name.length, 0];
        parts.push(header(fields), name, Buffer.alloc(pad4(HEADER_LEN + name.length)), data, Buffer.alloc(pad4(data.length)));
    };
    entries.forEach(push);
    push(null);
    return Buffer.concat(parts);
}

/**
 * An empty archive (just the trailer) padded to 512 bytes like `cpio -o -H newc </dev/null`.
 *
 * Putting this *in front of* a compressed install.img is what makes an appended overlay survive the
 * bootloaders: mboot.c32 and GRUB transparently gunzip a module that starts with the gzip magic and
 * keep only the first member, silently dropping an appended archive. A module starting with
 * "070701" is passed through raw and the kernel unpacks every segment (feasibility report §2.3).
 */
export function emptyNewc(): Buffer {
    const archive = writeNewc([]);
    return Buffer.concat([archive, Buffer.alloc((512 - (archive.length % 512)) % 512)]);
}

export interface OverlayFile {
    /** Absolute or relative path in the image, e.g. "/answerfile.xml". */
    path: string;
    data: Buffer;
    /** Permission bits; @default 0o644 */
    mode?: number;
}

/**
 * A gzip'd newc archive holding `files` and every parent directory they need (the kernel does not
 * create missing parents), all owned by root, with a fixed mtime and gzip header so identical
 * input gives identical bytes.
 */
export function buildOverlay(files: OverlayFile[], mtime: number): Buffer {
    const dirs = new Set<string>();
    const normalized = files.map((f) => ({ ...f, path: f.path.replace(/^\.?\/+/, "") }));
    for (const f of normalized) {
        const parts = f.path.split("/");
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    const entries: NewcEntry[] = [
        ...[...dirs].sort().map((d) => ({ name: d, mode: S_IFDIR | 0o755, uid: 0, gid: 0, mtime, data: Buffer.alloc(0) })),
        ...normalized
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
            .map((f) => ({ name: f.path, mode: S_IFREG | (f.mode ?? 0o644), uid: 0, gid: 0, mtime, data: f.data })),
    ];
    // Node writes a gzip header with mtime 0 and no file name, like `gzip -n`.
    return zlib.gzipSync(writeNewc(entries), { level: 9 });
}

/** Identifies the data at `offset` by its magic bytes. */
export function detectCompression(buf: Buffer, offset = 0): Compression | "unknown" {
    const at = (bytes: number[]) => bytes.every((b, i) => buf[offset + i] === b);
    const text = buf.toString("latin1", offset, offset + 6);
    if (text === NEWC_MAGIC || text === NEWC_CRC_MAGIC) return "none";
    if (at([0x1f, 0x8b])) return "gzip";
    if (at([0x42, 0x5a, 0x68])) return "bzip2";
    if (at([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return "xz";
    if (at([0x28, 0xb5, 0x2f, 0xfd])) return "zstd";
    if (at([0x02, 0x21, 0x4c, 0x18])) return "lz4";
    if (at([0x5d, 0x00, 0x00])) return "lzma";
    return "unknown";
}

export interface InitramfsSegment {
    /** Byte offset of the segment in the image. */
    offset: number;
    /** Length of the segment in the image (compressed length for a compressed segment). */
    length: number;
    compression: Compression;
    entries: NewcEntry[];
}

export interface Initramfs {
    segments: InitramfsSegment[];
    /** The file system the kernel ends up with: later segments override earlier ones. */
    files: Record<string, NewcEntry>;
}

export class InitramfsFormatError extends Error {
    override name = "InitramfsFormatError";
}

/** Reads every segment of an initramfs image, compressed or not, the way the kernel unpacks it. */
export function readInitramfs(image: Buffer): Initramfs {
    const segments: InitramfsSegment[] = [];
    let pos = 0;
    while (pos < image.length) {
        if (image[pos] === 0) { pos++; continue; } // zero padding between archives
        const compression = detectCompression(image, pos);
        if (compression === "unknown") {
            throw new InitramfsFormatError(`unrecognised data at byte ${pos} of the initramfs: ${image.subarray(pos, pos + 6).toString("hex")}`);
        }
        if (compression === "none") {
            const { entries, end } = parseNewc(image, pos);
            segments.push({ offset: pos, length: end - pos, compression, entries });
            pos = end;
            continue;
        }
        const { data, consumed } = decompressSegment(image, pos, compression);
        const entries: NewcEntry[] = [];
        for (let p = 0; p < data.length;) {
            if (data[p] === 0) { p++; continue; }
            const parsed = parseNewc(data, p);
            entries.push(...parsed.entries);
            p = parsed.end;
        }
        segments.push({ offset: pos, length: consumed, compression, entries });
        pos += consumed;
    }
    const files: Record<string, NewcEntry> = {};
    for (const s of segments) for (const e of s.entries) files[e.name.replace(/^\.?\/+/, "")] = e;
    delete files["."];
    delete files[""];
    return { segments, files };
}

/** Parses one newc archive starting at `start`; returns its entries and the offset after the trailer. */
function parseNewc(buf: Buffer, start: number): { entries: NewcEntry[]; end: number } {
    const entries: NewcEntry[] = [];
    let pos = start;
    for (;;) {
        const magic = buf.toString("latin1", pos, pos + 6);
        if (magic !== NEWC_MAGIC && magic !== NEWC_CRC_MAGIC) {
            throw new InitramfsFormatError(`bad cpio header at byte ${pos}: expected newc magic 070701, got ${JSON.stringify(magic)}`);
        }
        const field = (i: number) => parseInt(buf.toString("latin1", pos + 6 + i * 8, pos + 14 + i * 8), 16);
        const mode = field(1), uid = field(2), gid = field(3), mtime = field(5), size = field(6), nameSize = field(11);
        const nameStart = pos + HEADER_LEN;
        const name = buf.toString("utf8", nameStart, nameStart + nameSize - 1);
        const dataStart = nameStart + nameSize + pad4(HEADER_LEN + nameSize);
        if (dataStart + size > buf.length) throw new InitramfsFormatError(`truncated cpio entry ${JSON.stringify(name)} at byte ${pos}`);
        pos = dataStart + size + pad4(size);
        if (name === TRAILER) return { entries, end: pos };
        entries.push({ name, mode, uid, gid, mtime, data: buf.subarray(dataStart, dataStart + size) });
    }
}

/** Decompresses the one compressed stream that starts at `pos`; reports how many input bytes it used. */
function decompressSegment(image: Buffer, pos: number, compression: Exclude<Compression, "none">): { data: Buffer; consumed: number } {
    const rest = image.subarray(pos);
    if (compression === "gzip") return gunzipOneMember(rest);
    const end = compression === "bzip2" ? bzip2StreamLength(rest)
        : compression === "zstd" ? zstdFrameLength(rest)
            : compression === "xz" ? xzStreamLength(rest)
                : rest.length; // lzma-alone and lz4 legacy frames carry no end marker: they run to the end
    const segment = rest.subarray(0, end);
    const tool = { bzip2: ["bzip2", "-dc"], zstd: ["zstd", "-dcq"], xz: ["xz", "-dc", "--single-stream"], lzma: ["xz", "-dc", "--format=lzma"], lz4: ["lz4", "-dc"] }[compression];
    const result = spawnSync(tool[0], tool.slice(1), { input: segment, maxBuffer: 4 * 1024 ** 3 });
    if (result.error) throw new InitramfsFormatError(`cannot decompress the ${compression} segment at byte ${pos}: ${result.error.message} (is ${tool[0]} installed?)`);
    if (result.status !== 0) throw new InitramfsFormatError(`cannot decompress the ${compression} segment at byte ${pos}: ${tool.join(" ")} said ${result.stderr.toString().trim()}`);
    return { data: result.stdout, consumed: end };
}

/**
 * Inflates exactly one gzip member. zlib.gunzip would run on into the next member and fail when
 * that is not gzip (a bzip2 base followed by our gzip overlay, say), so the header is parsed here
 * and the deflate body inflated raw; the member ends with an 8-byte CRC32 + ISIZE trailer.
 */
function gunzipOneMember(buf: Buffer): { data: Buffer; consumed: number } {
    const flags = buf[3];
    let pos = 10;
    if (flags & 4) pos += 2 + buf.readUInt16LE(pos); // FEXTRA
    if (flags & 8) pos = buf.indexOf(0, pos) + 1; // FNAME
    if (flags & 16) pos = buf.indexOf(0, pos) + 1; // FCOMMENT
    if (flags & 2) pos += 2; // FHCRC
    const { buffer, engine } = zlib.inflateRawSync(buf.subarray(pos), { info: true }) as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
    return { data: buffer, consumed: pos + engine.bytesWritten + 8 };
}

/**
 * A bzip2 stream ends with the 48-bit end-of-stream magic 0x177245385090 (at any bit offset),
 * a 32-bit CRC, and padding to the next byte. Scanning bit by bit is far too slow for a 300 MB
 * install.img, so for each of the 8 bit shifts the 5 whole bytes the magic must contain are found
 * with Buffer.indexOf and only the partial bytes around them are checked.
 */
function bzip2StreamLength(buf: Buffer): number {
    const MAGIC = 0x177245385090n;
    let best = -1;
    for (let shift = 0; shift < 8; shift++) {
        // The magic seen through a 7-byte window whose first bit is `shift` bits before the magic.
        const window = MAGIC << BigInt(8 - shift);
        const bytes = Buffer.alloc(7);
        for (let i = 0; i < 7; i++) bytes[i] = Number((window >> BigInt(8 * (6 - i))) & 0xffn);
        const firstMask = 0xff >> shift; // bits of window byte 0 that belong to the magic
        const lastMask = (0xff << (8 - shift)) & 0xff; // bits of window byte 6 that belong to it
        const needle = bytes.subarray(1, 6);
        for (let at = buf.indexOf(needle, 5); at >= 0; at = buf.indexOf(needle, at + 1)) {
            const start = at - 1;
            if (start + 7 > buf.length) break;
            if ((buf[start] & firstMask) !== bytes[0] || (buf[start + 6] & lastMask) !== bytes[6]) continue;
            const endBit = start * 8 + shift + 48 + 32; // magic, then the 32-bit stream CRC
            const end = Math.ceil(endBit / 8);
            if (best < 0 || end < best) best = end;
            break;
        }
    }
    return best < 0 ? buf.length : Math.min(best, buf.length);
}

/** Walks a zstd frame (header, then blocks until the last-block flag, then the optional checksum). */
function zstdFrameLength(buf: Buffer): number {
    const fhd = buf[4];
    const dictIdSize = [0, 1, 2, 4][fhd & 3];
    const singleSegment = (fhd >> 5) & 1;
    const fcsSize = [singleSegment ? 1 : 0, 2, 4, 8][fhd >> 6];
    let pos = 5 + (singleSegment ? 0 : 1) + dictIdSize + fcsSize;
    for (;;) {
        const blockHeader = buf.readUIntLE(pos, 3);
        const last = blockHeader & 1, type = (blockHeader >> 1) & 3, size = blockHeader >> 3;
        pos += 3 + (type === 1 ? 1 : size); // RLE blocks store one byte
        if (last) break;
    }
    return pos + ((fhd >> 2) & 1 ? 4 : 0);
}

/** An xz stream ends with a 12-byte footer finishing in "YZ", then zero padding in 4-byte units. */
function xzStreamLength(buf: Buffer): number {
    for (let i = 12 + 12; i + 2 <= buf.length; i += 4) {
        const footerMatches = buf[i - 2] === 0x59 && buf[i - 1] === 0x5a && buf[i - 4] === buf[6] && buf[i - 3] === buf[7]
            && zlib.crc32(buf.subarray(i - 8, i - 2)) === buf.readUInt32LE(i - 12);
        if (footerMatches) {
            let end = i;
            while (end + 4 <= buf.length && buf.readUInt32LE(end) === 0) end += 4;
            return end;
        }
    }
    return buf.length;
}
