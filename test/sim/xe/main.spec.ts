/**
 * One xe invocation end to end: client options, the server's parse, the command table and every
 * way a failure is printed (xapi_cli.ml exception_handler, newcli.ml), byte for byte.
 */
import * as assert from "node:assert/strict";
import { addFault } from "../../../sim/faults";
import { TestHost } from "../harness";

const USAGE_MODERN = "Usage: xe <cmd> [-s server] [-p port] ([-u username] [-pw password] or [-pwf <password file>]) [--traceparent traceparent] <other arguments>\n"
    + "\nA full list of commands can be obtained by running \n\txe help -s <server> -p <port>\n";
const INTERNAL = "The server failed to handle your request, due to an internal error. The given message may give details useful for debugging the problem.";

describe("sim/xe/main", () => {
    let h: TestHost;
    before(() => { h = new TestHost(); });
    after(() => h.cleanup());

    const table: Array<[string, string[], { stdout?: string; stderr?: string; code: number }]> = [
        ["no arguments prints the usage on stderr and exits 0", [], { stdout: "", stderr: USAGE_MODERN, code: 0 }],
        ["--help anywhere prints the usage", ["vm-list", "--help"], { stdout: "", stderr: USAGE_MODERN, code: 0 }],
        ["-version prints the protocol version", ["-version"], { stdout: "ThinCLI protocol: 0.2\n", stderr: "", code: 0 }],
        ["a bad port prints its message and the usage, exit 0", ["vm-list", "port=x"], { stdout: "", stderr: `Port number must be an integer (0-65535)\n${USAGE_MODERN}`, code: 0 }],
        ["only client options is like no arguments", ["-s", "localhost", "-u", "root", "-pw", "secret"], { stdout: "", stderr: USAGE_MODERN, code: 0 }],
        ["an unknown command", ["foo"], { stdout: "", stderr: "Unknown command: foo\nFor usage run: 'xe help'\n", code: 1 }],
        ["a missing required parameter, in reqd order", ["vm-param-get"], { stdout: "", stderr: "Required parameter not found: uuid\nFor usage run: 'xe help'\n", code: 1 }],
        ["the second required parameter", ["vm-param-get", "uuid=x"], { stdout: "", stderr: "Required parameter not found: param-name\nFor usage run: 'xe help'\n", code: 1 }],
        ["a command containing '='", ["vm=foo"], { stdout: "", stderr: "Syntax error: \nFor usage run: 'xe help'\n", code: 1 }],
        ["an unknown diadic switch", ["vm-list", "-x", "1"], { stdout: "", stderr: "Syntax error: \nFor usage run: 'xe help'\n", code: 1 }],
        ["minimal=yes goes through OCaml's strict bool_of_string", ["vm-list", "minimal=yes"],
            { stdout: "", stderr: `${INTERNAL}\nmessage: INTERNAL_ERROR: [ Invalid_argument("bool_of_string") ]\n`, code: 1 }],
        ["a bogus uuid is UUID_INVALID with the DB class name", ["vm-param-get", "uuid=bogus", "param-name=name-label"],
            { stdout: "", stderr: "The uuid you supplied was invalid.\ntype: VM\nuuid: bogus\n", code: 1 }],
        ["a VDI lookup names class VDI", ["vdi-destroy", "uuid=nope"], { stdout: "", stderr: "The uuid you supplied was invalid.\ntype: VDI\nuuid: nope\n", code: 1 }],
        ["an unknown filter field", ["vm-list", "foo=bar"], { stdout: "", stderr: "Error: Unknown field 'foo'\n", code: 1 }],
        ["a selector matching nothing", ["vm-start", "vm=nothing-called-this"], { stdout: "", stderr: "Error: No matching VMs found\n", code: 1 }],
        ["an Int64 parse failure is an OCaml Failure", ["network-create", "name-label=n", "MTU=big"],
            { stdout: "", stderr: `${INTERNAL}\nmessage: Failure: Int64.of_string\n`, code: 1 }],
        ["an unimplemented real command says so", ["vm-migrate"], { stdout: "", stderr: "Error: the simulated host does not implement 'xe vm-migrate'\n", code: 1 }],
    ];
    for (const [what, argv, expected] of table) {
        it(what, () => {
            const r = h.xe(argv);
            assert.deepEqual(r, { stdout: "", stderr: "", ...expected });
        });
    }

    it("consumes client options given as key=value and as switches, wherever they are", () => {
        assert.equal(h.xe(["vm-list", "server=localhost", "username=root", "password=x", "--minimal"]).code, 0);
        assert.equal(h.xe(["-s", "localhost", "vm-list", "-pw", "x", "is-control-domain=true", "--minimal"]).stdout.length, 37);
    });

    it("prints an error that is not in the datamodel raw, with the client's trailing ', ' for an empty parameter", () => {
        addFault(h.dir, { match: "^sr-list", action: { kind: "xe-error", code: "SR_BACKEND_FAILURE_90", params: ["", "The request is missing the device parameter", ""] } });
        assert.deepEqual(h.xe(["sr-list"]), {
            stdout: "", code: 1,
            stderr: "Error code: SR_BACKEND_FAILURE_90\nError parameters: , The request is missing the device parameter, \n",
        });
        assert.equal(h.xe(["sr-list", "--minimal"]).code, 0, "the rule fires once");
    });

    it("renders missing and extra datamodel parameters as <unknown> and <extra>", () => {
        addFault(h.dir, { match: "^pool-list", action: { kind: "xe-error", code: "VM_BAD_POWER_STATE", params: ["OpaqueRef:x"] } });
        addFault(h.dir, { match: "^host-list", action: { kind: "xe-error", code: "MAC_INVALID", params: ["zz", "more"] } });
        assert.match(h.xe(["pool-list"]).stderr, /\nvm: OpaqueRef:x\nexpected: <unknown>\nactual: <unknown>\n$/);
        assert.equal(h.xe(["host-list"]).stderr, "The MAC address specified is not valid.\nMAC: zz\n<extra>: more\n");
    });

    it("prints help for a command as a four-field record", () => {
        assert.equal(h.ok("help", "network-destroy"),
            "command name            : network-destroy\n"
            + "        reqd params     : uuid\n"
            + "        optional params : \n"
            + "        description     : Delete an existing network.\n\n");
        assert.equal(h.xe(["help", "no-such-command"]).stdout, "Unknown command 'no-such-command'\n");
    });

    it("lists the common commands for plain `xe help`", () => {
        const out = h.ok("help");
        assert.match(out, /^Usage: xe <command> \[-s server\] \[-pw passwd\] \[-p port\] \[-u user\] \[-pwf password-file\]\n {2}\[command specific arguments\]\n\nTo get help on a specific command: xe help <command>\nTo get a full listing of commands: xe help --all\n\nCommon command list\n-------------------\n {4}/);
        for (const line of out.split("\n").slice(8)) assert.ok(line.length <= 80, line);
        assert.match(out, /vm-start/);
    });
});
