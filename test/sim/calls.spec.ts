import * as assert from "node:assert/strict";
import { isWriteCommand, readCalls, redactArgv } from "../../sim/calls";
import { TestHost } from "./harness";

describe("sim/calls", () => {
    it("logs every invocation with redacted secrets, its exit code and whether it writes", () => {
        const h = new TestHost();
        try {
            h.xe(["secret-create", "value=hunter2", "password=pw"]);
            h.xe(["vm-list", "-pw", "s3cret", "--minimal"]);
            h.xe(["vm-param-get", "uuid=bogus", "param-name=x"]);
            const calls = readCalls(h.dir);
            assert.deepEqual(calls.map((c) => [c.argv, c.exitCode, c.writes]), [
                [["secret-create", "value=<redacted>", "password=<redacted>"], 0, true],
                [["vm-list", "-pw", "<redacted>", "--minimal"], 0, false],
                [["vm-param-get", "uuid=bogus", "param-name=x"], 1, false],
            ]);
            assert.match(calls[0].time, /^\d{4}-\d\d-\d\dT/);
            assert.doesNotMatch(JSON.stringify(calls), /hunter2|s3cret/);
        } finally {
            h.cleanup();
        }
    });

    it("redacts password= and value= wherever they are", () => {
        assert.deepEqual(redactArgv(["x", "--password=a", "value=b=c", "name=v"]), ["x", "--password=<redacted>", "value=<redacted>", "name=v"]);
    });

    const table: Array<[string[], boolean]> = [
        [["vm-list"], false], [["vm-param-get", "uuid=x", "param-name=y"], false], [["vm-param-list", "uuid=x"], false],
        [["vm-vif-list"], false], [["vm-disk-list"], false], [["event-wait", "class=vm"], false], [["help"], false],
        [["host-cpu-info"], false], [["-s", "h", "sr-list"], false], [[], false], [["nonsense"], false],
        [["vm-param-set", "uuid=x", "name-label=y"], true], [["vm-start"], true], [["network-create", "name-label=n"], true],
        [["vm-install"], true], [["vm-param-add"], true], [["vm-param-clear"], true], [["pbd-unplug"], true], [["vm-uninstall"], true],
        [["vm-migrate"], true],
    ];
    for (const [argv, writes] of table) {
        it(`classifies ${JSON.stringify(argv)} as ${writes ? "a write" : "a read"}`, () => {
            assert.equal(isWriteCommand(argv), writes);
        });
    }
});
