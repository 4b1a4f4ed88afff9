/**
 * An SFTP v3 server on the real file system, for the simulated host's `sftp` subsystem. Paths are
 * used as given when absolute and relative to the session's home otherwise, like OpenSSH's
 * sftp-server. ssh2's built-in server-side SFTP cannot advertise extensions, so the protocol is
 * spoken here directly; it offers what OpenSSH's does and clients use: posix-rename@openssh.com,
 * statvfs@openssh.com, fstatvfs@openssh.com, hardlink@openssh.com, fsync@openssh.com and
 * limits@openssh.com (which lets ssh2's fastPut/fastGet use 255 KiB requests).
 *
 * Requests are served concurrently (fastPut keeps 64 writes in flight); each reply carries its
 * request id, so the order of replies does not matter.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServerChannel } from "ssh2";
import { Attrs, attrsOf, longName, OPEN_FLAGS, Reader, SftpProtocolError, STATUS, TYPE, Writer } from "./codec";

/** The limits OpenSSH's sftp-server reports (256 KiB packets, 255 KiB reads and writes). */
const MAX_PACKET = 256 * 1024;
const MAX_IO = MAX_PACKET - 1024;
const MAX_HANDLES = 512;
const READDIR_BATCH = 100;
const EXTENSIONS: [string, string][] = [
    ["posix-rename@openssh.com", "1"], ["statvfs@openssh.com", "2"], ["fstatvfs@openssh.com", "2"],
    ["hardlink@openssh.com", "1"], ["fsync@openssh.com", "1"], ["limits@openssh.com", "1"],
];

/** The messages OpenSSH's sftp-server sends with each status code (clients show them as is). */
const STATUS_TEXT: Record<number, string> = {
    [STATUS.OK]: "Success", [STATUS.EOF]: "End of file", [STATUS.NO_SUCH_FILE]: "No such file", [STATUS.PERMISSION_DENIED]: "Permission denied",
    [STATUS.FAILURE]: "Failure", [STATUS.BAD_MESSAGE]: "Bad message", [STATUS.OP_UNSUPPORTED]: "Operation unsupported",
};

type Handle = { kind: "file"; fh: fs.promises.FileHandle; path: string } | { kind: "dir"; path: string; names: string[] | null };

export interface SftpOptions {
    home: string;
    /** OpenSSH clients send SYMLINK's two paths in the reverse of the draft's order (as OpenSSH's server expects). */
    openSshSymlinkOrder: boolean;
    log: (line: string) => void;
}

