/**
 * How `vh` reports a failure: one clear sentence after "vh <command>: ", then the detail indented,
 * and the exit code of cli/exit.ts. Connection, authentication and host-key problems are exit 3
 * wherever they surface (also when wrapped as the cause of a resource error); everything else that
 * failed on the host is exit 1. No message here ever contains a secret: the SSH layer redacts its
 * messages, and the CLI never puts a password or key into one.
 */
import { SshError } from "../provider/ssh/errors";
import { EXIT } from "./exit";

/** SSH error codes that mean "could not reach or log in to the host". */
const CONNECTION_CODES = new Set(["HOST_KEY_UNKNOWN", "HOST_KEY_MISMATCH", "AUTH_FAILED", "CONNECTION_FAILED", "CONNECTION_LOST"]);

/** A failure a command has put in user terms: the sentence, and the error it explains as `cause`. */
export class CliError extends Error {
    override name = "CliError";
    /** Exit code. @default - 3 when an SSH connection error is in the cause chain, else 1 */
    readonly exitCode?: number;
    /** Lines shown under the sentence. @default - the cause's message */
    readonly detail?: string;
    /** What a --json error document carries besides the message, e.g. a partial report. @default none */
    readonly result?: Record<string, unknown>;

    constructor(sentence: string, options: { cause?: unknown; exitCode?: number; detail?: string; result?: Record<string, unknown> } = {}) {
        super(sentence, { cause: options.cause });
        this.exitCode = options.exitCode;
        this.detail = options.detail;
        this.result = options.result;
    }
}

/** The errors from `err` down its `cause` chain (and an AggregateError's first level). */
export function causeChain(err: unknown): unknown[] {
    const out: unknown[] = [];
    let e: unknown = err;
    while (e !== undefined && e !== null && !out.includes(e) && out.length < 20) {
        out.push(e);
        if (e instanceof AggregateError) out.push(...e.errors);
        e = e instanceof Error ? e.cause : undefined;
    }
    return out;
}

/** The first error of class `type` in the cause chain. */
export function findCause<T>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
    return causeChain(err).find((e): e is T => e instanceof type);
}

/** The SSH connection error (host key, authentication, unreachable, dropped) behind `err`, if any. */
export function connectionProblem(err: unknown): SshError | undefined {
    return causeChain(err).find((e): e is SshError => e instanceof SshError && CONNECTION_CODES.has(e.code));
}

export interface Failure {
    exitCode: number;
    sentence: string;
    detail: string;
}

/** Exit code, sentence and detail for whatever a command threw. */
export function describeFailure(err: unknown): Failure {
    const ssh = connectionProblem(err);
    if (err instanceof CliError) {
        return {
            exitCode: err.exitCode ?? (ssh ? EXIT.CONNECTION : EXIT.FAILED),
            sentence: err.message,
            detail: err.detail ?? (err.cause instanceof Error ? err.cause.message : err.cause === undefined ? "" : String(err.cause)),
        };
    }
    const message = err instanceof Error ? err.message : String(err);
    const [first, ...rest] = message.split("\n");
    // Bad connection arguments are wrong arguments, whichever layer noticed them.
    const badArgs = causeChain(err).some((e) => e instanceof SshError && e.code === "INVALID_CONNECTION_ARGS");
    return { exitCode: ssh ? EXIT.CONNECTION : badArgs ? EXIT.USAGE : EXIT.FAILED, sentence: first, detail: rest.join("\n") };
}

/** Indents every line of `text` by `prefix` (empty lines stay empty). */
export function indent(text: string, prefix = "  "): string {
    return text.split("\n").map((l) => (l ? prefix + l : l)).join("\n");
}

/**
 * Writes "vh <command>: <sentence>" and the indented detail on stderr and, for --json, one JSON
 * error document on stdout: {"command","error":{"exitCode","message","detail"},…result}.
 * Resolves the exit code.
 */
export function reportFailure(command: string, err: unknown, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }, json = false): number {
    const f = describeFailure(err);
    const detail = f.detail.trim() && f.detail.trim() !== f.sentence ? `${indent(f.detail.trimEnd())}\n` : "";
    io.stderr.write(`vh ${command}: ${f.sentence}\n${detail}`);
    if (json) {
        const extra = err instanceof CliError ? err.result : undefined;
        io.stdout.write(`${JSON.stringify({ command, ...extra, error: { exitCode: f.exitCode, message: f.sentence, detail: f.detail.trim() } }, null, 2)}\n`);
    }
    return f.exitCode;
}
