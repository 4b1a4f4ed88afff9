/**
 * Process entry of sim/bin/xenstore-read and sim/bin/xenstore-ls: they read the simulated host's
 * state (advancing simulated time first, like xe) and print its xenstore.
 */
import { isatty } from "node:tty";
import { loadOrCreateDb } from "../host";
import { advanceWorld } from "../lifecycle/clock";
import { appendSimLog } from "../log";
import { withLock } from "../model/lock";
import { saveDb } from "../model/store";
import { STATE_DIR_ENV } from "../settings";
import { Ctx } from "../xe/context";
import { Printer } from "../xe/printer";
import { buildTree, XsTree } from "../xenstore/tree";
import { xenstoreLs, xenstoreRead } from "../xenstore/tools";
import { processOut } from "./io";

function currentTree(stateDir: string): XsTree {
    return withLock(stateDir, () => {
        const db = loadOrCreateDb(stateDir);
        const now = Date.now() + db.clockOffsetMs;
        const c = new Ctx(db, stateDir, now, [], new Printer(processOut, false), processOut, (vm, m, at) => appendSimLog(stateDir, at ?? now, vm, m));
        if (advanceWorld(c)) saveDb(stateDir, db);
        return buildTree(db);
    });
}

export function main(tool: "read" | "ls"): void {
    const stateDir = process.env[STATE_DIR_ENV];
    const name = `xenstore-${tool}`;
    if (!stateDir) {
        processOut.stderr(`${name}: xs_open: No such file or directory (${STATE_DIR_ENV} is not set)\n`);
        process.exitCode = 1;
        return;
    }
    const args = process.argv.slice(2);
    const tree = currentTree(stateDir);
    process.exitCode = tool === "read"
        ? xenstoreRead(tree, args, processOut)
        : xenstoreLs(tree, args, processOut, isatty(1) ? process.stdout.columns ?? 80 : null);
}
