/**
 * VBD hot-plug on the simulated host, through xe: vbd-plug / vbd-unplug [--force] [timeout=] with
 * xapi's operation checks (xapi_vbd_helpers.ml valid_operations, xapi_vbd.ml plug), for HVM
 * guests with and without PV drivers (sim/guest/tools.ts).
 */
import * as assert from "node:assert/strict";
import { markGuestPvDrivers } from "../../../sim/guest/tools";
import { TestHost } from "../harness";

const MISSING_PV = "You attempted an operation on a VM which requires PV drivers to be installed but the drivers were not detected.";
const NOT_ALLOWED = "You attempted an operation that was not allowed.";
const fail = (stderr: string) => ({ stdout: "", stderr, code: 1 });
const ok = { stdout: "", stderr: "", code: 0 };

describe("sim/api/vbdOps (vbd-plug, vbd-unplug)", () => {
    let h: TestHost;
    let sr: string;
    before(() => {
        h = new TestHost();
        sr = h.uuidOf("sr-list", "name-label=Local storage");
    });
    after(() => h.cleanup());

    function runningGuest(name: string, tools: boolean): string {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", `new-name-label=${name}`);
        if (tools) markGuestPvDrivers(h.dir, vm);
        h.ok("vm-start", `uuid=${vm}`);
        return vm;
    }
    const disk = (vm: string, device: string, extra: string[] = []) => {
        const vdi = h.ok("vdi-create", `sr-uuid=${sr}`, `name-label=disk ${device}`, "virtual-size=1GiB");
        return h.ok("vbd-create", `vm-uuid=${vm}`, `vdi-uuid=${vdi}`, `device=${device}`, ...extra);
    };
    const vbdParam = (vbd: string, name: string) => h.ok("vbd-param-get", `uuid=${vbd}`, `param-name=${name}`);

    it("hot-plugs and unplugs a disk of a running guest with PV drivers", () => {
        const vm = runningGuest("tools", true);
        const vbd = disk(vm, "1");
        assert.equal(vbdParam(vbd, "allowed-operations"), "attach; plug; pause; unpause");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${vbd}`]), ok);
        assert.equal(vbdParam(vbd, "currently-attached"), "true");
        assert.equal(vbdParam(vbd, "device"), "xvdb");
        assert.equal(vbdParam(vbd, "allowed-operations"), "attach; unplug; unplug_force; pause; unpause");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${vbd}`]), fail(`The device is already attached to a VM\ndevice: ${vbd}\n`));
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${vbd}`, "timeout=soon"]),
            fail("The server failed to handle your request, due to an internal error. The given message may give details useful for debugging the problem.\nmessage: Failure: Failed to parse parameter 'timeout': expecting a float\n"));
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${vbd}`, "timeout=30"]), ok);
        assert.equal(vbdParam(vbd, "currently-attached"), "false");
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${vbd}`, "--force"]), fail(`The device is not currently attached\ndevice: ${vbd}\n`));
        h.ok("vbd-plug", `uuid=${vbd}`);
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${vbd}`, "--force"]), ok);
        h.ok("vbd-destroy", `uuid=${vbd}`);
        // vm-disk-add plugs best-effort: into a guest with PV drivers, the new disk is attached at once.
        h.ok("vm-disk-add", `uuid=${vm}`, "disk-size=1GiB", "device=2");
        assert.equal(h.ok("vbd-list", `vm-uuid=${vm}`, "userdevice=2", "params=currently-attached", "--minimal"), "true");
    });

    it("applies xapi's other plug rules: unpluggable, HVM CD drives, read-only disks, the guest's own refusal", () => {
        const vm = runningGuest("rules", true);
        const fixed = disk(vm, "1", ["unpluggable=false"]);
        h.ok("vbd-plug", `uuid=${fixed}`);
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${fixed}`]),
            fail(`Drive could not be hot-unplugged because it is not marked as unpluggable\nvbd: ${fixed}\n`));
        const cd = h.ok("vbd-create", `vm-uuid=${vm}`, "device=3", "type=CD", "mode=RO");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${cd}`]),
            fail(`${NOT_ALLOWED}\nreason: HVM CDROMs cannot be hotplugged/unplugged, only inserted or ejected\n`));
        const ro = disk(vm, "2", ["mode=RO"]);
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${ro}`]), fail(`All VBDs of type 'disk' must be read/write for HVM guests\nvbd: ${ro}\n`));
        markGuestPvDrivers(h.dir, vm, { hotplugVbd: "no" });
        assert.deepEqual(h.xe(["vbd-unplug", `uuid=${fixed}`, "--force"]),
            fail(`Drive could not be hot-unplugged because it is not marked as unpluggable\nvbd: ${fixed}\n`), "the first rule wins");
        const more = disk(vm, "4");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${more}`]), fail(`${NOT_ALLOWED}\nreason: VM states it does not support VBD hotplug.\n`));
    });

    it("refuses to hot-plug a disk into an HVM guest without PV drivers, and a second writer of a disk in use", () => {
        const bare = runningGuest("bare", false);
        const vbd = disk(bare, "1");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${vbd}`]), fail(`${MISSING_PV}\nvm: ${bare} (bare)\n`));
        assert.equal(vbdParam(vbd, "allowed-operations"), "attach; pause; unpause", "VBD pause needs no PV drivers");
        h.ok("vm-reboot", `uuid=${bare}`, "--force");
        assert.equal(vbdParam(vbd, "currently-attached"), "true");
        const other = runningGuest("other", true);
        const vdi = vbdParam(vbd, "vdi-uuid");
        const second = h.ok("vbd-create", `vm-uuid=${other}`, `vdi-uuid=${vdi}`, "device=1");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${second}`]),
            fail(`This operation cannot be performed because this VDI is in use by some other operation\nvdi: ${vdi} (disk 1)\noperation: <unknown>\n`));
    });
});
