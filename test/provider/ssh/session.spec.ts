/**
 * Requirements: root, /usr/sbin/sshd and ssh-keygen (openssh-server). Runs against real OpenSSH
 * sshd instances started by test/helpers/sshd.ts.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { sh } from "../../../provider/shell";
import { ConnectionArgs, getSession, closeAll } from "../../../provider/ssh";
import { rejectsWithCode } from "./assertions";
import { Sshd, sshdSkipReason, startSshd } from "../../helpers/sshd";

describe("provider/ssh session (real sshd)", function () {
    this.timeout(30_000);
    let sshd: Sshd;
    let scratch: string;
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const keyArgs = (extra: Partial<ConnectionArgs> = {}): ConnectionArgs => ({
        host: sshd.host, port: sshd.port, user: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey, ...extra,
    });
    const passwordArgs = (extra: Partial<ConnectionArgs> = {}): ConnectionArgs => ({
        host: sshd.host, port: sshd.port, user: sshd.users.password.user, password: sshd.users.password.password, hostKey: sshd.hostKeyLine, ...extra,
    });
    /** The part of sshd's log written while `fn` ran. */
    const logDuring = async (fn: () => Promise<unknown>): Promise<string> => {
        const before = sshd.log().length;
        await fn();
        await new Promise((r) => setTimeout(r, 100));
        return sshd.log().slice(before);
    };

    before(async function () {
        const reason = sshdSkipReason();
        if (reason) this.skip();
        sshd = await startSshd();
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vh-session-"));
    });
    afterEach(() => closeAll());
    after(async () => {
        await sshd?.stop();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    describe("authentication", () => {
        it("logs in with a key and returns stdout, stderr and the exit code", async () => {
            const r = await getSession(keyArgs()).run(sh`echo out; echo err >&2; exit 3`);
            assert.deepEqual(r, { stdout: "out\n", stderr: "err\n", exitCode: 3, signal: undefined });
        });

        it("logs in with a password", async () => {
            const r = await getSession(passwordArgs()).runOrThrow(sh`id -un`);
            assert.equal(r.stdout, `${sshd.users.password.user}\n`);
        });

        it("logs in with an encrypted key and its passphrase", async () => {
            const file = path.join(scratch, "enc");
            execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "correct horse battery", "-f", file]);
            sshd.authorizeKey(sshd.users.key.user, fs.readFileSync(`${file}.pub`, "utf8"));
            const r = await getSession(keyArgs({ privateKey: fs.readFileSync(file, "utf8"), passphrase: "correct horse battery" })).runOrThrow(sh`echo ok`);
            assert.equal(r.stdout, "ok\n");
            assert.ok(!sshd.log().includes("correct horse battery"));
        });

        it("logs in through an ssh-agent", async () => {
            const socket = path.join(scratch, "agent.sock");
            const agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
            try {
                for (let i = 0; i < 100 && !fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
                execFileSync("ssh-add", ["-q", sshd.users.key.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: "ignore" });
                const { privateKey: _unused, ...withoutKey } = keyArgs();
                const r = await getSession({ ...withoutKey, agent: socket }).runOrThrow(sh`echo agent`);
                assert.equal(r.stdout, "agent\n");
            } finally {
                agent.kill();
            }
        });

        it("fails with AUTH_FAILED on a wrong password, without echoing it anywhere", async () => {
            const wrong = "wrong-Pa55word!";
            let err: Error | undefined;
            const logged = await logDuring(async () => {
                err = await rejectsWithCode(getSession(passwordArgs({ password: wrong }), { log }).run(sh`true`), "AUTH_FAILED");
            });
            assert.equal(err!.message, `authentication failed for ${sshd.users.password.user}@${sshd.host}:${sshd.port}: the host rejected password`);
            assert.match(logged, /Failed password for vhsshtest/);
            for (const text of [err!.message, err!.stack ?? "", logged, lines.join("\n")]) assert.ok(!text.includes(wrong));
        });

        it("fails with AUTH_FAILED on a key the host does not accept, and does not retry", async () => {
            const file = path.join(scratch, "stranger");
            execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
            const logged = await logDuring(() => rejectsWithCode(getSession(keyArgs({ privateKey: fs.readFileSync(file, "utf8") })).run(sh`true`), "AUTH_FAILED"));
            assert.equal((logged.match(/Connection from/g) ?? []).length, 1);
        });
    });

    describe("host key pinning", () => {
        it("accepts the key pinned as a fingerprint, an authorized_keys line or a known_hosts line", async () => {
            for (const hostKey of [sshd.hostKey, sshd.hostKeyLine, `[${sshd.host}]:${sshd.port} ${sshd.hostKeyLine}`, ["SHA256:" + "A".repeat(43), sshd.hostKey]]) {
                const session = getSession(keyArgs({ hostKey }));
                assert.equal((await session.runOrThrow(sh`echo pinned`)).stdout, "pinned\n");
                assert.equal(session.hostKey?.fingerprint, sshd.hostKey);
            }
        });

        it("refuses an unpinned host with HOST_KEY_UNKNOWN showing the presented key, before any authentication", async () => {
            let err: Error & { presented?: { fingerprint: string } } | undefined;
            const logged = await logDuring(async () => {
                err = await rejectsWithCode(getSession(passwordArgs({ hostKey: undefined })).run(sh`true`), "HOST_KEY_UNKNOWN");
            });
            assert.equal(err!.presented?.fingerprint, sshd.hostKey);
            assert.match(err!.message, new RegExp(`presented ssh-ed25519 key ${sshd.hostKey.replace(/[+/]/g, "\\$&")}`));
            assert.match(err!.message, /insecureSkipHostKeyCheck: true/);
            assert.match(logged, /Connection from/);
            assert.doesNotMatch(logged, /userauth-request|Failed password|Accepted/);
        });

        it("refuses a mismatched key with HOST_KEY_MISMATCH before sending any credential", async () => {
            const other = "SHA256:" + "Q".repeat(43);
            let err: Error & { expected?: string[]; presented?: { fingerprint: string } } | undefined;
            const logged = await logDuring(async () => {
                err = await rejectsWithCode(getSession(passwordArgs({ hostKey: other }), { log }).run(sh`true`), "HOST_KEY_MISMATCH");
            });
            assert.deepEqual(err!.expected, [other]);
            assert.equal(err!.presented?.fingerprint, sshd.hostKey);
            assert.match(err!.message, /No credentials were sent/);
            // sshd (LogLevel DEBUG1) logs every userauth request; there must be none, not even "none".
            assert.match(logged, /Connection from/);
            assert.doesNotMatch(logged, /userauth-request|Failed password|Accepted/);
            // Control: a pinned login does show the userauth request in the same log.
            const ok = await logDuring(() => getSession(passwordArgs()).run(sh`true`));
            assert.match(ok, /userauth-request for user vhsshtest/);
        });

        it("connects to any key with insecureSkipHostKeyCheck, and says so loudly", async () => {
            lines.length = 0;
            await getSession(keyArgs({ hostKey: undefined, insecureSkipHostKeyCheck: true }), { log }).runOrThrow(sh`true`);
            assert.match(lines.join("\n"), /WARNING: insecureSkipHostKeyCheck is set: accepting ssh-ed25519 host key SHA256:/);
        });
    });

    describe("commands", () => {
        it("times out a command, naming it and showing what it printed so far; the connection stays usable", async () => {
            const session = getSession(keyArgs());
            const started = Date.now();
            const err = await rejectsWithCode<Error & { stdout: string }>(session.run(sh`echo so far; sleep 5; echo never`, { timeoutMs: 400 }), "COMMAND_TIMEOUT");
            assert.ok(Date.now() - started < 2000);
            assert.equal(err.stdout, "so far\n");
            assert.equal(err.message, `command timed out after 400 ms waiting for the command to finish on root@${sshd.host}:${sshd.port}: echo so far; sleep 5; echo never\nso far`);
            assert.equal((await session.runOrThrow(sh`echo still here`)).stdout, "still here\n");
        });

        it("passes stdin (how secrets reach a remote command) without putting it on the command line", async () => {
            const r = await getSession(keyArgs()).runOrThrow(sh`read -r line; echo "got $line"; cat /proc/$$/cmdline | tr '\\0' ' '`, { stdin: "s3cret-value\n" });
            assert.match(r.stdout, /^got s3cret-value\n/);
            assert.ok(!r.stdout.split("\n")[1].includes("s3cret-value"));
        });

        it("throws COMMAND_FAILED from runOrThrow with the exit code and output", async () => {
            const err = await rejectsWithCode(getSession(keyArgs()).runOrThrow(sh`echo nope >&2; exit 7`), "COMMAND_FAILED");
            assert.equal(err.message, `command failed with exit code 7 on root@${sshd.host}:${sshd.port}: echo nope >&2; exit 7\nnope`);
        });

        it("reports a connection dropped mid-command as CONNECTION_LOST (not retried), then reconnects for the next call", async () => {
            const session = getSession(keyArgs());
            const marker = path.join(scratch, "ran-once");
            // $PPID of the command's shell is sshd's session process: killing it drops the connection.
            const err = await rejectsWithCode<Error & { stdout: string }>(session.run(sh`echo partial; echo x >> ${marker}; kill -9 $PPID; sleep 2`), "CONNECTION_LOST");
            assert.match(err.message, /may or may not have taken effect/);
            assert.equal(fs.readFileSync(marker, "utf8"), "x\n"); // ran exactly once
            assert.equal((await session.runOrThrow(sh`echo reconnected`)).stdout, "reconnected\n");
        });

        it("re-runs a command declared idempotent after a drop", async () => {
            lines.length = 0;
            const marker = path.join(scratch, "dropped-once");
            const cmd = sh`if [ ! -e ${marker} ]; then touch ${marker}; kill -9 $PPID; sleep 2; fi; echo done`;
            const r = await getSession(keyArgs(), { log }).runOrThrow(cmd, { idempotent: true });
            assert.equal(r.stdout, "done\n");
            assert.match(lines.join("\n"), /dropped during: .*reconnecting and running it again/);
        });

        it("re-runs every idempotent command in flight when the connection drops under them all", async () => {
            const session = getSession(keyArgs());
            const marker = path.join(scratch, "killer-ran");
            const killer = session.runOrThrow(sh`if [ ! -e ${marker} ]; then touch ${marker}; sleep 0.2; kill -9 $PPID; sleep 2; fi; echo killer`, { idempotent: true });
            const others = Array.from({ length: 6 }, (_, i) => session.runOrThrow(sh`sleep 0.4; echo ${i}`, { idempotent: true }));
            const results = await Promise.all([killer, ...others]);
            assert.deepEqual(results.map((r) => r.stdout), ["killer\n", ...others.map((_, i) => `${i}\n`)]);
        });

        it("runs 50 commands at once on one connection, queueing beyond maxChannels", async () => {
            const session = getSession(keyArgs());
            // Each command counts the commands running beside it through marker files.
            const running = fs.mkdtempSync(path.join(scratch, "running-"));
            const logged = await logDuring(async () => {
                const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
                    session.runOrThrow(sh`touch ${running}/${String(i)}; sleep 0.05; echo ${String(i)} $(ls ${running} | wc -l); rm ${running}/${String(i)}`)));
                // Each caller gets its own command's output.
                assert.deepEqual(results.map((r) => r.stdout.split(" ")[0]), Array.from({ length: 50 }, (_, i) => String(i)));
                const counts = results.map((r) => Number(r.stdout.split(" ")[1]));
                assert.ok(Math.max(...counts) <= 8, `at most maxChannels (8) at once, saw ${Math.max(...counts)}`);
                assert.ok(Math.max(...counts) >= 2, "commands did run side by side");
            });
            assert.equal((logged.match(/Accepted publickey/g) ?? []).length, 1);
        });

        it("treats channels refused by the server (MaxSessions 10) as wait-and-retry", async () => {
            const session = getSession(keyArgs({ maxChannels: 40 }));
            const logged = await logDuring(async () => {
                const results = await Promise.all(Array.from({ length: 50 }, (_, i) => session.runOrThrow(sh`echo ${i}; sleep 0.2`)));
                assert.ok(results.every((r, i) => r.stdout === `${i}\n`));
            });
            assert.match(logged, /no more sessions/); // sshd did refuse channels, and every call still succeeded
        });

        it("closes idle connections, and closeAll() closes the rest", async () => {
            const session = getSession(keyArgs({ idleTimeoutMs: 100 }));
            await session.run(sh`true`);
            assert.ok(session.hostKey);
            await new Promise((r) => setTimeout(r, 400));
            assert.equal(session.hostKey, undefined);
            const other = getSession(keyArgs());
            await other.run(sh`true`);
            await closeAll();
            assert.equal(other.hostKey, undefined);
        });
    });

    describe("process lifetime", () => {
        const child = (script: string, args: ConnectionArgs) => new Promise<{ code: number | null; ms: number; out: string }>((resolve) => {
            const started = Date.now();
            const p = spawn(process.execPath, ["-e", script], {
                env: { ...process.env, VH_ARGS: JSON.stringify(args), VH_SSH: path.join(__dirname, "../../../provider/ssh"), VH_SHELL: path.join(__dirname, "../../../provider/shell") },
                stdio: ["ignore", "pipe", "inherit"],
            });
            let out = "";
            p.stdout.on("data", (d) => { out += d; });
            p.on("exit", (code) => resolve({ code, ms: Date.now() - started, out }));
        });

        it("lets a finished program exit on its own: the idle connection closes itself", async () => {
            const script = `const { getSession } = require(process.env.VH_SSH); const { sh } = require(process.env.VH_SHELL);
                getSession(JSON.parse(process.env.VH_ARGS)).runOrThrow(sh\`echo hi\`).then((r) => process.stdout.write(r.stdout));`;
            const r = await child(script, keyArgs({ idleTimeoutMs: 300 }));
            assert.deepEqual([r.code, r.out], [0, "hi\n"]);
            assert.ok(r.ms < 5000, `exited after ${r.ms} ms`);
        });

        it("drops open connections when the program calls process.exit()", async () => {
            const script = `const { getSession } = require(process.env.VH_SSH); const { sh } = require(process.env.VH_SHELL);
                getSession(JSON.parse(process.env.VH_ARGS)).runOrThrow(sh\`true\`).then(() => process.exit(0));`;
            let r: { code: number | null } | undefined;
            const logged = await logDuring(async () => { r = await child(script, keyArgs({ idleTimeoutMs: 60_000 })); });
            assert.equal(r!.code, 0);
            assert.match(logged, /(Connection closed|Disconnected from|Connection reset) .*127\.0\.0\.1/);
        });
    });

    describe("dialing", () => {
        it("retries a refused dial with progress lines, then names host:port, attempts and the cause", async () => {
            lines.length = 0;
            const server = net.createServer().listen(0, "127.0.0.1");
            await new Promise((r) => server.once("listening", r));
            const port = (server.address() as net.AddressInfo).port;
            server.close();
            const err = await rejectsWithCode(getSession({ ...keyArgs(), port, dialAttempts: 3, dialRetryDelayMs: 50 }, { log }).run(sh`true`), "CONNECTION_FAILED");
            assert.equal(err.message, `could not connect to root@127.0.0.1:${port} after 3 attempts: connect ECONNREFUSED 127.0.0.1:${port}`);
            assert.deepEqual(lines.map((l) => l.replace(/\(.*\)/, "(…)")), [
                `SSH dial 1/3 to root@127.0.0.1:${port} failed (…): retrying in 50 ms`,
                `SSH dial 2/3 to root@127.0.0.1:${port} failed (…): retrying in 100 ms`,
            ]);
        });

        it("gives up on a server that never speaks SSH after readyTimeoutMs per attempt", async () => {
            const sockets: net.Socket[] = [];
            const server = net.createServer((s) => sockets.push(s)).listen(0, "127.0.0.1");
            await new Promise((r) => server.once("listening", r));
            const port = (server.address() as net.AddressInfo).port;
            try {
                const err = await rejectsWithCode(getSession({ ...keyArgs(), port, readyTimeoutMs: 200, dialAttempts: 2, dialRetryDelayMs: 10 }, { log }).run(sh`true`), "CONNECTION_FAILED");
                assert.match(err.message, /after 2 attempts: Timed out while waiting for handshake/);
            } finally {
                sockets.forEach((s) => s.destroy());
                server.close();
            }
        });
    });

    describe("jump host", () => {
        let jump: Sshd;
        before(async () => { jump = await startSshd(); });
        after(() => jump?.stop());

        it("reaches the target through a tunnel opened on the jump host", async () => {
            const args = keyArgs({
                jump: { host: jump.host, port: jump.port, user: jump.users.password.user, password: jump.users.password.password, hostKey: jump.hostKey },
            });
            const before = jump.log().length;
            const session = getSession(args);
            assert.equal((await session.runOrThrow(sh`echo via jump`)).stdout, "via jump\n");
            assert.equal(session.target, `root@${sshd.host}:${sshd.port} via ${jump.users.password.user}@${jump.host}:${jump.port}`);
            assert.match(jump.log().slice(before), new RegExp(`server_request_direct_tcpip: .*target ${sshd.host} port ${sshd.port}`));
        });

        it("names the jump host when the jump refuses the login", async () => {
            const args = keyArgs({ jump: { host: jump.host, port: jump.port, user: "vhsshtest", password: "not-the-password", hostKey: jump.hostKey } });
            const err = await rejectsWithCode(getSession(args).run(sh`true`), "AUTH_FAILED");
            assert.match(err.message, new RegExp(`authentication failed for vhsshtest@${jump.host}:${jump.port}`));
        });
    });
});
