/**
 * Small promise wrappers over the ssh2 client, and OpenSSH client settings, for the SSH front's tests.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Client, ConnectConfig, SFTPWrapper } from "ssh2";
import { fingerprint } from "../../../sim/server/identity";
import type { SimHost, SimHostConnection } from "../../helpers/simHost";

export interface ExecResult {
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
}

/** Connects with the key (default) or a password, pinning the host key fingerprint. */
export function connect(c: SimHostConnection, auth: { password?: string; key?: boolean } = { key: true }): Promise<Client> {
    const config: ConnectConfig = {
        host: c.host,
        port: c.port,
        username: c.user,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => fingerprint(key) === c.hostKey,
        ...(auth.password !== undefined ? { password: auth.password } : { privateKey: c.privateKey }),
    };
    return new Promise((resolve, reject) => {
        const client = new Client();
        client.once("ready", () => { client.setNoDelay(true); resolve(client); });
        client.once("error", reject);
        client.connect(config);
    });
}

export function exec(client: Client, command: string, stdin?: string | Buffer): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err, stream) => {
            if (err) return reject(err);
            let stdout = "", stderr = "";
            let code: number | null = null, signal: string | null = null;
            stream.on("data", (d: Buffer) => { stdout += d.toString(); });
            stream.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
            stream.on("exit", (c: number | null, s?: string) => { code = c; signal = s ?? null; });
            stream.on("close", () => resolve({ code, signal, stdout, stderr }));
            if (stdin !== undefined) stream.end(stdin);
            else stream.end();
        });
    });
}

export function sftp(client: Client): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))));
}

/** Resolves when the client's connection closes; rejects after `ms`. */
export function closed(client: Client, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the connection did not close within ${ms} ms`)), ms);
        client.once("close", () => { clearTimeout(timer); resolve(); });
    });
}

export const promisify = <T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> =>
    new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

/** Whether `pid` still runs; a zombie (killed, waiting for its new parent to reap it) does not. */
export function isAlive(pid: number): boolean {
    try {
        return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    } catch {
        return false;
    }
}

/** A known_hosts file pinning the simulator's host key, in its state directory. */
export function writeKnownHosts(host: SimHost): string {
    const pub = fs.readFileSync(path.join(host.stateDir, "ssh", "ssh_host_ed25519_key.pub"), "utf8").split(" ").slice(0, 2).join(" ");
    const file = path.join(host.stateDir, "known_hosts");
    fs.writeFileSync(file, `[${host.connection.host}]:${host.connection.port} ${pub}\n`);
    return file;
}

/** OpenSSH client options for the simulator with strict host key checking. */
export const sshOptions = (host: SimHost, knownHosts: string) => [
    "-o", `UserKnownHostsFile=${knownHosts}`, "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR",
    "-p", String(host.connection.port),
];
