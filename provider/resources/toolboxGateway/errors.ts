/** Errors of the ToolboxGateway resource (the gateway and xe layers have their own). */

/** The toolbox VM cannot take the home VIF (missing, ambiguous, halted, or hot-plug refused). */
export class ToolboxVmError extends Error {
    override name = "ToolboxVmError";
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** A create that failed and was rolled back (or could not be, said in the message). */
export class ToolboxGatewayCreateError extends Error {
    override name = "ToolboxGatewayCreateError";
    constructor(readonly lab: string, cause: Error, readonly rollbackFailures: Error[], rolledBack: string[]) {
        super(
            `could not create the toolbox gateway of lab ${lab}: ${cause.message}` +
            (rollbackFailures.length
                ? `\nrolling back also failed, clean up by hand:\n${rollbackFailures.map((f) => `  - ${f.message}`).join("\n")}`
                : rolledBack.length ? `\n(rolled back: ${rolledBack.join(", ")})` : ""),
            { cause },
        );
    }
}

/** delete() tried every step; these failed. */
export class ToolboxGatewayDeleteError extends AggregateError {
    override name = "ToolboxGatewayDeleteError";
    constructor(readonly lab: string, errors: Error[], done: string[]) {
        super(errors,
            `could not delete the toolbox gateway of lab ${lab} completely:\n${errors.map((e) => `  - ${e.message.replace(/\n/g, "\n    ")}`).join("\n")}` +
            (done.length ? `\n(done: ${done.join(", ")})` : ""));
    }
}
