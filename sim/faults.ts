/**
 * Fault injection for reliability tests. Rules live in `faults.json` in the host's state directory;
 * every `xe` invocation counts the rules whose `match` it satisfies and fires the rule when the
 * count reaches `nth`. Tests add rules with addFault() from the process that owns the state dir.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type FaultAction =
    /** Fail the call: print this XenAPI error the way xe does and exit 1, without doing anything. */
    | { kind: "xe-error"; code: string; params: string[] }
    /** Drop the SSH connection the call arrived on, without running the command. */
    | { kind: "drop-connection" }
    /** Run the command normally, but only after `delayMs`. */
    | { kind: "delay"; delayMs: number };

export interface FaultRule {
    /** Regular expression tested against the call's argv joined by spaces; @default every call */
    match?: string;
    /** Fire on the nth matching call, counted from when the rule was added (1-based). @default 1 */
    nth?: number;
    /** Keep firing on every later matching call too. @default false */
    repeat?: boolean;
    action: FaultAction;
    /** Matching calls seen so far (maintained by xe). */
    seen?: number;
}

export const FAULTS_FILE = "faults.json";

export function readFaults(stateDir: string): FaultRule[] {
    const file = path.join(stateDir, FAULTS_FILE);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { rules: FaultRule[] }).rules : [];
}

/** Adds a rule. Call between xe invocations (the file is rewritten whole). */
export function addFault(stateDir: string, rule: FaultRule): void {
    writeFaults(stateDir, [...readFaults(stateDir), { ...rule, seen: 0 }]);
}

export function clearFaults(stateDir: string): void {
    writeFaults(stateDir, []);
}

export function writeFaults(stateDir: string, rules: FaultRule[]): void {
    const file = path.join(stateDir, FAULTS_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ rules }, null, 2));
    fs.renameSync(tmp, file);
}
