/**
 * Starts a simulated XenServer host for tests: the real `node dist/cli/vh.js sim …` as a child
 * process, whose first stdout line is its connection record (kept as printed in `info`; anything
 * it prints on stdout later is collected too). stop() sends SIGTERM and waits for a clean exit; a
 * simulator that does not stop within its deadline is killed and reported.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

export interface SimHostConnection {
    host: string;
    port: number;
    user: string;
    password: string;
    /** The client private key (OpenSSH format) the simulator generated and authorised. */
    privateKey: string;
    privateKeyPath: string;
    /** The host key's fingerprint, "SHA256:…" as `ssh-keygen -lf` prints it. */
    hostKey: string;
}

export interface SimHost {
    connection: SimHostConnection;
    /** The first stdout line, parsed: the connection record exactly as `vh sim` printed it. */
    info: Record<string, unknown>;
    stateDir: string;
    /** The simulator process (tests that check signals use its pid). */
    process: ChildProcess;
    /** What the simulator wrote on stderr so far. */
    stderr(): string;
    /** What the simulator wrote on stdout after its connection line so far (all of it once stop() resolved). */
    stdout(): string;
    /** SIGTERM, then waits for exit 0; removes the state directory if this helper created it. */
    stop(): Promise<void>;
}

export interface SimHostOptions {
    /** State directory to use (kept on stop). @default a new temp dir, removed on stop */
    stateDir?: string;
    /** Product id or alias for `--product-version`. @default the simulator's default */
    product?: string;
    /** @default 2 (fast tests) */
    installSeconds?: number;
    /** @default 1 (fast tests) */
    firstBootSeconds?: number;
    /** @default 0 (a free port) */
    port?: number;
}

const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 10_000;
export const VH_CLI = path.join(REPO_ROOT, "dist", "cli", "vh.js");

export async function startSimHost(options: SimHostOptions = {}): Promise<SimHost> {
    const ownDir = options.stateDir === undefined;
    const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "vh-simhost-"));
    const args = [VH_CLI, "sim", "--state-dir", stateDir, "--port", String(options.port ?? 0),
        "--install-seconds", String(options.installSeconds ?? 2), "--first-boot-seconds", String(options.firstBootSeconds ?? 1)];
    if (options.product) args.push("--product-version", options.product);
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    // "close", not "exit": by then everything the simulator printed has been read.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
    const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`vh sim did not print its connection line within ${START_DEADLINE_MS} ms; stderr: ${stderr}`));
        }, START_DEADLINE_MS);
        const onData = () => {
            const nl = stdout.indexOf("\n");
            if (nl === -1) return;
            child.stdout.off("data", onData);
            clearTimeout(timer);
            const line = stdout.slice(0, nl);
            stdout = stdout.slice(nl + 1);
            try {
                resolve(JSON.parse(line) as Record<string, unknown>);
            } catch (err) {
                reject(new Error(`vh sim printed a first line that is not JSON: ${line}`, { cause: err }));
            }
        };
        child.stdout.on("data", onData);
        void exited.then(({ code, signal }) => {
            clearTimeout(timer);
            reject(new Error(`vh sim exited (code ${code}, signal ${signal}) before printing its connection line; stderr: ${stderr}`));
        });
    });
    const privateKeyPath = String(info.privateKeyPath);
    let stopped: Promise<void> | undefined;
    return {
        connection: {
            host: String(info.host),
            port: Number(info.port),
            user: String(info.user),
            password: String(info.password),
            privateKey: fs.readFileSync(privateKeyPath, "utf8"),
            privateKeyPath,
            hostKey: String(info.hostKeySha256),
        },
        info,
        stateDir,
        process: child,
        stderr: () => stderr,
        stdout: () => stdout,
        stop: () => {
            stopped ??= (async () => {
                if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
                const timer = setTimeout(() => child.kill("SIGKILL"), STOP_DEADLINE_MS);
                const { code, signal } = await exited;
                clearTimeout(timer);
                if (ownDir) fs.rmSync(stateDir, { recursive: true, force: true });
                if (code !== 0) throw new Error(`vh sim did not exit cleanly on SIGTERM (code ${code}, signal ${signal}); stderr: ${stderr}`);
            })();
            return stopped;
        },
    };
}
