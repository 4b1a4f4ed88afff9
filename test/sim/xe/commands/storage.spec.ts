import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TestHost } from "../../harness";

describe("sim/xe/commands/storage", () => {
    let h: TestHost;
    let isoDir: string;
    before(() => {
        h = new TestHost();
        isoDir = fs.mkdtempSync(path.join(os.tmpdir(), "iso-sr-"));
        fs.writeFileSync(path.join(isoDir, "customxs.iso"), Buffer.alloc(4096, 1));
        fs.writeFileSync(path.join(isoDir, "Tools.IMG"), Buffer.alloc(100, 2));
        fs.writeFileSync(path.join(isoDir, "readme.txt"), "not an image");
        fs.mkdirSync(path.join(isoDir, "dir.iso"));
    });
    after(() => { h.cleanup(); fs.rmSync(isoDir, { recursive: true, force: true }); });

    const isoSr = (name: string, dir: string, ...extra: string[]) =>
        h.xe(["sr-create", `name-label=${name}`, "type=iso", `device-config:location=${dir}`, "device-config:legacy_mode=true", "content-type=iso", ...extra]);

    it("creates a legacy-mode ISO SR whose *.iso/*.img files become VDIs named after the file", () => {
        const r = isoSr("ISOS", isoDir);
        assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
        const sr = r.stdout.trim();
        assert.equal(h.ok("vdi-list", `sr-uuid=${sr}`, "params=name-label", "--minimal"), "Tools.IMG,customxs.iso");
        const vdi = h.uuidOf("vdi-list", "name-label=customxs.iso");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=location"), "customxs.iso");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=virtual-size"), "4096");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=read-only"), "true");
        assert.equal(h.ok("sr-param-get", `uuid=${sr}`, "param-name=physical-utilisation"), "4196");
        assert.equal(h.ok("sr-list", `uuid=${sr}`, "params=host,type,content-type"),
            "host ( RO)            : xenserver-sim\n            type ( RO): iso\n    content-type ( RO): iso\n\n");
        const pbd = h.uuidOf("pbd-list", `sr-uuid=${sr}`);
        assert.equal(h.ok("pbd-param-get", `uuid=${pbd}`, "param-name=device-config"), `location: ${isoDir}; legacy_mode: true`);
        assert.equal(h.ok("pbd-param-get", `uuid=${pbd}`, "param-name=currently-attached"), "true");
    });

    it("prints the new SR's uuid and then an empty line with --minimal (sr_create prints directly)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iso-sr-min-"));
        const r = isoSr("MIN", dir, "--minimal");
        assert.match(r.stdout, /^[0-9a-f-]{36}\n\n$/);
        fs.rmSync(dir, { recursive: true });
    });

    it("sr-scan picks up new files, keeps the uuid of known ones, drops vanished ones, and uses <uuid>.iso names as uuids", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iso-sr-scan-"));
        fs.writeFileSync(path.join(dir, "a.iso"), "a");
        const sr = isoSr("SCAN", dir).stdout.trim();
        const a = h.uuidOf("vdi-list", `sr-uuid=${sr}`, "name-label=a.iso");
        fs.writeFileSync(path.join(dir, "b.iso"), "bb");
        fs.writeFileSync(path.join(dir, "0c4f2ee8-6d2b-4d8a-9f3c-2c2b5f0f6a11.iso"), "c");
        assert.deepEqual(h.xe(["sr-scan", `uuid=${sr}`]), { stdout: "", stderr: "", code: 0 });
        assert.equal(h.uuidOf("vdi-list", `sr-uuid=${sr}`, "name-label=a.iso"), a);
        assert.equal(h.ok("vdi-list", `sr-uuid=${sr}`, "name-label=b.iso", "params=virtual-size", "--minimal"), "2");
        assert.equal(h.uuidOf("vdi-list", "name-label=0c4f2ee8-6d2b-4d8a-9f3c-2c2b5f0f6a11.iso"), "0c4f2ee8-6d2b-4d8a-9f3c-2c2b5f0f6a11");
        fs.rmSync(path.join(dir, "a.iso"));
        h.ok("sr-scan", `uuid=${sr}`);
        assert.equal(h.uuidOf("vdi-list", `sr-uuid=${sr}`, "name-label=a.iso"), "");
        fs.rmSync(dir, { recursive: true });
    });

    it("fails like sm's ISOSR: 226 for a missing legacy path, 94 without location, 222 when it would have to mount", () => {
        assert.deepEqual(isoSr("BAD", "/nonexistent/dir"), { stdout: "", stderr: "Error code: SR_BACKEND_FAILURE_226\nError parameters: , Invalid local path, \n", code: 1 });
        assert.deepEqual(h.xe(["sr-create", "name-label=X", "type=iso", "content-type=iso"]), {
            stdout: "", stderr: "Error code: SR_BACKEND_FAILURE_94\nError parameters: , The request is missing the location parameter, \n", code: 1,
        });
        const r = h.xe(["sr-create", "name-label=X", "type=iso", `device-config:location=${isoDir}`]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^Error code: SR_BACKEND_FAILURE_222\nError parameters: , Could not mount the directory specified in Device Configuration \[opterr=/);
        assert.equal(h.ok("sr-list", "name-label=BAD", "--minimal"), "", "a failed sr-create leaves nothing behind");
    });

    it("refuses to forget or destroy an SR with a plugged PBD, and forgets it after pbd-unplug", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iso-sr-forget-"));
        const sr = isoSr("FORGET", dir).stdout.trim();
        const pbd = h.uuidOf("pbd-list", `sr-uuid=${sr}`);
        const doc = "The SR is still connected to a host via a PBD. It cannot be destroyed or forgotten.";
        assert.deepEqual(h.xe(["sr-forget", `uuid=${sr}`]), { stdout: "", stderr: `${doc}\nsr: ${sr} (FORGET)\n`, code: 1 });
        assert.deepEqual(h.xe(["sr-destroy", `uuid=${sr}`]), { stdout: "", stderr: `${doc}\nsr: ${sr} (FORGET)\n`, code: 1 });
        h.ok("pbd-unplug", `uuid=${pbd}`);
        h.ok("pbd-unplug", `uuid=${pbd}`);
        assert.equal(h.ok("pbd-param-get", `uuid=${pbd}`, "param-name=currently-attached"), "false");
        assert.deepEqual(h.xe(["sr-forget", `uuid=${sr}`]), { stdout: "", stderr: "", code: 0 });
        assert.equal(h.ok("pbd-list", `sr-uuid=${sr}`, "--minimal"), "");
        assert.ok(fs.existsSync(dir), "forget keeps the data");
        fs.rmSync(dir, { recursive: true });
    });

    it("pbd-unplug raises VDI_IN_USE while a running VM has the ISO attached (Xapi_pbd.unplug)", () => {
        const sr = h.uuidOf("sr-list", "name-label=ISOS");
        const pbd = h.uuidOf("pbd-list", `sr-uuid=${sr}`);
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=cdvm");
        h.ok("vm-cd-add", `uuid=${vm}`, "cd-name=customxs.iso", "device=1");
        h.ok("pbd-unplug", `uuid=${pbd}`);
        h.ok("pbd-plug", `uuid=${pbd}`);
        h.ok("vm-start", `uuid=${vm}`);
        const vdi = h.uuidOf("vdi-list", "name-label=customxs.iso");
        assert.deepEqual(h.xe(["pbd-unplug", `uuid=${pbd}`]), {
            stdout: "", code: 1,
            stderr: `This operation cannot be performed because this VDI is in use by some other operation\nvdi: ${vdi} (customxs.iso)\noperation: <unknown>\n`,
        });
        h.ok("vm-cd-eject", `uuid=${vm}`);
        assert.deepEqual(h.xe(["pbd-unplug", `uuid=${pbd}`]), { stdout: "", stderr: "", code: 0 });
        h.ok("pbd-plug", `uuid=${pbd}`);
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
    });

    it("vdi-create takes size suffixes, prints the uuid, and vdi-destroy refuses an attached disk", () => {
        const local = h.uuidOf("sr-list", "name-label=Local storage");
        const vdi = h.ok("vdi-create", `sr-uuid=${local}`, "name-label=data", "virtual-size=8589934592");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=virtual-size"), "8589934592");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=type"), "User");
        assert.equal(h.ok("vdi-param-get", `uuid=${vdi}`, "param-name=name-description"), "");
        assert.deepEqual(h.xe(["vdi-create", `sr-uuid=${local}`, "name-label=x", "virtual-size=1GiB", "type=odd"]), { stdout: "", stderr: "Error: Unknown vdi type: odd\n", code: 1 });
        const vm = h.ok("vm-install", "template=Other install media", "new-name-label=diskvm");
        h.ok("vbd-create", `vm-uuid=${vm}`, `vdi-uuid=${vdi}`, "device=0");
        h.ok("vm-start", `uuid=${vm}`);
        assert.deepEqual(h.xe(["vdi-destroy", `uuid=${vdi}`]), {
            stdout: "", code: 1, stderr: `This operation cannot be performed because this VDI is in use by some other operation\nvdi: ${vdi} (data)\noperation: destroy\n`,
        });
        h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        h.ok("vm-destroy", `uuid=${vm}`);
        assert.deepEqual(h.xe(["vdi-destroy", `uuid=${vdi}`]), { stdout: "", stderr: "", code: 0 });
    });
});
