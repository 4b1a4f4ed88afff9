import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TestHost } from "../../harness";

describe("sim/xe/commands/vmDevices and vbd", () => {
    let h: TestHost;
    let isoDir: string;
    let vm: string;
    before(() => {
        h = new TestHost();
        isoDir = fs.mkdtempSync(path.join(os.tmpdir(), "iso-dev-"));
        fs.writeFileSync(path.join(isoDir, "one.iso"), "1");
        fs.writeFileSync(path.join(isoDir, "two.iso"), "2");
        h.ok("sr-create", "name-label=isos", "type=iso", `device-config:location=${isoDir}`, "device-config:legacy_mode=true", "content-type=iso");
        vm = h.ok("vm-install", "template=Other install media", "new-name-label=dev");
    });
    after(() => { h.cleanup(); fs.rmSync(isoDir, { recursive: true, force: true }); });

    it("vm-cd-add attaches an ISO VDI by name as a read-only CD, silently", () => {
        assert.deepEqual(h.xe(["vm-cd-add", `uuid=${vm}`, "cd-name=one.iso", "device=3"]), { stdout: "", stderr: "", code: 0 });
        const vbd = h.uuidOf("vbd-list", `vm-uuid=${vm}`, "type=CD");
        assert.equal(h.ok("vbd-list", `uuid=${vbd}`, "params=type,mode,userdevice,bootable,empty,currently-attached,unpluggable"),
            "empty ( RO)                 : false\n"
            + "            userdevice ( RW): 3\n"
            + "              bootable ( RW): false\n"
            + "                  mode ( RW): RO\n"
            + "                  type ( RW): CD\n"
            + "           unpluggable ( RW): true\n"
            + "    currently-attached ( RO): false\n\n");
        assert.deepEqual(h.xe(["vm-cd-add", `uuid=${vm}`, "cd-name=nope.iso", "device=1"]), { stdout: "", stderr: "Error: CD nope.iso not found!\n", code: 1 });
    });

    it("vm-cd-list prints 'CD n VBD:' / 'CD n VDI:' tables and --minimal joins them in reverse order", () => {
        const vbd = h.uuidOf("vbd-list", `vm-uuid=${vm}`, "type=CD");
        const vdi = h.uuidOf("vdi-list", "name-label=one.iso");
        assert.equal(h.ok("vm-cd-list", `uuid=${vm}`),
            `CD 0 VBD:\nuuid ( RO)             : ${vbd}\n    vm-name-label ( RO): dev\n            empty ( RO): false\n       userdevice ( RW): 3\n\n\n`
            + `CD 0 VDI:\nuuid ( RO)             : ${vdi}\n       name-label ( RW): one.iso\n    sr-name-label ( RO): isos\n     virtual-size ( RO): 1\n\n`);
        assert.equal(h.ok("vm-cd-list", `uuid=${vm}`, "--minimal"), `${vdi},${vbd}`);
        assert.equal(h.ok("vm-cd-list", `uuid=${vm}`, "vbd-params=device", "vdi-params=location"),
            "CD 0 VBD:\ndevice ( RO)    : \n\n\nCD 0 VDI:\nlocation ( RO)    : one.iso\n\n");
    });

    it("vm-cd-add to a running HVM guest creates the VBD but cannot hot-plug it (no PV drivers)", () => {
        const running = h.ok("vm-install", "template=Other install media", "new-name-label=hot");
        h.ok("vm-start", `uuid=${running}`);
        h.ok("vm-cd-add", `uuid=${running}`, "cd-name=two.iso", "device=1");
        const vbd = h.uuidOf("vbd-list", `vm-uuid=${running}`);
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=currently-attached"), "false");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${vbd}`]), {
            stdout: "", code: 1, stderr: `You attempted an operation on a VM which requires PV drivers to be installed but the drivers were not detected.\nvm: ${running} (hot)\n`,
        });
        h.ok("vm-reboot", `uuid=${running}`, "--force");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=currently-attached"), "true", "attached when the domain restarts");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=device"), "xvdb");
        h.ok("vm-cd-eject", `uuid=${running}`);
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=empty"), "true");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=vdi-uuid"), "<not in database>");
        assert.deepEqual(h.xe(["vm-cd-eject", `uuid=${running}`]), {
            stdout: "", code: 1, stderr: `Operation could not be performed because the drive is empty\nvbd: ${vbd}\n`,
        });
        h.ok("vm-cd-insert", `uuid=${running}`, "cd-name=one.iso");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=vdi-name-label"), "one.iso");
        assert.deepEqual(h.xe(["vm-cd-insert", `uuid=${running}`, "cd-name=two.iso"]), {
            stdout: "", code: 1, stderr: `The VM has no empty CD drive (VBD).\nvm: ${running} (hot)\n`,
        });
        h.ok("vm-shutdown", `uuid=${running}`, "--force");
        assert.deepEqual(h.xe(["vbd-plug", `uuid=${vbd}`]), {
            stdout: "", code: 1,
            stderr: `You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.\nvm: ${running} (hot)\nexpected: running\nactual: halted\n`,
        });
        h.ok("vm-cd-remove", `uuid=${running}`, "cd-name=one.iso");
        assert.deepEqual(h.xe(["vm-cd-eject", `uuid=${running}`]), { stdout: "", stderr: "Error: No CDs found\n", code: 1 });
        assert.deepEqual(h.xe(["vm-cd-remove", `uuid=${running}`, "cd-name=one.iso"]), { stdout: "", stderr: "Error: Disk not found\n", code: 1 });
    });

    it("vm-disk-add creates 'Created by xe' on the default SR with an owner RW VBD, and vm-disk-list shows it", () => {
        assert.deepEqual(h.xe(["vm-disk-add", `uuid=${vm}`, "disk-size=80GiB", "device=0"]), { stdout: "", stderr: "", code: 0 });
        const vbd = h.uuidOf("vbd-list", `vm-uuid=${vm}`, "type=Disk");
        const vdi = h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=vdi-uuid");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=other-config"), "owner: ");
        assert.equal(h.ok("vbd-param-get", `uuid=${vbd}`, "param-name=mode"), "RW");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=name-description"), "Created by xe");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=sm-config"), `vmhint: ${vm}`);
        assert.equal(h.ok("vm-disk-list", `uuid=${vm}`),
            `Disk 0 VBD:\nuuid ( RO)             : ${vbd}\n    vm-name-label ( RO): dev\n       userdevice ( RW): 0\n\n\n`
            + `Disk 0 VDI:\nuuid ( RO)             : ${vdi}\n       name-label ( RW): Created by xe\n    sr-name-label ( RO): Local storage\n     virtual-size ( RO): 85899345920\n\n`);
        assert.equal(h.xe(["vm-disk-list", `uuid=${vm}`, "params=uuid"]).stderr, "Error: Unknown field 'params'\n", "vm-disk-list does not ignore params=");
        assert.deepEqual(h.xe(["vm-disk-add", `uuid=${vm}`, "disk-size=1GiB", "device=0"]), { stdout: "", stderr: "A device with the name given already exists on the selected VM\ndevice: 0\n", code: 1 });
        assert.equal(h.ok("vdi-list", "name-label=Created by xe", "--minimal"), vdi, "the new VDI is destroyed when the VBD cannot be made");
    });

    it("vm-vif-list lists VIFs in vif record order", () => {
        const net = h.uuidOf("network-list", "bridge=xenbr0");
        const vif = h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${net}`, "device=0", "mac=aa:bb:cc:dd:ee:ff");
        assert.equal(h.ok("vm-vif-list", `uuid=${vm}`),
            `uuid ( RO)                  : ${vif}\n         vm-name-label ( RO): dev\n                device ( RO): 0\n                   MAC ( RO): aa:bb:cc:dd:ee:ff\n`
            + `          network-uuid ( RO): ${net}\n    network-name-label ( RO): Pool-wide network associated with eth0\n\n`);
        assert.equal(h.ok("vm-vif-list", `uuid=${vm}`, "params=MAC", "--minimal"), "aa:bb:cc:dd:ee:ff");
    });

    it("vbd-create checks type, mode, emptiness and devices, and resolves autodetect", () => {
        assert.deepEqual(h.xe(["vbd-create", `vm-uuid=${vm}`, "device=5"]), { stdout: "", stderr: "Error: Empty VBDs can only be made for type=CD\n", code: 1 });
        assert.deepEqual(h.xe(["vbd-create", `vm-uuid=${vm}`, "device=2", "type=CD", "mode=rw"]), { stdout: "", stderr: "Read/write CDs are not supported\n", code: 1 });
        assert.deepEqual(h.xe(["vbd-create", `vm-uuid=${vm}`, "device=2", "type=tape"]), { stdout: "", stderr: "Error: \"Unknown type: tape (should be \"cd\", \"disk\" or \"floppy\"\n", code: 1 });
        const empty = h.ok("vbd-create", `vm-uuid=${vm}`, "device=autodetect", "type=CD", "mode=RO");
        assert.equal(h.ok("vbd-param-get", `uuid=${empty}`, "param-name=userdevice"), "1");
        assert.equal(h.ok("vbd-param-get", `uuid=${empty}`, "param-name=empty"), "true");
        assert.deepEqual(h.xe(["vbd-create", `vm-uuid=${vm}`, "device=xvdb", "type=CD", "mode=ro"]), { stdout: "", stderr: "A device with the name given already exists on the selected VM\ndevice: xvdb\n", code: 1 });
        assert.deepEqual(h.xe(["vbd-destroy", `uuid=${empty}`]), { stdout: "", stderr: "", code: 0 });
    });
});
