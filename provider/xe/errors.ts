/**
 * xe failures as typed errors. xe reports a failure in one of three shapes (see xe-cli facts):
 *  - a XenAPI error known to the datamodel: its doc string, then `name: value` lines;
 *  - any other XenAPI error: `Error code: CODE` and `Error parameters: p1, p2, …`;
 *  - a CLI-level failure: `Error: No matching VMs found`, `Unknown command: foo`, …
 * parseXeFailure() turns each into `{ code, params }` so callers branch on codes, never on text.
 */
import { DATAMODEL_ERRORS_BY_DOC, normalizeDoc } from "./datamodelErrors";

export interface XeFailure {
    /** XenAPI code ("UUID_INVALID", "SR_BACKEND_FAILURE_44") or a CLI-level kind ("NO_MATCHING_OBJECTS"). */
    code: string;
    /** Parameters in order, as xe printed them. */
    params: string[];
    /** Parameters by name, for the datamodel rendering (which names them). */
    paramsByName: Record<string, string>;
    /** The human description (doc string or message). */
    description: string;
}

/** CLI-level messages (xapi_cli / cli_operations), most specific first. */
const CLI_FAILURES: Array<{ pattern: RegExp; code: string }> = [
    { pattern: /^Unknown command: (.*)$/, code: "UNKNOWN_COMMAND" },
    { pattern: /^Required parameter not found: (.*)$/, code: "MISSING_PARAMETER" },
    { pattern: /^Syntax error/, code: "SYNTAX_ERROR" },
    { pattern: /^(?:Authentication failed|Username\/password must be specified)/, code: "AUTHENTICATION_FAILED" },
    { pattern: /^Error: No matching (.+?) found/, code: "NO_MATCHING_OBJECTS" },
    { pattern: /^Error: No (templates) matched/, code: "NO_MATCHING_OBJECTS" },
    { pattern: /^Error: Multiple match(?:es|ing) (.+?) found/, code: "MULTIPLE_MATCHES" },
    { pattern: /^Error: More than one matching (.+?) found/, code: "MULTIPLE_MATCHES" },
    { pattern: /^Error: Unknown field '(.*)'/, code: "UNKNOWN_FIELD" },
    { pattern: /^Error: Key (.*) not found in map/, code: "KEY_NOT_FOUND" },
    { pattern: /^Error: Field '(.*)' is read-only/, code: "FIELD_READ_ONLY" },
    { pattern: /^Error: Field '(.*)' is a map or set/, code: "FIELD_IS_MAP_OR_SET" },
    { pattern: /^Error: Cannot param-set on set fields/, code: "FIELD_IS_SET" },
    { pattern: /^Error: Failed to parse field '(.*?)': (.*)$/, code: "FIELD_PARSE_ERROR" },
    { pattern: /^Error: CD (.*) not found!?$/, code: "CD_NOT_FOUND" },
    { pattern: /^Error: No CDs found/, code: "CD_NOT_FOUND" },
    { pattern: /^Error: (Two or more (?:empty )?CD(?: device)?s found)/, code: "MULTIPLE_MATCHES" },
    { pattern: /^Error: Disk not found/, code: "DISK_NOT_FOUND" },
    { pattern: /^Error: This operation is dangerous/, code: "FORCE_REQUIRED" },
    { pattern: /^Error: (Can only install from templates)/, code: "NOT_A_TEMPLATE" },
    { pattern: /^Error: (Failed to find a valid default SR.*|No default Pool SR set.*)$/, code: "NO_DEFAULT_SR" },
    { pattern: /^Error: (.*)$/, code: "CLI_ERROR" },
    // xenstore-read (not xe, but run through the same client)
    { pattern: /couldn't read path (.*)$/, code: "XENSTORE_PATH_NOT_FOUND" },
    // the remote shell: bash "bash: line 1: xe: command not found", dash "sh: 1: xe: not found"
    { pattern: /(?:^|: )([\w.-]+): (?:command )?not found$/, code: "COMMAND_NOT_FOUND" },
];

/** Reads xe's stderr (and stdout, where `--multiple` puts failures) into a code and params. */
export function parseXeFailure(stderr: string, stdout = ""): XeFailure {
    const text = stderr.trim() ? stderr : stdout;
    const lines = text.replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    const first = lines.findIndex((l) => l.trim() !== "");
    if (first < 0) return { code: "XE_FAILED", params: [], paramsByName: {}, description: "xe failed without printing a reason" };

    const codeLine = lines.findIndex((l) => /^Error code: /.test(l));
    if (codeLine >= 0) {
        const code = lines[codeLine].slice("Error code: ".length).trim();
        const paramLine = lines[codeLine + 1];
        // xe joins params with ", " and ends the line with the last (often empty) one.
        const params = paramLine?.startsWith("Error parameters:") ? paramLine.replace(/^Error parameters: ?/, "").split(", ") : [];
        return { code: codeFromText(code), params, paramsByName: {}, description: `${code}${params.length ? `: ${params.join(", ")}` : ""}` };
    }

    const known = DATAMODEL_ERRORS_BY_DOC.get(normalizeDoc(lines[first]));
    if (known) {
        const paramsByName: Record<string, string> = {};
        const params: string[] = [];
        for (const line of lines.slice(first + 1)) {
            const name = [...known.params, "<extra>"].find((p) => line.startsWith(`${p}: `) || line === `${p}:`);
            const sep = name ? name.length : line.indexOf(": ");
            if (sep < 0) continue;
            const key = line.slice(0, sep);
            const value = line.slice(sep + 2);
            params.push(value);
            if (key !== "<extra>" && !(key in paramsByName)) paramsByName[key] = value;
        }
        return { code: known.code, params, paramsByName, description: lines[first] };
    }

    for (const line of lines.slice(first)) {
        for (const { pattern, code } of CLI_FAILURES) {
            const m = pattern.exec(line);
            if (m) return { code, params: m.slice(1), paramsByName: {}, description: line.replace(/^Error: /, "") };
        }
    }
    return { code: "XE_FAILED", params: [], paramsByName: {}, description: lines[first] };
}

/** "Missing parameter" → "MISSING_PARAMETER"; codes already in upper snake case pass through. */
function codeFromText(text: string): string {
    return /^[A-Z0-9_]+$/.test(text) ? text : text.trim().toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "");
}

/** An xe command exited non-zero. `code`/`params` come from parseXeFailure. */
export class XeError extends Error {
    override name = "XeError";
    readonly code: string;
    readonly params: string[];
    readonly paramsByName: Record<string, string>;
    readonly description: string;

    constructor(
        /** The command as shown to users (secret-bearing values redacted). */
        readonly command: string,
        /** "user@host:port" of the host it ran on. */
        readonly target: string,
        readonly exitCode: number | null,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        const failure = parseXeFailure(stderr, stdout);
        const detail = (stderr.trim() || stdout.trim()).slice(0, 4000);
        super(`xe failed with ${failure.code} on ${target}: ${command}${detail ? `\n${detail}` : ""}`);
        this.code = failure.code;
        this.params = failure.params;
        this.paramsByName = failure.paramsByName;
        this.description = failure.description;
    }
}
