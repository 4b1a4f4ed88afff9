/**
 * A stack's configuration as the Pulumi CLI keeps it, for the documented-commands interpreter
 * (readmePulumi.ts). Follows pulumi/pulumi's `config set` (pkg/cmd/pulumi/config): keys are
 * `namespace:name` (the project's name when no namespace is given); without `--path` a dotted
 * name is one literal key; with `--path`, `a.b.c` sets a nested value of the top-level key `a`,
 * and nested values "true"/"false" become booleans and integers numbers (top-level values are
 * always strings); a value for a password-like key without `--secret` is refused. The program
 * receives every key as a string, objects as JSON, and the keys holding secrets by name.
 * Pure: parses and transforms, reads and writes no file.
 */

const yaml = require("js-yaml") as { load(text: string): any };

export interface ConfigEntry {
    /** A string (top level) or an object built by `--path` or the stack file. */
    value: unknown;
    secret: boolean;
}

export class ConfigCommandError extends Error {
    override name = "ConfigCommandError";
    /** @param unsupported the CLI would accept it, this interpreter does not implement it @default false */
    constructor(message: string, readonly unsupported = false) {
        super(message);
    }
}

/** pulumi's keyPattern for values that must not be stored in plaintext by accident. */
const SECRET_LOOKING_KEY = /passwd|pass|password|pwd|secret|token/i;

export class StackConfig {
    readonly entries = new Map<string, ConfigEntry>();

    constructor(readonly project: string) {}

    /** The config of a stack file (`Pulumi.<stack>.yaml`) text; encrypted values are not supported here. */
    static fromStackFile(project: string, text: string, file: string): StackConfig {
        const config = new StackConfig(project);
        const doc = (yaml.load(text) ?? {}) as { config?: Record<string, unknown> };
        for (const [key, value] of Object.entries(doc.config ?? {})) {
            if (value && typeof value === "object" && "secure" in value) {
                throw new ConfigCommandError(`${file}: ${key} holds an encrypted value, which this interpreter cannot decrypt`);
            }
            config.entries.set(config.fullKey(key), { value: typeof value === "object" && value !== null ? value : String(value), secret: false });
        }
        return config;
    }

    /** "namespace:name" for a key given with or without its namespace. */
    fullKey(key: string): string {
        if (!key) throw new ConfigCommandError("a configuration key must not be empty");
        return key.includes(":") ? key : `${this.project}:${key}`;
    }

    /** `pulumi config set [--secret] [--path] KEY VALUE`. */
    set(key: string, value: string, options: { secret: boolean; path: boolean }): void {
        const segments = options.path ? pathSegments(key) : [key];
        const top = this.fullKey(segments[0]);
        const name = top.slice(top.indexOf(":") + 1);
        if (!options.secret && SECRET_LOOKING_KEY.test(name)) {
            throw new ConfigCommandError(`config value for '${key}' looks like a secret; rerun with --secret (this interpreter refuses every plaintext value of a password-like key)`);
        }
        if (segments.length === 1) {
            this.entries.set(top, { value, secret: options.secret });
            return;
        }
        const existing = this.entries.get(top);
        if (existing && (typeof existing.value !== "object" || existing.value === null || Array.isArray(existing.value))) {
            throw new ConfigCommandError(`cannot set ${key}: ${top} is not an object (it is ${JSON.stringify(existing.value)})`);
        }
        const root = structuredClone((existing?.value ?? {}) as Record<string, unknown>);
        let node = root;
        for (const segment of segments.slice(1, -1)) {
            const next = node[segment];
            if (next === undefined) node[segment] = {};
            else if (typeof next !== "object" || next === null || Array.isArray(next)) {
                throw new ConfigCommandError(`cannot set ${key}: ${segment} is not an object (it is ${JSON.stringify(next)})`);
            }
            node = node[segment] as Record<string, unknown>;
        }
        node[segments[segments.length - 1]] = typedPathValue(value);
        this.entries.set(top, { value: root, secret: options.secret || (existing?.secret ?? false) });
    }

    /** What the program and the provider receive: every key as a string, objects as JSON. */
    flat(): Record<string, string> {
        return Object.fromEntries([...this.entries].map(([k, e]) => [k, typeof e.value === "string" ? e.value : JSON.stringify(e.value)]));
    }

    secretKeys(): string[] {
        return [...this.entries].filter(([, e]) => e.secret).map(([k]) => k);
    }

    /** The secret values (for checks that none of them leaks). */
    secretValues(): string[] {
        return [...this.entries.values()].filter((e) => e.secret).map((e) => (typeof e.value === "string" ? e.value : JSON.stringify(e.value)));
    }
}

/** `a.b.c` → ["a", "b", "c"]; the bracket forms of pulumi's paths are not used by the docs and refused. */
function pathSegments(key: string): string[] {
    if (/[[\]"]/.test(key)) throw new ConfigCommandError(`the path ${JSON.stringify(key)} uses a form (brackets or quotes) this interpreter does not implement`, true);
    const segments = key.split(".");
    if (segments.some((s) => s === "")) throw new ConfigCommandError(`the path ${JSON.stringify(key)} has an empty segment`);
    return segments;
}

/** pulumi: with --path, "true"/"false" are booleans and integers are numbers; other values strings. */
function typedPathValue(value: string): unknown {
    if (value === "true") return true;
    if (value === "false") return false;
    if (/^-?(0|[1-9]\d{0,15})$/.test(value)) return Number(value);
    return value;
}
