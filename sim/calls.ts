/**
 * calls.log: one JSON line per `xe` invocation, so tests can prove what a client did (e.g. that an
 * unchanged re-run of a provider made no writing call). Secrets never reach it: the value of any
 * password=/value= argument (and of -pw) is redacted.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const CALLS_FILE = "calls.log";

export interface CallRecord {
    /** Wall-clock ISO time the call finished. */
    time: string;
    argv: string[];
    exitCode: number;
    /** Whether the command is one that can change state (see isWriteCommand). */
    writes: boolean;
}

const SECRET_KEYS = ["password", "value"];

export function redactArgv(argv: string[]): string[] {
    return argv.map((a, i) => {
        if (i > 0 && argv[i - 1] === "-pw") return "<redacted>";
        const eq = a.indexOf("=");
        const key = eq < 0 ? "" : a.slice(0, eq).replace(/^-+/, "");
        return eq >= 0 && SECRET_KEYS.includes(key) ? `${a.slice(0, eq)}=<redacted>` : a;
    });
}

export function appendCall(stateDir: string, record: CallRecord): void {
    fs.appendFileSync(path.join(stateDir, CALLS_FILE), `${JSON.stringify(record)}\n`);
}

/** Every call logged so far, oldest first. */
export function readCalls(stateDir: string): CallRecord[] {
    let text: string;
    try {
        text = fs.readFileSync(path.join(stateDir, CALLS_FILE), "utf8");
    } catch {
        return [];
    }
    return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as CallRecord);
}

/**
 * Whether an xe command line names a command that can change state: every create, destroy,
 * *-param-set/add/remove/clear, power operation and so on. Reads (*-list, *-param-get,
 * *-param-list, vm-vif-list, vm-disk-list, vm-cd-list, host-cpu-info, event-wait, help) do not.
 */
export function isWriteCommand(argv: string[]): boolean {
    const { parseClient } = require("./xe/client") as typeof import("./xe/client");
    const { lookupCommand } = require("./xe/cmdtable") as typeof import("./xe/cmdtable");
    const parsed = parseClient(argv, {}, true);
    if (parsed.kind !== "send") return false;
    const name = parsed.args[0];
    if (name === "help") return false;
    const found = lookupCommand(name, 3);
    return found.kind === "command" ? found.command.impl.writes : found.kind === "unimplemented";
}
