/**
 * check() building blocks: each rule looks at one input and, when the value is known and breaks
 * the rule, records a failure that names the input, the rule and the value received. Every rule
 * runs, so the user sees all problems at once. Unknown values (preview) and absent optional values
 * pass: defaults are applied afterwards.
 */
import { containsUnknown } from "./unknown";

export interface CheckFailure {
    property: string;
    reason: string;
}

/** A short, quoted rendering of a value for a message (strings quoted, long values cut). */
export function show(value: unknown): string {
    let text: string;
    try {
        text = value === undefined ? "undefined" : JSON.stringify(value);
    } catch {
        text = String(value);
    }
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export class Checker {
    readonly failures: CheckFailure[] = [];

    constructor(private readonly news: Record<string, unknown>) {}

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }

    /** The value when it is given and known, else undefined (and no rule applies). */
    private value(property: string): unknown {
        const v = this.news[property];
        return v === null || containsUnknown(v) ? undefined : v;
    }

    required(property: string): boolean {
        const v = this.news[property];
        if (v === undefined || v === null) {
            this.fail(property, `${property} is required`);
            return false;
        }
        return true;
    }

    /** One line of text, no NUL; `pattern` adds a rule described by `rule`. */
    string(property: string, rule: { nonEmpty?: boolean; maxLength?: number; pattern?: RegExp; patternRule?: string } = {}): void {
        const v = this.value(property);
        if (v === undefined) return;
        if (typeof v !== "string") return this.fail(property, `${property} must be a string, got ${show(v)}`);
        if (rule.nonEmpty && v.trim() === "") return this.fail(property, `${property} must not be empty, got ${show(v)}`);
        if (/[\0\n\r]/.test(v)) return this.fail(property, `${property} must be one line without NUL characters, got ${show(v)}`);
        if (rule.maxLength !== undefined && v.length > rule.maxLength) {
            return this.fail(property, `${property} must be at most ${rule.maxLength} characters, got ${v.length}: ${show(v)}`);
        }
        if (rule.pattern && !rule.pattern.test(v)) this.fail(property, `${property} must be ${rule.patternRule}, got ${show(v)}`);
    }

    /** A number in [min, max]; `step` makes it a multiple (e.g. 1 for integers, 1/1024 for MiB in GiB). */
    number(property: string, rule: { min: number; max: number; integer?: boolean; step?: number; stepRule?: string; unit?: string }): void {
        const v = this.value(property);
        if (v === undefined) return;
        const unit = rule.unit ? ` ${rule.unit}` : "";
        const what = rule.integer ? "an integer" : "a number";
        if (typeof v !== "number" || !Number.isFinite(v)) return this.fail(property, `${property} must be ${what} from ${rule.min} to ${rule.max}${unit}, got ${show(v)}`);
        if (rule.integer && !Number.isInteger(v)) return this.fail(property, `${property} must be ${what} from ${rule.min} to ${rule.max}${unit}, got ${show(v)}`);
        if (v < rule.min || v > rule.max) return this.fail(property, `${property} must be ${what} from ${rule.min} to ${rule.max}${unit}, got ${show(v)}`);
        if (rule.step !== undefined && Math.abs(Math.round(v / rule.step) * rule.step - v) > 1e-9) {
            this.fail(property, `${property} must be ${rule.stepRule}, got ${show(v)}`);
        }
    }

    boolean(property: string): void {
        const v = this.value(property);
        if (v !== undefined && typeof v !== "boolean") this.fail(property, `${property} must be true or false, got ${show(v)}`);
    }

    oneOf(property: string, allowed: readonly string[]): void {
        const v = this.value(property);
        if (v !== undefined && !allowed.includes(v as string)) {
            this.fail(property, `${property} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${show(v)}`);
        }
    }

    uuid(property: string, what: string): void {
        this.string(property, { pattern: UUID, patternRule: `the uuid of ${what}, like "3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f"` });
    }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
