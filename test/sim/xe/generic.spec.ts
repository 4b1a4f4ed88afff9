/**
 * The generated <class>-list / -param-* commands (cli_operations.ml make_param_funs).
 */
import * as assert from "node:assert/strict";
import { TestHost } from "../harness";

describe("sim/xe/generic", () => {
    let h: TestHost;
    let vm: string;
    let net0: string;
    before(() => {
        h = new TestHost();
        vm = h.ok("vm-install", "template=Other install media", "new-name-label=web,1");
        net0 = h.uuidOf("network-list", "bridge=xenbr0");
    });
    after(() => h.cleanup());

    it("prints params= fields in record order, not the order asked for", () => {
        const out = h.ok("network-list", "bridge=xenbr0", "params=bridge,uuid,no-such-field");
        assert.equal(out, `uuid ( RO)      : ${net0}\n    bridge ( RO): xenbr0\n\n`);
    });

    it("prints the first printed field with --minimal, so params=name-label,uuid gives uuids", () => {
        assert.equal(h.ok("network-list", "bridge=xenbr0", "params=name-label,uuid", "--minimal"), net0);
    });

    it("escapes commas of --minimal values", () => {
        assert.equal(h.ok("vm-list", `uuid=${vm}`, "params=name-label", "--minimal"), "web\\,1");
    });

    it("prints an empty line when nothing matches", () => {
        assert.deepEqual(h.xe(["vm-list", "name-label=nobody", "--minimal"]), { stdout: "\n", stderr: "", code: 0 });
        assert.deepEqual(h.xe(["vm-list", "name-label=nobody"]), { stdout: "", stderr: "", code: 0 });
    });

    it("does not validate filters when there are no records to filter", () => {
        assert.deepEqual(h.xe(["secret-list", "foo=bar"]), { stdout: "", stderr: "", code: 0 });
    });

    it("lists templates with --all, ignoring filters and the class's default filter", () => {
        const plain = h.ok("vm-list", "--minimal").split(",");
        const all = h.ok("vm-list", "--all", "name-label=zzz", "--minimal").split(",");
        assert.equal(plain.length, 2);
        assert.ok(all.length > 40, `${all.length} records with --all`);
    });

    it("prints <expensive field> in *-list params=all, hides hidden fields, and computes them in *-param-list", () => {
        const list = h.ok("vm-list", `uuid=${vm}`, "params=all");
        assert.match(list, /\n +memory-target \( RO\): <expensive field>\n/);
        assert.doesNotMatch(list, /\n +(nested-virt|nomigrate|transportable-snapshot-id|NVRAM) \(/);
        assert.match(list, /\n +ha-always-run \( RW\) \[DEPRECATED\]: false\n/);
        const plist = h.ok("vm-param-list", `uuid=${vm}`);
        assert.match(plist, /\n +memory-target \( RO\): 0\n/);
        assert.match(plist, /\n +allowed-VIF-devices \(SRO\): 0; 1; 2; 3; 4; 5; 6\n/);
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=nested-virt"), "false");
    });

    it("gets a whole map, one key of it, and fails for a missing key", () => {
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=HVM-boot-params"), "firmware: bios; order: cd");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=HVM-boot-params", "param-key=order"), "cd");
        assert.deepEqual(h.xe(["vm-param-get", `uuid=${vm}`, "param-name=HVM-boot-params", "param-key=nope"]), { stdout: "", stderr: "Error: Key nope not found in map\n", code: 1 });
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=power-state", "param-key=ignored"), "halted");
    });

    it("reports an unknown param-name as a raw 'Missing parameter' error", () => {
        assert.deepEqual(h.xe(["vm-param-get", `uuid=${vm}`, "param-name=foo"]), { stdout: "", stderr: "Error code: Missing parameter\nError parameters: foo\n", code: 1 });
    });

    it("sets map keys with name:key=value and the legacy name-key=value, several fields in argv order", () => {
        assert.equal(h.ok("vm-param-set", `uuid=${vm}`, "other-config:foo=bar", "other-config-baz=a=b", "name-description=d", "HVM-boot-params:order=dc"), "");
        const oc = h.ok("vm-param-get", `uuid=${vm}`, "param-name=other-config");
        assert.match(oc, /; foo: bar; baz: a=b$/);
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=HVM-boot-params"), "firmware: bios; order: dc");
        h.ok("vm-param-set", `uuid=${vm}`, "other-config:foo=again");
        assert.match(h.ok("vm-param-get", `uuid=${vm}`, "param-name=other-config"), /; baz: a=b; foo: again$/);
    });

    const setErrors: Array<[string, string]> = [
        ["power-state=halted", "Error: Field 'power-state' is read-only.\n"],
        ["tags:x=y", "Error: Cannot param-set on set fields\n"],
        ["platform=x", "Error: Field 'platform' is a map or set. use the 'name:key=value' syntax.\n"],
        ["nope=1", "Error: Unknown field 'nope'\n"],
        ["nope:k=1", "Error: Unknown field 'nope:k'\n"],
        ["software-version:x=1", "Error: Unknown field 'software-version:x'\n"],
        ["user-version=abc", "Error: Failed to parse parameter 'user-version': expecting an integer\n"],
    ];
    for (const [arg, stderr] of setErrors) {
        it(`refuses vm-param-set ${arg}`, () => {
            assert.deepEqual(h.xe(["vm-param-set", `uuid=${vm}`, arg]), { stdout: "", stderr, code: 1 });
        });
    }

    it("refuses to set a read-only map key", () => {
        const host = h.uuidOf("host-list");
        assert.deepEqual(h.xe(["host-param-set", `uuid=${host}`, "software-version:x=1"]), { stdout: "", stderr: "Error: Map field 'software-version' is read-only.\n", code: 1 });
    });

    it("adds to and removes from sets and maps, and clears them", () => {
        h.ok("vm-param-add", `uuid=${vm}`, "param-name=tags", "param-key=lab");
        h.ok("vm-param-add", `uuid=${vm}`, "param-name=tags", "param-key=web");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=tags"), "lab, web");
        assert.equal(h.ok("vm-list", "tags:contains=web", "--minimal"), vm);
        h.ok("vm-param-remove", `uuid=${vm}`, "param-name=tags", "param-key=lab");
        assert.deepEqual(h.xe(["vm-param-remove", `uuid=${vm}`, "param-name=tags", "param-key=lab"]), { stdout: "", stderr: "Error: Key lab is not in the set\n", code: 1 });
        h.ok("vm-param-add", `uuid=${vm}`, "param-name=xenstore-data", "vm-data/a=1", "vm-data/b=2");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=xenstore-data"), "vm-data/a: 1; vm-data/b: 2");
        assert.deepEqual(h.xe(["vm-param-remove", `uuid=${vm}`, "param-name=xenstore-data", "param-key=zz"]), { stdout: "", stderr: "Error: Key zz is not in map\n", code: 1 });
        h.ok("vm-param-clear", `uuid=${vm}`, "param-name=xenstore-data");
        assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=xenstore-data"), "");
        assert.deepEqual(h.xe(["vm-param-add", `uuid=${vm}`, "param-name=tags"]), {
            stdout: "", stderr: "Error: When adding a key to a set, use the syntax: *-param-add param-name=<name> param-key=<key>\n", code: 1,
        });
        assert.deepEqual(h.xe(["vm-param-add", `uuid=${vm}`, "param-name=name-label", "x=y"]), { stdout: "", stderr: "Error: Can only add to parameters of type Set or Map\n", code: 1 });
        assert.deepEqual(h.xe(["vm-param-add", `uuid=${vm}`, "param-name=VBDs", "param-key=x"]), { stdout: "", stderr: "Error: Parameter is read-only\n", code: 1 });
        assert.deepEqual(h.xe(["vm-param-clear", `uuid=${vm}`, "param-name=power-state"]), { stdout: "", stderr: "Error: Can only clear RW parameters\n", code: 1 });
    });

    it("refuses param-add of an existing map key with MAP_DUPLICATE_KEY", () => {
        h.ok("vm-param-add", `uuid=${vm}`, "param-name=other-config", "dup=1");
        const r = h.xe(["vm-param-add", `uuid=${vm}`, "param-name=other-config", "dup=2"]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, `You tried to add a key-value pair to a map, but that key is already there.\ntype: VM\nparam_name: other_config\nuuid: ${vm} (web,1)\nkey: dup\n`);
    });

    it("filters on map keys and matches MACs case-insensitively", () => {
        const vif = h.ok("vif-create", `vm-uuid=${vm}`, `network-uuid=${net0}`, "device=0", "mac=AA:bb:cc:dd:ee:0f");
        assert.equal(h.ok("vif-list", "MAC=aa:BB:CC:DD:EE:0F", "--minimal"), vif);
        assert.equal(h.ok("vif-list", "MAC=aa:BB:CC:DD:EE:0F", "params=MAC", "--minimal"), "AA:bb:cc:dd:ee:0f");
        assert.equal(h.ok("vm-list", "HVM-boot-params:order=dc", "--minimal"), vm);
        assert.equal(h.ok("vm-list", "HVM-boot-params:order=cd", "--minimal"), "");
        assert.deepEqual(h.xe(["vm-list", "tags:has=x"]), { stdout: "", stderr: "Error: Invalid syntax for set filtering (should be set-param:contains=key)\n", code: 1 });
        h.ok("vif-destroy", `uuid=${vif}`);
    });

    it("prints the default columns of each class in record order", () => {
        const pif = h.ok("pif-list", "device=eth0");
        assert.deepEqual(pif.split("\n").filter(Boolean).map((l) => l.split(":")[0].trim()), [
            "uuid ( RO)", "device ( RO)", "MAC ( RO)", "currently-attached ( RO)", "VLAN ( RO)", "network-uuid ( RO)", "host-uuid ( RO)",
        ]);
        const vdi = h.ok("sr-list", "name-label=Local storage");
        assert.deepEqual(vdi.split("\n").filter(Boolean).map((l) => l.split(":")[0].trim()), [
            "uuid ( RO)", "name-label ( RW)", "name-description ( RW)", "host ( RO)", "type ( RO)", "content-type ( RO)",
        ]);
        assert.match(h.ok("vm-list", "is-control-domain=true"), /name-label \( RW\): Control domain on host: xenserver-sim\n/);
    });
});
