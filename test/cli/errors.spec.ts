import * as assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { CliError, describeFailure, reportFailure } from "../../cli/errors";
import { ResourceCreateError } from "../../provider/resources/common/errors";
import { AuthenticationError, CommandTimeoutError, ConnectionArgsError, ConnectionError, HostKeyUnknownError } from "../../provider/ssh";

describe("cli/errors", () => {
    it("gives connection, authentication and host-key problems exit 3, even as the cause of another error", () => {
        const unknown = new HostKeyUnknownError("root@h:22", { type: "ssh-ed25519", fingerprint: "SHA256:x" });
        const auth = new AuthenticationError("root@h:22", ["password"]);
        const refused = new ConnectionError("root@h:22", 3, new Error("connect ECONNREFUSED"));
        for (const err of [unknown, auth, refused, new ResourceCreateError("NestedHypervisor vh0", refused, { done: [], failed: [] })]) {
            assert.equal(describeFailure(err).exitCode, 3, err.message);
        }
        assert.equal(describeFailure(new CommandTimeoutError("root@h:22", "xe vm-list", 5, "the command to finish")).exitCode, 1, "a slow command is not a connection problem");
        assert.equal(describeFailure(new ConnectionArgsError(["port must be…"])).exitCode, 2);
        assert.equal(describeFailure(new Error("boom")).exitCode, 1);
    });

    it("prints one sentence and the detail indented; --json adds one error document on stdout", () => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        const err = new CliError("the install of vh0 failed", { detail: "line one\nline two", result: { name: "vh0" } });
        assert.equal(reportFailure("install", err, { stdout, stderr }, true), 1);
        assert.equal(stderr.read().toString(), "vh install: the install of vh0 failed\n  line one\n  line two\n");
        assert.deepEqual(JSON.parse(stdout.read().toString()), {
            command: "install", name: "vh0", error: { exitCode: 1, message: "the install of vh0 failed", detail: "line one\nline two" },
        });
        const plain = new PassThrough();
        reportFailure("network", new Error("first line\nsecond line"), { stdout, stderr: plain });
        assert.equal(plain.read().toString(), "vh network: first line\n  second line\n");
        assert.equal(stdout.read(), null, "no JSON without --json");
    });
});
