/**
 * Opening one SSH connection: host key verification before authentication, typed failures, and a
 * bounded retry of network-level failures with progress lines. Jumps are handled by the caller
 * passing a ready-made tunnel stream (`openSock`).
 */
import type { Duplex } from "node:stream";
import { Client, ConnectConfig } from "ssh2";
import { ResolvedConnectionArgs, redact } from "./args";
import { AuthenticationError, ConnectionError, HostKeyMismatchError, HostKeyUnknownError, PresentedHostKey, SshError } from "./errors";
import { describeKey, hostKeyAlgorithms, pinMatches } from "./hostKey";

export type Logger = (line: string) => void;

/** Most time between two dial attempts. */
const MAX_DIAL_DELAY_MS = 10_000;

/**
 * Dials until one attempt succeeds or `dialAttempts` have failed. Host key and authentication
 * failures are not retried: repeating them cannot help (and could lock an account).
 */
export async function dialWithRetry(
    args: ResolvedConnectionArgs,
    log: Logger,
    openSock?: () => Promise<Duplex>,
): Promise<{ client: Client; hostKey: PresentedHostKey }> {
    let delay = args.dialRetryDelayMs;
    let last: unknown;
    for (let attempt = 1; attempt <= args.dialAttempts; attempt++) {
        try {
            return await dialOnce(args, log, openSock ? await openSock() : undefined);
        } catch (err) {
            if (err instanceof SshError) throw err;
            last = err;
            if (attempt < args.dialAttempts) {
                const why = redact(err instanceof Error ? err.message : String(err), args.secrets);
                log(`SSH dial ${attempt}/${args.dialAttempts} to ${args.target} failed (${why}): retrying in ${delay} ms`);
                await new Promise((r) => setTimeout(r, delay));
                delay = Math.min(Math.max(delay * 2, 1), MAX_DIAL_DELAY_MS);
            }
        }
    }
    throw new ConnectionError(args.target, args.dialAttempts, last);
}

/** One dial: resolves with a ready (authenticated) client, or rejects with a typed or network error. */
export function dialOnce(
    args: ResolvedConnectionArgs,
    log: Logger,
    sock?: Duplex,
): Promise<{ client: Client; hostKey: PresentedHostKey }> {
    return new Promise((resolve, reject) => {
        const client = new Client();
        let presented: PresentedHostKey | undefined;
        let refusal: SshError | undefined;
        let settled = false;
        const fail = (err: unknown) => {
            if (settled) return;
            settled = true;
            client.removeAllListeners();
            // A late 'error' from a half-open socket must not become an uncaught exception.
            client.on("error", () => undefined);
            client.destroy();
            reject(err);
        };

        // Runs during key exchange, before ssh-userauth is even requested, so on a refusal no
        // credential (not even the user name) leaves this process.
        const hostVerifier = (key: Buffer): boolean => {
            presented = describeKey(key);
            if (args.insecureSkipHostKeyCheck) {
                log(`WARNING: insecureSkipHostKeyCheck is set: accepting ${presented.type} host key ${presented.fingerprint} of ${args.target} without checking it`);
                return true;
            }
            if (args.pins.length === 0) refusal = new HostKeyUnknownError(args.target, presented);
            else if (!args.pins.some((pin) => pinMatches(pin, key))) {
                refusal = new HostKeyMismatchError(args.target, args.pins.map((p) => p.text), presented);
            }
            return refusal === undefined;
        };

        const methods: string[] = [];
        if (args.privateKey !== undefined) methods.push("publickey");
        if (args.agent) methods.push("agent");
        if (args.password !== undefined) methods.push("password", "keyboard-interactive");

        const config: ConnectConfig = {
            host: args.host,
            port: args.port,
            username: args.user,
            password: args.password,
            privateKey: args.privateKey,
            passphrase: args.passphrase,
            agent: args.agent,
            sock: sock as ConnectConfig["sock"],
            tryKeyboard: args.password !== undefined,
            authHandler: methods as ConnectConfig["authHandler"],
            readyTimeout: args.readyTimeoutMs,
            keepaliveInterval: args.keepaliveIntervalMs,
            keepaliveCountMax: args.keepaliveCountMax,
            hostVerifier,
            algorithms: hostKeyAlgorithms(args.pins) ? { serverHostKey: hostKeyAlgorithms(args.pins) as never } : undefined,
        };

        client.on("keyboard-interactive", (_name, _instructions, _lang, prompts, finish) => {
            // Servers with only PAM keyboard-interactive ask "Password:"; answer every prompt with it.
            finish(prompts.map(() => args.password ?? ""));
        });
        client.once("ready", () => {
            if (settled) return;
            settled = true;
            client.removeAllListeners("keyboard-interactive");
            client.setNoDelay(true); // without it each small exec waits on Nagle: 48 ms vs 3 ms per call
            resolve({ client, hostKey: presented! });
        });
        client.on("error", (err: Error & { level?: string }) => {
            if (refusal) fail(refusal);
            else if (err.level === "client-authentication") {
                fail(new AuthenticationError(args.target, methods.filter((m) => m !== "keyboard-interactive"), { cause: err }));
            } else fail(err);
        });
        client.once("close", () => fail(refusal ?? new Error("connection closed before authentication completed")));
        try {
            client.connect(config);
        } catch (err) {
            fail(err);
        }
    });
}
