/**
 * Fault injection: rules in faults.json, counted per matching call under the state lock.
 */
import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import * as path from "node:path";
import { addFault, readFaults } from "../../sim/faults";
import { readCalls } from "../../sim/calls";
import { SIM_BIN } from "../helpers/paths";
import { sshdSkipReason, startSshd } from "../helpers/sshd";
import { TestHost } from "./harness";

describe("sim/faults", function () {
    this.timeout(60_000);
    let h: TestHost;
    beforeEach(() => { h = new TestHost(); });
    afterEach(() => h.cleanup());

    it("fails the nth matching call with an xe-error printed exactly like the real failure, without running it", () => {
        addFault(h.dir, { match: "^network-create", nth: 2, action: { kind: "xe-error", code: "NETWORK_CONTAINS_VIF", params: ["OpaqueRef:nope"] } });
        h.ok("vm-list");
        h.ok("network-create", "name-label=one");
        assert.deepEqual(h.xe(["network-create", "name-label=two"]), { stdout: "", stderr: "The network contains active VIFs and cannot be deleted.\nvifs: OpaqueRef:nope\n", code: 1 });
        assert.equal(h.ok("network-list", "name-label=two", "--minimal"), "", "the failed call did nothing");
        h.ok("network-create", "name-label=three");
        assert.equal(readFaults(h.dir)[0].seen, 3, "only matching calls are counted");
    });

    it("keeps firing with repeat", () => {
        addFault(h.dir, { match: "vm-list", repeat: true, action: { kind: "xe-error", code: "INTERNAL_ERROR", params: ["boom"] } });
        for (let i = 0; i < 3; i++) assert.equal(h.xe(["vm-list"]).code, 1);
    });

    it("delays a call, then runs it", () => {
        addFault(h.dir, { match: "^host-list", action: { kind: "delay", delayMs: 400 } });
        const t0 = Date.now();
        assert.equal(h.xe(["host-list", "--minimal"]).code, 0);
        assert.ok(Date.now() - t0 >= 400);
    });

    it("drops the connection through XE_SIM_CONTROL_FD under the simulator's SSH front", async () => {
        addFault(h.dir, { match: "^vm-start", action: { kind: "drop-connection" } });
        const child = spawn(path.join(SIM_BIN, "xe"), ["vm-start", "vm=x"], {
            env: { ...h.env, PATH: process.env.PATH, XE_SIM_CONTROL_FD: "3" }, stdio: ["ignore", "pipe", "pipe", "pipe"],
        });
        let control = "";
        (child.stdio[3] as NodeJS.ReadableStream).on("data", (d: Buffer) => { control += d.toString(); });
        const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? -1)));
        assert.equal(control, "drop\n");
        assert.equal(code, 255);
        assert.deepEqual(readCalls(h.dir).map((c) => [c.argv, c.exitCode]), [[["vm-start", "vm=x"], 255]]);
    });

    it("drops a real OpenSSH connection by killing its sshd process", async function () {
        const reason = sshdSkipReason();
        if (reason) this.skip();
        const sshd = await startSshd({ env: { XE_SIM_STATE: h.dir }, path: [SIM_BIN] });
        try {
            addFault(h.dir, { match: "^vm-list", nth: 2, action: { kind: "drop-connection" } });
            const ssh = (command: string) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
                execFile("ssh", [
                    "-i", sshd.users.key.privateKeyPath, "-p", String(sshd.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", `${sshd.users.key.user}@${sshd.host}`, command,
                ], (err, stdout, stderr) => resolve({ code: err ? Number((err as any).code) : 0, stdout, stderr }));
            });
            const first = await ssh("xe vm-list is-control-domain=true params=name-label --minimal");
            assert.deepEqual(first, { code: 0, stdout: "Control domain on host: xenserver-sim\n", stderr: "" });
            const dropped = await ssh("xe vm-list --minimal; echo after");
            assert.equal(dropped.code, 255, dropped.stderr);
            assert.doesNotMatch(dropped.stdout, /after/, "the connection went away with the call");
        } finally {
            await sshd.stop();
        }
    });
});
