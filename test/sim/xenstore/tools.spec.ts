import * as assert from "node:assert/strict";
import { TestHost } from "../harness";

describe("sim/xenstore tools", function () {
    this.timeout(20_000);
    let h: TestHost;
    let a: string;
    let b: string;
    before(() => {
        h = new TestHost();
        a = h.ok("vm-install", "template=Other install media", "new-name-label=a");
        b = h.ok("vm-install", "template=Other install media", "new-name-label=b-with-a-name-long-enough-to-be-truncated-by-xenstore-ls-at-eighty");
        h.ok("vm-start", `uuid=${a}`);
        h.ok("vm-start", `uuid=${b}`);
    });
    after(() => h.cleanup());

    it("xenstore-read prints each value on its own line and the VNC port of a running HVM guest", async () => {
        const domid = h.ok("vm-list", `uuid=${a}`, "params=dom-id", "--minimal");
        assert.deepEqual(await h.run("xenstore-read", [`/local/domain/${domid}/console/vnc-port`]), { stdout: "5901\n", stderr: "", code: 0 });
        assert.deepEqual(await h.run("xenstore-read", ["-p", `/local/domain/${domid}/domid`, `/local/domain/${domid}/vm`]), {
            stdout: `/local/domain/${domid}/domid: ${domid}\n/local/domain/${domid}/vm: /vm/${a}\n`, stderr: "", code: 0,
        });
    });

    it("resolves relative paths against dom0's home, /local/domain/0", async () => {
        assert.deepEqual(await h.run("xenstore-read", ["name"]), { stdout: "Domain-0\n", stderr: "", code: 0 });
        assert.deepEqual(await h.run("xenstore-ls", ["-f", "domid"]), { stdout: "", stderr: "", code: 0 });
    });

    it("xenstore-read fails for a missing path after printing what it read", async () => {
        assert.deepEqual(await h.run("xenstore-read", ["/local/domain/0/name", "/local/domain/99/console/vnc-port"]), {
            stdout: "Domain-0\n", stderr: "xenstore-read: couldn't read path /local/domain/99/console/vnc-port\n", code: 1,
        });
    });

    it("xenstore-ls walks depth-first with one space of indent per level and truncates at 80 columns", async () => {
        const da = h.ok("vm-list", `uuid=${a}`, "params=dom-id", "--minimal");
        const db = h.ok("vm-list", `uuid=${b}`, "params=dom-id", "--minimal");
        const r = await h.run("xenstore-ls", [`/local/domain/${db}`]);
        assert.equal(r.code, 0);
        assert.equal(r.stdout,
            `vm = "/vm/${b}"\n`
            + 'name = "b-with-a-name-long-enough-to-be-truncated-by-xenstore-ls-at-eighty"\n'
            + `domid = "${db}"\n`
            + 'console = ""\n'
            + ' vnc-port = "5902"\n');
        const root = await h.run("xenstore-ls", []);
        assert.match(root.stdout, /^local = ""\n domain = ""\n {2}0 = ""\n {3}vm = "\/vm\/[0-9a-f-]{36}"\n {3}name = "Domain-0"\n/);
        assert.match(root.stdout, new RegExp(`\\n  ${da} = ""\\n`));
        // The C client budgets ' = "..."' (8) for the tag but prints ' = "' + '\\..."' (9): 81 columns.
        for (const line of root.stdout.split("\n")) assert.ok(line.length <= 81, line);
        assert.match(root.stdout, /\n {3}name = "b-with-a-name-long-enough-to-be-truncated-by-xenstore-ls-at-eight\\\.\.\."\n/);
    });

    it("xenstore-ls -f prints full paths without truncation, and fails for a missing path", async () => {
        const db = h.ok("vm-list", `uuid=${b}`, "params=dom-id", "--minimal");
        const r = await h.run("xenstore-ls", ["-f", `/local/domain/${db}/console`]);
        assert.deepEqual(r, { stdout: `/local/domain/${db}/console/vnc-port = "5902"\n`, stderr: "", code: 0 });
        assert.deepEqual(await h.run("xenstore-ls", ["/nope"]), { stdout: "", stderr: "xenstore-ls: xs_directory (/nope): No such file or directory\n", code: 1 });
    });

    it("gives a restarted guest the lowest free VNC port", async () => {
        h.ok("vm-shutdown", `uuid=${a}`, "--force");
        const c = h.ok("vm-install", "template=Other install media", "new-name-label=c");
        h.ok("vm-start", `uuid=${c}`);
        const dc = h.ok("vm-list", `uuid=${c}`, "params=dom-id", "--minimal");
        assert.equal((await h.run("xenstore-read", [`/local/domain/${dc}/console/vnc-port`])).stdout, "5901\n");
        const old = h.ok("vm-list", `uuid=${a}`, "params=dom-id", "--minimal");
        assert.equal(old, "-1");
    });
});
