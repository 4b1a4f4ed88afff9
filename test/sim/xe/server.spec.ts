import * as assert from "node:assert/strict";
import { parseCommandLine } from "../../../sim/xe/server";
import { SyntaxError } from "../../../sim/xe/errors";

describe("sim/xe/server parseCommandLine", () => {
    const cases: Array<[string[], Array<[string, string]>]> = [
        [["vm-list", "--minimal"], [["minimal", "true"]]],
        [["vm-list", "--anything"], [["anything", "true"]]],
        [["vm-param-set", "k=a=b"], [["k", "a=b"]]],
        [["vm-list", "novalue"], [["novalue", ""]]],
        [["vm-list", "name-label=My VM"], [["name-label", "My VM"]]],
        [["vm-list", "-u", "bob", "-p", "80"], [["username", "bob"], ["port", "80"]]],
        [["vm-list", "platform:exp-nested-hvm=true"], [["platform:exp-nested-hvm", "true"]]],
    ];
    for (const [argv, params] of cases) {
        it(`parses ${JSON.stringify(argv)}`, () => {
            assert.deepEqual(parseCommandLine(argv), { name: argv[0], params });
        });
    }

    it("rejects a command containing '=', an unknown switch and a switch without its value with an empty detail", () => {
        for (const argv of [["vm=x"], ["vm-list", "-x", "y"], ["vm-list", "-u"]]) {
            assert.throws(() => parseCommandLine(argv), (e: unknown) => e instanceof SyntaxError && e.detail === "");
        }
    });
});
