/**
 * <vm-selectors> (cli_operations.ml select_vms / do_vm_op).
 */
import * as assert from "node:assert/strict";
import { TestHost } from "../harness";

const BAD_POWER = "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.";

describe("sim/xe/select", () => {
    let h: TestHost;
    let a: string;
    let b: string;
    before(() => {
        h = new TestHost();
        a = h.ok("vm-install", "template=Other install media", "new-name-label=twin");
        b = h.ok("vm-install", "template=Other install media", "new-name-label=twin");
    });
    after(() => h.cleanup());

    it("matches vm= against uuid or name-label", () => {
        assert.equal(h.xe(["vm-param-set", `uuid=${a}`, `vm=${a}`]).stderr, "Error: Unknown field 'vm'\n", "vm= is only a selector for VM operations");
        assert.deepEqual(h.xe(["vm-shutdown", `vm=${a}`]), {
            stdout: "", code: 1, stderr: `${BAD_POWER}\nvm: ${a} (twin)\nexpected: running\nactual: halted\n`,
        });
    });

    it("needs --multiple when several VMs match, and says so", () => {
        assert.deepEqual(h.xe(["vm-shutdown", "vm=twin"]), {
            stdout: "", code: 1, stderr: "Error: Multiple matches VMs found. --multiple required to complete the operation\n",
        });
    });

    it("treats no selector at all as every non-template, non-dom0 VM", () => {
        assert.equal(h.xe(["vm-shutdown"]).stderr, "Error: Multiple matches VMs found. --multiple required to complete the operation\n");
    });

    it("runs on every match with --multiple and prints each failure on stdout, newest first, exit 1", () => {
        const r = h.xe(["vm-shutdown", "name-label=twin", "--multiple"]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, "");
        assert.equal(r.stdout,
            `operation failed on ${b}: ${BAD_POWER}\nvm: ${b} (twin)\nexpected: running\nactual: halted\n`
            + `operation failed on ${a}: ${BAD_POWER}\nvm: ${a} (twin)\nexpected: running\nactual: halted\n`);
    });

    it("filters on other fields and excludes templates and dom0 unless the operation includes them", () => {
        assert.equal(h.xe(["vm-shutdown", "name-label=Other install media"]).stderr, "Error: No matching VMs found\n");
        assert.equal(h.xe(["vm-shutdown", "is-control-domain=true"]).stderr, "Error: No matching VMs found\n");
        assert.equal(h.xe(["vm-start", "power-state=running"]).stderr,
            `${BAD_POWER}\nvm: ${h.uuidOf("vm-list", "is-control-domain=true")} (Control domain on host: xenserver-sim)\nexpected: halted\nactual: running\n`,
            "vm-start includes the control domain");
        assert.equal(h.xe(["vm-start", "uuid=nope"]).stderr, "Error: No matching VMs found\n");
    });

    it("says the vm-vif-list of several VMs without needing --multiple", () => {
        assert.deepEqual(h.xe(["vm-vif-list", "vm=twin"]), { stdout: "", stderr: "", code: 0 });
    });
});
