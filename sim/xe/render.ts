/**
 * Prints a failed invocation the way xapi_cli.ml's exception_handler and the thin client do, and
 * returns the exit status (always 1: `handler` sends `Exit 1` after any exception).
 */
import { errorDoc } from "./errorDocs";
import {
    ApiError, CliFailure, ExitWithError, FieldNotFound, MultipleFailure, OcamlException, OcamlFailure, ParamNotFound,
    SyntaxError, UnknownCommand,
} from "./errors";
import type { Out } from "./printer";

/** Cli_util.ref_convert: an OpaqueRef the database knows becomes "<uuid>" or "<uuid> (<name-label>)". */
export type RefConvert = (param: string) => string;

const paramError = (out: Out, prefix: string, detail: string): void => {
    out.stderr(`${prefix ? `${prefix}: ${detail}` : detail}\n`);
    out.stderr("For usage run: 'xe help'\n");
};

/** Cli_util.get_server_error: the doc line plus `name: value` lines, or undefined if not in the datamodel. */
export function describeServerError(code: string, params: string[], gen: number, convert: RefConvert): string[] | undefined {
    const doc = errorDoc(code, gen);
    if (!doc) return undefined;
    const values = params.map(convert);
    const lines = [doc.doc];
    const n = Math.max(doc.params.length, values.length);
    for (let i = 0; i < n; i++) {
        if (i >= doc.params.length) lines.push(`<extra>: ${values[i]}`);
        else if (i >= values.length) lines.push(`${doc.params[i]}: <unknown>`);
        else lines.push(`${doc.params[i]}: ${values[i]}`);
    }
    return lines;
}

function serverError(out: Out, code: string, params: string[], gen: number, convert: RefConvert): void {
    const lines = describeServerError(code, params, gen, convert);
    if (lines) {
        for (const line of lines) out.stderr(`${line}\n`);
        return;
    }
    // Not in the datamodel: the server sends `Error (code, params)` and the client prints it.
    out.stderr(`Error code: ${code}\n`);
    out.stderr(`Error parameters: ${params.map(convert).join(", ")}\n`);
}

/** Cli_util.string_of_exn for a non-XenAPI exception: "INTERNAL_ERROR: [ <printed> ]". */
export function stringOfException(err: unknown): string {
    if (err instanceof ApiError) return `${err.code}: [ ${err.params.join("; ")} ]`;
    if (err instanceof CliFailure) return `INTERNAL_ERROR: [ Cli_util.Cli_failure("${err.message}") ]`;
    if (err instanceof OcamlFailure) return `INTERNAL_ERROR: [ Failure("${err.text}") ]`;
    if (err instanceof OcamlException) return `INTERNAL_ERROR: [ ${err.printed} ]`;
    return `INTERNAL_ERROR: [ ${(err as Error)?.message ?? String(err)} ]`;
}

export function renderFailure(err: unknown, out: Out, gen: number, convert: RefConvert): number {
    if (err instanceof ExitWithError) return err.exitCode;
    if (err instanceof UnknownCommand) paramError(out, "Unknown command", err.command);
    else if (err instanceof SyntaxError) paramError(out, "Syntax error", err.detail);
    else if (err instanceof ParamNotFound) paramError(out, "Required parameter not found", err.param);
    else if (err instanceof MultipleFailure) {
        for (const [uuid, msg] of err.failures) out.stdout(`operation failed on ${uuid}: ${msg}\n`);
    } else if (err instanceof CliFailure) out.stderr(`Error: ${err.message}\n`);
    else if (err instanceof ApiError) serverError(out, err.code, err.params, gen, convert);
    else if (err instanceof FieldNotFound) serverError(out, "Missing parameter", [err.field], gen, convert);
    else if (err instanceof OcamlFailure) serverError(out, "INTERNAL_ERROR", [`Failure: ${err.text}`], gen, convert);
    else if (err instanceof OcamlException) serverError(out, "INTERNAL_ERROR", [`INTERNAL_ERROR: [ ${err.printed} ]`], gen, convert);
    else {
        // A bug in the simulator itself: report it like xapi reports an unexpected exception, plus
        // the stack on stderr so the cause is not lost.
        const e = err as Error;
        serverError(out, "INTERNAL_ERROR", [`Simulator bug: ${e?.message ?? String(err)}`], gen, convert);
        if (e?.stack) out.stderr(`${e.stack}\n`);
    }
    return 1;
}
