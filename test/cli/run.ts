/**
 * Shared by the `vh` command specs (not a spec itself): runs the real `node dist/cli/vh.js` as a
 * child process (optionally under a pseudo-terminal via util-linux `script`), and builds the
 * connection flags for a simulated host with key or password login.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../cli/vh";
import { REPO_ROOT } from "../helpers/paths";
import type { SimHost } from "../helpers/simHost";
import { VH_CLI } from "../helpers/simHost";

export interface VhRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

export interface VhOptions {
    cwd?: string;
    /** Environment (replaces process.env). @default process.env without SSH_AUTH_SOCK */
    env?: NodeJS.ProcessEnv;
    /** Bytes for stdin. @default empty */
    input?: string;
    /** @default 60000 */
    timeoutMs?: number;
    /** Called with the child's stderr so far whenever it grows (e.g. to send a signal). */
    onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void;
}

/** The test environment: no ssh-agent of the machine running the tests. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env = { ...process.env, ...extra };
    delete env.SSH_AUTH_SOCK;
    return env;
}

export function vh(args: string[], options: VhOptions = {}): Promise<VhRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [VH_CLI, ...args], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`vh ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms; stderr so far:\n${stderr}`));
        }, options.timeoutMs ?? 60_000);
        child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
        child.stderr.setEncoding("utf8").on("data", (d: string) => {
            stderr += d;
            options.onStderr?.(stderr, child);
        });
        child.once("error", reject);
        child.once("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        child.stdin.end(options.input ?? "");
    });
}

/**
 * Runs `vh` in this process through the same main() the executable calls: for argument errors,
 * which never reach a host (a child process costs ~0.3 s each).
 */
export async function vhInProcess(args: string[], cwd = process.cwd()): Promise<VhRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (d: Buffer) => { out += d.toString(); });
    stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const code = await main(args, { stdout, stderr, env: cleanEnv(), cwd });
    return { code, signal: null, stdout: out, stderr: err };
}

/**
 * Runs `vh` under a pseudo-terminal (`script -qec`), so stdin, stdout and stderr are a terminal;
 * everything it prints arrives merged in `output`. `answer` is typed when `prompt` appears.
 */
export function vhOnTerminal(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; prompt?: RegExp; answer?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; output: string }> {
    const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, VH_CLI, ...args].map(quote).join(" ");
    return new Promise((resolve, reject) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
        let output = "";
        let answered = false;
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`vh ${args.join(" ")} on a terminal did not finish within ${options.timeoutMs ?? 60_000} ms; output:\n${output}`));
        }, options.timeoutMs ?? 60_000);
        const onData = (d: string) => {
            output += d;
            if (!answered && options.prompt?.test(output)) {
                answered = true;
                child.stdin.write(`${options.answer ?? ""}\r`);
            }
        };
        child.stdout.setEncoding("utf8").on("data", onData);
        child.stderr.setEncoding("utf8").on("data", onData);
        child.once("error", reject);
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, output });
        });
    });
}

/** Connection flags for the simulated host: key login (its generated key) or password login (a file in `dir`). */
export function simFlags(sim: SimHost, auth: "key" | "password", dir: string): string[] {
    const c = sim.connection;
    if (auth === "key") return ["--port", String(c.port), "--identity", c.privateKeyPath, "--host-key", c.hostKey];
    const file = path.join(dir, "sim-password");
    fs.writeFileSync(file, `${c.password}\n`, { mode: 0o600 });
    return ["--port", String(c.port), "--password-file", file, "--host-key", c.hostKey];
}

/** Parses a --json result, failing with the output when it is not exactly one JSON document. */
export function json(run: VhRun): Record<string, any> {
    try {
        return JSON.parse(run.stdout) as Record<string, any>;
    } catch (err) {
        throw new Error(`stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`, { cause: err });
    }
}

/** The JSON examples of docs/cli.md (each ```json block, or each line of it), by their "command". */
export function documentedJson(command: string): Record<string, any> {
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "cli.md"), "utf8");
    const docs: Array<Record<string, any>> = [];
    for (const [, block] of doc.matchAll(/^```json\n([\s\S]*?)^```$/gm)) {
        try {
            docs.push(JSON.parse(block));
        } catch {
            for (const line of block.split("\n").filter((l) => l.trim())) docs.push(JSON.parse(line));
        }
    }
    const found = docs.find((d) => d.command === command && !("error" in d));
    if (!found) throw new Error(`docs/cli.md has no JSON example for ${JSON.stringify(command)}`);
    return found;
}
