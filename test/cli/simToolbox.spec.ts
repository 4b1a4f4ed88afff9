/**
 * `vh sim --toolbox NAME`: a pre-made running VM with PV drivers and a NIC on the management
 * network, found again (not made twice) when the simulator restarts on the same state directory.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseSimArgs } from "../../cli/commands/sim";
import { closeAll } from "../../provider/ssh";
import { XeClient } from "../../provider/xe";
import { loadDb } from "../../sim";
import { startSimHost, VH_CLI } from "../helpers/simHost";

/** Starts `vh sim`, reads its first line, stops it; resolves the connection record. */
async function simOnce(args: string[]): Promise<{ info: Record<string, any>; code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [VH_CLI, "sim", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    const first = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
            out += d;
            if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
        });
        child.once("exit", (code) => reject(new Error(`vh sim exited ${code}: ${stderr}`)));
    });
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    return { info: JSON.parse(first), code, stderr };
}

describe("vh sim --toolbox", function () {
    this.timeout(30_000);
    let tmp: string;
    before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-toolbox-")); });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("parses --toolbox NAME and rejects an empty name", () => {
        assert.equal(parseSimArgs(["--state-dir", "s", "--toolbox", "toolbox"], "/").toolbox, "toolbox");
        assert.equal("toolbox" in parseSimArgs(["--state-dir", "s"], "/"), false);
        assert.throws(() => parseSimArgs(["--state-dir", "s", "--toolbox", " "], "/"), /--toolbox must be a one-line VM name, got " "/);
    });

    it("makes a running toolbox VM with PV drivers on the management network, and finds it again after a restart", async () => {
        const stateDir = path.join(tmp, "host");
        const first = await simOnce(["--state-dir", stateDir, "--toolbox", "toolbox"]);
        assert.equal(first.code, 0, first.stderr);
        assert.equal(first.info.toolbox.name, "toolbox");
        assert.match(first.info.toolbox.uuid, /^[0-9a-f-]{36}$/);
        assert.match(first.stderr, /vh sim: toolbox toolbox \([0-9a-f-]{36}\) made: running, PV drivers, NIC on the management network\n/);

        const sim = await startSimHost({ stateDir });
        try {
            const c = sim.connection;
            const xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
            const uuid = first.info.toolbox.uuid as string;
            const vm = await xe.record("vm", uuid, ["power-state", "PV-drivers-detected", "name-label"]);
            assert.equal(vm?.["name-label"], "toolbox");
            assert.equal(vm?.["PV-drivers-detected"], "true");
            const vifs = await xe.list("vif", { "vm-uuid": uuid }, ["device", "network-uuid"]);
            const management = await xe.uuids("network", { bridge: "xenbr0" });
            assert.deepEqual(vifs.map((v) => [v.device, v["network-uuid"]]), [["0", management[0]]]);
            await xe.vm.hardShutdown(uuid); // a restart must start it again
        } finally {
            await closeAll();
            await sim.stop();
        }
        const second = await simOnce(["--state-dir", stateDir, "--toolbox", "toolbox"]);
        assert.equal(second.info.toolbox.uuid, first.info.toolbox.uuid, "the same VM, not a second one");
        assert.match(second.stderr, /toolbox toolbox \([0-9a-f-]{36}\) found: running/);
        const db = loadDb(stateDir)!;
        assert.equal(Object.values(db.vm).find((v) => v.uuid === first.info.toolbox.uuid)?.power_state, "running", "started again");
    });
});
