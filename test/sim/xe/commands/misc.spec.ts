import * as assert from "node:assert/strict";
import { TestHost } from "../../harness";

describe("sim/xe/commands/misc", () => {
    let h: TestHost;
    let vm: string;
    before(() => {
        h = new TestHost();
        vm = h.ok("vm-install", "template=Other install media", "new-name-label=waiter");
    });
    after(() => h.cleanup());

    it("event-wait returns at once, silently, when a record already matches every condition", () => {
        assert.deepEqual(h.xe(["event-wait", "class=vm", `uuid=${vm}`, "power-state=halted"]), { stdout: "", stderr: "", code: 0 });
        assert.deepEqual(h.xe(["event-wait", "class=vm", "name-label=waiter", "power-state=/=running"]), { stdout: "", stderr: "", code: 0 });
        assert.deepEqual(h.xe(["event-wait", "class=vm", "is-control-domain=true", "dom-id=0"]), { stdout: "", stderr: "", code: 0 }, "dom0 is a vm record too");
    });

    it("event-wait fails for a field the class does not have and for an unsupported class", () => {
        assert.deepEqual(h.xe(["event-wait", "class=vm", "colour=blue"]), { stdout: "", stderr: "Error: key missing: colour\n", code: 1 });
        assert.deepEqual(h.xe(["event-wait", "class=console", "x=y"]), { stdout: "", stderr: "Error: Cli listening for class 'console' not currently implemented\n", code: 1 });
    });

    it("event-wait blocks until another xe call makes a record match (start-time=/= idiom)", async function () {
        this.timeout(20_000);
        const start = h.ok("vm-list", `uuid=${vm}`, "params=start-time", "--minimal");
        const waiting = h.xeProcess(["event-wait", "class=vm", `uuid=${vm}`, `start-time=/=${start}`, "power-state=running"]);
        let settled = false;
        void waiting.then(() => { settled = true; });
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(settled, false, "still waiting while nothing changed");
        await new Promise((r) => setTimeout(r, 1000));
        h.ok("vm-start", `uuid=${vm}`);
        const t0 = Date.now();
        assert.deepEqual(await waiting, { stdout: "", stderr: "", code: 0 });
        assert.ok(Date.now() - t0 < 3000, "noticed within a few polls");
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
    });

    it("secret-create prints the uuid and secret-list shows the value in clear", () => {
        const s = h.ok("secret-create", "value=hunter2");
        assert.equal(h.ok("secret-list"), `uuid ( RO)     : ${s}\n    value ( RW): hunter2\n\n`);
        h.ok("secret-destroy", `uuid=${s}`);
        assert.equal(h.ok("secret-list"), "");
    });

    it("host-cpu-info prints the cpu_info map as one record", () => {
        const out = h.ok("host-cpu-info");
        assert.match(out, /^cpu_count {11}: 16\n {8}socket_count: 1\n/);
    });
});
