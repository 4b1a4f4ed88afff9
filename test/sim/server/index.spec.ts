/**
 * The simulated host's SSH front (sim/server/index.ts), started as the real `vh sim` process and
 * reached with the ssh2 client and the OpenSSH `ssh` client: authentication, sessions, forwarding,
 * restart and shutdown. Sessions themselves: exec.spec.ts; SFTP: sftp/server.spec.ts.
 */
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { utils } from "ssh2";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { closed, connect, exec, isAlive, sshOptions, writeKnownHosts } from "./client";

describe("sim/server (vh sim SSH front)", function () {
    this.timeout(30_000);
    let host: SimHost;
    let knownHosts: string;

    before(async () => {
        host = await startSimHost();
        knownHosts = writeKnownHosts(host);
    });
    after(async () => { await host?.stop(); });

    it("accepts the password and refuses a wrong one", async () => {
        const client = await connect(host.connection, { password: host.connection.password });
        assert.strictEqual((await exec(client, "echo ok")).stdout, "ok\n");
        client.end();
        await assert.rejects(connect(host.connection, { password: "not-the-password" }), (err: Error & { level?: string }) => err.level === "client-authentication");
    });

    it("refuses a key that is not in authorized_keys", async () => {
        // ssh2 now and then generates an ed25519 key it cannot parse itself (see sim/server/identity.ts).
        let other = utils.generateKeyPairSync("ed25519");
        while (utils.parseKey(other.private) instanceof Error) other = utils.generateKeyPairSync("ed25519");
        await assert.rejects(connect({ ...host.connection, privateKey: other.private }), (err: Error & { level?: string }) => err.level === "client-authentication");
    });

    it("works with the OpenSSH ssh client (key and password) and a pinned known_hosts entry", () => {
        const key = spawnSync("ssh", [...sshOptions(host, knownHosts), "-o", "BatchMode=yes", "-i", host.connection.privateKeyPath,
            `${host.connection.user}@${host.connection.host}`, "echo from-openssh; exit 4"], { encoding: "utf8" });
        assert.deepStrictEqual([key.status, key.stdout, key.stderr], [4, "from-openssh\n", ""]);
        const password = spawnSync("sshpass", ["-e", "ssh", ...sshOptions(host, knownHosts), "-o", "PubkeyAuthentication=no",
            `${host.connection.user}@${host.connection.host}`, "echo via-password"], { encoding: "utf8", env: { ...process.env, SSHPASS: host.connection.password } });
        assert.deepStrictEqual([password.status, password.stdout], [0, "via-password\n"]);
    });

    it("allows 10 open sessions per connection, like OpenSSH's MaxSessions, and refuses the 11th", async () => {
        const client = await connect(host.connection);
        try {
            const streams: import("ssh2").ClientChannel[] = [];
            for (let i = 0; i < 10; i++) {
                streams.push(await new Promise((resolve, reject) => client.exec("cat", (e, s) => (e ? reject(e) : resolve(s.resume())))));
            }
            await assert.rejects(new Promise((resolve, reject) => client.exec("true", (e, s) => (e ? reject(e) : resolve(s)))), /open failure|failed/i);
            const done = new Promise((resolve) => streams[0].on("close", resolve));
            streams[0].end();
            await done;
            assert.strictEqual((await exec(client, "echo again")).stdout, "again\n");
            for (const s of streams.slice(1)) s.end();
        } finally {
            client.end();
        }
    });

    it("forwards TCP (direct-tcpip) so it can serve as a jump host", async () => {
        const echo = net.createServer((sock) => sock.pipe(sock));
        await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
        const client = await connect(host.connection);
        try {
            const port = (echo.address() as net.AddressInfo).port;
            const channel = await new Promise<import("ssh2").ClientChannel>((resolve, reject) =>
                client.forwardOut("127.0.0.1", 0, "127.0.0.1", port, (err, ch) => (err ? reject(err) : resolve(ch))));
            const reply = new Promise<string>((resolve) => channel.once("data", (d: Buffer) => resolve(d.toString())));
            channel.write("ping through the simulated host");
            assert.strictEqual(await reply, "ping through the simulated host");
            channel.end();
        } finally {
            client.end();
            echo.close();
        }
    });
});

describe("sim/server restart and shutdown", function () {
    this.timeout(30_000);

    it("keeps its host key, password, keys and state across a restart", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-simstate-"));
        try {
            const first = await startSimHost({ stateDir });
            const c1 = await connect(first.connection);
            await exec(c1, "xe vm-list --minimal > /dev/null; echo kept > kept.txt");
            c1.end();
            const stateBefore = fs.readFileSync(path.join(stateDir, "state.json"), "utf8");
            await first.stop();
            const second = await startSimHost({ stateDir });
            try {
                assert.strictEqual(second.connection.hostKey, first.connection.hostKey);
                assert.strictEqual(second.connection.password, first.connection.password);
                assert.strictEqual(second.connection.privateKey, first.connection.privateKey);
                assert.strictEqual(fs.readFileSync(path.join(stateDir, "state.json"), "utf8"), stateBefore);
                const c2 = await connect(second.connection, { password: second.connection.password });
                assert.strictEqual((await exec(c2, "cat kept.txt")).stdout, "kept\n");
                c2.end();
            } finally {
                await second.stop();
            }
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });

    it("exits 0 on SIGTERM with a connection and a running command open, and kills the command", async () => {
        const host = await startSimHost();
        const client = await connect(host.connection);
        const pidFile = path.join(host.stateDir, "..", `${path.basename(host.stateDir)}.sleep.pid`);
        await new Promise<void>((resolve) => client.exec(`echo $$ > ${pidFile}; exec sleep 60`, (err, stream) => {
            stream.resume();
            const poll = setInterval(() => { if (fs.existsSync(pidFile)) { clearInterval(poll); resolve(); } }, 20);
        }));
        const gone = closed(client, 10_000);
        const started = Date.now();
        await host.stop(); // asserts exit code 0
        await gone;
        assert.ok(Date.now() - started < 5000, "stopped promptly");
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        fs.rmSync(pidFile);
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
        assert.ok(!isAlive(pid), "the running command was killed");
    });
});
