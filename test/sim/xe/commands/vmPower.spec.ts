import * as assert from "node:assert/strict";
import { TestHost } from "../../harness";

const BAD_POWER = "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.";

describe("sim/xe/commands/vmPower", () => {
    let h: TestHost;
    let vm: string;
    const get = (field: string, key?: string) => h.ok("vm-param-get", `uuid=${vm}`, `param-name=${field}`, ...(key ? [`param-key=${key}`] : []));
    const badPower = (expected: string, actual: string) => `${BAD_POWER}\nvm: ${vm} (life)\nexpected: ${expected}\nactual: ${actual}\n`;
    before(() => {
        h = new TestHost({ hostMemoryGiB: 16 });
        vm = h.ok("vm-install", "template=Other install media", "new-name-label=life");
    });
    after(() => h.cleanup());

    it("starts a halted VM silently: fresh positive dom-id, resident-on, start-time, a console", () => {
        const host = h.uuidOf("host-list");
        assert.deepEqual(h.xe(["vm-start", `uuid=${vm}`]), { stdout: "", stderr: "", code: 0 });
        assert.equal(get("power-state"), "running");
        assert.equal(get("dom-id"), "1");
        assert.equal(get("resident-on"), host);
        assert.match(get("start-time"), /^\d{8}T\d\d:\d\d:\d\dZ$/);
        assert.notEqual(get("start-time"), "19700101T00:00:00Z");
        const console = h.uuidOf("console-list", `vm-uuid=${vm}`);
        assert.equal(h.ok("console-param-get", `uuid=${console}`, "param-name=location"), `https://127.0.0.1/console?uuid=${console}`);
        assert.equal(h.ok("console-param-get", `uuid=${console}`, "param-name=protocol"), "RFB");
        assert.equal(get("platform", "device-model"), "qemu-upstream-compat");
    });

    it("refuses operations in the wrong power state, listing the allowed states in xapi's order", () => {
        assert.deepEqual(h.xe(["vm-start", `uuid=${vm}`]), { stdout: "", stderr: badPower("halted", "running"), code: 1 });
        assert.deepEqual(h.xe(["vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB"]), { stdout: "", stderr: badPower("halted", "running"), code: 1 });
        assert.deepEqual(h.xe(["vm-param-set", `uuid=${vm}`, "VCPUs-max=2"]), { stdout: "", stderr: badPower("halted", "running"), code: 1 });
        assert.deepEqual(h.xe(["vm-param-set", `uuid=${vm}`, "memory-static-max=1GiB"]), { stdout: "", stderr: badPower("halted", "running"), code: 1 });
        assert.deepEqual(h.xe(["vm-param-set", `uuid=${vm}`, "memory-dynamic-max=256MiB"]), { stdout: "", stderr: "", code: 0 }, "the dynamic range may change while running");
    });

    it("reboots with a new domid and start-time, and shuts down to dom-id -1 with no console", () => {
        h.ok("vm-reboot", `uuid=${vm}`);
        assert.equal(get("dom-id"), "2");
        h.ok("vm-shutdown", `uuid=${vm}`);
        assert.equal(get("power-state"), "halted");
        assert.equal(get("dom-id"), "-1");
        assert.equal(get("resident-on"), "<not in database>");
        assert.equal(h.ok("console-list", `vm-uuid=${vm}`, "--minimal"), "");
        assert.deepEqual(h.xe(["vm-shutdown", `uuid=${vm}`, "--force"]), { stdout: "", stderr: badPower("paused, suspended, running", "halted"), code: 1 });
        assert.deepEqual(h.xe(["vm-reboot", `uuid=${vm}`]), { stdout: "", stderr: badPower("running", "halted"), code: 1 });
        assert.deepEqual(h.xe(["vm-reboot", `uuid=${vm}`, "--force"]), { stdout: "", stderr: badPower("paused, running", "halted"), code: 1 });
        h.ok("vm-start", `uuid=${vm}`);
        assert.equal(get("dom-id"), "3", "domids are never reused");
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
    });

    it("checks the memory order constraint and VCPU counts", () => {
        assert.deepEqual(h.xe(["vm-memory-limits-set", `uuid=${vm}`, "static-min=2GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB"]), {
            stdout: "", stderr: "The dynamic memory range violates constraint static_min <= dynamic_min <= dynamic_max <= static_max.\n", code: 1,
        });
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=2GiB", "dynamic-min=1GiB", "dynamic-max=2GiB");
        assert.equal(get("memory-static-max"), String(2 * 1024 ** 3));
        assert.deepEqual(h.xe(["vm-param-set", `uuid=${vm}`, "VCPUs-at-startup=4"]), {
            stdout: "", stderr: "The value given is invalid\nfield: VCPU values must satisfy: 0 < VCPUs_at_startup \u2264 VCPUs_max\nvalue: 4\n", code: 1,
        });
        h.ok("vm-param-set", `uuid=${vm}`, "VCPUs-max=4");
        h.ok("vm-param-set", `uuid=${vm}`, "VCPUs-at-startup=4");
        h.ok("vm-start", `uuid=${vm}`);
        assert.equal(get("VCPUs-number"), "4");
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
    });

    it("refuses to start a VM that does not fit in the host's free memory", () => {
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=64GiB", "static-max=64GiB", "dynamic-min=64GiB", "dynamic-max=64GiB");
        const r = h.xe(["vm-start", `uuid=${vm}`]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^Not enough server memory is available to perform this operation.\nneeded: \d+\navailable: \d+\n$/);
        const [, needed, available] = /needed: (\d+)\navailable: (\d+)/.exec(r.stderr)!;
        assert.ok(Number(needed) > 64 * 1024 ** 3 && Number(available) < 16 * 1024 ** 3);
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB");
    });

    it("accounts running VMs in the host's memory-free", () => {
        const host = h.uuidOf("host-list");
        const before = Number(h.ok("host-param-get", `uuid=${host}`, "param-name=memory-free"));
        h.ok("vm-start", `uuid=${vm}`);
        const during = Number(h.ok("host-param-get", `uuid=${host}`, "param-name=memory-free"));
        const overhead = Number(get("memory-overhead"));
        assert.equal(before - during, 1024 ** 3 + overhead);
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        assert.equal(Number(h.ok("host-param-get", `uuid=${host}`, "param-name=memory-free")), before);
    });

    it("requires memory pinned at static-max for platform:nested-virt=true (MAXPIN) and the Nested_virt licence", () => {
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=512MiB", "static-max=1GiB", "dynamic-min=512MiB", "dynamic-max=1GiB");
        h.ok("vm-param-set", `uuid=${vm}`, "platform:nested-virt=true");
        assert.deepEqual(h.xe(["vm-start", `uuid=${vm}`]), {
            stdout: "", stderr: "The dynamic memory range violates constraint static_min = dynamic_min = dynamic_max = static_max.\nreason: nested virt\n", code: 1,
        });
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB");
        h.ok("vm-param-set", `uuid=${vm}`, "platform:nested-virt=maybe");
        assert.deepEqual(h.xe(["vm-start", `uuid=${vm}`]), { stdout: "", stderr: "The value given is invalid\nfield: platform:nested-virt\nvalue: maybe\n", code: 1 });
        h.ok("vm-param-set", `uuid=${vm}`, "platform:nested-virt=true");
        h.ok("vm-start", `uuid=${vm}`);
        assert.equal(get("nested-virt"), "true");
        assert.deepEqual(h.xe(["vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB"]).code, 1);
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        h.ok("vm-param-remove", `uuid=${vm}`, "param-name=platform", "param-key=nested-virt");
    });

    it("raises LICENCE_RESTRICTION for nested-virt when the pool restricts it", () => {
        const r = new TestHost({ nestedVirtRestricted: true });
        try {
            const pool = r.uuidOf("pool-list");
            assert.match(r.ok("pool-param-get", `uuid=${pool}`, "param-name=restrictions"), /restrict_nested_virt: true/);
            // restrictions has no get_map in records.ml, so param-key is ignored and the whole map printed.
            assert.match(r.ok("pool-param-get", `uuid=${pool}`, "param-name=restrictions", "param-key=restrict_nested_virt"), /^restrict_vswitch_controller: false; .*restrict_nested_virt: true; /);
            const v = r.ok("vm-install", "template=Other install media", "new-name-label=nested");
            r.ok("vm-param-set", `uuid=${v}`, "platform:nested-virt=true");
            r.ok("vm-memory-limits-set", `uuid=${v}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB");
            assert.deepEqual(r.xe(["vm-start", `uuid=${v}`]), {
                stdout: "", code: 1,
                stderr: "This operation is not allowed because your license lacks a needed feature. Please contact your support representative.\nfeature: Nested_virt\n",
            });
        } finally {
            r.cleanup();
        }
    });

    it("refuses to destroy a default template (VM_IS_TEMPLATE, whose datamodel entry names only 'vm') and starts paused", () => {
        assert.deepEqual(h.xe(["vm-destroy", "uuid=552bce37-51b2-445d-84f2-5f33fa112d7e"]), {
            stdout: "", code: 1, stderr: "The operation attempted is not valid for a template VM\nvm: 552bce37-51b2-445d-84f2-5f33fa112d7e (Other install media)\n<extra>: destroy\n",
        });
        h.ok("vm-start", `uuid=${vm}`, "paused=true");
        assert.equal(get("power-state"), "paused");
        h.ok("vm-unpause", `uuid=${vm}`);
        assert.equal(get("power-state"), "running");
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
    });

    it("refuses an operation listed in blocked-operations", () => {
        h.ok("vm-param-set", `uuid=${vm}`, "blocked-operations:start=maintenance");
        assert.deepEqual(h.xe(["vm-start", `uuid=${vm}`]), {
            stdout: "", code: 1,
            stderr: `You attempted an operation that was explicitly blocked (see the blocked_operations field of the given object).\nref: ${vm} (life)\ncode: maintenance\n`,
        });
        h.ok("vm-param-remove", `uuid=${vm}`, "param-name=blocked-operations", "param-key=start");
    });

    it("resets the power state only with --force", () => {
        h.ok("vm-start", `uuid=${vm}`);
        assert.deepEqual(h.xe(["vm-reset-powerstate", `uuid=${vm}`]), {
            stdout: "", stderr: "Error: This operation is dangerous and may cause data loss. This operation must be forced (use --force).\n", code: 1,
        });
        h.ok("vm-reset-powerstate", `uuid=${vm}`, "--force");
        assert.equal(get("power-state"), "halted");
    });
});
