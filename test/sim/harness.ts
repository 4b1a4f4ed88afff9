/**
 * A simulated host for the simulator's own tests: a temp state directory, `xe` run in-process
 * (the exact code sim/bin/xe runs, for fast tables of exact output) or as the real executable,
 * and shell scripts run with sim/bin first on PATH.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureHost, advanceClock } from "../../sim/host";
import { loadDb } from "../../sim/model/store";
import type { Db } from "../../sim/model/types";
import type { SimSettings } from "../../sim/settings";
import { EndOfInput, runXe } from "../../sim/xe/main";
import { SIM_BIN } from "../helpers/paths";

export interface XeResult {
    stdout: string;
    stderr: string;
    code: number;
}

export class TestHost {
    readonly dir: string;

    constructor(settings: Partial<SimSettings> = {}) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "xe-sim-"));
        ensureHost(this.dir, settings);
    }

    get env(): NodeJS.ProcessEnv {
        return { XE_SIM_STATE: this.dir, HOME: this.dir };
    }

    /** Runs xe in this process; `stdin` lines answer prompts. */
    xe(argv: string[], stdin: string[] = []): XeResult {
        let stdout = "";
        let stderr = "";
        const lines = [...stdin];
        const code = runXe(argv, this.env, {
            out: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
            readLine: () => {
                const l = lines.shift();
                if (l === undefined) throw new EndOfInput("end of input");
                return l;
            },
        });
        return { stdout, stderr, code };
    }

    /** xe that must succeed; returns stdout without the trailing newline. */
    ok(...argv: string[]): string {
        const r = this.xe(argv);
        if (r.code !== 0) throw new Error(`xe ${argv.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
        return r.stdout.replace(/\n$/, "");
    }

    /** The real executable sim/bin/xe. */
    xeProcess(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<XeResult> {
        return run(path.join(SIM_BIN, "xe"), argv, { ...this.env, PATH: `${SIM_BIN}:${process.env.PATH}`, ...options.env }, options.stdin);
    }

    /** A command line (usually `sh script`) with sim/bin first on PATH. */
    run(file: string, argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<XeResult> {
        return run(file, argv, { ...this.env, PATH: `${SIM_BIN}:${process.env.PATH}`, ...options.env }, options.stdin, options.cwd);
    }

    db(): Db {
        return loadDb(this.dir)!;
    }

    /** Fast-forwards simulated time. */
    advance(ms: number): void {
        advanceClock(this.dir, ms);
    }

    /** Uuid of the only record of a list (e.g. `uuidOf("network-list", "bridge=xenbr0")`). */
    uuidOf(listCommand: string, ...filters: string[]): string {
        return this.ok(listCommand, ...filters, "--minimal");
    }

    cleanup(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

function run(file: string, argv: string[], env: NodeJS.ProcessEnv, stdin?: string, cwd?: string): Promise<XeResult> {
    return new Promise((resolve) => {
        const child = execFile(file, argv, { env, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
            resolve({ stdout, stderr, code });
        });
        if (stdin !== undefined) child.stdin!.end(stdin);
        else child.stdin!.end();
    });
}

/** Replaces every uuid in `text` with U1, U2, … in order of first appearance, for stable comparisons. */
export function normaliseUuids(text: string, known: Map<string, string> = new Map()): string {
    return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => {
        if (!known.has(u)) known.set(u, `U${known.size + 1}`);
        return known.get(u)!;
    });
}
