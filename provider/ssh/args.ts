/**
 * How to reach a host over SSH: the documented arguments, their defaults (set here and only here),
 * validation that reports every problem at once, and the identity under which a connection is
 * pooled.
 */
import * as crypto from "node:crypto";
import { utils as ssh2Utils } from "ssh2";
import { ConnectionArgsError } from "./errors";
import { HostKeyPin, parseHostKeyPin } from "./hostKey";

export interface ConnectionArgs {
    /** Address or DNS name of the host, e.g. "192.168.1.20". */
    host: string;
    /** TCP port of the host's sshd. @default 22 */
    port?: number;
    /** User to log in as. @default "root" */
    user?: string;
    /** Password (secret). Sent only after the host key has been verified. @default - none */
    password?: string;
    /** Private key in OpenSSH or PEM format, the key text itself (secret). @default - none */
    privateKey?: string;
    /** Passphrase of an encrypted privateKey (secret). @default - none */
    passphrase?: string;
    /** ssh-agent socket path, or true for $SSH_AUTH_SOCK. @default - no agent */
    agent?: string | boolean;
    /**
     * The host key(s) to accept: a "SHA256:…" fingerprint as `ssh-keygen -lf` prints it, an
     * authorized_keys line ("ssh-ed25519 AAAA…") or a known_hosts line. Any listed key is accepted.
     * @default - none: the connection is refused, and the error shows the key the host presented
     */
    hostKey?: string | string[];
    /**
     * Accept whatever host key the server presents. This makes the connection open to
     * man-in-the-middle attacks; use it only for throwaway labs on a trusted network.
     * @default false
     */
    insecureSkipHostKeyCheck?: boolean;
    /** Reach `host` through this SSH host (a TCP tunnel opened on it). @default - connect directly */
    jump?: ConnectionArgs;
    /** Deadline of one dial, TCP connect through authentication. @default 20000 */
    readyTimeoutMs?: number;
    /** Dials before giving up; only network-level failures are retried. @default 5 */
    dialAttempts?: number;
    /** Delay after the first failed dial; doubles after each, capped at 10 s. @default 1000 */
    dialRetryDelayMs?: number;
    /** Interval of SSH keepalive probes. @default 15000 */
    keepaliveIntervalMs?: number;
    /** Unanswered keepalives after which the connection is considered dead. @default 3 */
    keepaliveCountMax?: number;
    /** Deadline of each command unless the call sets its own. @default 300000 (5 min) */
    commandTimeoutMs?: number;
    /**
     * Channels (commands, SFTP) open at once on the connection; more calls wait in a queue. Keep it
     * below the server's MaxSessions (OpenSSH's default is 10). A refused channel is retried anyway.
     * @default 8
     */
    maxChannels?: number;
    /** A pooled connection with nothing to do for this long is closed (the next call reconnects). @default 10000 */
    idleTimeoutMs?: number;
}

/** ConnectionArgs with every default applied and the host key pins parsed. */
export interface ResolvedConnectionArgs {
    host: string;
    port: number;
    user: string;
    password?: string;
    privateKey?: string;
    passphrase?: string;
    agent?: string;
    pins: HostKeyPin[];
    insecureSkipHostKeyCheck: boolean;
    jump?: ResolvedConnectionArgs;
    readyTimeoutMs: number;
    dialAttempts: number;
    dialRetryDelayMs: number;
    keepaliveIntervalMs: number;
    keepaliveCountMax: number;
    commandTimeoutMs: number;
    maxChannels: number;
    idleTimeoutMs: number;
    /** "user@host:port", plus " via …" for a jump; used in every message. */
    target: string;
    /** Identity of the pooled connection (credentials enter only as a hash). */
    poolKey: string;
    /** Secret strings masked in every message and log line (not in returned command output). */
    secrets: string[];
}

export const CONNECTION_DEFAULTS = {
    port: 22,
    user: "root",
    readyTimeoutMs: 20_000,
    dialAttempts: 5,
    dialRetryDelayMs: 1_000,
    keepaliveIntervalMs: 15_000,
    keepaliveCountMax: 3,
    commandTimeoutMs: 300_000,
    maxChannels: 8,
    idleTimeoutMs: 10_000,
} as const;

/** Applies defaults and validates; throws ConnectionArgsError listing every problem. */
export function resolveConnectionArgs(args: ConnectionArgs): ResolvedConnectionArgs {
    const problems: string[] = [];
    const resolved = resolve(args, "", problems);
    if (problems.length) throw new ConnectionArgsError(problems);
    return resolved;
}

