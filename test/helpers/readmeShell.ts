/**
 * The shell a documented walk-through runs in (test/readme.spec.ts): each command line runs as
 * written by a real `bash` (quotes, `$(…)`, `~`, pipes and redirections behave as in a terminal),
 * one process per line, with the working directory carried from line to line (so `cd` works) and
 * `pipefail` on (a failing `pulumi` in `pulumi … | jq` fails the line instead of feeding jq
 * nothing). HOME is a private directory, PATH starts with a directory of the commands the docs
 * assume installed (`vh`, and `pulumi` played by the test engine), and no ssh-agent leaks in.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface ShellRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

export interface WalkShellOptions {
    /** Starting working directory. */
    cwd: string;
    /** HOME of the walk-through (its ~/.ssh, ~/isos …). */
    home: string;
    /** Directory put first on PATH (see writeBin). */
    bin: string;
    /** More environment. @default {} */
    env?: Record<string, string>;
}

export interface RunLineOptions {
    /** Bytes on the line's stdin (what a person would type or paste). @default "" */
    stdin?: string;
    /** @default 120000 */
    timeoutMs?: number;
}

export class WalkShell {
    /** The working directory the next line starts in. */
    cwd: string;
    private readonly pwdFile: string;

    constructor(readonly options: WalkShellOptions) {
        this.cwd = options.cwd;
        this.pwdFile = path.join(options.home, ".walk-pwd");
    }

    env(): NodeJS.ProcessEnv {
        const env: NodeJS.ProcessEnv = {
            ...process.env, ...this.options.env,
            HOME: this.options.home, PATH: `${this.options.bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            VH_WALK_PWD: this.pwdFile,
        };
        delete env.SSH_AUTH_SOCK;
        delete env.BASH_ENV;
        return env;
    }

    /** Runs one command line to completion; the line's `cd` moves the shell for the next line. */
    run(line: string, options: RunLineOptions = {}): Promise<ShellRun> {
        const script = `set -o pipefail\n${line}\n__vh_rc=$?\npwd > "$VH_WALK_PWD"\nexit $__vh_rc\n`;
        const timeoutMs = options.timeoutMs ?? 120_000;
        return new Promise((resolve, reject) => {
            const child = spawn("bash", ["--noprofile", "--norc", "-c", script], { cwd: this.cwd, env: this.env(), stdio: ["pipe", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new Error(`the documented command \`${line}\` did not finish within ${timeoutMs / 1000} s; stderr so far:\n${stderr}`));
            }, timeoutMs);
            child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
            child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
            child.once("error", reject);
            child.once("close", (code, signal) => {
                clearTimeout(timer);
                try {
                    this.cwd = fs.readFileSync(this.pwdFile, "utf8").trim() || this.cwd;
                    fs.rmSync(this.pwdFile, { force: true });
                } catch {
                    // The line ended the shell early (exit, a signal): the directory stays.
                }
                resolve({ code, signal, stdout, stderr });
            });
            child.stdin.end(options.stdin ?? "");
        });
    }

    /** Starts a long-running line (a server) in the background: bash execs it, so signals reach it. */
    start(line: string): ChildProcess {
        return spawn("bash", ["--noprofile", "--norc", "-c", `exec ${line}`], { cwd: this.cwd, env: this.env(), stdio: ["ignore", "pipe", "pipe"] });
    }
}

/**
 * Writes executables into `dir`, each `exec node <script> "$@"`: what `npm install -g` (or the
 * package's `bin`) gives a user, for scripts of this repository's build.
 */
export function writeBin(dir: string, tools: Record<string, string>): void {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, script] of Object.entries(tools)) {
        const file = path.join(dir, name);
        fs.writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`, { mode: 0o755 });
    }
}
