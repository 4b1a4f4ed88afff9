/**
 * Fault injection for reliability tests. Rules live in `faults.json` in the host's state directory;
 * every `xe` invocation counts the rules whose `match` it satisfies and fires the rule when the
 * count reaches `nth`. Tests add rules with addFault() from the process that owns the state dir.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withLock } from "./model/lock";

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

/** Adds a rule; under the state lock, so it is safe while xe calls are counting rules. */
export function addFault(stateDir: string, rule: FaultRule): void {
    fs.mkdirSync(stateDir, { recursive: true });
    withLock(stateDir, () => writeFaults(stateDir, [...readFaults(stateDir), { ...rule, seen: 0 }]));
}

export function clearFaults(stateDir: string): void {
    fs.mkdirSync(stateDir, { recursive: true });
    withLock(stateDir, () => writeFaults(stateDir, []));
}

export function writeFaults(stateDir: string, rules: FaultRule[]): void {
    const file = path.join(stateDir, FAULTS_FILE);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ rules }, null, 2));
    fs.renameSync(tmp, file);
}

/**
 * Counts this call against every rule it matches and returns the action of the first rule that
 * fires, or null. The caller holds the state lock, so concurrent calls count exactly once each.
 */
export function claimFault(stateDir: string, argv: string[]): FaultAction | null {
    const rules = readFaults(stateDir);
    if (rules.length === 0) return null;
    const line = argv.join(" ");
    let fired: FaultAction | null = null;
    for (const rule of rules) {
        if (rule.match !== undefined && !new RegExp(rule.match).test(line)) continue;
        rule.seen = (rule.seen ?? 0) + 1;
        const nth = rule.nth ?? 1;
        if (!fired && (rule.seen === nth || (rule.repeat && rule.seen > nth))) fired = rule.action;
    }
    writeFaults(stateDir, rules);
    return fired;
}

/** Environment variable naming the fd on which the simulator's own SSH front takes "drop\n". */
export const CONTROL_FD_ENV = "XE_SIM_CONTROL_FD";

function parentAndName(pid: number): { ppid: number; name: string } | null {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return { ppid, name };
    } catch {
        return null;
    }
}

/**
 * Drops the SSH connection this call arrived on. Under the simulator's ssh2 front the front is
 * told on XE_SIM_CONTROL_FD; under real OpenSSH the nearest ancestor named "sshd" (the
 * per-connection `sshd: user@notty` process) is killed, which closes the connection.
 * Returns a description of what was done, or throws if there is no connection to drop.
 */
export function dropConnection(env: NodeJS.ProcessEnv = process.env): string {
    const fdText = env[CONTROL_FD_ENV];
    if (fdText !== undefined && /^\d+$/.test(fdText)) {
        fs.writeSync(Number(fdText), "drop\n");
        return `asked the SSH front to drop the connection (fd ${fdText})`;
    }
    let pid = process.ppid;
    for (let depth = 0; pid > 1 && depth < 64; depth++) {
        const info = parentAndName(pid);
        if (!info) break;
        if (info.name === "sshd" || info.name === "sshd-session") {
            process.kill(pid, "SIGTERM");
            return `killed sshd process ${pid}`;
        }
        pid = info.ppid;
    }
    throw new Error(`drop-connection fault: no ${CONTROL_FD_ENV} and no sshd ancestor of process ${process.pid}`);
}
