/** Names on the host, the derived MAC and the console command: pure functions. */
import * as assert from "node:assert/strict";
import { consoleCommand, deriveMac, diskName, isUnicastMac, normaliseMac, progressName, stepOf } from "../../../../provider/resources/nestedHypervisor/naming";

describe("nestedHypervisor/naming", () => {
    it("writes the seed's progress name-labels exactly", () => {
        assert.equal(progressName("vh0", "created"), "vh0 - created (Step 1 of 3)");
        assert.equal(progressName("vh0", "booted"), "vh0 - booted from iso (Step 2 of 3)");
        assert.equal(progressName("vh0", "firstBoot"), "vh0 - first boot (Step 3 of 3)");
        assert.equal(stepOf("vh0 - first boot (Step 3 of 3)", "vh0"), "firstBoot");
        assert.equal(stepOf("vh0", "vh0"), undefined);
        assert.equal(stepOf("vh00 - created (Step 1 of 3)", "vh0"), undefined);
        assert.equal(diskName("vh0"), "vh0 system disk");
    });

    it("derives a stable, locally administered unicast MAC from the name", () => {
        const macs = new Set<string>();
        for (let i = 0; i < 500; i++) {
            const mac = deriveMac(`vh${i}`);
            assert.match(mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
            const first = parseInt(mac.slice(0, 2), 16);
            assert.equal(first & 0x02, 0x02, `${mac} is locally administered`);
            assert.equal(first & 0x01, 0, `${mac} is unicast`);
            assert.ok(isUnicastMac(mac));
            macs.add(mac);
        }
        assert.equal(macs.size, 500, "different names, different MACs");
        assert.equal(deriveMac("vh0"), deriveMac("vh0"));
        assert.equal(deriveMac("vh0"), "fe:d2:ae:6c:83:0a", "the derivation never changes (leases are written from it)");
        assert.equal(normaliseMac("02-AB-cd-00-11-22"), "02:ab:cd:00:11:22");
        assert.equal(isUnicastMac("01:00:5e:00:00:01"), false);
    });

    it("tells how to reach the console: vncviewer -via and ssh -L, a socket for qemu-upstream, nothing while halted", () => {
        const running = { powerState: "running", vncPort: 5903, domid: 7, uuid: "u" };
        assert.equal(consoleCommand({ host: "xs1" }, running),
            "vncviewer -via root@xs1 localhost:3  # or: ssh -N -L 5901:localhost:5903 root@xs1, then vncviewer localhost:1");
        assert.equal(consoleCommand({ host: "xs1", port: 2222, user: "admin" }, running),
            "ssh -N -L 5901:localhost:5903 -p 2222 admin@xs1, then vncviewer localhost:1");
        assert.equal(consoleCommand({ host: "xs1" }, { ...running, vncPort: null }), "ssh -N -L 5901:/var/run/xen/vnc-7 root@xs1, then vncviewer localhost:1");
        assert.equal(consoleCommand({ host: "xs1" }, { ...running, powerState: "halted", vncPort: null }), "the VM is halted; start it (xe vm-start uuid=u) to get a console");
    });
});
