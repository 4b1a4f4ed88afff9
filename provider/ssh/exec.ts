/**
 * One command on one channel: collects output, enforces the deadline, and classifies every way it
 * can end so the session can decide between "wait and retry", "reconnect and retry" and "report".
 */
import type { Client, ClientChannel } from "ssh2";

export interface ExecResult {
    stdout: string;
    stderr: string;
    /** Exit status, or null when the command was killed by a signal. */
    exitCode: number | null;
    /** Signal name ("KILL", …) when the command was killed by one. @default undefined */
    signal?: string;
}

/** How an attempt ended when it did not produce an exit status. */
export type ExecFailure =
    /** The server refused to open a channel (e.g. MaxSessions reached): nothing ran; wait and retry. */
    | { kind: "refused"; cause: Error }
    /** The connection was already unusable: nothing was sent; reconnect and retry. */
    | { kind: "not-started"; cause: Error }
    /** The connection dropped after the command was (or may have been) started. */
    | { kind: "dropped"; stdout: string; stderr: string; cause?: Error }
    /** The deadline passed; the channel was signalled and closed. */
    | { kind: "timeout"; stdout: string; stderr: string };

export class ExecAttemptError extends Error {
    constructor(readonly failure: ExecFailure) {
        super(`exec attempt ended: ${failure.kind}`);
    }
}

export interface ExecAttemptOptions {
    /** Absolute time (Date.now()) by which the command must have finished. */
    deadline: number;
    /** Written to the command's stdin, which is then closed. @default empty stdin */
    stdin?: string | Buffer;
}

export function execAttempt(client: Client, command: string, options: ExecAttemptOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString("utf8");
        let stream: ClientChannel | undefined;
        let done = false;
        const finish = (action: () => void) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            action();
        };

        const timer = setTimeout(() => {
            finish(() => reject(new ExecAttemptError({ kind: "timeout", stdout: text(out), stderr: text(err) })));
            if (stream) stopChannel(stream);
        }, Math.max(0, options.deadline - Date.now()));

        try {
            client.exec(command, (openErr, channel) => {
                if (openErr) {
                    // A CHANNEL_OPEN_FAILURE carries a numeric reason; anything else means the
                    // connection went away while the channel was being opened or the exec requested.
                    const refused = typeof (openErr as Error & { reason?: unknown }).reason === "number";
                    finish(() => reject(new ExecAttemptError(refused
                        ? { kind: "refused", cause: openErr }
                        : { kind: "dropped", stdout: "", stderr: "", cause: openErr })));
                    return;
                }
                stream = channel;
                if (done) { stopChannel(channel); return; } // the deadline passed while opening
                let exitCode: number | null | undefined;
                let signal: string | undefined;
                channel.on("exit", (code: number | null, sig?: string) => {
                    exitCode = code;
                    signal = sig ?? undefined;
                });
                channel.on("data", (d: Buffer) => out.push(d));
                channel.stderr.on("data", (d: Buffer) => err.push(d));
                channel.on("error", () => undefined); // surfaced through 'close' and the client's state
                channel.on("close", () => {
                    if (exitCode !== undefined) {
                        finish(() => resolve({ stdout: text(out), stderr: text(err), exitCode: exitCode ?? null, signal }));
                    } else {
                        // No exit status: the connection died under the command, or sshd closed the
                        // channel on its own. Either way we cannot know whether it completed.
                        finish(() => reject(new ExecAttemptError({ kind: "dropped", stdout: text(out), stderr: text(err) })));
                    }
                });
                if (options.stdin !== undefined) channel.end(options.stdin);
                else channel.end();
            });
        } catch (e) {
            // ssh2 throws synchronously ("Not connected") when the socket is already closed.
            finish(() => reject(new ExecAttemptError({ kind: "not-started", cause: e as Error })));
        }
    });
}

/**
 * Ends a command early: asks sshd to deliver SIGTERM then closes the channel. OpenSSH refuses
 * signals for root sessions (its privileged monitor owns them), so on a root login the remote
 * process keeps running until it finishes or writes to the closed channel; xe's server-side task
 * is not cancelled either way.
 */
function stopChannel(channel: ClientChannel): void {
    try {
        channel.signal("TERM");
    } catch { /* channel already closing */ }
    try {
        channel.close();
    } catch { /* already closed */ }
}
