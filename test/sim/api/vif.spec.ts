/**
 * VIF hot-plug on the simulated host, through xe: vif-plug / vif-unplug [--force] with xapi's
 * operation checks (xapi_vif_helpers.ml valid_operations), currently-attached and
 * allowed-operations, for HVM guests with and without PV drivers (sim/guest/tools.ts).
 */
import * as assert from "node:assert/strict";
import { markGuestPvDrivers } from "../../../sim/guest/tools";
import { TestHost } from "../harness";

const BAD_POWER = "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.";
const MISSING_PV = "You attempted an operation on a VM which requires PV drivers to be installed but the drivers were not detected.";
const NOT_ALLOWED = "You attempted an operation that was not allowed.";
const fail = (stderr: string) => ({ stdout: "", stderr, code: 1 });
const ok = { stdout: "", stderr: "", code: 0 };

describe("sim/api/vif (vif-plug, vif-unplug)", () => {
    let h: TestHost;
    let net: string;
    before(() => {
        h = new TestHost();
        net = h.ok("network-create", "name-label=home");
    });
    after(() => h.cleanup());

    /** A running Debian 12 VM with one NIC (device 0) and, when `tools`, PV drivers. */
    function guest(name: string, tools: Parameters<typeof markGuestPvDrivers>[2] | false): string {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", `new-name-label=${name}`);
        h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${h.uuidOf("network-list", "bridge=xenbr0")}`, "device=0");
        if (tools !== false) markGuestPvDrivers(h.dir, vm, tools);
        h.ok("vm-start", `uuid=${vm}`);
        return vm;
    }
    const vifParam = (vif: string, name: string) => h.ok("vif-param-get", `uuid=${vif}`, `param-name=${name}`);

    it("hot-plugs a VIF made on a running guest with PV drivers, and unplugs it; the guest reports the NIC's address", () => {
        const vm = guest("tools", { ipv4: { 0: "10.0.0.5", 1: "192.168.32.1" } });
        const vif = h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${net}`, "device=1", "mac=02:00:00:00:00:01");
        assert.equal(vifParam(vif, "currently-attached"), "false", "vif-create leaves it unplugged on a running VM");
        assert.equal(vifParam(vif, "allowed-operations"), "attach; plug");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=networks"), "0/ip: 10.0.0.5; 0/ipv4/0: 10.0.0.5");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), ok);
        assert.equal(vifParam(vif, "currently-attached"), "true");
        assert.equal(vifParam(vif, "allowed-operations"), "attach; unplug");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=networks"),
            "1/ip: 192.168.32.1; 1/ipv4/0: 192.168.32.1; 0/ip: 10.0.0.5; 0/ipv4/0: 10.0.0.5");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), fail(`The device is already attached to a VM\ndevice: ${vif}\n`));
        assert.deepEqual(h.xe(["vif-destroy", `uuid=${vif}`]), fail(`${NOT_ALLOWED}\nreason: VIF currently attached to a running VM\n`));
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${vif}`]), ok);
        assert.equal(vifParam(vif, "currently-attached"), "false");
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${vif}`]), fail(`The device is not currently attached\ndevice: ${vif}\n`));
        h.ok("vif-plug", `uuid=${vif}`);
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${vif}`, "--force"]), ok);
        assert.equal(vifParam(vif, "currently-attached"), "false");
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${vif}`, "force=maybe"]),
            fail("Error: Failed to parse parameter 'force': Expected 'true','t','yes','y','1','false','f','no','n','0' got maybe\n"));
        assert.deepEqual(h.xe(["vif-destroy", `uuid=${vif}`]), ok);
    });

    it("refuses to hot-plug into an HVM guest without PV drivers, as xapi does (VM_MISSING_PV_DRIVERS)", () => {
        const vm = guest("no tools", false);
        const vif = h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${net}`, "device=1");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), fail(`${MISSING_PV}\nvm: ${vm} (no tools)\n`));
        assert.equal(vifParam(vif, "currently-attached"), "false");
        assert.equal(vifParam(vif, "allowed-operations"), "attach");
        // An attached NIC of such a guest cannot be unplugged either (the power-state rule passes, the driver rule fails).
        const nic = h.uuidOf("vif-list", `vm-uuid=${vm}`, "device=0");
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${nic}`]), fail(`${MISSING_PV}\nvm: ${vm} (no tools)\n`));
        // The attached check comes first: plugging an attached NIC says so, whatever the drivers.
        assert.deepEqual(h.xe(["vif-plug", `uuid=${nic}`]), fail(`The device is already attached to a VM\ndevice: ${nic}\n`));
        h.ok("vm-reboot", `uuid=${vm}`, "--force");
        assert.equal(vifParam(vif, "currently-attached"), "true", "a new domain attaches every VIF");
    });

    it("refuses when the guest states it cannot hot-plug VIFs (OPERATION_NOT_ALLOWED)", () => {
        const vm = guest("says no", { hotplugVif: "no" });
        const vif = h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${net}`, "device=1");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), fail(`${NOT_ALLOWED}\nreason: VM states it does not support VIF hotplug.\n`));
        // Unspecified support with PV drivers detected is enough (CA-224331).
        markGuestPvDrivers(h.dir, vm, { hotplugVif: "unspecified" });
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), ok);
    });

    it("needs a running VM: halted and paused VMs give VM_BAD_POWER_STATE, and a halted VM's VIFs allow only attach", () => {
        const vm = guest("power", {});
        const vif = h.uuidOf("vif-list", `vm-uuid=${vm}`);
        h.ok("vm-pause", `uuid=${vm}`);
        assert.deepEqual(h.xe(["vif-unplug", `uuid=${vif}`]), fail(`${BAD_POWER}\nvm: ${vm} (power)\nexpected: running\nactual: paused\n`));
        assert.deepEqual(h.xe(["vif-destroy", `uuid=${vif}`]), fail(`${NOT_ALLOWED}\nreason: VIF currently attached to a running VM\n`));
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        assert.equal(vifParam(vif, "allowed-operations"), "attach");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), fail(`${BAD_POWER}\nvm: ${vm} (power)\nexpected: running\nactual: halted\n`));
    });

    it("refuses hot-plug into dom0 (xapi ≥ 1.249), names a missing VIF, and documents the commands", () => {
        const dom0 = h.uuidOf("vm-list", "is-control-domain=true");
        const vif = h.ok("vif-create", `vm-uuid=${dom0}`, `network-uuid=${net}`, "device=5", "mac=02:00:00:00:00:05");
        assert.deepEqual(h.xe(["vif-plug", `uuid=${vif}`]), fail(`${NOT_ALLOWED}\nreason: Control domain does not support hotplug\n`));
        h.ok("vif-destroy", `uuid=${vif}`);
        assert.deepEqual(h.xe(["vif-plug", "uuid=nope"]), fail("The uuid you supplied was invalid.\ntype: VIF\nuuid: nope\n"));
        assert.deepEqual(h.xe(["vif-unplug"]), fail("Required parameter not found: uuid\nFor usage run: 'xe help'\n"));
        assert.equal(h.ok("help", "vif-unplug"),
            "command name            : vif-unplug\n        reqd params     : uuid\n        optional params : force\n        description     : Attempt to detach the VIF while the VM is in the running state.\n\n");
    });

    it("speaks XenServer 7.1's dialect (1.14: two spaces after periods, no dom0 rule)", () => {
        const old = new TestHost({ product: "xenserver-7.1" });
        try {
            const vm = old.ok("vm-install", "template=Other install media", "new-name-label=old");
            const vif = old.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${old.uuidOf("network-list", "bridge=xenbr0")}`, "device=0");
            assert.deepEqual(old.xe(["vif-plug", `uuid=${vif}`]), fail(`${BAD_POWER.replace(/\. /g, ".  ")}\nvm: ${vm} (old)\nexpected: running\nactual: halted\n`));
            old.ok("vm-start", `uuid=${vm}`);
            assert.equal(old.ok("vif-param-get", `uuid=${vif}`, "param-name=currently-attached"), "true");
        } finally {
            old.cleanup();
        }
    });
});
