/**
 * Argument parsing shared by the commands: node:util parseArgs with its errors turned into
 * UsageError (exit 2), positional count checks that name what was expected and what was given,
 * number and choice options that state their rule, and secrets read from the file a flag names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./exit";

/**
 * Runs a parse (node:util parseArgs, strict, with positionals) and turns its errors into
 * UsageError: `const { values, positionals } = usageErrors(() => parseArgs({ … }))`.
 */
export function usageErrors<T>(parse: () => T): T {
    try {
        return parse();
    } catch (err) {
        throw new UsageError((err as Error).message, { cause: err });
    }
}

/** Checks that exactly `names` positionals were given. */
export function expectPositionals(positionals: string[], names: string[]): string[] {
    if (positionals.length !== names.length) {
        const given = positionals.length === 0 ? "no arguments" : positionals.map((p) => JSON.stringify(p)).join(" ");
        throw new UsageError(`expected ${names.join(" ")}, got ${given}`);
    }
    positionals.forEach((p, i) => {
        if (p.trim() === "") throw new UsageError(`${names[i]} must not be empty`);
    });
    return positionals;
}

/** A number option: undefined when absent; UsageError naming the flag, the rule and the value. */
export function numberOption(value: string | undefined, flag: string, rule: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    const { min = -Infinity, max = Infinity } = rule;
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max || (rule.integer && !Number.isInteger(n))) {
        const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : "";
        throw new UsageError(`${flag} must be ${rule.integer ? "an integer" : "a number"}${range}, got ${JSON.stringify(value)}`);
    }
    return n;
}

/** A choice option: undefined when absent. */
export function choiceOption<T extends string>(value: string | undefined, flag: string, choices: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`);
    return value as T;
}

/** The first line of the secret file `file` given with `flag` ("-": stdin), without its line ending. */
export function readSecretFile(flag: string, file: string, cwd: string): string {
    try {
        const text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(path.resolve(cwd, file), "utf8");
        return text.split(/\r?\n/)[0];
    } catch (err) {
        throw new UsageError(`cannot read ${flag} ${JSON.stringify(file)}: ${(err as Error).message}`, { cause: err });
    }
}
