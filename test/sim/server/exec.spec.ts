/**
 * One session of the simulated host (sim/server/exec.ts): the command's environment, exit status,
 * stdin/stdout/stderr, signals, and the control fd that drops the connection.
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { addFault, clearFaults } from "../../../sim/faults";
import { SIM_BIN } from "../../helpers/paths";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { closed, connect, exec, isAlive } from "./client";

describe("sim/server/exec", function () {
    this.timeout(30_000);
    let host: SimHost;

    before(async () => {
        host = await startSimHost();

    });
    after(async () => { await host?.stop(); });

    it("runs commands as /bin/sh -c with the simulator on PATH, XE_SIM_STATE, HOME and the control fd", async () => {
        const client = await connect(host.connection);
        try {
            const r = await exec(client, 'echo "$PATH"; echo "$XE_SIM_STATE"; echo "$HOME"; pwd; echo "$XE_SIM_CONTROL_FD"; command -v xe');
            const [pathVar, state, home, cwd, fd, xe] = r.stdout.trim().split("\n");
            assert.strictEqual(pathVar, `${SIM_BIN}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);
            assert.strictEqual(state, host.stateDir);
            assert.strictEqual(home, path.join(host.stateDir, "home"));
            assert.strictEqual(cwd, home);
            assert.strictEqual(fd, "3");
            assert.strictEqual(xe, path.join(SIM_BIN, "xe"));
        } finally {
            client.end();
        }
    });

    it("returns exit codes, stderr and stdin like sshd, and reports the signal that killed a command", async () => {
        const client = await connect(host.connection);
        try {
            assert.deepStrictEqual(await exec(client, "echo out; echo err >&2; exit 7"), { code: 7, signal: null, stdout: "out\n", stderr: "err\n" });
            assert.strictEqual((await exec(client, "wc -c", "x".repeat(100_000))).stdout.trim(), "100000");
            // ssh2 reports the exit-signal "TERM" sshd sends as "SIGTERM".
            assert.deepStrictEqual(await exec(client, "kill -TERM $$"), { code: null, signal: "SIGTERM", stdout: "", stderr: "" });
        } finally {
            client.end();
        }
    });

    it("delivers a client signal request to the running command", async () => {
        const client = await connect(host.connection);
        try {
            const result = await new Promise<{ code: number | null; signal?: string }>((resolve, reject) => {
                client.exec("echo started; sleep 20", (err, stream) => {
                    if (err) return reject(err);
                    stream.once("data", () => stream.signal("INT"));
                    stream.on("exit", (code: number | null, signal?: string) => resolve({ code, signal }));
                    stream.resume();
                });
            });
            assert.deepStrictEqual(result, { code: null, signal: "SIGINT" });
        } finally {
            client.end();
        }
    });

    it("drops the connection at once when a command writes drop to the control fd, and kills the session", async () => {
        const client = await connect(host.connection);
        const pidFile = path.join(host.stateDir, "dropped.pid");
        const gone = closed(client, 5000);
        client.exec(`sleep 30 & echo $! > ${pidFile}; echo drop >&$XE_SIM_CONTROL_FD; wait`, (err, stream) => { if (!err) stream.resume(); });
        await gone;
        const pid = Number(fs.readFileSync(pidFile, "utf8"));
        const deadline = Date.now() + 5000;
        while (Date.now() < deadline && isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
        assert.ok(!isAlive(pid), `the session's process group (sleep ${pid}) was killed`);
        // Other connections are unaffected.
        const other = await connect(host.connection);
        assert.strictEqual((await exec(other, "echo still-here")).stdout, "still-here\n");
        other.end();
    });

    it("drops the connection when xe fires a drop-connection fault (through the control fd)", async () => {
        addFault(host.stateDir, { match: "^vm-list", action: { kind: "drop-connection" } });
        try {
            const client = await connect(host.connection);
            const gone = closed(client, 5000);
            client.exec("xe vm-list --minimal; echo not-reached", (err, stream) => { if (!err) stream.resume(); });
            await gone;
        } finally {
            clearFaults(host.stateDir);
        }
    });
});
