/**
 * The one place xorriso runs. Every call passes an argv array to execa (never a shell string), and
 * every failure becomes a XorrisoError carrying the argv and xorriso's stderr.
 *
 * execa is ESM-only, so it is loaded with `await import("execa")` here and nowhere else in this area.
 */
import type { Readable } from "node:stream";
import { XorrisoError } from "./errors";

export interface XorrisoRunOptions {
    /** What the call is for, in user terms; it starts the error message ("xorriso failed to <what>"). */
    what: string;
    /** Extra environment variables (e.g. SOURCE_DATE_EPOCH). @default {} */
    env?: Record<string, string>;
    /** Aborts the call (xorriso is killed). @default - never aborted */
    signal?: AbortSignal;
    /**
     * A file descriptor xorriso's stdout goes to directly (e.g. the output image for
     * `-outdev stdio:/dev/fd/1`), so the data never passes through this process. @default - captured
     */
    stdoutFd?: number;
}

export interface XorrisoOutput {
    stdout: string;
    stderr: string;
}

/** Runs xorriso to completion and returns its output; rejects with a XorrisoError. */
export async function runXorriso(args: string[], options: XorrisoRunOptions): Promise<XorrisoOutput> {
    const { execa } = await import("execa");
    const command = ["xorriso", ...args];
    const result = await execa("xorriso", args, {
        env: options.env, reject: false, stripFinalNewline: false, cancelSignal: options.signal, stdin: "ignore",
        // (a number is an fd execa hands to the child as is; the cast only narrows execa's overloads)
        stdout: (options.stdoutFd ?? "pipe") as "pipe", killSignal: "SIGKILL", // see spawnXorriso's kill()
    });
    if (result.failed) throw xorrisoError(options.what, command, String(result.stderr ?? ""), result.exitCode, result);
    return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr) };
}

export interface XorrisoStream {
    /** xorriso's standard output (the image when `-outdev stdio:/dev/fd/1`). */
    stdout: Readable;
    /** Settles when xorriso exits: resolves with its stderr, rejects with a XorrisoError. */
    done: Promise<{ stderr: string }>;
    /** Kills xorriso (used when the consumer of `stdout` goes away). */
    kill(): void;
}

/**
 * Starts xorriso with its stdout as a pipe, for writing an image to `stdio:/dev/fd/1`. A pipe (not a
 * file) is what makes the output identical whether it is streamed to an upload or saved to disk:
 * with a seekable stdout xorriso pads the image differently.
 */
export async function spawnXorriso(args: string[], options: XorrisoRunOptions): Promise<XorrisoStream> {
    const { execa } = await import("execa");
    const command = ["xorriso", ...args];
    const child = execa("xorriso", args, {
        env: options.env, reject: false, stripFinalNewline: false, cancelSignal: options.signal, stdin: "ignore",
        buffer: { stdout: false, stderr: true }, killSignal: "SIGKILL", // see kill() below
    });
    const done = child.then((result) => {
        if (result.failed) throw xorrisoError(options.what, command, String(result.stderr ?? ""), result.exitCode, result);
        return { stderr: String(result.stderr) };
    });
    // Keep an unobserved rejection from crashing the process; callers observe `done` themselves.
    done.catch(() => undefined);
    // SIGKILL: libburn's signal handler would otherwise wait for the write to finish, which never
    // happens once nobody reads the pipe; xorriso writes nothing but this image, so nothing is lost.
    return { stdout: child.stdout as Readable, done, kill: () => { child.kill("SIGKILL"); } };
}

/** The lines of xorriso's stderr that explain a failure (its FATAL/FAILURE/SORRY events), else the tail. */
export function xorrisoProblemLines(stderr: string): string[] {
    const lines = stderr.split("\n").map((l) => l.trimEnd()).filter(Boolean);
    const problems = lines.filter((l) => /: (FATAL|FAILURE|SORRY|ABORT) :/.test(l));
    return problems.length ? problems : lines.slice(-12);
}

function xorrisoError(what: string, command: string[], stderr: string, exitCode: number | undefined, cause: unknown): XorrisoError {
    const result = cause as { isCanceled?: boolean; signal?: string; code?: string };
    const how = result.isCanceled ? "cancelled"
        : result.signal ? `killed by ${result.signal}`
            : result.code === "ENOENT" ? "xorriso is not installed (Debian package: xorriso)"
                : exitCode === undefined ? "could not run it" : `exit code ${exitCode}`;
    const detail = xorrisoProblemLines(stderr).join("\n");
    return new XorrisoError(
        `xorriso failed to ${what}: ${formatCommand(command)} (${how})${detail ? `\n${detail}` : ""}`,
        command, stderr, exitCode, { cause },
    );
}

/** Renders an argv for a message, quoting the arguments a reader could not otherwise split. */
export function formatCommand(argv: string[]): string {
    return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");
}