function resolve(args: ConnectionArgs, prefix: string, problems: string[]): ResolvedConnectionArgs {
    const d = CONNECTION_DEFAULTS;
    const at = (name: string) => `${prefix}${name}`;
    if (typeof args.host !== "string" || !/^[A-Za-z0-9.:%_-]+$/.test(args.host)) {
        problems.push(`${at("host")} must be a host name or IP address, got ${JSON.stringify(args.host)}`);
    }
    const port = args.port ?? d.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${at("port")} must be an integer from 1 to 65535, got ${JSON.stringify(args.port)}`);
    }
    const user = args.user ?? d.user;
    if (typeof user !== "string" || !/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user)) {
        problems.push(`${at("user")} must be a user name, got ${JSON.stringify(args.user)}`);
    }
    const agent = args.agent === true ? process.env.SSH_AUTH_SOCK : args.agent || undefined;
    if (args.agent === true && !agent) problems.push(`${at("agent")} is true but SSH_AUTH_SOCK is not set`);
    if (args.password === undefined && args.privateKey === undefined && !agent) {
        problems.push(`one of ${at("password")}, ${at("privateKey")} or ${at("agent")} must be set`);
    }
    if (args.passphrase !== undefined && args.privateKey === undefined) {
        problems.push(`${at("passphrase")} is set but ${at("privateKey")} is not`);
    }
    if (args.privateKey !== undefined) {
        const problem = checkPrivateKey(args.privateKey, args.passphrase);
        if (problem) problems.push(`${at("privateKey")} could not be used: ${problem}`);
    }
    const pinTexts = args.hostKey === undefined ? [] : Array.isArray(args.hostKey) ? args.hostKey : [args.hostKey];
    const pins: HostKeyPin[] = [];
    pinTexts.forEach((text, i) => {
        const pin = typeof text === "string" ? parseHostKeyPin(text) : `expected a string, got ${typeof text}`;
        if (typeof pin === "string") problems.push(`${at(pinTexts.length > 1 ? `hostKey[${i}]` : "hostKey")}: ${pin}`);
        else pins.push(pin);
    });
    const insecure = args.insecureSkipHostKeyCheck ?? false;
    if (insecure && pinTexts.length) {
        problems.push(`set either ${at("hostKey")} or ${at("insecureSkipHostKeyCheck")}, not both`);
    }
    const num = (name: keyof typeof d & keyof ConnectionArgs, min: number): number => {
        const v = (args[name] as number | undefined) ?? (d[name] as number);
        if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
            problems.push(`${at(name)} must be a number ≥ ${min}, got ${JSON.stringify(args[name])}`);
        }
        return v;
    };
    const jump = args.jump === undefined ? undefined : resolve(args.jump, `${prefix}jump.`, problems);
    const target = `${user}@${args.host}:${port}${jump ? ` via ${jump.target}` : ""}`;
    const credentialHash = crypto.createHash("sha256")
        .update(JSON.stringify([args.password ?? null, args.privateKey ?? null, args.passphrase ?? null, agent ?? null]))
        .digest("hex");
    const poolKey = JSON.stringify([args.host, port, user, jump?.poolKey ?? null, credentialHash, pins.map((p) => p.text).sort(), insecure]);
    return {
        host: args.host,
        port,
        user,
        password: args.password,
        privateKey: args.privateKey,
        passphrase: args.passphrase,
        agent,
        pins,
        insecureSkipHostKeyCheck: insecure,
        jump,
        readyTimeoutMs: num("readyTimeoutMs", 1),
        dialAttempts: Math.floor(num("dialAttempts", 1)),
        dialRetryDelayMs: num("dialRetryDelayMs", 0),
        keepaliveIntervalMs: num("keepaliveIntervalMs", 1),
        keepaliveCountMax: Math.floor(num("keepaliveCountMax", 1)),
        commandTimeoutMs: num("commandTimeoutMs", 1),
        maxChannels: Math.floor(num("maxChannels", 1)),
        idleTimeoutMs: num("idleTimeoutMs", 0),
        target,
        poolKey,
        secrets: [args.password, args.passphrase, args.privateKey, ...(jump?.secrets ?? [])].filter((s): s is string => !!s && s.length >= 4),
    };
}

/**
 * Results of parsing private keys, by a hash of key and passphrase: an encrypted key takes ~0.5 s
 * to parse (bcrypt KDF), and every getSession() call validates its arguments.
 */
const keyChecks = new Map<string, string | undefined>();

function checkPrivateKey(privateKey: string, passphrase: string | undefined): string | undefined {
    const id = crypto.createHash("sha256").update(JSON.stringify([privateKey, passphrase ?? null])).digest("hex");
    if (!keyChecks.has(id)) {
        const parsed = ssh2Utils.parseKey(privateKey, passphrase);
        // ssh2's parse messages name the format problem, never the key material.
        keyChecks.set(id, parsed instanceof Error ? parsed.message : undefined);
    }
    return keyChecks.get(id);
}

/** Replaces every occurrence of a secret in `text` with "***". */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const s of secrets) if (s) out = out.split(s).join("***");
    return out;
}
