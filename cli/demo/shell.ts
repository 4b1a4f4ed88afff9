/**
 * The demo's "terminal": runs the real `vh` (dist/cli/vh.js) as child processes, echoing each
 * command line first like a tutorial (`$ vh network create …`), with its output indented under
 * it (prefixed with the machine name when two run at once). Every child is tracked, so the demo
 * can prove none is left running, and every run has a deadline.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** dist/cli/vh.js, next to this file's directory. */
export const VH_JS = path.join(__dirname, "..", "vh.js");

export interface RunResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

export interface RunOptions {
    /** Shown instead of the argv in the echoed line (e.g. with `$CONN` for the connection flags). */
    display: string;
    /** Write stdout to this file (echoed as `> file`). @default - stdout shown */
    stdoutFile?: string;
    /** Prefix of every output line (parallel runs). @default "  " */
    prefix?: string;
    /** Show stdout (false for --json runs the demo reads). @default true */
    showStdout?: boolean;
    /** Deadline of the command. @default 120000 */
    timeoutMs?: number;
}

export class DemoShell {
    /** Every child started, for the "nothing left running" check. */
    readonly children: ChildProcess[] = [];

    constructor(private readonly cwd: string, private readonly out: NodeJS.WritableStream) {}

    say(text: string): void {
        this.out.write(`${text}\n`);
    }

    /** Echoes `$ <display>` and runs `node vh.js <argv>`; resolves when it exited. */
    vh(argv: string[], options: RunOptions): Promise<RunResult> {
        this.say(`$ ${options.display}${options.stdoutFile ? ` > ${options.stdoutFile}` : ""}`);
        return this.spawnVh(argv, options);
    }

    /** Like vh(), without the echo (for parallel runs echoed together). */
    spawnVh(argv: string[], options: RunOptions): Promise<RunResult> {
        const prefix = options.prefix ?? "  ";
        const child = spawn(process.execPath, [VH_JS, ...argv], { cwd: this.cwd, stdio: ["ignore", "pipe", "pipe"] });
        this.children.push(child);
        let stdout = "";
        let stderr = "";
        const show = (chunk: string, carry: { rest: string }) => {
            const text = carry.rest + chunk;
            const lines = text.split("\n");
            carry.rest = lines.pop() ?? "";
            for (const l of lines) this.out.write(`${prefix}${l}\n`);
        };
        const outCarry = { rest: "" };
        const errCarry = { rest: "" };
        const showStdout = options.showStdout !== false && options.stdoutFile === undefined;
        child.stdout!.setEncoding("utf8").on("data", (d: string) => { stdout += d; if (showStdout) show(d, outCarry); });
        child.stderr!.setEncoding("utf8").on("data", (d: string) => { stderr += d; show(d, errCarry); });
        const timeoutMs = options.timeoutMs ?? 120_000;
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.say(`${prefix}(demo: \`${options.display}\` did not finish within ${timeoutMs / 1000} s; stopping it)`);
                child.kill("SIGTERM");
            }, timeoutMs);
            child.once("close", (code, signal) => {
                clearTimeout(timer);
                for (const carry of [outCarry, errCarry]) if (carry.rest) this.out.write(`${prefix}${carry.rest}\n`);
                if (options.stdoutFile) fs.writeFileSync(path.join(this.cwd, options.stdoutFile), stdout);
                resolve({ code, signal, stdout, stderr });
            });
        });
    }

    /** Children still running. */
    running(): ChildProcess[] {
        return this.children.filter((c) => c.exitCode === null && c.signalCode === null);
    }
}
