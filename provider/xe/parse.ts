/**
 * Pure parsers for xe's output formats:
 *  - records (`*-list`, `*-param-list`): `name ( RO): value` lines, keys aligned with padding,
 *    records separated by blank lines, access tags ( RO)/( RW)/(MRO)/(MRW)/(SRO)/(SRW);
 *  - `--minimal`: the first field of each record, comma-joined, with `,` and `\` escaped;
 *  - map values `k1: v1; k2: v2` and set values `a; b; c`.
 */

/** One record: field name (without access tag) → printed value. */
export type XeRecord = Record<string, string>;

export type XeAccess = "RO" | "RW" | "MRO" | "MRW" | "SRO" | "SRW";

export interface XeField {
    name: string;
    value: string;
    access: XeAccess;
    deprecated: boolean;
}

/**
 * `key (TAG) [DEPRECATED]: value`. The first key of a record is padded on the right, the others on
 * the left; exactly one space follows the colon (an empty value leaves a trailing space that may
 * have been stripped).
 */
const FIELD_LINE = /^ *(.+?) \(( RO| RW|MRO|MRW|SRO|SRW)\)( \[DEPRECATED\])? *:(?: (.*))?$/;

/** Parses record output into records with access tags, in printed order. */
export function parseRecordFields(output: string): XeField[][] {
    const records: XeField[][] = [];
    let current: XeField[] | undefined;
    for (const raw of output.replace(/\r/g, "").split("\n")) {
        const m = FIELD_LINE.exec(raw);
        if (!m) {
            // A blank line ends a record; so does any other line, e.g. the "Disk 0 VBD:" headings
            // vm-disk-list prints between its tables.
            current = undefined;
            continue;
        }
        const field: XeField = { name: m[1], value: m[4] ?? "", access: m[2].trim() as XeAccess, deprecated: !!m[3] };
        // A repeated field name means a new record even without a separating blank line.
        if (!current || current.some((f) => f.name === field.name)) {
            current = [];
            records.push(current);
        }
        current.push(field);
    }
    return records;
}

/** Parses record output into plain `{ field: value }` records. */
export function parseRecords(output: string): XeRecord[] {
    return parseRecordFields(output).map((fields) => Object.fromEntries(fields.map((f) => [f.name, f.value])));
}

/**
 * Parses `--minimal` output: "" (a lone newline) is no values at all; otherwise the values are
 * split on unescaped commas and `\,` / `\\` are unescaped. (A single record whose first field is
 * empty also prints a lone newline; xe cannot tell it apart from no records.)
 */
export function parseMinimal(output: string): string[] {
    const text = output.replace(/\r?\n+$/, "");
    if (text === "") return [];
    const values: string[] = [];
    let current = "";
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === "\\" && i + 1 < text.length && (text[i + 1] === "," || text[i + 1] === "\\")) {
            current += text[++i];
        } else if (ch === ",") {
            values.push(current);
            current = "";
        } else {
            current += ch;
        }
    }
    values.push(current);
    return values;
}

/**
 * Parses a map value `k1: v1; k2: v2` (insertion order kept). xe does not escape "; " or ": "
 * inside keys or values, so such values are ambiguous: read them one key at a time with
 * `param-key=` instead.
 */
export function parseMap(value: string): Record<string, string> {
    const text = value.replace(/\r?\n$/, "");
    const out: Record<string, string> = {};
    if (text.trim() === "") return out;
    for (const entry of text.split("; ")) {
        const sep = entry.indexOf(": ");
        if (sep < 0) {
            if (entry.endsWith(":")) out[entry.slice(0, -1)] = "";
            else out[entry] = "";
        } else {
            out[entry.slice(0, sep)] = entry.slice(sep + 2);
        }
    }
    return out;
}

/**
 * Parses a set (or ref list) value `a; b; c`; "" is the empty set. Empty members are dropped: a
 * real host prints `capabilities` with a trailing "; ".
 */
export function parseSet(value: string): string[] {
    return value.replace(/\r?\n$/, "").split("; ").filter((m) => m.trim() !== "");
}

/** The single value printed by `*-param-get` (xe appends one newline). */
export function parseValue(output: string): string {
    return output.replace(/\r?\n$/, "");
}
