import * as assert from "node:assert/strict";
import { TestHost } from "../../harness";

describe("sim/xe/commands/vmInstall", () => {
    let h: TestHost;
    before(() => { h = new TestHost(); });
    after(() => h.cleanup());

    it("vm-install finds the template by name, prints only the new uuid and leaves a halted VM 'Installed via xe CLI'", () => {
        const r = h.xe(["vm-install", "template=Other install media", "new-name-label=vh0 - created (Step 1 of 3)"]);
        assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
        assert.equal(r.stderr, "");
        const vm = r.stdout.trim();
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=name-description"), "Installed via xe CLI");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state"), "halted");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=is-a-template"), "false");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=dom-id"), "-1");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=resident-on"), "<not in database>");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=HVM-boot-policy"), "BIOS order");
        const oc = h.ok("vm-param-get", `uuid=${vm}`, "param-name=other-config");
        assert.match(oc, /^base_template_name: Other install media; mac_seed: [0-9a-f-]{36}; install-methods: cdrom$/);
        const tplSeed = h.ok("template-param-get", "uuid=552bce37-51b2-445d-84f2-5f33fa112d7e", "param-name=other-config", "param-key=mac_seed");
        assert.notEqual(h.ok("vm-param-get", `uuid=${vm}`, "param-name=other-config", "param-key=mac_seed"), tplSeed, "clone makes a new mac_seed");
        assert.equal(h.ok("vbd-list", `vm-uuid=${vm}`, "--minimal"), "", "Other install media has no disks");
    });

    it("also accepts the template's uuid and template-name-label=", () => {
        const byUuid = h.ok("vm-install", "template=552bce37-51b2-445d-84f2-5f33fa112d7e", "new-name-label=a");
        const byName = h.ok("vm-install", "template-name-label=Other install media", "new-name-label=b");
        assert.notEqual(byUuid, byName);
    });

    it("provisions the disks a template asks for on the default SR", () => {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", "new-name-label=deb");
        const vbd = h.uuidOf("vbd-list", `vm-uuid=${vm}`);
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=other-config"), "owner: ");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=userdevice"), "0");
        const vdi = h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=vdi-uuid");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=name-label"), "0");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=name-description"), "Created by template provisioner");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=virtual-size"), String(10 * 1024 ** 3));
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=type"), "System");
        assert.equal(h.xe(["vm-param-get", `uuid=${vm}`, "param-name=other-config", "param-key=disks"]).stderr, "Error: Key disks not found in map\n", "provision removes the disks key");
    });

    const errors: Array<[string[], string]> = [
        [["vm-install", "new-name-label=x"], "Error: Template must be specified by parameter 'template-uuid', 'template-name', 'template-name-label' or 'template'\n"],
        [["vm-install", "template=No such template", "new-name-label=x"], "Error: No templates matched\n"],
        [["vm-install", "template-uuid=nope", "new-name-label=x"], "Error: Cannot find template\n"],
        [["vm-install", "template=Other install media", "new-name-label=x", "sr-name-label=nope"], "Error: No SR with that name-label found\n"],
        [["vm-install", "template"], "Required parameter not found: new-name-label\nFor usage run: 'xe help'\n"],
    ];
    for (const [argv, stderr] of errors) {
        it(`fails ${argv.slice(1).join(" ")}`, () => {
            assert.deepEqual(h.xe(argv), { stdout: "", stderr, code: 1 });
        });
    }

    it("refuses a VM that is not a template", () => {
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=not-a-template");
        assert.deepEqual(h.xe(["vm-install", `template=${vm}`, "new-name-label=x"]), { stdout: "", stderr: "Error: Can only install from templates\n", code: 1 });
    });

    it("vm-clone copies a VM and its disk under a new name", () => {
        const src = h.ok("vm-install", "template=Debian Bookworm 12", "new-name-label=src");
        const clone = h.ok("vm-clone", `uuid=${src}`, "new-name-label=copy", "new-name-description=the copy");
        assert.equal(h.ok("vm-param-get", `uuid=${clone}`, "param-name=name-description"), "the copy");
        const cloneVdi = h.ok("vbd-list", `vm-uuid=${clone}`, "params=vdi-uuid", "--minimal");
        assert.notEqual(cloneVdi, h.ok("vbd-list", `vm-uuid=${src}`, "params=vdi-uuid", "--minimal"));
    });

    it("vm-destroy keeps disks, refuses dom0 and running VMs", () => {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", "new-name-label=gone");
        const vdi = h.ok("vbd-list", `vm-uuid=${vm}`, "params=vdi-uuid", "--minimal");
        const dom0 = h.uuidOf("vm-list", "is-control-domain=true");
        assert.deepEqual(h.xe(["vm-destroy", `uuid=${dom0}`]), {
            stdout: "", code: 1, stderr: "You attempted an operation that was not allowed.\nreason: You cannot destroy a control domain via the CLI\n",
        });
        h.ok("vm-start", `uuid=${vm}`);
        assert.match(h.xe(["vm-destroy", `uuid=${vm}`]).stderr, /\nexpected: halted, suspended\nactual: running\n$/);
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        assert.deepEqual(h.xe(["vm-destroy", `uuid=${vm}`]), { stdout: "", stderr: "", code: 0 });
        assert.equal(h.ok("vdi-list", `uuid=${vdi}`, "--minimal"), vdi);
        assert.equal(h.ok("vbd-list", `vdi-uuid=${vdi}`, "--minimal"), "");
    });

    it("vm-uninstall --force prints the transcript (VDI lines with a trailing space) and destroys owned disks, shutting the VM down first", () => {
        const vm = h.ok("vm-install", "template=Debian Bookworm 12", "new-name-label=un");
        const vdi = h.ok("vbd-list", `vm-uuid=${vm}`, "params=vdi-uuid", "--minimal");
        h.ok("vm-start", `uuid=${vm}`);
        assert.deepEqual(h.xe(["vm-uninstall", `uuid=${vm}`, "force=true"]), {
            stdout: `The following items are about to be destroyed\nVM : ${vm} (un)\nVDI: ${vdi} (0) \nAll objects destroyed\n`, stderr: "", code: 0,
        });
        assert.equal(h.ok("vdi-list", `uuid=${vdi}`, "--minimal"), "");
    });

    it("vm-uninstall asks first, aborts on anything but yes (exit 0) and loses the connection at end of input", () => {
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=ask");
        assert.deepEqual(h.xe(["vm-uninstall", `vm=${vm}`], ["no thanks"]), {
            stdout: `The following items are about to be destroyed\nVM : ${vm} (ask)\nType 'yes' to continue\nAborted (you typed: 'no thanks')\n`, stderr: "", code: 0,
        });
        assert.deepEqual(h.xe(["vm-uninstall", `vm=${vm}`]), {
            stdout: `The following items are about to be destroyed\nVM : ${vm} (ask)\nType 'yes' to continue\n`, stderr: "Lost connection to the server.\n", code: 1,
        });
        assert.deepEqual(h.xe(["vm-uninstall", `vm=${vm}`], [" YES "]), {
            stdout: `The following items are about to be destroyed\nVM : ${vm} (ask)\nType 'yes' to continue\nAll objects destroyed\n`, stderr: "", code: 0,
        });
    });

    it("vm-uninstall through the real executable reads the answer from stdin", async () => {
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=proc");
        const r = await h.xeProcess(["vm-uninstall", `uuid=${vm}`], { stdin: "yes\n" });
        assert.deepEqual(r, { stdout: `The following items are about to be destroyed\nVM : ${vm} (proc)\nType 'yes' to continue\nAll objects destroyed\n`, stderr: "", code: 0 });
    });
});
