/**
 * The connection flags every host command shares, against a simulated host reached through its
 * SSH front: host keys (pinned, from known_hosts, unknown, mismatched), key, password and prompted
 * password logins, a jump host, and unreachable hosts, with the exit codes and sentences users see.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { connectionArgsFromFlags } from "../../cli/connection";
import type { CliIO } from "../../cli/commands/types";
import { UsageError } from "../../cli/exit";
import { SimHost, startSimHost } from "../helpers/simHost";
import { cleanEnv, simFlags, vh, vhOnTerminal } from "./run";

function ioWith(home: string, env: NodeJS.ProcessEnv = {}): CliIO {
    return { stdout: process.stdout, stderr: process.stderr, env: { HOME: home, ...env }, cwd: home };
}

describe("cli/connection", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let tmp: string;
    let emptyHome: string;
    let hostLine: string;

    before(async () => {
        sim = await startSimHost();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-conn-"));
        emptyHome = path.join(tmp, "empty-home");
        fs.mkdirSync(emptyHome);
        hostLine = fs.readFileSync(path.join(sim.stateDir, "ssh", "ssh_host_ed25519_key.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    });
    after(async () => {
        await sim.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("connectionArgsFromFlags", () => {
        it("reads USER@HOST, the port, the credential files and the pins, and takes known_hosts when no --host-key is given", () => {
            const home = path.join(tmp, "kh-home");
            fs.mkdirSync(path.join(home, ".ssh"), { recursive: true });
            fs.writeFileSync(path.join(home, ".ssh", "known_hosts"), `[xs.lab]:2222 ${hostLine}\nxs.lab ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\n`);
            fs.writeFileSync(path.join(home, "pw"), "s3cret\nignored second line\n");
            const { args, explicit } = connectionArgsFromFlags("admin@xs.lab", { port: "2222", "password-file": "pw" }, ioWith(home));
            assert.deepEqual(args, { host: "xs.lab", port: 2222, user: "admin", password: "s3cret", hostKey: [hostLine], dialAttempts: 3 });
            assert.equal(explicit, true);
            const pinned = connectionArgsFromFlags("xs.lab", { "password-file": "pw", "host-key": ["SHA256:abc", "SHA256:def"] }, ioWith(home)).args;
            assert.deepEqual(pinned.hostKey, ["SHA256:abc", "SHA256:def"], "--host-key replaces known_hosts");
            const jumped = connectionArgsFromFlags("xs.lab", { "password-file": "pw", jump: "ops@bastion:2200", "jump-host-key": ["SHA256:j"] }, ioWith(home)).args;
            assert.deepEqual(jumped.jump, { host: "bastion", port: 2200, user: "ops", password: "s3cret", hostKey: ["SHA256:j"], dialAttempts: 3 });
        });

        it("falls back to ssh-agent and the default key when no credential is given", () => {
            const home = path.join(tmp, "key-home");
            fs.mkdirSync(path.join(home, ".ssh"), { recursive: true });
            fs.copyFileSync(sim.connection.privateKeyPath, path.join(home, ".ssh", "id_ed25519"));
            const { args, explicit } = connectionArgsFromFlags("xs", {}, ioWith(home, { SSH_AUTH_SOCK: "/run/agent.sock" }));
            assert.equal(explicit, false);
            assert.equal(args.agent, "/run/agent.sock");
            assert.equal(args.privateKey, sim.connection.privateKey);
        });

        it("rejects contradictory or malformed flags with a message naming them", () => {
            const bad: Array<[string, Record<string, unknown>, RegExp]> = [
                ["root@xs", { user: "admin", "password-file": "/dev/null" }, /HOST names the user "root" but --user says "admin"/],
                ["xs", { port: "70000" }, /--port must be an integer from 1 to 65535, got "70000"/],
                ["xs", { "insecure-skip-host-key-check": true, "host-key": ["SHA256:x"] }, /--host-key \(or --jump-host-key\) or --insecure-skip-host-key-check, not both/],
                ["xs", { "passphrase-file": "p" }, /--passphrase-file needs --identity/],
                ["xs", { "jump-host-key": ["SHA256:x"] }, /--jump-host-key needs --jump/],
                ["xs", { jump: "a@b@c" }, /--jump must be \[USER@\]HOST\[:PORT\], got "a@b@c"/],
                ["xs", { "password-file": "/nonexistent/pw" }, /cannot read --password-file "\/nonexistent\/pw"/],
            ];
            for (const [host, flags, message] of bad) {
                assert.throws(() => connectionArgsFromFlags(host, flags, ioWith(emptyHome)), (e: Error) => e instanceof UsageError && message.test(e.message), `${host} ${JSON.stringify(flags)}`);
            }
        });
    });

    describe("against a simulated host", () => {
        const env = () => cleanEnv({ HOME: emptyHome });

        it("logs in with the key or the password file", async () => {
            for (const auth of ["key", "password"] as const) {
                const r = await vh(["network", "destroy", sim.connection.host, "nonet", ...simFlags(sim, auth, tmp)], { env: env() });
                assert.equal(r.code, 0, r.stderr);
                assert.match(r.stdout, /^No network named nonet made by virtual-hypervisor on root@127\.0\.0\.1:\d+: nothing to destroy\n$/);
            }
        });

        it("refuses an unknown host key with exit 3, showing the presented fingerprint and the exact flag to pin it", async () => {
            const c = sim.connection;
            const r = await vh(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--identity", c.privateKeyPath], { env: env() });
            assert.equal(r.code, 3, r.stderr);
            assert.equal(r.stdout, "");
            const lines = r.stderr.split("\n");
            assert.equal(lines[0], `vh network: refusing to connect to root@127.0.0.1:${c.port}: its host key is not known`);
            assert.match(r.stderr, new RegExp(`presented the ssh-ed25519 key ${c.hostKey.replace(/[+/]/g, "\\$&")}`));
            assert.ok(lines.includes(`    --host-key ${c.hostKey}`), r.stderr);
            assert.match(r.stderr, /looked up as \[127\.0\.0\.1\]:\d+/);
        });

        it("trusts the key ~/.ssh/known_hosts holds for [host]:port", async () => {
            const home = path.join(tmp, "known-home");
            fs.mkdirSync(path.join(home, ".ssh"), { recursive: true });
            fs.writeFileSync(path.join(home, ".ssh", "known_hosts"), `[127.0.0.1]:${sim.connection.port} ${hostLine}\n`);
            const c = sim.connection;
            const r = await vh(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--identity", c.privateKeyPath], { env: cleanEnv({ HOME: home }) });
            assert.equal(r.code, 0, r.stderr);
        });

        it("refuses a mismatching host key with exit 3 before sending credentials", async () => {
            const c = sim.connection;
            const other = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
            const r = await vh(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--password-file", path.join(tmp, "sim-password"), "--host-key", other], { env: env() });
            assert.equal(r.code, 3, r.stderr);
            assert.match(r.stderr, /^vh network: refusing to connect to root@127\.0\.0\.1:\d+: its host key does not match\n/);
            assert.ok(r.stderr.includes(`presented the ssh-ed25519 key ${c.hostKey}, but the pinned key is ${other}. No credentials were sent.`), r.stderr);
        });

        it("reports a rejected password with exit 3 and never prints it", async () => {
            const file = path.join(tmp, "wrong-password");
            fs.writeFileSync(file, "Wrong-Password-123\n");
            const c = sim.connection;
            const r = await vh(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--password-file", file, "--host-key", c.hostKey], { env: env() });
            assert.equal(r.code, 3, r.stderr);
            assert.match(r.stderr, /^vh network: authentication failed for root@127\.0\.0\.1:\d+\n {2}The host rejected password; check --user, --password-file or --identity\.\n$/);
            assert.ok(!r.stderr.includes("Wrong-Password-123"));
        });

        it("says it could not connect to an unreachable host, exit 3, within seconds", async () => {
            const port = await new Promise<number>((resolve) => {
                const s = net.createServer().listen(0, "127.0.0.1", () => {
                    const p = (s.address() as net.AddressInfo).port;
                    s.close(() => resolve(p));
                });
            });
            const started = Date.now();
            const r = await vh(["network", "create", "127.0.0.1", "home", "--port", String(port), "--password-file", path.join(tmp, "sim-password"), "--host-key", sim.connection.hostKey], { env: env() });
            assert.equal(r.code, 3, r.stderr);
            // The retries show as progress lines (timestamped: not a terminal), then the failure.
            assert.match(r.stderr, /^\S+Z vh network: SSH dial 1\/3 to root@127\.0\.0\.1:\d+ failed \(connect ECONNREFUSED [^)]*\): retrying in 1000 ms\n/);
            assert.match(r.stderr, new RegExp(`\\nvh network: could not connect to root@127\\.0\\.0\\.1:${port}\\n {2}could not connect to root@127\\.0\\.0\\.1:${port} after 3 attempts: connect ECONNREFUSED`));
            assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
        });

        it("without any credential and no terminal, says what to give (exit 2)", async () => {
            const c = sim.connection;
            const r = await vh(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--host-key", c.hostKey], { env: env() });
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr, /^vh network: no credential for root@127\.0\.0\.1: give --password-file FILE or --identity KEYFILE/);
        });

        it("asks for the password on a terminal, without echoing it", async () => {
            const c = sim.connection;
            const r = await vhOnTerminal(["network", "destroy", c.host, "nonet", "--port", String(c.port), "--host-key", c.hostKey], {
                env: env(), prompt: /root@127\.0\.0\.1's password: $/, answer: c.password,
            });
            assert.equal(r.code, 0, r.output);
            assert.match(r.output, /root@127\.0\.0\.1's password: \r?\n/);
            assert.match(r.output, /nothing to destroy/);
            assert.ok(!r.output.includes(c.password), "the typed password is not echoed");
        });

        it("reaches the host through a jump host (--jump, --jump-host-key)", async () => {
            const c = sim.connection;
            const r = await vh(["network", "destroy", c.host, "nonet", ...simFlags(sim, "key", tmp), "--jump", `root@127.0.0.1:${c.port}`, "--jump-host-key", c.hostKey], { env: env() });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, new RegExp(`on root@127\\.0\\.0\\.1:${c.port} via root@127\\.0\\.0\\.1:${c.port}: nothing to destroy`));
        });
    });
});
