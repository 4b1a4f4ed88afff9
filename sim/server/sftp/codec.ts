/**
 * SFTP version 3 wire format (draft-ietf-secsh-filexfer-02) with the OpenSSH extensions the
 * simulated host offers: packet framing, the few primitive types, and file attributes.
 */
import type { Stats } from "node:fs";

export const TYPE = {
    INIT: 1, VERSION: 2, OPEN: 3, CLOSE: 4, READ: 5, WRITE: 6, LSTAT: 7, FSTAT: 8, SETSTAT: 9, FSETSTAT: 10,
    OPENDIR: 11, READDIR: 12, REMOVE: 13, MKDIR: 14, RMDIR: 15, REALPATH: 16, STAT: 17, RENAME: 18, READLINK: 19,
    SYMLINK: 20, STATUS: 101, HANDLE: 102, DATA: 103, NAME: 104, ATTRS: 105, EXTENDED: 200, EXTENDED_REPLY: 201,
} as const;

export const STATUS = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, BAD_MESSAGE: 5, OP_UNSUPPORTED: 8 } as const;

export const OPEN_FLAGS = { READ: 1, WRITE: 2, APPEND: 4, CREAT: 8, TRUNC: 0x10, EXCL: 0x20 } as const;

const ATTR = { SIZE: 1, UIDGID: 2, PERMISSIONS: 4, ACMODTIME: 8, EXTENDED: 0x80000000 } as const;

export interface Attrs {
    size?: number;
    uid?: number;
    gid?: number;
    mode?: number;
    atime?: number;
    mtime?: number;
}

export class SftpProtocolError extends Error {
    override name = "SftpProtocolError";
}

/** Reads the fields of one packet payload in order. */
export class Reader {
    private pos = 0;
    constructor(private readonly buf: Buffer) {}

    private need(n: number): void {
        if (this.pos + n > this.buf.length) throw new SftpProtocolError(`truncated SFTP packet: need ${n} more bytes at offset ${this.pos} of ${this.buf.length}`);
    }

    byte(): number { this.need(1); return this.buf[this.pos++]; }
    uint32(): number { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v; }
    uint64(): number { this.need(8); const v = this.buf.readBigUInt64BE(this.pos); this.pos += 8; return Number(v); }
    bytes(): Buffer { const n = this.uint32(); this.need(n); const v = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return v; }
    string(): string { return this.bytes().toString("utf8"); }

    attrs(): Attrs {
        const flags = this.uint32();
        const a: Attrs = {};
        if (flags & ATTR.SIZE) a.size = this.uint64();
        if (flags & ATTR.UIDGID) { a.uid = this.uint32(); a.gid = this.uint32(); }
        if (flags & ATTR.PERMISSIONS) a.mode = this.uint32();
        if (flags & ATTR.ACMODTIME) { a.atime = this.uint32(); a.mtime = this.uint32(); }
        if (flags & ATTR.EXTENDED) {
            const count = this.uint32();
            for (let i = 0; i < count; i++) { this.bytes(); this.bytes(); }
        }
        return a;
    }
}

/** Builds one packet: length, type, then fields. */
export class Writer {
    private parts: Buffer[] = [];

    constructor(type: number) { this.parts.push(Buffer.from([type])); }

    uint32(v: number): this { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); this.parts.push(b); return this; }
    uint64(v: number): this { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(v)))); this.parts.push(b); return this; }
    bytes(v: Buffer): this { this.uint32(v.length); this.parts.push(v); return this; }
    string(v: string): this { return this.bytes(Buffer.from(v, "utf8")); }

    attrs(a: Attrs): this {
        let flags = 0;
        if (a.size !== undefined) flags |= ATTR.SIZE;
        if (a.uid !== undefined && a.gid !== undefined) flags |= ATTR.UIDGID;
        if (a.mode !== undefined) flags |= ATTR.PERMISSIONS;
        if (a.atime !== undefined && a.mtime !== undefined) flags |= ATTR.ACMODTIME;
        this.uint32(flags);
        if (a.size !== undefined) this.uint64(a.size);
        if (flags & ATTR.UIDGID) this.uint32(a.uid as number).uint32(a.gid as number);
        if (a.mode !== undefined) this.uint32(a.mode);
        if (flags & ATTR.ACMODTIME) this.uint32(a.atime as number).uint32(a.mtime as number);
        return this;
    }

    packet(): Buffer {
        const body = Buffer.concat(this.parts);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(body.length);
        return Buffer.concat([len, body]);
    }
}

export function attrsOf(st: Stats): Attrs {
    return { size: st.size, uid: st.uid, gid: st.gid, mode: st.mode, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

/** The `ls -l` line OpenSSH's sftp server sends as a directory entry's longname. */
export function longName(name: string, st: Stats): string {
    const type = st.isDirectory() ? "d" : st.isSymbolicLink() ? "l" : st.isFIFO() ? "p" : st.isSocket() ? "s" : st.isCharacterDevice() ? "c" : st.isBlockDevice() ? "b" : "-";
    const rwx = (bits: number) => `${bits & 4 ? "r" : "-"}${bits & 2 ? "w" : "-"}${bits & 1 ? "x" : "-"}`;
    const perms = type + rwx(st.mode >> 6) + rwx(st.mode >> 3) + rwx(st.mode);
    const date = new Date(st.mtimeMs);
    const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
    const recent = Math.abs(Date.now() - st.mtimeMs) < 182 * 24 * 3600 * 1000;
    const when = recent
        ? `${month} ${String(date.getUTCDate()).padStart(2)} ${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}`
        : `${month} ${String(date.getUTCDate()).padStart(2)}  ${date.getUTCFullYear()}`;
    return `${perms} ${String(st.nlink).padStart(4)} ${String(st.uid).padEnd(8)} ${String(st.gid).padEnd(8)} ${String(st.size).padStart(8)} ${when} ${name}`;
}
