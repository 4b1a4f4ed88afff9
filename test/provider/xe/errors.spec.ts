import * as assert from "node:assert/strict";
import { parseXeFailure, XeError } from "../../../provider/xe/errors";
import { xeFixture } from "./fixtures";

describe("provider/xe/errors", () => {
    describe("parseXeFailure", () => {
        it("reads the Error code / Error parameters rendering, keeping the empty first and last params", () => {
            const f = parseXeFailure(xeFixture("error-sr-backend-failure-90.txt"));
            assert.equal(f.code, "SR_BACKEND_FAILURE_90");
            assert.deepEqual(f.params, ["", "The request is missing the device parameter", ""]);
        });

        it("maps a datamodel doc string back to its code and names the params", () => {
            const f = parseXeFailure(xeFixture("error-uuid-invalid.txt"));
            assert.equal(f.code, "UUID_INVALID");
            assert.deepEqual(f.params, ["VM", "bogus"]);
            assert.deepEqual(f.paramsByName, { type: "VM", uuid: "bogus" });
        });

        it("recognises doc strings of old releases, which put two spaces after a period", () => {
            const f = parseXeFailure(xeFixture("error-uuid-invalid-two-spaces.txt"));
            assert.equal(f.code, "HANDLE_INVALID");
            assert.deepEqual(f.paramsByName, { class: "VM", handle: "OpaqueRef:0a1b2c3d" });
        });

        it("reads VM_BAD_POWER_STATE with a ref rendered as 'uuid (name)'", () => {
            const f = parseXeFailure(xeFixture("error-vm-bad-power-state.txt"));
            assert.equal(f.code, "VM_BAD_POWER_STATE");
            assert.deepEqual(f.paramsByName, { vm: "5b8b4a1c-0c2a-4f3e-9d1b-2c3d4e5f6a7b (web1)", expected: "halted", actual: "running" });
        });

        it("reads a datamodel param whose value contains ': '", () => {
            const f = parseXeFailure("You attempted an operation that was not allowed.\nreason: You cannot destroy a control domain via the CLI: really\n");
            assert.equal(f.code, "OPERATION_NOT_ALLOWED");
            assert.deepEqual(f.paramsByName, { reason: "You cannot destroy a control domain via the CLI: really" });
        });

        const cli: Array<[string, string, string[]]> = [
            ["error-no-matching-vms.txt", "NO_MATCHING_OBJECTS", ["VMs"]],
            ["error-unknown-command.txt", "UNKNOWN_COMMAND", ["frobnicate"]],
            ["error-missing-parameter.txt", "MISSING_PARAMETER", ["uuid"]],
            ["error-key-not-found.txt", "KEY_NOT_FOUND", ["vh-owner"]],
            ["error-param-name-unknown.txt", "MISSING_PARAMETER", ["frobnicate"]],
            ["error-xenstore-read.txt", "XENSTORE_PATH_NOT_FOUND", ["/local/domain/98/console/vnc-port"]],
        ];
        for (const [fixture, code, params] of cli) {
            it(`reads ${fixture} as ${code}`, () => {
                const f = parseXeFailure(xeFixture(fixture));
                assert.equal(f.code, code);
                assert.deepEqual(f.params, params);
            });
        }

        it("reads other CLI-level messages", () => {
            assert.equal(parseXeFailure("Error: Unknown field 'foo'\n").code, "UNKNOWN_FIELD");
            assert.equal(parseXeFailure("Error: Multiple matches VMs found. --multiple required to complete the operation\n").code, "MULTIPLE_MATCHES");
            assert.equal(parseXeFailure("Error: CD foo.iso not found!\n").code, "CD_NOT_FOUND");
            assert.equal(parseXeFailure("Error: No templates matched\n").code, "NO_MATCHING_OBJECTS");
            assert.equal(parseXeFailure("Syntax error: \nFor usage run: 'xe help'\n").code, "SYNTAX_ERROR");
            assert.equal(parseXeFailure("Error: something new\n").code, "CLI_ERROR");
            assert.equal(parseXeFailure("bash: line 1: xe: command not found\n").code, "COMMAND_NOT_FOUND");
        });

        it("falls back to XE_FAILED for output it does not know, and for silence", () => {
            assert.equal(parseXeFailure("something unexpected\n").code, "XE_FAILED");
            assert.equal(parseXeFailure("", "").code, "XE_FAILED");
        });

        it("reads failures that --multiple prints on stdout", () => {
            const f = parseXeFailure("", "Error: No matching VMs found\n");
            assert.equal(f.code, "NO_MATCHING_OBJECTS");
        });
    });

    describe("XeError", () => {
        it("names the code, the target and the command, then the output", () => {
            const err = new XeError("xe vm-param-get 'uuid=bogus' 'param-name=name-label'", "root@host:22", 1, "", xeFixture("error-uuid-invalid.txt"));
            assert.equal(err.code, "UUID_INVALID");
            assert.equal(err.message, "xe failed with UUID_INVALID on root@host:22: xe vm-param-get 'uuid=bogus' 'param-name=name-label'\nThe uuid you supplied was invalid.\ntype: VM\nuuid: bogus");
        });
    });
});
