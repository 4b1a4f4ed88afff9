/**
 * THE place where an `xe` command line is built. Every parameter becomes one shell word quoted by
 * shellQuote(), maps become `name:key=value` words, booleans `true`/`false`, and flags
 * `--minimal`/`--force`/`--multiple`. The result also carries a display form with the values of
 * secret-bearing parameters masked, and whether the command only reads (and so may be retried).
 */
import { ShellCommand, shellQuote } from "../shell";

export type XeScalar = string | number | bigint | boolean;
/** A map parameter: `{ "other-config": { k: "v" } }` → `other-config:k=v`. */
export type XeMap = Readonly<Record<string, string>>;
/** Parameters in order; `undefined` values are left out. */
export type XeParams = Readonly<Record<string, XeScalar | XeMap | undefined>>;

export interface XeFlags {
    /** `--minimal`: print only the first field of each record, comma-joined. @default false */
    minimal?: boolean;
    /** `--force`. @default false */
    force?: boolean;
    /** `--multiple`: let a selector match several objects. @default false */
    multiple?: boolean;
    /** Names of extra parameters (or map keys) whose values must not be displayed. @default [] */
    secretParams?: readonly string[];
}

export interface XeCommandLine {
    /** The command name, e.g. "vm-list". */
    name: string;
    command: ShellCommand;
    /** The command as shown in errors and logs (secret values replaced by ***). */
    display: string;
    /** True when the command only reads state, so running it twice is harmless. */
    readOnly: boolean;
}

const COMMAND_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Parameter names are xe field names: `name-label`, `HVM-boot-params`, `VCPUs-max`, `cpu_info`. */
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Parameters whose value is a secret wherever they appear (also as a map key). */
const SECRET_NAME = /(?:^|[-_:])(?:password|passwd|secret|token|passphrase|private-?key)$/i;

/** Commands that only read; see isReadOnlyXeCommand. */
const READ_ONLY_SUFFIXES = ["-list", "-param-get", "-param-list"];
const READ_ONLY_COMMANDS = new Set(["help", "event-wait", "host-cpu-info", "host-compute-free-memory", "vm-compute-maximum-memory", "vm-compute-memory-overhead"]);

/** Whether an xe command only reads state (then a transport retry cannot change anything). */
export function isReadOnlyXeCommand(name: string): boolean {
    return READ_ONLY_COMMANDS.has(name) || READ_ONLY_SUFFIXES.some((s) => name.endsWith(s));
}

/** Builds `xe <name> <params…> [--minimal] [--force] [--multiple]`. Throws on invalid names or values. */
export function buildXeCommand(name: string, params: XeParams = {}, flags: XeFlags = {}): XeCommandLine {
    if (!COMMAND_NAME.test(name)) {
        throw new Error(`invalid xe command name ${JSON.stringify(name)}: expected lower-case words joined by "-", e.g. "vm-list"`);
    }
    const extraSecrets = new Set(flags.secretParams ?? []);
    const isSecret = (param: string) =>
        SECRET_NAME.test(param) || extraSecrets.has(param) || (name.startsWith("secret-") && param === "value");
    const words: string[] = [];
    const shown: string[] = [];
    const add = (param: string, value: string, secret: boolean) => {
        words.push(shellQuote(`${param}=${value}`, `xe ${name} parameter ${param}`));
        shown.push(shellQuote(`${param}=${secret ? "***" : value}`));
    };
    for (const [param, value] of Object.entries(params)) {
        if (value === undefined) continue;
        if (!PARAM_NAME.test(param)) {
            throw new Error(`invalid parameter name ${JSON.stringify(param)} for xe ${name}: expected an xe field name such as "name-label"`);
        }
        if (typeof value === "object") {
            for (const [key, v] of Object.entries(value)) {
                // xe splits each word at its first "=", so a key cannot contain one.
                if (key === "" || key.includes("=")) {
                    throw new Error(`invalid key ${JSON.stringify(key)} in map parameter ${param} of xe ${name}: keys must be non-empty and contain no "="`);
                }
                if (typeof v !== "string") throw new Error(`invalid value for ${param}:${key} of xe ${name}: expected a string, got ${typeof v}`);
                add(`${param}:${key}`, v, isSecret(param) || isSecret(key) || extraSecrets.has(`${param}:${key}`));
            }
        } else {
            add(param, scalar(value, `${param} of xe ${name}`), isSecret(param));
        }
    }
    for (const flag of ["minimal", "force", "multiple"] as const) {
        if (flags[flag]) {
            words.push(`--${flag}`);
            shown.push(`--${flag}`);
        }
    }
    return {
        name,
        command: ShellCommand.fromQuoted(["xe", name, ...words].join(" ")),
        display: ["xe", name, ...shown].join(" "),
        readOnly: isReadOnlyXeCommand(name),
    };
}

function scalar(value: XeScalar, what: string): string {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new Error(`invalid number for ${what}: ${value}`);
        // Sizes in bytes exceed 2^31 but not 2^53; print integers without an exponent.
        return Number.isInteger(value) ? BigInt(value).toString() : String(value);
    }
    return value;
}
