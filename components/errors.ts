/**
 * The Lab's typed errors: invalid arguments (found before anything is registered) and a
 * pre-flight that says the lab does not fit the host (found before anything is created).
 */

/** Every problem with a Lab's arguments, reported at once. */
export class LabValidationError extends Error {
    override name = "LabValidationError";
    constructor(readonly lab: string, readonly problems: readonly string[]) {
        super(`invalid arguments for the Lab "${lab}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
}

/** The pre-flight found that the lab cannot be built on the host; the message carries the need/have/short table. */
export class LabPreflightError extends Error {
    override name = "LabPreflightError";
    constructor(readonly lab: string, readonly target: string, readonly problems: readonly string[], table: string) {
        super(
            `the Lab "${lab}" does not fit on ${target}; nothing was created:\n` +
            `${table}\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
    }
}

/** The pre-flight could not read what it needs from the host (SSH or xe failed). */
export class LabPreflightQueryError extends Error {
    override name = "LabPreflightQueryError";
    constructor(lab: string, target: string, cause: unknown) {
        super(`the pre-flight of the Lab "${lab}" could not query ${target}: ${(cause as Error)?.message ?? String(cause)} (set preflight: false to skip it)`, { cause });
    }
}
