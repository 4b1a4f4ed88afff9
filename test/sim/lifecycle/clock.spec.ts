/**
 * Boot plans played out lazily on the simulated clock, with real stand-in installer ISOs judged
 * by the real simulated installer.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readSimLog } from "../../../sim/log";
import { buildInstallerIso } from "../installer/installerIso";
import { TestHost } from "../harness";

describe("sim/lifecycle/clock", function () {
    this.timeout(30_000);
    let isoDir: string;
    before(() => {
        isoDir = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-iso-"));
        buildInstallerIso({ out: path.join(isoDir, "poweroff.iso") });
        buildInstallerIso({ out: path.join(isoDir, "reboot.iso"), args: "atexit=reboot answerfile=file:///answerfile.xml install" });
        const incomplete = "<installation><primary-disk>sda</primary-disk></installation>";
        buildInstallerIso({ out: path.join(isoDir, "failing.iso"), answerfile: incomplete });
        buildInstallerIso({ out: path.join(isoDir, "shell.iso"), args: "atexit=shell answerfile=file:///answerfile.xml install", answerfile: incomplete });
    });
    after(() => fs.rmSync(isoDir, { recursive: true, force: true }));

    /** The seed's _xs_vm_starter.sh setup, up to (not including) the first vm-start. */
    function seedVm(h: TestHost, iso: string, order: string): string {
        h.ok("sr-create", "name-label=CUSTOMXSISO", "type=iso", `device-config:location=${isoDir}`, "device-config:legacy_mode=true", "content-type=iso");
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=vh0 - created (Step 1 of 3)");
        h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${h.uuidOf("network-list", "bridge=xenbr1")}`, "device=0");
        h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=6GiB", "dynamic-min=6GiB", "dynamic-max=6GiB", "static-max=6GiB");
        h.ok("vm-disk-add", "disk-size=80GiB", `uuid=${vm}`, "device=0");
        h.ok("vm-cd-add", `cd-name=${iso}`, `uuid=${vm}`, "device=1");
        h.ok("vm-param-set", `uuid=${vm}`, `HVM-boot-params:order=${order}`);
        return vm;
    }

    it("installs, powers off, runs the first boot that halts, then keeps running", () => {
        const h = new TestHost({ installSeconds: 20, firstBootSeconds: 5 });
        try {
            const vm = seedVm(h, "poweroff.iso", "cd");
            const state = () => h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state");
            h.ok("vm-start", `uuid=${vm}`);
            assert.equal(state(), "running");
            h.advance(19_000);
            assert.equal(state(), "running", "the install takes installSeconds");
            h.advance(2_000);
            assert.equal(state(), "halted", "atexit=poweroff halts the VM");
            const disk = h.ok("vbd-list", `vm-uuid=${vm}`, "userdevice=0", "params=vdi-uuid", "--minimal");
            assert.equal(h.db().vdi[Object.keys(h.db().vdi).find((r) => h.db().vdi[r].uuid === disk)!].installed?.hostname, "vh0.lab");

            h.ok("vm-start", `uuid=${vm}`);
            h.ok("vm-param-set", `uuid=${vm}`, "name-label=vh0 - first boot (Step 3 of 3)");
            h.advance(6_000);
            assert.equal(state(), "halted", "the seed's first-boot step halts the machine");

            h.ok("vm-start", `uuid=${vm}`);
            h.advance(3_600_000);
            assert.equal(state(), "running", "the installed host keeps running");

            const log = readSimLog(h.dir);
            assert.match(log, new RegExp(`Z ${vm} \\(vh0 - created \\(Step 1 of 3\\)\\) boot plan: install for 20000 ms\\n`));
            assert.match(log, /installation finished on VDI [0-9a-f-]{36}; atexit=poweroff\n.* guest powered off: halted\n/);
            assert.match(log, /\(vh0 - first boot \(Step 3 of 3\)\) first-boot step ran and halted the machine\n/);
            const times = [...log.matchAll(/^(\S+) .*(?:boot plan: install|installation finished)/gm)].map((m) => Date.parse(m[1]));
            assert.equal(times[1] - times[0], 20_000, "transitions are logged at the simulated time they happened");
        } finally {
            h.cleanup();
        }
    });

    it("chains transitions that all fell due between two calls (reboot into the installed system, first boot halts)", () => {
        const h = new TestHost({ installSeconds: 20, firstBootSeconds: 5 });
        try {
            const vm = seedVm(h, "reboot.iso", "cd");
            h.ok("vm-start", `uuid=${vm}`);
            const domid = h.ok("vm-param-get", `uuid=${vm}`, "param-name=dom-id");
            h.advance(30_000);
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state"), "halted");
            assert.match(readSimLog(h.dir), /guest reboot: restarted \(domid \d+\)[\s\S]*first-boot step ran and halted the machine/);
            assert.notEqual(domid, "-1");
        } finally {
            h.cleanup();
        }
    });

    it("halts at the installer's reboot when actions-after-reboot=Destroy (the pre-XenServer-7 seed)", () => {
        const h = new TestHost({ installSeconds: 20 });
        try {
            const vm = seedVm(h, "reboot.iso", "dc");
            h.ok("vm-param-set", `uuid=${vm}`, "actions-after-reboot=Destroy");
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=actions-after-reboot"), "Destroy");
            h.ok("vm-start", `uuid=${vm}`);
            h.advance(25_000);
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state"), "halted");
            assert.match(readSimLog(h.dir), /guest rebooted with actions-after-reboot=Destroy: halted/);
        } finally {
            h.cleanup();
        }
    });

    it("with order=dc and the CD still in, the second boot installs again (as the reference predicts)", () => {
        const h = new TestHost({ installSeconds: 20 });
        try {
            const vm = seedVm(h, "poweroff.iso", "dc");
            h.ok("vm-start", `uuid=${vm}`);
            h.advance(21_000);
            h.ok("vm-start", `uuid=${vm}`);
            assert.equal((h.db().vm[Object.keys(h.db().vm).find((r) => h.db().vm[r].uuid === vm)!].activity?.plan.kind), "install");
        } finally {
            h.cleanup();
        }
    });

    it("leaves the disk blank after a failed install and runs atexit (poweroff halts, shell keeps running)", () => {
        const h = new TestHost({ installSeconds: 20 });
        try {
            const vm = seedVm(h, "failing.iso", "dc");
            h.ok("vm-start", `uuid=${vm}`);
            h.advance(21_000);
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state"), "halted");
            assert.match(readSimLog(h.dir), /INSTALL FAILED: Missing mandatory element admin-interface; atexit=poweroff\n/);
            assert.equal(Object.values(h.db().vdi).some((v) => v.installed), false, "nothing was installed");

            const shell = h.ok("vm-install", "template=Other install media", "new-name-label=shell");
            h.ok("vm-disk-add", "disk-size=80GiB", `uuid=${shell}`, "device=0");
            h.ok("vm-cd-add", "cd-name=shell.iso", `uuid=${shell}`, "device=1");
            h.ok("vm-start", `uuid=${shell}`);
            h.advance(60_000);
            assert.equal(h.ok("vm-param-get", `uuid=${shell}`, "param-name=power-state"), "running");
            assert.match(readSimLog(h.dir), /\(shell\) installer exited to a shell; the VM keeps running\n/);
        } finally {
            h.cleanup();
        }
    });

    it("keeps a VM with nothing bootable running and says why in sim.log", () => {
        const h = new TestHost();
        try {
            const vm = h.ok("vm-install", "template=Other install media", "new-name-label=empty");
            h.ok("vm-start", `uuid=${vm}`);
            h.advance(600_000);
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state"), "running");
            assert.match(readSimLog(h.dir), /SeaBIOS: No bootable device\.\n.*boot plan: no-bootable-device\n/);
        } finally {
            h.cleanup();
        }
    });
});
