/**
 * Values not known yet. During preview the engine sends every input that depends on an unresolved
 * Output as this one string, whatever the input's declared type (pulumi-dynamic-providers.md
 * §1.3), so check() and diff() must recognise it anywhere in a value.
 */

/** pulumi.runtime.unknownValue. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** Whether `value` is, or contains (in an array or object, at any depth), an unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
    return false;
}

/** A value that is given and known (not undefined, null or the unknown sentinel). */
export function isKnown(value: unknown): boolean {
    return value !== undefined && value !== null && !containsUnknown(value);
}
