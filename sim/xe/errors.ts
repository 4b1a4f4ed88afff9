/**
 * The failures an `xe` invocation can end with, one class per exception xapi's CLI server tells
 * apart in xapi_cli.ml's exception_handler, so the renderer (./render) prints each one exactly as
 * a real host does.
 */

/** A XenAPI error (Api_errors.Server_error): code plus string parameters (refs are rendered). */
export class ApiError extends Error {
    constructor(
        readonly code: string,
        readonly params: string[] = [],
    ) {
        super(`${code}: [ ${params.join("; ")} ]`);
        this.name = "ApiError";
    }
}

/** Cli_util.Cli_failure / Record_util.Record_failure: printed as `Error: <msg>`. */
export class CliFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CliFailure";
    }
}

/** Cli_frontend.ParamNotFound: a required parameter is missing. */
export class ParamNotFound extends Error {
    constructor(readonly param: string) {
        super(`Required parameter not found: ${param}`);
        this.name = "ParamNotFound";
    }
}

/** Records.CLI_failed_to_find_param: param-get / field lookups of an unknown field. */
export class FieldNotFound extends Error {
    constructor(readonly field: string) {
        super(`Missing parameter: ${field}`);
        this.name = "FieldNotFound";
    }
}

export class UnknownCommand extends Error {
    constructor(readonly command: string) {
        super(`Unknown command: ${command}`);
        this.name = "UnknownCommand";
    }
}

/** Cli_frontend.ParseError: always re-raised with an empty detail, so it prints "Syntax error: ". */
export class SyntaxError extends Error {
    constructor(readonly detail: string) {
        super(`Syntax error: ${detail}`);
        this.name = "SyntaxError";
    }
}

/** An OCaml `Failure s` that escapes to the handler: INTERNAL_ERROR with "Failure: s". */
export class OcamlFailure extends Error {
    constructor(readonly text: string) {
        super(`Failure: ${text}`);
        this.name = "OcamlFailure";
    }
}

/** Any other OCaml exception: INTERNAL_ERROR with the exception's printed form. */
export class OcamlException extends Error {
    constructor(readonly printed: string) {
        super(printed);
        this.name = "OcamlException";
    }
}

/** Cli_operations.Multiple_failure: per-VM failures of a --multiple operation. */
export class MultipleFailure extends Error {
    constructor(readonly failures: Array<[uuid: string, message: string]>) {
        super(`operation failed on ${failures.length} objects`);
        this.name = "MultipleFailure";
    }
}

/** Cli_operations.ExitWithError: the command already printed what it wanted; exit with `code`. */
export class ExitWithError extends Error {
    constructor(readonly exitCode: number) {
        super(`exit ${exitCode}`);
        this.name = "ExitWithError";
    }
}
