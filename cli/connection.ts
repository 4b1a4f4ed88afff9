/**
 * The connection flags every host command shares, turned into provider/ssh ConnectionArgs and an
 * open, verified connection. Like the seed's `ssh root@HOST`: the host key must be known (pinned
 * with --host-key, else found in ~/.ssh/known_hosts), and with no credential given `vh` uses
 * ssh-agent and the default keys (~/.ssh/id_ed25519, id_ecdsa, id_rsa), then asks for the password
 * when stdin is a terminal. Secrets are read from files (never from the command line, which other
 * local users can see) and go nowhere but into the SSH layer.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { utils as ssh2Utils } from "ssh2";
import { AuthenticationError, ConnectionArgs, ConnectionError, getSession, HostKeyMismatchError, HostKeyUnknownError, SshSession } from "../provider/ssh";
import { XeClient } from "../provider/xe";
import { CliError } from "./errors";
import { EXIT, UsageError } from "./exit";
import { knownHostsName, knownHostsPath, readKnownHostKeys } from "./knownHosts";
import { hostOf } from "./lookup";
import { readSecretFile } from "./options";
import { canPrompt, promptSecret } from "./prompt";
import type { CliIO } from "./commands/types";

/** The parseArgs options of the connection flags. */
export const CONNECTION_OPTIONS = {
    user: { type: "string" },
    port: { type: "string" },
    "password-file": { type: "string" },
    identity: { type: "string" },
    "passphrase-file": { type: "string" },
    "host-key": { type: "string", multiple: true },
    "insecure-skip-host-key-check": { type: "boolean" },
    jump: { type: "string" },
    "jump-host-key": { type: "string", multiple: true },
} as const;

/** The usage block of the connection flags (part of every host command's usage). */
export const CONNECTION_USAGE = `connection options (the host may also be given as USER@HOST):
      --user USER              user to log in as (default: root)
      --port N                 SSH port of the host (default: 22)
      --password-file FILE     read the password from the first line of FILE ("-": stdin)
      --identity KEYFILE       log in with this private key (OpenSSH or PEM format)
      --passphrase-file FILE   passphrase of an encrypted --identity key
      --host-key PIN           accept this host key: a SHA256:… fingerprint (ssh-keygen -lf),
                               a public key line or a known_hosts line; repeat for several
                               (default: the host's entries in ~/.ssh/known_hosts)
      --insecure-skip-host-key-check
                               accept any host key (man-in-the-middle risk; throwaway labs only)
      --jump [USER@]HOST[:PORT]
                               reach the host through this SSH host, with the same credentials
      --jump-host-key PIN      host key of the jump host (default: from ~/.ssh/known_hosts)
With neither --password-file nor --identity, ssh-agent and ~/.ssh/id_{ed25519,ecdsa,rsa} are
tried, then the password is asked for when stdin is a terminal.`;

/** The flag values, as parseArgs returns them. */
export interface ConnectionFlags {
    user?: string;
    port?: string;
    "password-file"?: string;
    identity?: string;
    "passphrase-file"?: string;
    "host-key"?: string[];
    "insecure-skip-host-key-check"?: boolean;
    jump?: string;
    "jump-host-key"?: string[];
}

/** Dials before giving up: a person waiting should hear about an unreachable host in seconds. */
const CLI_DIAL_ATTEMPTS = 3;

export interface HostConnection {
    /** The resolved arguments (with secrets: never print them). */
    args: ConnectionArgs;
    /** "root@10.0.0.5:22". */
    target: string;
    xe: XeClient;
    session: SshSession;
}

interface Parsed {
    args: ConnectionArgs;
    /** A credential came from a flag (no fallback prompt after a rejection). */
    explicit: boolean;
}

/** "[user@]host[:port]" → parts; `allowPort` for --jump. */
export function parseHostSpec(spec: string, what: string, allowPort: boolean): { user?: string; host: string; port?: number } {
    const m = allowPort ? /^(?:([^@\s]+)@)?([^@\s:[\]]+|\[[^\]]+\])(?::(\d+))?$/.exec(spec) : /^(?:([^@\s]+)@)?([^@\s]+)$/.exec(spec);
    if (!m || !m[2]) throw new UsageError(`${what} must be ${allowPort ? "[USER@]HOST[:PORT]" : "HOST or USER@HOST"}, got ${JSON.stringify(spec)}`);
    const port = m[3] === undefined ? undefined : parsePort(m[3], `the port of ${what}`);
    return { user: m[1], host: m[2].replace(/^\[(.*)\]$/, "$1"), port };
}

