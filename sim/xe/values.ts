/**
 * Parsing of parameter values the way xapi's CLI does it: sizes with unit suffixes
 * (Record_util.bytes_of_string, whose grammar and messages changed after 1.249), the CLI's lenient
 * booleans, and 64-bit integers.
 */
import { CliFailure, OcamlException, OcamlFailure } from "./errors";

const UNITS: Record<string, number> = {
    bytes: 1, b: 1, "": 1,
    kib: 1024, kb: 1024, k: 1024,
    mib: 1024 ** 2, mb: 1024 ** 2, m: 1024 ** 2,
    gib: 1024 ** 3, gb: 1024 ** 3, g: 1024 ** 3,
    tib: 1024 ** 4, tb: 1024 ** 4, t: 1024 ** 4,
};

/** xapi ≥ 24.x: Scanf "%Ld %s" — a decimal integer, optional blanks, then a case-insensitive unit. */
function bytesModern(field: string, text: string): number {
    const m = /^([+-]?\d+)\s*(\S*)/.exec(text);
    const fail = () => new CliFailure(`Failed to parse field '${field}': expecting an integer (possibly with suffix KiB, MiB, GiB, TiB), got '${text}'`);
    if (!m) throw fail();
    const size = Number(m[1]);
    const unit = UNITS[m[2].toLowerCase()];
    if (size < 0 || unit === undefined || !Number.isSafeInteger(size)) throw fail();
    return size * unit;
}

/** xapi ≤ 1.249: one run of digits and at most one exact-case suffix bytes/KiB/MiB/GiB/TiB. */
function bytesLegacy(field: string, text: string): number {
    const generic = () => new CliFailure(`Failed to parse field '${field}': expecting an integer (possibly with suffix)`);
    const suffixes = text.split(/[\s0-9]+/).filter((s) => s !== "");
    const toInt = (s: string): number => {
        if (/^[+-]?\d+$/.test(s) && Number.isSafeInteger(Number(s))) return Number(s);
        if (s !== "" && /^\d+$/.test(s.slice(1))) {
            throw new CliFailure(`Failed to parse field '${field}': number too big (maximum = 8388607 TiB)`);
        }
        throw generic();
    };
    if (suffixes.length === 0) return toInt(text);
    if (suffixes.length > 1) throw generic();
    const numbers = text.split(/[^0-9]+/).filter((s) => s !== "");
    if (numbers.length !== 1) throw generic();
    const number = toInt(numbers[0]);
    const mult = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 }[suffixes[0]];
    if (mult === undefined) {
        throw new CliFailure(`Failed to parse field '${field}': Unknown suffix: '${suffixes[0]}' (try KiB, MiB, GiB or TiB)`);
    }
    return number * mult;
}

export function bytesOfString(gen: number, field: string, text: string): number {
    return gen >= 2 ? bytesModern(field, text) : bytesLegacy(field, text);
}

/** Record_util.bool_of_string (the CLI's lenient booleans), wrapped by get_bool_param's message. */
export function cliBool(param: string, text: string): boolean {
    const v = text.toLowerCase();
    if (["true", "t", "yes", "y", "1"].includes(v)) return true;
    if (["false", "f", "no", "n", "0"].includes(v)) return false;
    throw new CliFailure(`Failed to parse parameter '${param}': Expected 'true','t','yes','y','1','false','f','no','n','0' got ${text}`);
}

/** OCaml's bool_of_string (strict), which field setters use; failure escapes as Invalid_argument. */
export function ocamlBool(text: string): boolean {
    if (text === "true") return true;
    if (text === "false") return false;
    throw new OcamlException('Invalid_argument("bool_of_string")');
}

/** Records.safe_bool_of_string. */
export function safeBool(field: string, text: string): boolean {
    if (text === "true") return true;
    if (text === "false") return false;
    throw new CliFailure(`Failed to parse parameter '${field}': expecting a boolean (true or false)`);
}

/** Records.safe_i64_of_string. */
export function safeInt(field: string, text: string): number {
    if (/^[+-]?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text))) return Number(text);
    throw new CliFailure(`Failed to parse parameter '${field}': expecting an integer`);
}

/** OCaml Int64.of_string / int_of_string, whose failure escapes as `Failure "<fn>"`. */
export function int64(text: string, fn = "Int64.of_string"): number {
    if (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
    throw new OcamlFailure(fn);
}
