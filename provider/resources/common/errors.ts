/**
 * Errors shared by the resources: a create that failed after rolling back (or failing to), and a
 * delete that tried every step. Messages follow DESIGN.md: what failed in user terms, then detail.
 */

export interface CleanupReport {
    /** What was removed again, e.g. "VM 1234… and its disk". */
    done: string[];
    /** What could not be removed (left on the host). */
    failed: Error[];
    /** True when cleanup was skipped on purpose (keepFailedVm). */
    skipped?: string;
}

/** create() failed; partial objects were removed first (or the message says what was left). */
export class ResourceCreateError extends Error {
    override name = "ResourceCreateError";
    constructor(readonly resource: string, cause: Error, readonly cleanup: CleanupReport) {
        super(
            `could not create ${resource}: ${cause.message}` +
            (cleanup.skipped
                ? `\n${cleanup.skipped}`
                : cleanup.failed.length
                    ? `\nremoving what was created also failed; left on the host, remove by hand:\n${cleanup.failed.map((f) => `  - ${indent(f.message)}`).join("\n")}`
                    : cleanup.done.length ? `\n(removed again: ${cleanup.done.join(", ")})` : ""),
            { cause },
        );
    }
}

/** delete() tried every step; these failed, the rest was done. */
export class ResourceDeleteError extends AggregateError {
    override name = "ResourceDeleteError";
    constructor(readonly resource: string, errors: Error[], done: string[]) {
        super(errors,
            `could not delete ${resource} completely:\n${errors.map((e) => `  - ${indent(e.message)}`).join("\n")}` +
            (done.length ? `\n(done: ${done.join(", ")})` : ""));
    }
}

function indent(text: string): string {
    return text.replace(/\n/g, "\n    ");
}

/** An error object from anything thrown. */
export function asError(err: unknown): Error {
    return err instanceof Error ? err : new Error(String(err));
}

/** Inputs given to a helper outside Pulumi (the CLI) broke check()'s rules; every failure is listed. */
export class InputValidationError extends Error {
    override name = "InputValidationError";
    constructor(readonly resource: string, readonly failures: Array<{ property: string; reason: string }>) {
        super(`invalid ${resource} arguments:\n${failures.map((f) => `- ${f.reason}`).join("\n")}`);
    }
}
