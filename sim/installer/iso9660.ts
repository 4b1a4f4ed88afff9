/**
 * A small read-only ISO 9660 reader: the primary volume descriptor, the directory tree with Rock
 * Ridge names (so `isolinux.cfg` is found by its real name, not `ISOLINUX.CFG;1`), and the El
 * Torito boot catalog (which tells whether a BIOS and/or a UEFI boot image exists, and where).
 *
 * It reads with positional reads on a file descriptor, so a 700 MiB installer ISO costs only the
 * directory sectors plus the files actually asked for. Layout facts: ECMA-119 (ISO 9660), IEEE
 * P1282 (Rock Ridge) over P1281 (SUSP), and the El Torito specification 1.0.
 */
import * as fs from "node:fs";

const SECTOR = 2048;
/** Volume descriptors start at sector 16 (the first 32 KiB are the system area). */
const FIRST_DESCRIPTOR = 16;

export class IsoFormatError extends Error {
    override name = "IsoFormatError";
}

export interface IsoEntry {
    /** Absolute path with Rock Ridge names when present, e.g. "/boot/isolinux/isolinux.cfg". */
    path: string;
    isDir: boolean;
    /** First logical block of the data. */
    lba: number;
    size: number;
}

export type BootPlatform = "bios" | "uefi" | "other";

export interface BootImage {
    platform: BootPlatform;
    /** The raw El Torito platform id (0 = x86 BIOS, 0xEF = EFI). */
    platformId: number;
    /** Boot indicator 0x88: the firmware may boot it. */
    bootable: boolean;
    lba: number;
    /** Sector count in 512-byte virtual sectors, as the catalog records it (0 or 1 is common for EFI). */
    sectorCount: number;
}

const le32 = (b: Buffer, o: number) => b.readUInt32LE(o);

/** An open ISO image. Call close() when done. */
export class IsoImage {
    readonly volumeId: string;
    /** Whether directory records carry Rock Ridge names. */
    readonly rockRidge: boolean;
    private readonly entries = new Map<string, IsoEntry>();
    private readonly byLba = new Map<number, IsoEntry>();
    private readonly bootCatalogLba: number | undefined;

    private constructor(private readonly fd: number, readonly file: string) {
        let pvd: Buffer | undefined;
        let catalog: number | undefined;
        for (let sector = FIRST_DESCRIPTOR; sector < FIRST_DESCRIPTOR + 64; sector++) {
            const vd = this.read(sector * SECTOR, SECTOR);
            if (vd.length < SECTOR || vd.toString("latin1", 1, 6) !== "CD001") {
                throw new IsoFormatError(`not an ISO 9660 image: ${file} has no volume descriptor "CD001" at sector ${sector}`);
            }
            const type = vd[0];
            if (type === 255) break;
            if (type === 1 && !pvd) pvd = vd;
            if (type === 0 && vd.toString("latin1", 7, 30) === "EL TORITO SPECIFICATION") catalog = le32(vd, 0x47);
        }
        if (!pvd) throw new IsoFormatError(`not an ISO 9660 image: ${file} has no primary volume descriptor`);
        if (pvd.readUInt16LE(128) !== SECTOR) {
            throw new IsoFormatError(`unsupported ISO 9660 logical block size ${pvd.readUInt16LE(128)} in ${file} (only 2048 is supported)`);
        }
        this.volumeId = pvd.toString("latin1", 40, 72).trim();
        this.bootCatalogLba = catalog;
        const root = pvd.subarray(156, 156 + 34);
        const rootEntry: IsoEntry = { path: "/", isDir: true, lba: le32(root, 2), size: le32(root, 10) };
        this.entries.set("/", rootEntry);
        this.rockRidge = this.walk(rootEntry);
    }

    /** Opens an image; throws IsoFormatError when the file is not ISO 9660, fs errors when unreadable. */
    static open(file: string): IsoImage {
        const fd = fs.openSync(file, "r");
        try {
            return new IsoImage(fd, file);
        } catch (err) {
            fs.closeSync(fd);
            throw err;
        }
    }

    close(): void {
        fs.closeSync(this.fd);
    }

    /**
     * Finds a file or directory. Exact (Rock Ridge) names win; otherwise the lookup is
     * case-insensitive, the way isolinux matches plain ISO 9660 names.
     */
    find(path: string): IsoEntry | undefined {
        const wanted = normalize(path);
        const exact = this.entries.get(wanted);
        if (exact) return exact;
        const lower = wanted.toLowerCase();
        for (const [p, e] of this.entries) if (p.toLowerCase() === lower) return e;
        return undefined;
    }

    /** The entry whose data starts at `lba` (how the El Torito catalog names its boot images). */
    findByLba(lba: number): IsoEntry | undefined {
        return this.byLba.get(lba);
    }

    /** Every path in the image, directories included. */
    paths(): string[] {
        return [...this.entries.keys()];
    }

    readFile(entry: IsoEntry | string): Buffer {
        const e = typeof entry === "string" ? this.find(entry) : entry;
        if (!e || e.isDir) throw new IsoFormatError(`no such file in ${this.file}: ${typeof entry === "string" ? entry : entry.path}`);
        return this.read(e.lba * SECTOR, e.size);
    }

    /** Reads `length` bytes at block `lba` (for boot images that are not files). */
    readBlocks(lba: number, length: number): Buffer {
        return this.read(lba * SECTOR, length);
    }

