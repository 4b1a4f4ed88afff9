/**
 * The demo's simulated XenServer host: `vh sim` as a child process (the same command users run),
 * read up to its JSON connection line, and stopped with SIGTERM (it must exit 0 within a deadline).
 */
import { ChildProcess, spawn } from "node:child_process";
import { VH_JS } from "./shell";

export interface DemoHost {
    host: string;
    port: number;
    privateKeyPath: string;
    hostKey: string;
    process: ChildProcess;
    /** What `vh sim` logged on stderr. */
    log(): string;
    /** SIGTERM; resolves with a problem, or undefined when it exited 0 in time. */
    stop(): Promise<string | undefined>;
}

const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 10_000;

export function startDemoHost(args: string[]): Promise<DemoHost> {
    const child = spawn(process.execPath, [VH_JS, "sim", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return new Promise((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`vh sim did not print its connection line within ${START_DEADLINE_MS / 1000} s; its log:\n${stderr}`));
        }, START_DEADLINE_MS);
        const earlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
            clearTimeout(timer);
            reject(new Error(`vh sim exited (code ${code}, signal ${signal}) before printing its connection line; its log:\n${stderr}`));
        };
        child.once("exit", earlyExit);
        child.stdout!.setEncoding("utf8").on("data", (d: string) => {
            stdout += d;
            const nl = stdout.indexOf("\n");
            if (nl < 0) return;
            clearTimeout(timer);
            child.off("exit", earlyExit);
            let info: { host: string; port: number; privateKeyPath: string; hostKeySha256: string };
            try {
                info = JSON.parse(stdout.slice(0, nl));
            } catch (err) {
                reject(new Error(`vh sim printed a first line that is not JSON: ${stdout.slice(0, nl)}`, { cause: err }));
                return;
            }
            resolve({
                host: info.host, port: info.port, privateKeyPath: info.privateKeyPath, hostKey: info.hostKeySha256, process: child,
                log: () => stderr,
                stop: async () => {
                    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode === 0 ? undefined : `vh sim had exited already (code ${child.exitCode})`;
                    child.kill("SIGTERM");
                    let timer: NodeJS.Timeout | undefined;
                    const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => { timer = setTimeout(() => r(true), STOP_DEADLINE_MS); })]);
                    clearTimeout(timer);
                    if (timedOut) {
                        child.kill("SIGKILL");
                        return `vh sim did not stop within ${STOP_DEADLINE_MS / 1000} s of SIGTERM (killed)`;
                    }
                    return child.exitCode === 0 ? undefined : `vh sim exited with code ${child.exitCode} (signal ${child.signalCode}) on SIGTERM`;
                },
            });
        });
    });
}
