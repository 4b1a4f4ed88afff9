import * as assert from "node:assert/strict";
import { buildXeCommand, isReadOnlyXeCommand } from "../../../provider/xe/command";

describe("provider/xe/command", () => {
    it("quotes every parameter as one shell word", () => {
        const line = buildXeCommand("vm-param-set", { uuid: "u-1", "name-label": "it's $(x)" });
        assert.equal(line.command.text, `xe vm-param-set 'uuid=u-1' 'name-label=it'\\''s $(x)'`);
        assert.equal(line.display, line.command.text);
    });

    it("renders map parameters as name:key=value, booleans as true/false, numbers as plain integers", () => {
        const line = buildXeCommand("vm-param-set", {
            uuid: "u",
            platform: { "nested-virt": "true", "exp-nested-hvm": "true" },
            "HVM-boot-params": { order: "dc" },
            "memory-static-max": 8 * 1024 ** 3,
            "ha-always-run": false,
            "VCPUs-max": 123456789012345678901234567890n,
            skipped: undefined,
        });
        assert.equal(line.command.text, "xe vm-param-set 'uuid=u' 'platform:nested-virt=true' 'platform:exp-nested-hvm=true' " +
            "'HVM-boot-params:order=dc' 'memory-static-max=8589934592' 'ha-always-run=false' 'VCPUs-max=123456789012345678901234567890'");
    });

    it("appends flags last", () => {
        assert.equal(buildXeCommand("vm-list", { "power-state": "halted" }, { minimal: true, multiple: true }).command.text,
            "xe vm-list 'power-state=halted' --minimal --multiple");
        assert.equal(buildXeCommand("vm-uninstall", { uuid: "u" }, { force: true }).command.text, "xe vm-uninstall 'uuid=u' --force");
    });

    it("masks secret-bearing values in the display form only", () => {
        const line = buildXeCommand("sr-create", { "name-label": "nfs", "device-config": { server: "s", password: "hunter22" } });
        assert.match(line.command.text, /'device-config:password=hunter22'/);
        assert.equal(line.display, "xe sr-create 'name-label=nfs' 'device-config:server=s' 'device-config:password=***'");
        assert.equal(buildXeCommand("secret-create", { value: "s3cret" }).display, "xe secret-create 'value=***'");
        assert.equal(buildXeCommand("vm-param-set", { uuid: "u", "other-config": { k: "v" } }, { secretParams: ["other-config:k"] }).display,
            "xe vm-param-set 'uuid=u' 'other-config:k=***'");
    });

    it("rejects invalid command names, parameter names and map keys, naming them", () => {
        assert.throws(() => buildXeCommand("vm-list; rm -rf /"), /invalid xe command name "vm-list; rm -rf \/"/);
        assert.throws(() => buildXeCommand("vm-list", { "a=b": "x" }), /invalid parameter name "a=b" for xe vm-list/);
        assert.throws(() => buildXeCommand("vm-list", { "--force": "x" }), /invalid parameter name "--force"/);
        assert.throws(() => buildXeCommand("vm-param-set", { "other-config": { "k=v": "x" } }), /invalid key "k=v" in map parameter other-config/);
        assert.throws(() => buildXeCommand("vm-param-set", { "name-label": "two\nlines" }), /name-label.*line feed/);
        assert.throws(() => buildXeCommand("vm-param-set", { "memory-static-max": NaN }), /invalid number/);
    });

    it("classifies read-only commands", () => {
        for (const c of ["vm-list", "host-param-get", "sr-param-list", "template-list", "help", "event-wait"]) assert.ok(isReadOnlyXeCommand(c), c);
        for (const c of ["vm-param-set", "vm-install", "network-create", "sr-scan", "vm-start", "vm-param-add"]) assert.ok(!isReadOnlyXeCommand(c), c);
        assert.equal(buildXeCommand("vm-list").readOnly, true);
        assert.equal(buildXeCommand("vm-start", { uuid: "u" }).readOnly, false);
    });
});