    /** The El Torito boot images, default entry first; empty when the image is not bootable. */
    bootImages(): BootImage[] {
        if (this.bootCatalogLba === undefined) return [];
        const cat = this.read(this.bootCatalogLba * SECTOR, SECTOR);
        // Validation entry: header id 1 and the key bytes 55 AA.
        if (cat[0] !== 1 || cat[30] !== 0x55 || cat[31] !== 0xaa) return [];
        const images: BootImage[] = [];
        const entry = (off: number, platformId: number) => {
            images.push({
                platform: platformId === 0 ? "bios" : platformId === 0xef ? "uefi" : "other",
                platformId,
                bootable: cat[off] === 0x88,
                sectorCount: cat.readUInt16LE(off + 6),
                lba: le32(cat, off + 8),
            });
        };
        entry(32, cat[1]);
        for (let off = 64; off + 32 <= cat.length;) {
            const header = cat[off];
            if (header !== 0x90 && header !== 0x91) break;
            const platformId = cat[off + 1];
            const count = cat.readUInt16LE(off + 2);
            off += 32;
            for (let i = 0; i < count && off + 32 <= cat.length; off += 32) {
                if (cat[off] === 0x44) continue; // extension record of the previous entry
                entry(off, platformId);
                i++;
            }
            if (header === 0x91) break;
        }
        return images;
    }

    private read(position: number, length: number): Buffer {
        const buf = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
            const n = fs.readSync(this.fd, buf, done, length - done, position + done);
            if (n === 0) break;
            done += n;
        }
        return done === length ? buf : buf.subarray(0, done);
    }

    /** Walks the tree below `dir`; returns whether Rock Ridge names were seen. */
    private walk(dir: IsoEntry): boolean {
        let rockRidge = false;
        const pending: IsoEntry[] = [dir];
        const visited = new Set<number>();
        while (pending.length > 0) {
            const current = pending.pop() as IsoEntry;
            if (visited.has(current.lba)) continue;
            visited.add(current.lba);
            const data = this.read(current.lba * SECTOR, current.size);
            for (let pos = 0; pos < data.length;) {
                const len = data[pos];
                if (len === 0) { pos = (Math.floor(pos / SECTOR) + 1) * SECTOR; continue; } // records never cross sectors
                const rec = data.subarray(pos, pos + len);
                pos += len;
                const nameLen = rec[32];
                if (nameLen === 1 && (rec[33] === 0 || rec[33] === 1)) continue; // "." and ".."
                const flags = rec[25];
                const susp = rec.subarray(33 + nameLen + (nameLen % 2 === 0 ? 1 : 0));
                const rr = this.rockRidgeName(susp);
                if (rr.relocated) continue; // a relocated deep directory appears again through its CL link
                rockRidge ||= rr.name !== undefined;
                const name = rr.name ?? isoName(rec.toString("latin1", 33, 33 + nameLen), (flags & 2) !== 0);
                const lba = rr.childLink ?? le32(rec, 2);
                const entry: IsoEntry = {
                    path: current.path === "/" ? `/${name}` : `${current.path}/${name}`,
                    isDir: (flags & 2) !== 0 || rr.childLink !== undefined,
                    lba,
                    size: le32(rec, 10),
                };
                if (rr.childLink !== undefined) entry.size = this.read(lba * SECTOR, 34).readUInt32LE(10);
                // A multi-extent file (flag 0x80) continues in the next record; installer media have none.
                this.entries.set(entry.path, entry);
                if (!entry.isDir) this.byLba.set(entry.lba, entry);
                if (entry.isDir) pending.push(entry);
            }
        }
        return rockRidge;
    }

    /** Reads the SUSP entries of one record: the Rock Ridge NM name, RE and CL markers, following CE. */
    private rockRidgeName(area: Buffer): { name?: string; relocated: boolean; childLink?: number } {
        let name: string | undefined;
        let relocated = false;
        let childLink: number | undefined;
        let guard = 0;
        for (let buf: Buffer | undefined = area; buf && guard++ < 16;) {
            let next: Buffer | undefined;
            for (let p = 0; p + 4 <= buf.length;) {
                const sig = buf.toString("latin1", p, p + 2);
                const len = buf[p + 2];
                if (len < 4 || p + len > buf.length) break;
                if (sig === "NM") {
                    const nmFlags = buf[p + 4];
                    if ((nmFlags & 6) === 0) name = (name ?? "") + buf.toString("utf8", p + 5, p + len);
                } else if (sig === "RE") {
                    relocated = true;
                } else if (sig === "CL") {
                    childLink = le32(buf, p + 4);
                } else if (sig === "CE") {
                    next = this.read(le32(buf, p + 4) * SECTOR + le32(buf, p + 12), le32(buf, p + 20));
                } else if (sig === "ST") {
                    break;
                }
                p += len;
            }
            buf = next;
        }
        return { name, relocated, childLink };
    }
}

/** A plain ISO 9660 name without its version suffix (";1") and without the dot of an empty extension. */
function isoName(raw: string, isDir: boolean): string {
    if (isDir) return raw;
    return raw.replace(/;\d+$/, "").replace(/\.$/, "");
}

function normalize(p: string): string {
    const parts = p.split("/").filter((s) => s !== "" && s !== ".");
    const out: string[] = [];
    for (const s of parts) {
        if (s === "..") out.pop();
        else out.push(s);
    }
    return "/" + out.join("/");
}

/** Joins an ISO path to a directory the way a bootloader resolves a relative file name. */
export function resolveIsoPath(dir: string, file: string): string {
    return normalize(file.startsWith("/") ? file : `${dir}/${file}`);
}
