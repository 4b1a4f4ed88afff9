/**
 * The PV-tools convention (sim/guest/tools.ts) and what a guest with tools shows a client: guest
 * metrics on the VM record and the agent's keys in xenstore, appearing while it runs, stale
 * (live false) after it halts, dropped when it starts again.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_GUEST_TOOLS, GuestToolsError, markGuestPvDrivers } from "../../../sim/guest/tools";
import { TestHost } from "../harness";

const GUEST_FIELDS = [
    "os-version", "PV-drivers-version", "PV-drivers-up-to-date", "memory", "disks", "networks", "PV-drivers-detected",
    "other", "live", "can-use-hotplug-vbd", "can-use-hotplug-vif",
];

describe("sim/guest/tools (guests with PV drivers)", () => {
    let h: TestHost;
    before(() => { h = new TestHost(); });
    after(() => h.cleanup());

    const fields = (vm: string) => Object.fromEntries(GUEST_FIELDS.map((f) => [f, h.ok("vm-param-get", `uuid=${vm}`, `param-name=${f}`)]));
    const install = (name: string) => {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", `new-name-label=${name}`);
        h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${h.uuidOf("network-list", "bridge=xenbr0")}`, "device=0");
        return vm;
    };

    it("a guest without tools has no guest metrics, like a real HVM guest without them", () => {
        const vm = install("plain");
        h.ok("vm-start", `uuid=${vm}`);
        assert.deepEqual(Object.values(fields(vm)), GUEST_FIELDS.map(() => "<not in database>"));
        assert.equal(h.xe(["vm-param-get", `uuid=${vm}`, "param-name=os-version", "param-key=name"]).stderr, "Error: Key name not found in map\n");
    });

    it("a running guest with tools reports guest metrics at once, and keeps them stale (live false) after a halt", () => {
        const vm = install("toolbox");
        markGuestPvDrivers(h.dir, vm, { ipv4: { 0: "10.1.2.3" } });
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=os-version"), "<not in database>", "a halted guest has not reported");
        h.ok("vm-start", `uuid=${vm}`);
        const running = {
            "os-version": "name: Debian GNU/Linux 12 (bookworm); uname: 6.1.0-28-amd64; distro: debian; major: 12; minor: 8",
            "PV-drivers-version": "major: 8; minor: 4; micro: 0; build: 1",
            "PV-drivers-up-to-date": "true",
            memory: "",
            disks: "",
            networks: "0/ip: 10.1.2.3; 0/ipv4/0: 10.1.2.3",
            "PV-drivers-detected": "true",
            other: "feature-poweroff: 1; feature-reboot: 1; feature-suspend: 1; feature-vcpu-hotplug: 1; feature-balloon: 1; has-vendor-device: 0; platform-feature-multiprocessor-suspend: 1; platform-feature-xs_reset_watches: 1",
            live: "true",
            "can-use-hotplug-vbd": "true",
            "can-use-hotplug-vif": "true",
        };
        assert.deepEqual(fields(vm), running);
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=PV-drivers-version", "param-key=major"), "8");
        assert.equal(h.ok("vm-list", "PV-drivers-version:major=8", "params=uuid", "--minimal"), vm, "map fields filter like any other");
        assert.match(h.ok("vm-param-get", `uuid=${vm}`, "param-name=guest-metrics-last-updated"), /^\d{8}T\d\d:\d\d:\d\dZ$/);
        assert.match(h.ok("vm-param-list", `uuid=${vm}`), /\n +PV-drivers-version \(MRO\): major: 8; minor: 4; micro: 0; build: 1\n/);
        h.ok("vm-shutdown", `uuid=${vm}`);
        assert.deepEqual(fields(vm), { ...running, live: "false" });
        markGuestPvDrivers(h.dir, vm, null);
        h.ok("vm-start", `uuid=${vm}`);
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=live"), "<not in database>", "VM.start drops stale metrics; no tools, no new report");
    });

    it("shows the agent's keys in the running domain's xenstore, owned by the guest", async () => {
        const vm = install("xs");
        markGuestPvDrivers(h.dir, vm, { ipv4: { 0: "10.9.8.7" }, hotplugVbd: "unspecified", hotplugVif: "no", other: { "feature-poweroff": "1" } });
        h.ok("vm-start", `uuid=${vm}`);
        const domid = h.ok("vm-param-get", `uuid=${vm}`, "param-name=dom-id");
        const read = await h.run("xenstore-read", [`/local/domain/${domid}/data/os_distro`, `/local/domain/${domid}/attr/PVAddons/MajorVersion`,
            `/local/domain/${domid}/attr/vif/0/ipv4/0`, `/local/domain/${domid}/feature/hotplug/vif`]);
        assert.deepEqual(read, { stdout: "debian\n8\n10.9.8.7\n0\n", stderr: "", code: 0 });
        const ls = await h.run("xenstore-ls", ["-p", `/local/domain/${domid}/control`]);
        assert.match(ls.stdout, new RegExp(`^feature-poweroff = "1" [ .]*\\(n${domid}\\)\n$`));
        assert.equal((await h.run("xenstore-read", [`/local/domain/${domid}/feature/hotplug/vbd`])).code, 1, "unspecified: the key is absent");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=can-use-hotplug-vbd"), "unspecified");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=can-use-hotplug-vif"), "false");
    });

    it("marks only existing guests, and reports every invalid option at once", () => {
        const template = h.uuidOf("template-list", "name-label=Debian Bookworm 12");
        assert.throws(() => markGuestPvDrivers(h.dir, template), (e: Error) => e instanceof GuestToolsError && /is a template: only guests run PV tools/.test(e.message));
        assert.throws(() => markGuestPvDrivers(h.dir, "0000"), /no VM with uuid 0000 on the simulated host/);
        assert.throws(() => markGuestPvDrivers(`${h.dir}/nowhere`, "0000"), /no simulated host in .*nowhere/);
        const vm = install("bad");
        assert.throws(() => markGuestPvDrivers(h.dir, vm, { hotplugVif: "maybe" as never, ipv4: { eth0: "1.2.3.4", 1: "300.1.1.1" } }), (e: Error) =>
            e.message === `invalid guest tools for VM ${vm}: hotplugVif must be one of yes, no, unspecified, got "maybe"; ` +
            'ipv4[1] must be an IPv4 address, got "300.1.1.1"; ipv4 keys must be VIF device numbers, got "eth0"');
        assert.equal(DEFAULT_GUEST_TOOLS.hotplugVif, "yes");
    });
});