function parsePort(text: string, what: string): number {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`${what} must be an integer from 1 to 65535, got ${JSON.stringify(text)}`);
    return n;
}

function readKeyFile(flag: string, file: string, cwd: string): string {
    try {
        return fs.readFileSync(path.resolve(cwd, file), "utf8");
    } catch (err) {
        throw new UsageError(`cannot read ${flag} ${JSON.stringify(file)}: ${(err as Error).message}`, { cause: err });
    }
}

function homeOf(io: CliIO): string {
    return io.env.HOME || os.homedir();
}

/** The first default key that parses without a passphrase (like ssh's IdentityFile defaults). */
function defaultKey(home: string): string | undefined {
    for (const name of ["id_ed25519", "id_ecdsa", "id_rsa"]) {
        let text: string;
        try {
            text = fs.readFileSync(path.join(home, ".ssh", name), "utf8");
        } catch {
            continue;
        }
        if (!(ssh2Utils.parseKey(text) instanceof Error)) return text;
    }
    return undefined;
}

/**
 * Builds ConnectionArgs from the host argument and the flags, without prompting or connecting.
 * @param positional the host argument's name in the usage, for messages @default "HOST"
 */
export function connectionArgsFromFlags(hostArg: string, flags: ConnectionFlags, io: CliIO, positional = "HOST"): Parsed {
    const spec = parseHostSpec(hostArg, positional, false);
    if (spec.user !== undefined && flags.user !== undefined && spec.user !== flags.user) {
        throw new UsageError(`${positional} names the user ${JSON.stringify(spec.user)} but --user says ${JSON.stringify(flags.user)}; give one`);
    }
    const port = flags.port === undefined ? 22 : parsePort(flags.port, "--port");
    const insecure = flags["insecure-skip-host-key-check"] === true;
    if (insecure && (flags["host-key"]?.length || flags["jump-host-key"]?.length)) {
        throw new UsageError("give --host-key (or --jump-host-key) or --insecure-skip-host-key-check, not both");
    }
    if (flags["passphrase-file"] !== undefined && flags.identity === undefined) throw new UsageError("--passphrase-file needs --identity");
    if (flags["password-file"] === "-" && flags["passphrase-file"] === "-") throw new UsageError("only one of --password-file and --passphrase-file can read stdin");
    const home = homeOf(io);
    const credentials: Pick<ConnectionArgs, "password" | "privateKey" | "passphrase" | "agent"> = {};
    if (flags["password-file"] !== undefined) credentials.password = readSecretFile("--password-file", flags["password-file"], io.cwd);
    if (flags.identity !== undefined) credentials.privateKey = readKeyFile("--identity", flags.identity, io.cwd);
    if (flags["passphrase-file"] !== undefined) credentials.passphrase = readSecretFile("--passphrase-file", flags["passphrase-file"], io.cwd);
    const explicit = credentials.password !== undefined || credentials.privateKey !== undefined;
    if (!explicit) {
        if (io.env.SSH_AUTH_SOCK) credentials.agent = io.env.SSH_AUTH_SOCK;
        const key = defaultKey(home);
        if (key !== undefined) credentials.privateKey = key;
    }
    const pins = (host: string, p: number, given: string[] | undefined) =>
        insecure ? undefined : given?.length ? given : readKnownHostKeys(knownHostsPath(home), host, p).map((k) => k.pin);
    const user = spec.user ?? flags.user ?? "root";
    const args: ConnectionArgs = {
        host: spec.host, port, user, ...credentials,
        hostKey: pins(spec.host, port, flags["host-key"]),
        insecureSkipHostKeyCheck: insecure || undefined,
        dialAttempts: CLI_DIAL_ATTEMPTS,
    };
    if (flags.jump !== undefined) {
        const j = parseHostSpec(flags.jump, "--jump", true);
        const jumpPort = j.port ?? 22;
        args.jump = {
            host: j.host, port: jumpPort, user: j.user ?? user, ...credentials,
            hostKey: pins(j.host, jumpPort, flags["jump-host-key"]),
            insecureSkipHostKeyCheck: insecure || undefined,
            dialAttempts: CLI_DIAL_ATTEMPTS,
        };
    } else if (flags["jump-host-key"]?.length) {
        throw new UsageError("--jump-host-key needs --jump");
    }
    return { args: stripUndefined(args), explicit };
}

