/**
 * A small read-only FAT12/16/32 reader for the El Torito EFI image of an installer ISO
 * (boot/efiboot.img): enough to tell whether the firmware finds \EFI\BOOT\BOOTX64.EFI in it and to
 * read the grub.cfg copy GRUB finds there. Long (VFAT) names are supported because "xenserver" is
 * not an 8.3 name. Layout facts: Microsoft's "FAT: General Overview of On-Disk Format" 1.03.
 */

export class FatFormatError extends Error {
    override name = "FatFormatError";
}

interface DirEntry {
    name: string;
    isDir: boolean;
    cluster: number;
    size: number;
}

export class FatImage {
    readonly type: 12 | 16 | 32;
    private readonly bytesPerSector: number;
    private readonly sectorsPerCluster: number;
    private readonly fatOffset: number;
    private readonly rootDirOffset: number;
    private readonly rootDirBytes: number;
    private readonly rootCluster: number;
    private readonly dataOffset: number;
    private readonly clusterCount: number;

    /** @param image the whole file system image (a few MiB for efiboot.img) */
    constructor(private readonly image: Buffer, readonly label = "FAT image") {
        if (image.length < 512 || image[510] !== 0x55 || image[511] !== 0xaa) {
            throw new FatFormatError(`${label} is not a FAT file system: no boot sector signature 55 AA`);
        }
        const bps = image.readUInt16LE(11);
        const spc = image[13];
        const reserved = image.readUInt16LE(14);
        const fats = image[16];
        const rootEntries = image.readUInt16LE(17);
        const totalSectors = image.readUInt16LE(19) || image.readUInt32LE(32);
        const fatSectors = image.readUInt16LE(22) || image.readUInt32LE(36);
        if (![512, 1024, 2048, 4096].includes(bps) || spc === 0 || fats === 0 || fatSectors === 0) {
            throw new FatFormatError(`${label} is not a FAT file system: implausible BPB (bytes/sector ${bps}, sectors/cluster ${spc}, FATs ${fats})`);
        }
        const rootDirSectors = Math.ceil((rootEntries * 32) / bps);
        const firstData = reserved + fats * fatSectors + rootDirSectors;
        this.clusterCount = Math.floor((totalSectors - firstData) / spc);
        this.type = this.clusterCount < 4085 ? 12 : this.clusterCount < 65525 ? 16 : 32;
        this.bytesPerSector = bps;
        this.sectorsPerCluster = spc;
        this.fatOffset = reserved * bps;
        this.rootDirOffset = (reserved + fats * fatSectors) * bps;
        this.rootDirBytes = rootDirSectors * bps;
        this.rootCluster = this.type === 32 ? image.readUInt32LE(44) : 0;
        this.dataOffset = firstData * bps;
    }

    /** Reads a file by path ("/EFI/BOOT/BOOTX64.EFI"); names match case-insensitively, like FAT does. */
    readFile(path: string): Buffer | undefined {
        const entry = this.lookup(path);
        if (!entry || entry.isDir) return undefined;
        return this.readChain(entry.cluster, entry.size);
    }

    exists(path: string): boolean {
        return this.lookup(path) !== undefined;
    }

    private lookup(path: string): DirEntry | undefined {
        const parts = path.split(/[/\\]/).filter(Boolean);
        let dir: DirEntry[] = this.rootEntries();
        let found: DirEntry | undefined;
        for (const [i, part] of parts.entries()) {
            found = dir.find((e) => e.name.toLowerCase() === part.toLowerCase());
            if (!found) return undefined;
            if (i < parts.length - 1) {
                if (!found.isDir) return undefined;
                dir = this.parseDir(this.readChain(found.cluster));
            }
        }
        return found;
    }

    private rootEntries(): DirEntry[] {
        if (this.type === 32) return this.parseDir(this.readChain(this.rootCluster));
        return this.parseDir(this.image.subarray(this.rootDirOffset, this.rootDirOffset + this.rootDirBytes));
    }

    private next(cluster: number): number {
        if (this.type === 12) {
            const v = this.image.readUInt16LE(this.fatOffset + cluster + (cluster >> 1));
            return cluster & 1 ? v >> 4 : v & 0xfff;
        }
        if (this.type === 16) return this.image.readUInt16LE(this.fatOffset + cluster * 2);
        return this.image.readUInt32LE(this.fatOffset + cluster * 4) & 0x0fffffff;
    }

    private readChain(first: number, size?: number): Buffer {
        const clusterBytes = this.bytesPerSector * this.sectorsPerCluster;
        const end = this.type === 12 ? 0xff8 : this.type === 16 ? 0xfff8 : 0x0ffffff8;
        const parts: Buffer[] = [];
        let total = 0;
        for (let c = first, guard = 0; c >= 2 && c < end && guard <= this.clusterCount; c = this.next(c), guard++) {
            const off = this.dataOffset + (c - 2) * clusterBytes;
            parts.push(this.image.subarray(off, off + clusterBytes));
            total += clusterBytes;
            if (size !== undefined && total >= size) break;
        }
        const data = Buffer.concat(parts);
        return size === undefined ? data : data.subarray(0, size);
    }

    private parseDir(data: Buffer): DirEntry[] {
        const entries: DirEntry[] = [];
        let longName: string[] = [];
        for (let p = 0; p + 32 <= data.length; p += 32) {
            const first = data[p];
            if (first === 0) break;
            if (first === 0xe5) { longName = []; continue; }
            const attr = data[p + 11];
            if (attr === 0x0f) {
                // A VFAT long-name slot: 13 UCS-2 characters in three runs; slots come last-first.
                const chars = Buffer.concat([data.subarray(p + 1, p + 11), data.subarray(p + 14, p + 26), data.subarray(p + 28, p + 32)]);
                let text = "";
                for (let i = 0; i + 2 <= chars.length; i += 2) {
                    const code = chars.readUInt16LE(i);
                    if (code === 0 || code === 0xffff) break;
                    text += String.fromCharCode(code);
                }
                if (first & 0x40) longName = [];
                longName.unshift(text);
                continue;
            }
            if (attr & 0x08) { longName = []; continue; } // volume label
            const ntFlags = data[p + 12];
            let base = data.toString("latin1", p, p + 8).trimEnd();
            let ext = data.toString("latin1", p + 8, p + 11).trimEnd();
            if (ntFlags & 0x08) base = base.toLowerCase();
            if (ntFlags & 0x10) ext = ext.toLowerCase();
            const shortName = ext ? `${base}.${ext}` : base;
            const name = longName.length > 0 ? longName.join("") : shortName;
            longName = [];
            if (name === "." || name === "..") continue;
            const cluster = (this.type === 32 ? data.readUInt16LE(p + 20) * 0x10000 : 0) + data.readUInt16LE(p + 26);
            entries.push({ name, isDir: (attr & 0x10) !== 0, cluster, size: data.readUInt32LE(p + 28) });
        }
        return entries;
    }
}
