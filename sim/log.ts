/**
 * sim.log: why the simulated world did what it did (boot plans, installer decisions, power
 * transitions), one line per event: "<simulated ISO time> <vm uuid> (<name>) <message>".
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const SIM_LOG_FILE = "sim.log";

export function appendSimLog(stateDir: string, at: number, vm: { uuid: string; name_label: string } | null, message: string): void {
    const who = vm ? `${vm.uuid} (${vm.name_label})` : "host";
    const lines = message.split("\n").map((l) => `${new Date(at).toISOString()} ${who} ${l}\n`).join("");
    fs.appendFileSync(path.join(stateDir, SIM_LOG_FILE), lines);
}

export function readSimLog(stateDir: string): string {
    try {
        return fs.readFileSync(path.join(stateDir, SIM_LOG_FILE), "utf8");
    } catch {
        return "";
    }
}