export function serveSftp(channel: ServerChannel, options: SftpOptions): void {
    const handles = new Map<string, Handle>();
    let nextHandle = 1;
    let inbox: Buffer = Buffer.alloc(0);
    let initialised = false;
    const send = (w: Writer) => { if (channel.writable) channel.write(w.packet()); };
    const status = (id: number, code: number, message = STATUS_TEXT[code] ?? "Failure") => send(new Writer(TYPE.STATUS).uint32(id).uint32(code).string(message).string(""));
    const resolve = (p: string) => path.resolve(options.home, p === "" ? "." : p);
    const handleOf = (r: Reader) => handles.get(r.bytes().toString("hex"));
    const newHandle = (h: Handle) => {
        if (handles.size >= MAX_HANDLES) throw Object.assign(new Error("too many open handles"), { code: "EMFILE" });
        const id = Buffer.alloc(4);
        id.writeUInt32BE(nextHandle++);
        handles.set(id.toString("hex"), h);
        return id;
    };

    const handlers: Record<number, (id: number, r: Reader) => Promise<void>> = {
        [TYPE.OPEN]: async (id, r) => {
            const file = resolve(r.string());
            const pflags = r.uint32();
            const attrs = r.attrs();
            const c = fs.constants;
            let flags = pflags & OPEN_FLAGS.READ && pflags & OPEN_FLAGS.WRITE ? c.O_RDWR : pflags & OPEN_FLAGS.WRITE ? c.O_WRONLY : c.O_RDONLY;
            if (pflags & OPEN_FLAGS.CREAT) flags |= c.O_CREAT;
            if (pflags & OPEN_FLAGS.TRUNC) flags |= c.O_TRUNC;
            if (pflags & OPEN_FLAGS.EXCL) flags |= c.O_EXCL;
            if (pflags & OPEN_FLAGS.APPEND) flags |= c.O_APPEND;
            const fh = await fs.promises.open(file, flags, attrs.mode !== undefined ? attrs.mode & 0o7777 : 0o644);
            send(new Writer(TYPE.HANDLE).uint32(id).bytes(newHandle({ kind: "file", fh, path: file })));
        },
        [TYPE.CLOSE]: async (id, r) => {
            const key = r.bytes().toString("hex");
            const h = handles.get(key);
            if (!h) return status(id, STATUS.FAILURE, "invalid handle");
            handles.delete(key);
            if (h.kind === "file") await h.fh.close();
            status(id, STATUS.OK);
        },
        [TYPE.READ]: async (id, r) => {
            const h = handleOf(r);
            const offset = r.uint64();
            const len = Math.min(r.uint32(), MAX_IO);
            if (h?.kind !== "file") return status(id, STATUS.FAILURE, "invalid handle");
            const buf = Buffer.alloc(len);
            const { bytesRead } = await h.fh.read(buf, 0, len, offset);
            if (bytesRead === 0 && len > 0) return status(id, STATUS.EOF);
            send(new Writer(TYPE.DATA).uint32(id).bytes(buf.subarray(0, bytesRead)));
        },
        [TYPE.WRITE]: async (id, r) => {
            const h = handleOf(r);
            const offset = r.uint64();
            const data = r.bytes();
            if (h?.kind !== "file") return status(id, STATUS.FAILURE, "invalid handle");
            let done = 0;
            while (done < data.length) done += (await h.fh.write(data, done, data.length - done, offset + done)).bytesWritten;
            status(id, STATUS.OK);
        },
        [TYPE.LSTAT]: async (id, r) => { sendAttrs(id, await fs.promises.lstat(resolve(r.string()))); },
        [TYPE.STAT]: async (id, r) => { sendAttrs(id, await fs.promises.stat(resolve(r.string()))); },
        [TYPE.FSTAT]: async (id, r) => {
            const h = handleOf(r);
            if (!h) return status(id, STATUS.FAILURE, "invalid handle");
            sendAttrs(id, h.kind === "file" ? await h.fh.stat() : await fs.promises.stat(h.path));
        },
        [TYPE.SETSTAT]: async (id, r) => { await applyAttrs(resolve(r.string()), r.attrs()); status(id, STATUS.OK); },
        [TYPE.FSETSTAT]: async (id, r) => {
            const h = handleOf(r);
            const attrs = r.attrs();
            if (!h) return status(id, STATUS.FAILURE, "invalid handle");
            await applyAttrs(h.path, attrs, h.kind === "file" ? h.fh : undefined);
            status(id, STATUS.OK);
        },
        [TYPE.OPENDIR]: async (id, r) => {
            const dir = resolve(r.string());
            const names = await fs.promises.readdir(dir);
            send(new Writer(TYPE.HANDLE).uint32(id).bytes(newHandle({ kind: "dir", path: dir, names: [".", "..", ...names] })));
        },
        [TYPE.READDIR]: async (id, r) => {
            const h = handleOf(r);
            if (h?.kind !== "dir") return status(id, STATUS.FAILURE, "invalid handle");
            if (!h.names || h.names.length === 0) { h.names = null; return status(id, STATUS.EOF); }
            const batch = h.names.splice(0, READDIR_BATCH);
            const entries = [];
            for (const name of batch) {
                try { entries.push({ name, st: await fs.promises.lstat(path.join(h.path, name)) }); } catch { /* vanished meanwhile */ }
            }
            const w = new Writer(TYPE.NAME).uint32(id).uint32(entries.length);
            for (const e of entries) w.string(e.name).string(longName(e.name, e.st)).attrs(attrsOf(e.st));
            send(w);
        },
        [TYPE.REMOVE]: async (id, r) => { await fs.promises.unlink(resolve(r.string())); status(id, STATUS.OK); },
        [TYPE.MKDIR]: async (id, r) => {
            const dir = resolve(r.string());
            const attrs = r.attrs();
            await fs.promises.mkdir(dir, { mode: attrs.mode !== undefined ? attrs.mode & 0o7777 : 0o777 });
            status(id, STATUS.OK);
        },
        [TYPE.RMDIR]: async (id, r) => { await fs.promises.rmdir(resolve(r.string())); status(id, STATUS.OK); },
        [TYPE.REALPATH]: async (id, r) => {
            const p = resolve(r.string());
            const real = await fs.promises.realpath(p).catch(() => path.normalize(p));
            send(new Writer(TYPE.NAME).uint32(id).uint32(1).string(real).string(real).attrs({}));
        },
        [TYPE.RENAME]: async (id, r) => {
            const from = resolve(r.string());
            const to = resolve(r.string());
            // Plain SFTP rename never replaces (OpenSSH links, then unlinks): clients wanting
            // replacement use posix-rename@openssh.com.
            if (await exists(to)) return status(id, STATUS.FAILURE, `${to} already exists`);
            await fs.promises.rename(from, to);
            status(id, STATUS.OK);
        },
        [TYPE.READLINK]: async (id, r) => {
            const target = await fs.promises.readlink(resolve(r.string()));
            send(new Writer(TYPE.NAME).uint32(id).uint32(1).string(target).string(target).attrs({}));
        },
        [TYPE.SYMLINK]: async (id, r) => {
            const first = r.string();
            const second = r.string();
            const [target, link] = options.openSshSymlinkOrder ? [first, second] : [second, first];
            await fs.promises.symlink(target, resolve(link));
            status(id, STATUS.OK);
        },
        [TYPE.EXTENDED]: async (id, r) => extended(id, r.string(), r),
    };

    const extended = async (id: number, name: string, r: Reader): Promise<void> => {
        switch (name) {
            case "posix-rename@openssh.com": {
                const from = resolve(r.string());
                await fs.promises.rename(from, resolve(r.string()));
                return status(id, STATUS.OK);
            }
            case "hardlink@openssh.com": {
                const from = resolve(r.string());
                await fs.promises.link(from, resolve(r.string()));
                return status(id, STATUS.OK);
            }
            case "statvfs@openssh.com": return sendStatvfs(id, resolve(r.string()));
            case "fstatvfs@openssh.com": {
                const h = handleOf(r);
                return h ? sendStatvfs(id, h.path) : status(id, STATUS.FAILURE, "invalid handle");
            }
            case "fsync@openssh.com": {
                const h = handleOf(r);
                if (h?.kind !== "file") return status(id, STATUS.FAILURE, "invalid handle");
                await h.fh.sync();
                return status(id, STATUS.OK);
            }
            case "limits@openssh.com":
                return send(new Writer(TYPE.EXTENDED_REPLY).uint32(id).uint64(MAX_PACKET).uint64(MAX_IO).uint64(MAX_IO).uint64(MAX_HANDLES));
            default:
                return status(id, STATUS.OP_UNSUPPORTED, `unsupported extension ${name}`);
        }
    };
    const sendAttrs = (id: number, st: fs.Stats) => send(new Writer(TYPE.ATTRS).uint32(id).attrs(attrsOf(st)));
    const sendStatvfs = async (id: number, p: string) => {
        const s = await fs.promises.statfs(p);
        send(new Writer(TYPE.EXTENDED_REPLY).uint32(id).uint64(s.bsize).uint64(s.bsize).uint64(s.blocks).uint64(s.bfree)
            .uint64(s.bavail).uint64(s.files).uint64(s.ffree).uint64(s.ffree).uint64(0).uint64(0).uint64(255));
    };

    const dispatch = (payload: Buffer) => {
        const r = new Reader(payload);
        const type = r.byte();
        if (!initialised) {
            if (type !== TYPE.INIT) throw new SftpProtocolError(`expected SSH_FXP_INIT first, got packet type ${type}`);
            initialised = true;
            const w = new Writer(TYPE.VERSION).uint32(3);
            for (const [n, v] of EXTENSIONS) w.string(n).string(v);
            return send(w);
        }
        const id = r.uint32();
        const handler = handlers[type];
        if (!handler) return status(id, STATUS.OP_UNSUPPORTED, `unsupported request type ${type}`);
        handler(id, r).catch((err: NodeJS.ErrnoException) => {
            if (err instanceof SftpProtocolError) return status(id, STATUS.BAD_MESSAGE, err.message);
            const code = err.code === "ENOENT" ? STATUS.NO_SUCH_FILE : err.code === "EACCES" || err.code === "EPERM" ? STATUS.PERMISSION_DENIED : STATUS.FAILURE;
            status(id, code);
        });
    };

    channel.on("data", (chunk: Buffer) => {
        inbox = inbox.length === 0 ? chunk : Buffer.concat([inbox, chunk]);
        try {
            while (inbox.length >= 4) {
                const len = inbox.readUInt32BE(0);
                if (len > MAX_PACKET + 1024) throw new SftpProtocolError(`SFTP packet of ${len} bytes exceeds the ${MAX_PACKET}-byte limit`);
                if (inbox.length < 4 + len) break;
                const payload = inbox.subarray(4, 4 + len);
                inbox = inbox.subarray(4 + len);
                dispatch(payload);
            }
        } catch (err) {
            options.log(`sftp: closing the session: ${(err as Error).message}`);
            channel.close();
        }
    });
    const closeHandles = () => {
        for (const h of handles.values()) if (h.kind === "file") h.fh.close().catch(() => undefined);
        handles.clear();
    };
    // The client's EOF ends the session, as sftp-server exits when its stdin closes.
    channel.on("end", () => {
        closeHandles();
        if (channel.writable) { channel.exit(0); channel.end(); }
    });
    channel.on("close", closeHandles);
}

async function applyAttrs(file: string, a: Attrs, fh?: fs.promises.FileHandle): Promise<void> {
    if (a.size !== undefined) await (fh ? fh.truncate(a.size) : fs.promises.truncate(file, a.size));
    if (a.mode !== undefined) await (fh ? fh.chmod(a.mode & 0o7777) : fs.promises.chmod(file, a.mode & 0o7777));
    if (a.uid !== undefined && a.gid !== undefined) await (fh ? fh.chown(a.uid, a.gid) : fs.promises.chown(file, a.uid, a.gid));
    if (a.atime !== undefined && a.mtime !== undefined) await (fh ? fh.utimes(a.atime, a.mtime) : fs.promises.utimes(file, a.atime, a.mtime));
}

async function exists(p: string): Promise<boolean> {
    try { await fs.promises.lstat(p); return true; } catch { return false; }
}
