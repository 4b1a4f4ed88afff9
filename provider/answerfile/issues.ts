/**
 * The collector validation rules write into, so every rule phrases its message the same way:
 * `<path> <rule>, got <value>`. Values are quoted with JSON.stringify so empty strings, spaces and
 * unicode are visible; secret fields pass a description of the value instead of the value.
 */
import type { AnswerFileIssue } from "./errors";

/** `scheme://user:password@host` → `scheme://user:***@host`: repository URLs may carry credentials. */
function maskUrlPasswords(text: string): string {
    return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\s:@"]*):[^@\s/"]*@/g, "$1:***@");
}

/** How a received value appears in a message (passwords inside URLs masked). */
export function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    return maskUrlPasswords(JSON.stringify(value));
}

/** Stands for a secret in a message: its length, never its content. */
export class Redacted {
    constructor(readonly description: string) {}
}

export class Issues {
    readonly errors: AnswerFileIssue[] = [];
    readonly warnings: AnswerFileIssue[] = [];

    /** The installer would reject the file or do something other than asked. */
    error(path: string, rule: string, value: unknown): void {
        this.errors.push({ severity: "error", path, message: Issues.sentence(path, rule, value) });
    }

    /** The installer would silently ignore the field, or the field is deprecated. */
    warn(path: string, rule: string, value: unknown): void {
        this.warnings.push({ severity: "warning", path, message: Issues.sentence(path, rule, value) });
    }

    private static sentence(path: string, rule: string, value: unknown): string {
        const got = value instanceof Redacted ? value.description : describe(value);
        return `${path} ${rule}, got ${got}`;
    }
}

/** True for a string with at least one character. */
export function isNonEmptyString(value: unknown): value is string {
    return typeof value === "string" && value.length > 0;
}

/** Checks membership of a closed set and reports the allowed values. */
export function checkEnum(issues: Issues, path: string, value: unknown, allowed: readonly string[]): boolean {
    if (typeof value === "string" && allowed.includes(value)) return true;
    issues.error(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
    return false;
}
