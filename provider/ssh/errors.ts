/**
 * Typed errors of the SSH layer. Callers branch on `code` (or instanceof), never on message text.
 * Messages follow `<what failed>: <target or command>` then detail; they never contain a password,
 * passphrase or key material (commands are shown in their redacted display form).
 */

export type SshErrorCode =
    | "INVALID_CONNECTION_ARGS"
    | "HOST_KEY_UNKNOWN"
    | "HOST_KEY_MISMATCH"
    | "AUTH_FAILED"
    | "CONNECTION_FAILED"
    | "CONNECTION_LOST"
    | "COMMAND_TIMEOUT"
    | "COMMAND_FAILED"
    | "UPLOAD_FAILED"
    | "UPLOAD_NO_SPACE"
    | "UPLOAD_INTEGRITY";

export abstract class SshError extends Error {
    abstract readonly code: SshErrorCode;
}

/** The presented host key, as shown to users. */
export interface PresentedHostKey {
    /** "SHA256:…" as `ssh-keygen -lf` prints it. */
    fingerprint: string;
    /** Key type, e.g. "ssh-ed25519". */
    type: string;
}

/** The most output a message quotes from each stream (the full text is on the error object). */
const MAX_QUOTED_OUTPUT = 4000;

function quoteOutput(stdout: string, stderr: string): string {
    const clip = (s: string) => (s.length > MAX_QUOTED_OUTPUT ? `…${s.slice(-MAX_QUOTED_OUTPUT)}` : s).trimEnd();
    return [clip(stderr), clip(stdout)].filter(Boolean).map((s) => `\n${s}`).join("");
}

export class ConnectionArgsError extends SshError {
    override name = "ConnectionArgsError";
    readonly code = "INVALID_CONNECTION_ARGS";
    constructor(readonly problems: string[]) {
        super(`invalid SSH connection arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
}

export class HostKeyUnknownError extends SshError {
    override name = "HostKeyUnknownError";
    readonly code = "HOST_KEY_UNKNOWN";
    constructor(readonly target: string, readonly presented: PresentedHostKey) {
        super(
            `refusing to connect to ${target}: no host key is pinned, and it presented ${presented.type} key ` +
            `${presented.fingerprint}. Check that fingerprint out of band (on the host: ssh-keygen -lf ` +
            `/etc/ssh/ssh_host_ed25519_key.pub) and set hostKey to it, or set insecureSkipHostKeyCheck: true ` +
            "to accept any key (not recommended)",
        );
    }
}

export class HostKeyMismatchError extends SshError {
    override name = "HostKeyMismatchError";
    readonly code = "HOST_KEY_MISMATCH";
    constructor(readonly target: string, readonly expected: string[], readonly presented: PresentedHostKey) {
        super(
            `host key mismatch for ${target}: expected ${expected.join(" or ")}, but the host presented ` +
            `${presented.type} key ${presented.fingerprint}. No credentials were sent. If the host was ` +
            "reinstalled, update hostKey; otherwise someone may be intercepting the connection",
        );
    }
}

export class AuthenticationError extends SshError {
    override name = "AuthenticationError";
    readonly code = "AUTH_FAILED";
    constructor(readonly target: string, readonly methods: string[], options?: { cause?: unknown }) {
        super(`authentication failed for ${target}: the host rejected ${methods.join(", ") || "every method"}`, options);
    }
}

export class ConnectionError extends SshError {
    override name = "ConnectionError";
    readonly code = "CONNECTION_FAILED";
    constructor(readonly target: string, readonly attempts: number, cause: unknown) {
        const why = cause instanceof Error ? cause.message : String(cause);
        super(`could not connect to ${target} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${why}`, { cause });
    }
}

/**
 * The connection dropped while a command ran (or was being started). The command may or may not
 * have taken effect; it was retried only if it was declared safe to repeat.
 */
export class ConnectionLostError extends SshError {
    override name = "ConnectionLostError";
    readonly code = "CONNECTION_LOST";
    constructor(
        readonly target: string,
        readonly command: string,
        /** Whether the command was declared safe to repeat (and so was retried before giving up). */
        readonly safeToRepeat: boolean,
        readonly stdout: string,
        readonly stderr: string,
        options?: { cause?: unknown },
    ) {
        super(
            `connection to ${target} dropped while running: ${command}\n` +
            (safeToRepeat
                ? "It was run again after reconnecting, and the connection dropped again."
                : "The command may or may not have taken effect on the host; it was not retried because it " +
                  "is not declared safe to repeat. Check the host's state before running it again.") +
            quoteOutput(stdout, stderr),
            options,
        );
    }
}

export class CommandTimeoutError extends SshError {
    override name = "CommandTimeoutError";
    readonly code = "COMMAND_TIMEOUT";
    constructor(
        readonly target: string,
        readonly command: string,
        readonly timeoutMs: number,
        /** What was still pending: "the command to finish", "a free SSH channel", … */
        readonly waitingFor: string,
        readonly stdout = "",
        readonly stderr = "",
    ) {
        super(`command timed out after ${timeoutMs} ms waiting for ${waitingFor} on ${target}: ${command}${quoteOutput(stdout, stderr)}`);
    }
}

export class CommandFailedError extends SshError {
    override name = "CommandFailedError";
    readonly code = "COMMAND_FAILED";
    constructor(
        readonly target: string,
        readonly command: string,
        readonly exitCode: number | null,
        readonly signal: string | undefined,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        const how = exitCode !== null ? `with exit code ${exitCode}` : `by signal ${signal ?? "(unknown)"}`;
        super(`command failed ${how} on ${target}: ${command}${quoteOutput(stdout, stderr)}`);
    }
}

export class UploadError extends SshError {
    override name = "UploadError";
    readonly code: SshErrorCode = "UPLOAD_FAILED";
    constructor(readonly target: string, readonly remotePath: string, detail: string, options?: { cause?: unknown }) {
        super(`upload failed to ${target}:${remotePath}: ${detail}`, options);
    }
}

export class InsufficientSpaceError extends UploadError {
    override name = "InsufficientSpaceError";
    override readonly code = "UPLOAD_NO_SPACE";
    constructor(
        target: string,
        remotePath: string,
        readonly directory: string,
        readonly neededBytes: number | undefined,
        readonly availableBytes: number,
        options?: { cause?: unknown },
    ) {
        super(
            target,
            remotePath,
            `not enough free space in ${directory}: ${neededBytes === undefined ? "the file did not fit" : `${formatBytes(neededBytes)} needed`}, ` +
            `${formatBytes(availableBytes)} available (dom0's root filesystem is small: upload ISOs to an SR or ` +
            "a larger mount)",
            options,
        );
    }
}

export class UploadIntegrityError extends UploadError {
    override name = "UploadIntegrityError";
    override readonly code = "UPLOAD_INTEGRITY";
    constructor(
        target: string,
        remotePath: string,
        readonly expected: { size: number; sha256: string },
        readonly actual: { size: number; sha256: string },
    ) {
        super(
            target,
            remotePath,
            `the uploaded file does not match: expected ${expected.size} bytes with sha256 ${expected.sha256}, ` +
            `the host has ${actual.size} bytes with sha256 ${actual.sha256}`,
        );
    }
}

export function formatBytes(n: number): string {
    const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}
