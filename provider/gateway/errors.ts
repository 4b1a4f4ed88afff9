/**
 * Typed errors of the toolbox gateway. Messages name the step in user terms and the toolbox,
 * then the remote command's stderr; the original error is kept as `cause`. They never contain
 * secrets (commands carry none, and the SSH layer redacts its own messages).
 */

export type GatewayErrorCode = "INVALID_SPEC" | "STEP_FAILED" | "NOT_PRIVILEGED" | "MISSING_TOOL" | "TIMEOUT" | "REMOVE_INCOMPLETE";

export abstract class GatewayError extends Error {
    abstract readonly code: GatewayErrorCode;
}

export class GatewaySpecError extends GatewayError {
    override name = "GatewaySpecError";
    readonly code = "INVALID_SPEC";
    constructor(readonly problems: Array<{ property: string; reason: string }>) {
        super(`invalid toolbox gateway settings:\n${problems.map((p) => `  - ${p.reason}`).join("\n")}`);
    }
}

/**
 * A remote step failed: its command exited non-zero (or could not run), or - with exitCode 0 -
 * it ran but what it found rules the step out; `stderr` then says why.
 */
export class GatewayStepError extends GatewayError {
    override name = "GatewayStepError";
    readonly code = "STEP_FAILED";
    constructor(
        /** The step in user terms, e.g. "start the DNS proxy (dnsmasq)". */
        readonly step: string,
        readonly target: string,
        readonly command: string,
        readonly exitCode: number | null,
        readonly stderr: string,
        options?: { cause?: unknown },
    ) {
        const detail = stderr.trim().slice(-4000);
        super(exitCode === 0
            ? `toolbox gateway: could not ${step} on ${target}: ${detail}`
            : `toolbox gateway: could not ${step} on ${target}: ${command} exited with ${exitCode ?? "no status"}${detail ? `\n${detail}` : ""}`, options);
    }
}

export class GatewayPrivilegeError extends GatewayError {
    override name = "GatewayPrivilegeError";
    readonly code = "NOT_PRIVILEGED";
    constructor(readonly target: string, readonly user: string, detail: string) {
        super(
            `toolbox gateway: ${target} logs in as ${user}, which is not root and cannot use sudo without a password ` +
            `(${detail}); log in as root, or allow ${user} passwordless sudo`,
        );
    }
}

export class GatewayMissingToolError extends GatewayError {
    override name = "GatewayMissingToolError";
    readonly code = "MISSING_TOOL";
    constructor(readonly target: string, readonly tools: Array<{ tool: string; install: string }>) {
        super(`toolbox gateway: ${target} lacks ${tools.map((t) => `${t.tool} (${t.install})`).join(", ")}`);
    }
}

export class GatewayTimeoutError extends GatewayError {
    override name = "GatewayTimeoutError";
    readonly code = "TIMEOUT";
    constructor(readonly target: string, readonly waitingFor: string, readonly timeoutMs: number) {
        super(`toolbox gateway: timed out after ${timeoutMs} ms on ${target} waiting for ${waitingFor}`);
    }
}

/** remove() tried every step; these could not be done. */
export class GatewayRemoveError extends GatewayError {
    override name = "GatewayRemoveError";
    readonly code = "REMOVE_INCOMPLETE";
    constructor(readonly target: string, readonly failures: Error[], readonly removed: string[]) {
        super(
            `toolbox gateway: could not remove everything from ${target}; ${failures.length} step(s) failed:\n` +
            failures.map((f) => `  - ${f.message.replace(/\n/g, "\n    ")}`).join("\n") +
            (removed.length ? `\n(done: ${removed.join(", ")})` : ""),
        );
    }
}
