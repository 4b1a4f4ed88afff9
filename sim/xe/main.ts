/**
 * One `xe` invocation against a simulated host: fault injection, the client's and the server's
 * parse, the command under the state lock (after advancing simulated time), error rendering,
 * and the call log. The launcher sim/bin/xe wires it to the process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { appendCall, redactArgv } from "../calls";
import { claimFault, dropConnection, FAULTS_FILE } from "../faults";
import { loadOrCreateDb } from "../host";
import { advanceWorld } from "../lifecycle/clock";
import { appendSimLog } from "../log";
import { withLock, sleepSync } from "../model/lock";
import { saveDb } from "../model/store";
import type { Db } from "../model/types";
import { PRODUCTS } from "../products";
import { STATE_DIR_ENV } from "../settings";
import { parseClient } from "./client";
import { lookupCommand } from "./cmdtable";
import type { Session } from "./commands/types";
import { Ctx, Params } from "./context";
import { ApiError, CliFailure, OcamlException, ParamNotFound, UnknownCommand } from "./errors";
import { Out, Printer } from "./printer";
import { parseCommandLine } from "./server";

export interface XeIo {
    out: Out;
    /** Reads one line from stdin (vm-uninstall's confirmation); throws at end of input. */
    readLine(): string;
}

class EndOfInput extends Error {}
export { EndOfInput };

const now = (db: Db) => Date.now() + db.clockOffsetMs;
/** Error rendering (and the doc-string table) is only loaded when something failed. */
const renderFailure: typeof import("./render").renderFailure = (...args) => (require("./render") as typeof import("./render")).renderFailure(...args);
const genOf = (db: Db) => PRODUCTS[db.settings.product].xapiGeneration;

function makeCtx(db: Db, stateDir: string, params: Params, printer: Printer, out: Out): Ctx {
    const t = now(db);
    return new Ctx(db, stateDir, t, params, printer, out, (vm, message, at) => appendSimLog(stateDir, at ?? t, vm, message));
}

interface Outcome {
    exit: number;
    writes: boolean;
    /** A command that waits: run after the lock is released. */
    later?: () => number;
}

/** Everything up to (and for ordinary commands including) running the command, under the lock. */
function locked(argv: string[], env: NodeJS.ProcessEnv, io: XeIo, stateDir: string, fault: ApiError | null): Outcome {
    const db = loadOrCreateDb(stateDir);
    const gen = genOf(db);
    const fail = (err: unknown): Outcome => ({ exit: renderFailure(err, io.out, gen, makeCtx(db, stateDir, [], new Printer(io.out, false), io.out).refConvert), writes: false });
    const client = parseClient(argv, env, gen >= 2);
    if (client.kind === "version") {
        io.out.stdout(client.text);
        return { exit: 0, writes: false };
    }
    if (client.kind === "usage") {
        io.out.stderr(client.stderr);
        return { exit: 0, writes: false };
    }
    let minimal = false;
    let printer: Printer;
    let params: Params;
    let impl;
    try {
        if (fault) throw fault;
        const cmd = parseCommandLine(client.args);
        params = cmd.params;
        const m = params.find(([k]) => k === "minimal")?.[1];
        if (m !== undefined) {
            if (m !== "true" && m !== "false") throw new OcamlException('Invalid_argument("bool_of_string")');
            minimal = m === "true";
        }
        printer = new Printer(io.out, minimal);
        if (cmd.name === "help") {
            (require("./help") as typeof import("./help")).help(printer, params, gen);
            printer.flush();
            return { exit: 0, writes: false };
        }
        const found = lookupCommand(cmd.name, gen);
        if (found.kind === "unknown") throw new UnknownCommand(cmd.name);
        if (found.kind === "unimplemented") throw new CliFailure(`the simulated host does not implement 'xe ${cmd.name}'`);
        for (const r of found.command.reqd) if (!params.some(([k]) => k === r)) throw new ParamNotFound(r);
        impl = found.command.impl;
    } catch (err) {
        return fail(err);
    }
    if (impl.session) {
        const session = impl.session;
        const p = printer;
        const ps = params;
        return { exit: 0, writes: impl.writes, later: () => runSession(stateDir, io, p, ps, (s) => session(s, ps, minimal)) };
    }
    const c = makeCtx(db, stateDir, params, printer, io.out);
    let advanced = false;
    try {
        advanced = advanceWorld(c);
        impl.run!(c);
        printer.flush();
        return { exit: 0, writes: impl.writes };
    } catch (err) {
        return { exit: renderFailure(err, io.out, gen, c.refConvert), writes: impl.writes };
    } finally {
        // A failing write may have changed something first (xapi applies param-set fields one by one).
        if (impl.writes || advanced) saveDb(stateDir, db);
    }
}

function runSession(stateDir: string, io: XeIo, printer: Printer, params: Params, body: (s: Session) => void): number {
    let lastDb: Db | null = null;
    let lastCtx: Ctx | null = null;
    const session: Session = {
        withState(write, fn) {
            return withLock(stateDir, () => {
                const db = loadOrCreateDb(stateDir);
                const c = makeCtx(db, stateDir, params, printer, io.out);
                lastDb = db;
                lastCtx = c;
                let advanced = false;
                try {
                    advanced = advanceWorld(c);
                    return fn(c);
                } finally {
                    if (write || advanced) saveDb(stateDir, db);
                }
            });
        },
        readLine: () => io.readLine(),
        sleep: sleepSync,
    };
    try {
        body(session);
        printer.flush();
        return 0;
    } catch (err) {
        if (err instanceof EndOfInput) {
            io.out.stderr("Lost connection to the server.\n");
            return 1;
        }
        const db = lastDb as Db | null;
        return renderFailure(err, io.out, db ? genOf(db) : 3, (lastCtx as Ctx | null)?.refConvert ?? ((x: string) => x));
    }
}

/** Runs `xe argv` against the host in env XE_SIM_STATE; returns the exit status. */
export function runXe(argv: string[], env: NodeJS.ProcessEnv, io: XeIo): number {
    const stateDir = env[STATE_DIR_ENV];
    if (!stateDir) {
        io.out.stderr(`xe (simulated host): environment variable ${STATE_DIR_ENV} must name the host's state directory\n`);
        return 1;
    }
    fs.mkdirSync(stateDir, { recursive: true });
    let outcome: Outcome = { exit: 1, writes: false };
    try {
        // Fault rules are counted under the lock; the fast path skips the lock when there are none.
        const action = fs.existsSync(path.join(stateDir, FAULTS_FILE)) ? withLock(stateDir, () => claimFault(stateDir, argv)) : null;
        if (action?.kind === "drop-connection") {
            appendCall(stateDir, { time: new Date().toISOString(), argv: redactArgv(argv), exitCode: 255, writes: false });
            io.out.stderr(`${dropConnection(env)}\n`);
            return 255;
        }
        if (action?.kind === "delay") sleepSync(action.delayMs);
        const fault = action?.kind === "xe-error" ? new ApiError(action.code, action.params) : null;
        outcome = withLock(stateDir, () => locked(argv, env, io, stateDir, fault));
        if (outcome.later) outcome = { ...outcome, exit: outcome.later() };
    } catch (err) {
        io.out.stderr(`xe (simulated host): ${(err as Error)?.message ?? String(err)}\n`);
        outcome = { exit: 1, writes: outcome.writes };
    }
    appendCall(stateDir, { time: new Date().toISOString(), argv: redactArgv(argv), exitCode: outcome.exit, writes: outcome.writes });
    return outcome.exit;
}