function stripUndefined(args: ConnectionArgs): ConnectionArgs {
    const out = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as unknown as ConnectionArgs;
    if (out.jump) out.jump = stripUndefined(out.jump);
    return out;
}

function withPassword(args: ConnectionArgs, password: string): ConnectionArgs {
    const { agent: _agent, privateKey: _key, passphrase: _passphrase, ...rest } = args;
    return { ...rest, password, jump: args.jump && withPassword(args.jump, password) };
}

/**
 * Connects to the host with the flags: verifies the host key, logs in (asking for the password on a
 * terminal when nothing else works or was given) and returns an xe client on the connection.
 * Connection problems become CliErrors (exit 3) that say what to do, e.g. the exact --host-key.
 */
export async function openHost(hostArg: string, flags: ConnectionFlags, io: CliIO, log: (line: string) => void, positional = "HOST"): Promise<HostConnection> {
    const parsed = connectionArgsFromFlags(hostArg, flags, io, positional);
    let args = parsed.args;
    const promptFor = (a: ConnectionArgs) => `${a.user ?? "root"}@${a.host}'s password: `;
    if (!parsed.explicit && !args.privateKey && !args.agent) {
        if (!canPrompt(io)) {
            throw new UsageError(
                `no credential for ${args.user}@${args.host}: give --password-file FILE or --identity KEYFILE ` +
                "(no ssh-agent, no ~/.ssh/id_* key, and stdin is not a terminal to ask for a password on)",
            );
        }
        args = withPassword(args, await promptSecret(io, promptFor(args)));
    }
    try {
        return await connect(args, log);
    } catch (err) {
        // Like ssh: keys were tried and refused, so ask for the password (once) on a terminal.
        if (err instanceof AuthenticationError && !parsed.explicit && args.password === undefined && canPrompt(io)) {
            const retry = withPassword(args, await promptSecret(io, promptFor(args)));
            try {
                return await connect(retry, log);
            } catch (err2) {
                throw explainConnectionError(err2, flags, io);
            }
        }
        throw explainConnectionError(err, flags, io);
    }
}

async function connect(args: ConnectionArgs, log: (line: string) => void): Promise<HostConnection> {
    const session = getSession(args, { log });
    await session.connect();
    return { args, target: session.target, session, xe: new XeClient(session) };
}

/** Connection errors in CLI terms: which flag to give. Others pass through. */
export function explainConnectionError(err: unknown, flags: ConnectionFlags, io: CliIO): unknown {
    if (err instanceof HostKeyUnknownError) {
        // The target hop's name reads "user@host:port via user@jump:port"; the jump hop's has no "via".
        const jumpHop = flags.jump !== undefined && !err.target.includes(" via ");
        const flag = jumpHop ? "--jump-host-key" : "--host-key";
        return new CliError(`refusing to connect to ${err.target}: its host key is not known`, {
            cause: err,
            exitCode: EXIT.CONNECTION,
            detail:
                `It presented the ${err.presented.type} key ${err.presented.fingerprint}, and neither ${flag} nor ` +
                `${knownHostsPath(homeOf(io))} pins a key for it (looked up as ${knownHostsName(hostOf(err.target), portOf(err.target))}).\n` +
                "Check that fingerprint out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then pin it:\n" +
                `  ${flag} ${err.presented.fingerprint}\n` +
                "or accept any key (not recommended): --insecure-skip-host-key-check",
        });
    }
    if (err instanceof HostKeyMismatchError) {
        return new CliError(`refusing to connect to ${err.target}: its host key does not match`, {
            cause: err,
            exitCode: EXIT.CONNECTION,
            detail:
                `It presented the ${err.presented.type} key ${err.presented.fingerprint}, but the pinned key is ${err.expected.join(" or ")}. ` +
                "No credentials were sent. If the host was reinstalled, pin the new key with --host-key (or update ~/.ssh/known_hosts); " +
                "otherwise someone may be intercepting the connection.",
        });
    }
    if (err instanceof AuthenticationError) {
        return new CliError(`authentication failed for ${err.target}`, {
            cause: err, exitCode: EXIT.CONNECTION,
            detail: `The host rejected ${err.methods.join(", ") || "every method"}; check --user, --password-file or --identity.`,
        });
    }
    if (err instanceof ConnectionError) {
        return new CliError(`could not connect to ${err.target}`, { cause: err, exitCode: EXIT.CONNECTION, detail: err.message });
    }
    return err;
}

function portOf(target: string): number {
    return Number(/:(\d+)$/.exec(target.split(" via ")[0])?.[1] ?? 22);
}
