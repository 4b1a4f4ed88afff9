/**
 * SSH layer benchmark, everything side by side in one run on loopback against a real OpenSSH sshd
 * whose `xe` is the simulator's:
 *  - median latency of one xe call through XeClient on a reused connection, vs raw ssh2 exec of
 *    `true`, vs raw ssh2 exec of the same xe command line, vs a new OpenSSH `ssh` process per call;
 *  - upload of a 700 MB file (verified and atomic), and of the same bytes as a stream, vs OpenSSH
 *    `scp`. The process has the Pulumi SDK loaded (bench/index loads every benchmark), as the
 *    provider host does: that is what makes uploads run on a worker thread (see upload.ts).
 * Targets: xe call overhead ≤ 1.5× raw exec of the same command; upload ≥ 0.8× scp.
 * Requirements: root, openssh-server/-client, the built simulator. Temp files are removed.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "ssh2";
import type { Benchmark } from "./index";
import { closeAll, upload } from "../provider/ssh";
import { buildXeCommand, XeClient } from "../provider/xe";
import { SIM_BIN } from "../test/helpers/paths";
import { Sshd, sshdSkipReason, startSshd } from "../test/helpers/sshd";

const LATENCY_CALLS = 100;
const SSH_PROCESS_CALLS = 20;
const UPLOAD_BYTES = 700 * 1000 * 1000;
const UPLOAD_RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mbps = (bytes: number, seconds: number) => `${(bytes / 1e6 / seconds).toFixed(0)} MB/s`;

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint();
        await fn();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times;
}

function rawExec(client: Client, command: string): Promise<void> {
    return new Promise((resolve, reject) => {
        client.exec(command, (err, stream) => {
            if (err) return reject(err);
            stream.on("data", () => undefined).stderr.on("data", () => undefined);
            stream.on("close", (code: number) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
        });
    });
}

async function latency(sshd: Sshd, lines: string[]): Promise<void> {
    const connection = { host: sshd.host, port: sshd.port, user: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey };
    const xe = XeClient.connect(connection);
    const xeLine = buildXeCommand("host-list", { params: "uuid" }, { minimal: true }).command.text;
    await xe.uuids("host"); // connect and warm the simulator's state

    const raw = new Client();
    await new Promise<void>((resolve, reject) => {
        raw.on("ready", () => resolve()).on("error", reject).connect({
            host: sshd.host, port: sshd.port, username: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostVerifier: () => true,
        });
    });
    raw.setNoDelay(true);

    // Interleave rounds so background load affects every method alike.
    const client: number[] = [], rawTrue: number[] = [], rawXe: number[] = [];
    for (let round = 0; round < 5; round++) {
        client.push(...await timeEach(LATENCY_CALLS / 5, () => xe.uuids("host")));
        rawTrue.push(...await timeEach(LATENCY_CALLS / 5, () => rawExec(raw, "true")));
        rawXe.push(...await timeEach(LATENCY_CALLS / 5, () => rawExec(raw, xeLine)));
    }
    raw.end();

    const knownHosts = path.join(sshd.dir, "bench_known_hosts");
    fs.writeFileSync(knownHosts, `[${sshd.host}]:${sshd.port} ${sshd.hostKeyLine}\n`);
    const sshArgs = ["-i", sshd.users.key.privateKeyPath, "-p", String(sshd.port), "-o", `UserKnownHostsFile=${knownHosts}`, "-o", "BatchMode=yes", `${sshd.users.key.user}@${sshd.host}`];
    const sshProcess = await timeEach(SSH_PROCESS_CALLS, async () => execFileSync("ssh", [...sshArgs, xeLine], { stdio: "ignore" }));

    const ratio = median(client) / median(rawXe);
    lines.push(
        `xe call latency, median of ${LATENCY_CALLS} (\`${xeLine}\`):`,
        `  XeClient, reused connection      ${ms(median(client))}`,
        `  raw ssh2 exec of the same line   ${ms(median(rawXe))}`,
        `  raw ssh2 exec('true')            ${ms(median(rawTrue))}`,
        `  new OpenSSH ssh process per call ${ms(median(sshProcess))}  (median of ${SSH_PROCESS_CALLS})`,
        `  overhead XeClient / raw exec     ${ratio.toFixed(2)}×  (target ≤ 1.5×: ${ratio <= 1.5 ? "met" : "MISSED"})`,
    );
}

async function throughput(sshd: Sshd, lines: string[]): Promise<void> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vh-bench-ssh-"));
    try {
        const source = path.join(work, "source.iso");
        const fd = fs.openSync(source, "w");
        const block = crypto.randomBytes(8 * 1024 * 1024);
        for (let written = 0; written < UPLOAD_BYTES; written += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, UPLOAD_BYTES - written));
        fs.closeSync(fd);
        const target = path.join(work, "target");
        fs.mkdirSync(target);
        const connection = { host: sshd.host, port: sshd.port, user: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey };
        const session = XeClient.connect(connection).transport as Parameters<typeof upload>[0];
        const knownHosts = path.join(sshd.dir, "bench_known_hosts");

        const ours: number[] = [], transfer: number[] = [], streamed: number[] = [], scp: number[] = [];
        for (let run = 0; run < UPLOAD_RUNS; run++) {
            let sent = 0;
            const started = Date.now();
            const result = await upload(session, source, path.join(target, `ours-${run}.iso`), {
                onProgress: (p) => { if (p.bytes === UPLOAD_BYTES && !sent) sent = Date.now(); },
            });
            ours.push(result.seconds);
            transfer.push(((sent || Date.now()) - started) / 1000);
            fs.rmSync(path.join(target, `ours-${run}.iso`));

            // The way RemasteredIso uploads: a stream of unknown size (xorriso's output).
            const piped = await upload(session, fs.createReadStream(source, { highWaterMark: 64 * 1024 }), path.join(target, `stream-${run}.iso`));
            streamed.push(piped.seconds);
            fs.rmSync(path.join(target, `stream-${run}.iso`));

            const t = Date.now();
            execFileSync("scp", ["-q", "-i", sshd.users.key.privateKeyPath, "-P", String(sshd.port), "-o", `UserKnownHostsFile=${knownHosts}`, "-o", "BatchMode=yes",
                source, `${sshd.users.key.user}@${sshd.host}:${target}/scp-${run}.iso`]);
            scp.push((Date.now() - t) / 1000);
            fs.rmSync(path.join(target, `scp-${run}.iso`));
        }
        const ratio = median(scp) / median(ours);
        lines.push(
            `upload of ${UPLOAD_BYTES / 1e6} MB, median of ${UPLOAD_RUNS} (runs: ours ${ours.map((s) => s.toFixed(2)).join("/")} s, scp ${scp.map((s) => s.toFixed(2)).join("/")} s):`,
            `  upload() total (df, send, SHA-256 on host, rename) ${median(ours).toFixed(2)} s  ${mbps(UPLOAD_BYTES, median(ours))}`,
            `  upload() transfer phase only                         ${median(transfer).toFixed(2)} s  ${mbps(UPLOAD_BYTES, median(transfer))}`,
            `  upload() of the same bytes as a stream (64 KiB chunks) ${median(streamed).toFixed(2)} s  ${mbps(UPLOAD_BYTES, median(streamed))}`,
            `  OpenSSH scp                                          ${median(scp).toFixed(2)} s  ${mbps(UPLOAD_BYTES, median(scp))}`,
            `  upload() speed / scp speed  ${ratio.toFixed(2)}×  (target ≥ 0.8×: ${ratio >= 0.8 ? "met" : "MISSED"}); transfer only ${(median(scp) / median(transfer)).toFixed(2)}×; as a stream ${(median(scp) / median(streamed)).toFixed(2)}×`,
        );
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

export const sshBenchmark: Benchmark = {
    name: "ssh",
    async run(): Promise<string> {
        const reason = sshdSkipReason();
        if (reason) return `skipped: ${reason}`;
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-bench-sim-"));
        const sshd = await startSshd({ path: [SIM_BIN], env: { XE_SIM_STATE: stateDir } });
        const lines: string[] = [];
        try {
            await latency(sshd, lines);
            await throughput(sshd, lines);
        } finally {
            await closeAll();
            await sshd.stop();
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
        return lines.join("\n");
    },
};
