/**
 * The simulated XenServer host's SSH front: an ssh2 server that behaves like the dom0 sshd as far
 * as our provider and the seed's scripts can tell. User root logs in with the password or a key
 * from DIR/ssh/authorized_keys (signatures verified); `exec` runs `/bin/sh -c` on the real file
 * system with `sim/bin` first on PATH (./exec); the `sftp` subsystem serves the real file system
 * (./sftp/server); at most `maxSessions` sessions are open per connection, like OpenSSH's
 * MaxSessions 10; direct-tcpip forwarding lets it serve as a jump host. No root privileges are needed.
 */
import { timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { Connection, Server } from "ssh2";
import { STATE_DIR_ENV } from "../settings";
import { startExec } from "./exec";
import { loadIdentity, readAuthorizedKeys } from "./identity";
import { serveSftp } from "./sftp/server";

export const SIM_USER = "root";

/** What `vh sim` prints as its first line. */
export interface SimServerInfo {
    host: string;
    port: number;
    user: string;
    password: string;
    privateKeyPath: string;
    hostKeySha256: string;
}

export interface SimServerOptions {
    stateDir: string;
    /** Address to listen on. @default "127.0.0.1" */
    host?: string;
    /** TCP port; 0 picks a free one. @default 0 */
    port?: number;
    /** Channels open at once per connection; more are refused. @default 10 (OpenSSH's MaxSessions) */
    maxSessions?: number;
    /** Diagnostics (never secrets). @default discarded */
    log?: (line: string) => void;
}

export interface SimServer {
    info: SimServerInfo;
    /** Stops listening, ends every connection and session. */
    close(): Promise<void>;
}

/** The repository (or installed package) root: sim/bin lives there, not in dist/. */
const PACKAGE_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");
const SESSION_PATH = [path.join(PACKAGE_ROOT, "sim", "bin"), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
    const log = options.log ?? (() => undefined);
    const stateDir = path.resolve(options.stateDir);
    const identity = loadIdentity(stateDir);
    const home = path.join(stateDir, "home");
    fs.mkdirSync(home, { recursive: true });
    const maxSessions = options.maxSessions ?? 10;
    const password = Buffer.from(identity.password);
    const sockets = new Map<string, net.Socket>();
    const clients = new Set<Connection>();
    const socketKey = (address: string | undefined, port: number | undefined) => `${address}|${port}`;

    const ssh = new Server({ hostKeys: [identity.hostKey] }, (client, info) => {
        const socket = sockets.get(socketKey(info.ip, info.port));
        const peer = `${info.ip}:${info.port}`;
        const openSsh = /OpenSSH/i.test(info.header.identRaw);
        const drop = () => {
            log(`${peer}: dropping the connection (control fd)`);
            socket?.destroy();
        };
        clients.add(client);
        client.on("close", () => clients.delete(client));
        client.on("error", (err) => log(`${peer}: ${err.message}`));
        client.on("authentication", (ctx) => {
            if (ctx.username !== SIM_USER) return ctx.reject(["password", "publickey"]);
            if (ctx.method === "password") {
                const given = Buffer.from(ctx.password);
                return given.length === password.length && timingSafeEqual(given, password) ? ctx.accept() : ctx.reject(["password", "publickey"]);
            }
            if (ctx.method === "publickey") {
                const known = readAuthorizedKeys(identity.authorizedKeysPath).find((k) => k.type === ctx.key.algo && k.blob.equals(ctx.key.data));
                if (!known) return ctx.reject(["password", "publickey"]);
                if (!ctx.signature || !ctx.blob) return ctx.accept(); // the client asks whether this key would do
                return known.key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(["password", "publickey"]);
            }
            ctx.reject(["password", "publickey"]);
        });
        client.on("ready", () => {
            // direct-tcpip, so the simulated host can serve as a jump host (AllowTcpForwarding yes).
            client.on("tcpip", (accept, reject, info2) => {
                const upstream = net.connect(info2.destPort, info2.destIP);
                upstream.once("error", (err) => { log(`${peer}: forwarding to ${info2.destIP}:${info2.destPort} failed: ${err.message}`); reject?.(); });
                upstream.once("connect", () => {
                    const channel = accept();
                    upstream.removeAllListeners("error");
                    upstream.on("error", () => channel.destroy());
                    channel.on("error", () => upstream.destroy());
                    channel.pipe(upstream).pipe(channel);
                });
            });
            let open = 0;
            client.on("session", (accept, reject) => {
                if (open >= maxSessions) {
                    log(`${peer}: refusing a session: ${maxSessions} are open (MaxSessions)`);
                    return reject();
                }
                open++;
                const session = accept();
                let closed = false;
                const release = () => { if (!closed) { closed = true; open--; } };
                session.on("close", release);
                let signal: ((name: string) => boolean) | undefined;
                const env = { path: SESSION_PATH, home, stateDir, stateDirEnv: STATE_DIR_ENV };
                const run = (command: string | null) => (accept: () => import("ssh2").ServerChannel) => {
                    const channel = accept();
                    channel.on("close", release);
                    signal = startExec(channel, command, env, drop, (l) => log(`${peer}: ${l}`)).signal;
                };
                session.on("exec", (acc, _rej, info2) => run(info2.command)(acc));
                session.on("shell", (acc) => run(null)(acc));
                session.on("signal", (acc, rej, info2) => (signal?.(info2.name) ? acc?.() : rej?.()));
                session.on("env", (acc) => acc?.()); // accepted and ignored, like AcceptEnv LANG LC_*
                session.on("pty", (_acc, rej) => rej?.()); // no terminals: sessions run without a pty
                session.on("subsystem", (acc, rej, info2) => {
                    if (info2.name !== "sftp") return rej?.();
                    const channel = acc();
                    channel.on("close", release);
                    serveSftp(channel, { home, openSshSymlinkOrder: openSsh, log: (l) => log(`${peer}: ${l}`) });
                });
            });
        });
    });
    ssh.on("error", (err: Error) => log(`ssh server: ${err.message}`));

    const tcp = net.createServer((socket) => {
        const key = socketKey(socket.remoteAddress, socket.remotePort);
        sockets.set(key, socket);
        socket.setNoDelay(true);
        socket.on("close", () => sockets.delete(key));
        socket.on("error", () => { /* reported by ssh2 as a client error */ });
        ssh.injectSocket(socket);
    });
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
        tcp.once("error", reject);
        tcp.listen(options.port ?? 0, host, () => { tcp.off("error", reject); resolve(); });
    });
    const port = (tcp.address() as net.AddressInfo).port;
    log(`listening on ${host}:${port} (state ${stateDir})`);
    return {
        info: { host, port, user: SIM_USER, password: identity.password, privateKeyPath: identity.privateKeyPath, hostKeySha256: identity.hostKeySha256 },
        close: async () => {
            const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
            for (const c of clients) c.end();
            for (const s of sockets.values()) s.destroy();
            await closed;
        },
    };
}
