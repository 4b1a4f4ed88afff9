/**
 * Exit codes of `vh`, documented in the README's CLI reference. Scripts branch on these, so they
 * are part of the interface: never renumber one.
 */
export const EXIT = {
    /** The command did what it was asked. */
    OK: 0,
    /** The operation failed on the host (an xe error, an install that failed or timed out, …). */
    FAILED: 1,
    /** The command line was wrong: unknown command or option, missing or invalid argument. */
    USAGE: 2,
    /** The host could not be reached or refused us: connection, authentication or host key. */
    CONNECTION: 3,
    /** Interrupted (SIGINT/SIGTERM) before the operation finished. */
    INTERRUPTED: 130,
} as const;

/** Thrown by argument parsing; cli/vh.ts prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
    override name = "UsageError";
}
