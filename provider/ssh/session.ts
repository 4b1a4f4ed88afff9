/**
 * One SSH connection to one host, shared by every call of the process (see pool.ts): it connects
 * lazily, reconnects after a drop, bounds the channels open at once, gives every command a deadline,
 * and retries a command only when that is known to be safe.
 */
import type { Duplex } from "node:stream";
import type { Client, ClientChannel, SFTPWrapper } from "ssh2";
import type { ShellCommand } from "../shell";
import { ResolvedConnectionArgs, redact } from "./args";
import { dialWithRetry, Logger } from "./dial";
import { CommandFailedError, CommandTimeoutError, ConnectionLostError, PresentedHostKey } from "./errors";
import { sleepUntil, withTimeout } from "./deadline";
import { ExecAttemptError, execAttempt, ExecResult } from "./exec";
import { ChannelSlots } from "./slots";

export type { ExecResult } from "./exec";

export interface SessionOptions {
    /** Receives progress and warnings (dial retries, reconnects, insecure host keys). @default a line on stderr */
    log?: Logger;
}

export interface RunOptions {
    /** Deadline of this call, queueing included. @default the connection's commandTimeoutMs */
    timeoutMs?: number;
    /** Bytes for the command's stdin (the way secrets reach a remote command). @default empty stdin */
    stdin?: string | Buffer;
    /**
     * The command can safely run again: after a connection drop mid-command it is re-run on a new
     * connection instead of failing with ConnectionLostError. @default false
     */
    idempotent?: boolean;
    /** How the command is shown in errors and logs, when its text must not be. @default the command text */
    display?: string;
}

/** Re-runs of an idempotent command after drops, and reconnects before a command started. */
const MAX_TRANSPORT_RETRIES = 2;
/** Back-off while the server refuses channels (MaxSessions reached). */
const REFUSED_BACKOFF_MS = [20, 50, 100, 200, 400];

interface Connection {
    client: Client;
    hostKey: PresentedHostKey;
    alive: boolean;
}

export const defaultLogger: Logger = (line) => process.stderr.write(`vh ssh: ${line}\n`);

export class SshSession {
    readonly target: string;
    private conn?: Connection;
    private connecting?: Promise<Connection>;
    private readonly slots: ChannelSlots;
    /** This session's logger (secrets redacted); an upload's worker thread reports through it. */
    readonly log: Logger;
    /** Commands, SFTP sessions and tunnels currently using the connection. */
    private users = 0;
    private idleTimer?: NodeJS.Timeout;

    constructor(
        readonly args: ResolvedConnectionArgs,
        options: SessionOptions = {},
        /** The session of the jump host, when `args.jump` is set. */
        private readonly jump?: SshSession,
    ) {
        this.target = args.target;
        this.slots = new ChannelSlots(args.maxChannels);
        const log = options.log ?? defaultLogger;
        this.log = (line) => log(redact(line, args.secrets));
    }

    /** The key the host presented on the current connection (undefined before the first connect). */
    get hostKey(): PresentedHostKey | undefined {
        return this.conn?.hostKey;
    }

    /** Connects now (if not connected), surfacing host key and authentication errors early. */
    async connect(): Promise<void> {
        await this.use(() => this.connection());
    }

    /** Runs a command; resolves whatever its exit status (see runOrThrow). */
    async run(command: ShellCommand, options: RunOptions = {}): Promise<ExecResult> {
        const timeoutMs = options.timeoutMs ?? this.args.commandTimeoutMs;
        const deadline = Date.now() + timeoutMs;
        const display = redact(options.display ?? command.text, this.args.secrets);
        const timeout = (waitingFor: string, stdout = "", stderr = "") =>
            new CommandTimeoutError(this.target, display, timeoutMs, waitingFor, redact(stdout, this.args.secrets), redact(stderr, this.args.secrets));
        return this.use(async () => {
            let retries = 0;
            let refusals = 0;
            for (;;) {
                const release = await this.slots.acquire(deadline, () => timeout("a free SSH channel (all in use by this process)"));
                let conn: Connection | undefined;
                try {
                    conn = await this.connection();
                    return await execAttempt(conn.client, command.text, { deadline, stdin: options.stdin });
                } catch (err) {
                    if (!(err instanceof ExecAttemptError)) throw err;
                    const f = err.failure;
                    if (f.kind === "timeout") throw timeout("the command to finish", f.stdout, f.stderr);
                    if (f.kind === "refused") {
                        // The server's session limit is lower than ours or still counts channels we
                        // just closed; nothing ran, so waiting and trying again is always safe.
                        await sleepUntil(REFUSED_BACKOFF_MS[Math.min(refusals++, REFUSED_BACKOFF_MS.length - 1)], deadline);
                        if (Date.now() >= deadline) throw timeout("the host to accept a new SSH channel");
                        continue;
                    }
                    this.markDead(conn);
                    // Nothing was sent when the connection was already gone ("not-started"), so a
                    // reconnect and retry is always safe; after a drop mid-command only if declared so.
                    const safe = f.kind === "not-started" || !!options.idempotent;
                    const stdout = f.kind === "dropped" ? f.stdout : "";
                    const stderr = f.kind === "dropped" ? f.stderr : "";
                    if (safe && retries++ < MAX_TRANSPORT_RETRIES) {
                        if (f.kind === "dropped") {
                            this.log(`connection to ${this.target} dropped during: ${display}; reconnecting and running it again (declared safe to repeat)`);
                        }
                        continue;
                    }
                    throw new ConnectionLostError(this.target, display, safe, redact(stdout, this.args.secrets), redact(stderr, this.args.secrets), { cause: f.cause });
                } finally {
                    release();
                }
            }
        });
    }

