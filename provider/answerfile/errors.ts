/**
 * Typed errors of the answer-file area. Callers branch on the class, never on message text.
 */

/** One problem found by validateAnswerFile. */
export interface AnswerFileIssue {
    /**
     * "error": the installer would reject the file or install something other than asked.
     * "warning": the installer would silently ignore the field, or it is deprecated.
     */
    severity: "error" | "warning";
    /** Path of the field in the AnswerFile model, e.g. "adminInterface.ipv4.netmask" or "sources[1].location". */
    path: string;
    /** The whole sentence: field, rule and the value received (secrets are never quoted). */
    message: string;
}

/** Thrown by assertValidAnswerFile: every error at once, plus the warnings for context. */
export class AnswerFileValidationError extends Error {
    override name = "AnswerFileValidationError";
    constructor(
        readonly errors: AnswerFileIssue[],
        readonly warnings: AnswerFileIssue[] = [],
    ) {
        super(`invalid answer file (${errors.length} error${errors.length === 1 ? "" : "s"}):\n${errors.map((e) => `- ${e.message}`).join("\n")}`);
    }
}

/** The text is not an answer file the installer would read (malformed XML, wrong top element). */
export class AnswerFileParseError extends Error {
    override name = "AnswerFileParseError";
}

/** The model holds a value XML 1.0 cannot carry (control characters); validation reports it too. */
export class AnswerFileRenderError extends Error {
    override name = "AnswerFileRenderError";
}

/** Bad input to the SHA-512 crypt functions (salt alphabet, rounds range, empty password). */
export class PasswordHashError extends Error {
    override name = "PasswordHashError";
}