    /** Runs a command and throws CommandFailedError unless it exits 0. */
    async runOrThrow(command: ShellCommand, options: RunOptions = {}): Promise<ExecResult> {
        const result = await this.run(command, options);
        if (result.exitCode !== 0) {
            const display = redact(options.display ?? command.text, this.args.secrets);
            throw new CommandFailedError(this.target, display, result.exitCode, result.signal,
                redact(result.stdout, this.args.secrets), redact(result.stderr, this.args.secrets));
        }
        return result;
    }

    /**
     * Opens an SFTP session (holding one channel slot) for `fn`, closing it afterwards. A drop
     * while `fn` runs rejects from the SFTP calls themselves; the session reconnects on next use.
     */
    async withSftp<T>(deadline: number, what: string, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
        return this.use(async () => {
            const timeoutMs = Math.max(0, deadline - Date.now());
            const release = await this.slots.acquire(deadline, () => new CommandTimeoutError(this.target, what, timeoutMs, "a free SSH channel for SFTP"));
            try {
                const sftp = await this.openSftp(deadline, what, timeoutMs);
                try {
                    return await fn(sftp);
                } finally {
                    sftp.end();
                }
            } finally {
                release();
            }
        });
    }

    private async openSftp(deadline: number, what: string, timeoutMs: number): Promise<SFTPWrapper> {
        for (let refusals = 0; ; refusals++) {
            const conn = await this.connection();
            try {
                return await withTimeout(
                    new Promise<SFTPWrapper>((resolve, reject) => conn.client.sftp((err, s) => (err ? reject(err) : resolve(s)))),
                    Math.max(0, deadline - Date.now()),
                    () => new CommandTimeoutError(this.target, what, timeoutMs, "the host to start its SFTP server"),
                );
            } catch (err) {
                // Refused like an exec channel (MaxSessions): wait and try again until the deadline.
                if (typeof (err as { reason?: unknown }).reason !== "number") throw err;
                await sleepUntil(REFUSED_BACKOFF_MS[Math.min(refusals, REFUSED_BACKOFF_MS.length - 1)], deadline);
                if (Date.now() >= deadline) throw new CommandTimeoutError(this.target, what, timeoutMs, "the host to accept an SFTP channel");
            }
        }
    }

    /**
     * Opens a TCP tunnel through this host to `host:port` (used when this session is another's jump).
     * The connection stays open at least as long as the tunnel.
     */
    async openTunnel(host: string, port: number): Promise<Duplex> {
        this.hold();
        try {
            const conn = await this.connection();
            const channel = await withTimeout(
                new Promise<ClientChannel>((resolve, reject) => {
                    conn.client.forwardOut("127.0.0.1", 0, host, port, (err, ch) => (err
                        ? reject(new Error(`${this.target} could not open a tunnel to ${host}:${port}: ${err.message}`, { cause: err }))
                        : resolve(ch)));
                }),
                this.args.readyTimeoutMs,
                () => new Error(`timed out after ${this.args.readyTimeoutMs} ms waiting for ${this.target} to open a tunnel to ${host}:${port}`),
            );
            channel.once("close", () => this.unhold());
            return channel;
        } catch (err) {
            // Typed failures of the jump itself (host key, authentication) come through as they
            // are: they already name the jump host and must not be retried.
            this.unhold();
            throw err;
        }
    }

    /** Closes the connection (waits until it is closed). A later call reconnects. */
    async close(): Promise<void> {
        clearTimeout(this.idleTimer);
        const conn = this.conn;
        this.conn = undefined;
        if (!conn || !conn.alive) return;
        conn.alive = false;
        await new Promise<void>((resolve) => {
            const timer = setTimeout(() => { conn.client.destroy(); resolve(); }, 2000);
            conn.client.once("close", () => { clearTimeout(timer); resolve(); });
            conn.client.end();
        });
    }

    /** Drops the connection at once (process exit: no time to wait). */
    destroy(): void {
        clearTimeout(this.idleTimer);
        this.conn?.client.destroy();
        this.conn = undefined;
    }

    private async use<T>(fn: () => Promise<T>): Promise<T> {
        this.hold();
        try {
            return await fn();
        } finally {
            this.unhold();
        }
    }

    private hold(): void {
        this.users++;
        clearTimeout(this.idleTimer);
    }

    private unhold(): void {
        if (--this.users > 0) return;
        clearTimeout(this.idleTimer);
        // Keepalive timers would keep the process alive forever; an idle connection is closed so a
        // finished program can exit (and a dead one is not reused).
        this.idleTimer = setTimeout(() => { if (this.users === 0) void this.close(); }, this.args.idleTimeoutMs);
        this.idleTimer.unref();
    }

    /**
     * Discards the connection an attempt used. Only that one: when many calls fail together, a
     * call that already reconnected must keep its new connection.
     */
    private markDead(conn: Connection | undefined): void {
        if (!conn) return;
        conn.alive = false;
        conn.client.destroy();
        if (this.conn === conn) this.conn = undefined;
    }

    private async connection(): Promise<Connection> {
        if (this.conn?.alive) return this.conn;
        this.connecting ??= this.dial().finally(() => { this.connecting = undefined; });
        return this.connecting;
    }

    private async dial(): Promise<Connection> {
        const openSock = this.jump ? () => this.jump!.openTunnel(this.args.host, this.args.port) : undefined;
        const { client, hostKey } = await dialWithRetry(this.args, this.log, openSock);
        const conn: Connection = { client, hostKey, alive: true };
        const lost = () => {
            conn.alive = false;
            if (this.conn === conn) this.conn = undefined;
        };
        client.on("error", (err: Error) => {
            this.log(`connection to ${this.target} failed: ${err.message}`);
            lost();
        });
        client.on("end", lost);
        client.on("close", lost);
        this.conn = conn;
        return conn;
    }
}
