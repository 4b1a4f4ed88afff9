import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONNECTION_DEFAULTS, redact, resolveConnectionArgs } from "../../../provider/ssh/args";
import { ConnectionArgsError } from "../../../provider/ssh/errors";

const FP = "SHA256:AXAuBT7Dil6X+EhI1kssJgJeUM944ohOIYm8WRA06Ug";

describe("provider/ssh/args", () => {
    it("applies the documented defaults", () => {
        const r = resolveConnectionArgs({ host: "10.0.0.5", password: "pw-123456", hostKey: FP });
        assert.equal(r.port, 22);
        assert.equal(r.user, "root");
        assert.equal(r.target, "root@10.0.0.5:22");
        for (const [k, v] of Object.entries(CONNECTION_DEFAULTS)) assert.equal((r as unknown as Record<string, unknown>)[k], v, k);
    });

    it("reports every problem at once, naming the input, the rule and the value", () => {
        assert.throws(
            () => resolveConnectionArgs({ host: "bad host", port: 70000, user: "", hostKey: "nope", insecureSkipHostKeyCheck: true, passphrase: "x", commandTimeoutMs: -1 }),
            (err: unknown) => {
                assert.ok(err instanceof ConnectionArgsError);
                assert.equal(err.code, "INVALID_CONNECTION_ARGS");
                assert.deepEqual(err.problems.map((p) => p.split(/[ :]/)[0]), ["host", "port", "user", "one", "passphrase", "hostKey", "set", "commandTimeoutMs"]);
                assert.match(err.message, /port must be an integer from 1 to 65535, got 70000/);
                assert.match(err.message, /host must be a host name or IP address, got "bad host"/);
                return true;
            },
        );
    });

    it("prefixes the problems of a jump host with jump.", () => {
        assert.throws(() => resolveConnectionArgs({ host: "h", password: "pw-123456", hostKey: FP, jump: { host: "j", port: 0 } }),
            /jump\.port must be an integer .* got 0[\s\S]*one of jump\.password, jump\.privateKey or jump\.agent must be set/);
    });

    it("checks a private key and its passphrase without echoing the key", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-args-"));
        try {
            execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "right-passphrase", "-f", path.join(dir, "k")]);
            const privateKey = fs.readFileSync(path.join(dir, "k"), "utf8");
            assert.doesNotThrow(() => resolveConnectionArgs({ host: "h", privateKey, passphrase: "right-passphrase", hostKey: FP }));
            assert.throws(() => resolveConnectionArgs({ host: "h", privateKey, passphrase: "wrong-passphrase", hostKey: FP }), (err: unknown) => {
                assert.match((err as Error).message, /privateKey could not be used/);
                assert.ok(!(err as Error).message.includes(privateKey.split("\n")[1]));
                assert.ok(!(err as Error).message.includes("wrong-passphrase"));
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("pools by host, port, user, jump, credentials and pins", () => {
        const base = { host: "h", password: "pw-123456", hostKey: FP };
        const key = (a: Parameters<typeof resolveConnectionArgs>[0]) => resolveConnectionArgs(a).poolKey;
        assert.equal(key(base), key({ ...base, port: 22, user: "root", commandTimeoutMs: 5 }));
        assert.notEqual(key(base), key({ ...base, password: "other-pw" }));
        assert.notEqual(key(base), key({ ...base, port: 2222 }));
        assert.notEqual(key(base), key({ ...base, hostKey: "SHA256:" + "B".repeat(43) }));
        assert.notEqual(key(base), key({ ...base, jump: { ...base, host: "j" } }));
        assert.ok(!key(base).includes("pw-123456"));
    });

    it("redacts secrets", () => {
        assert.equal(redact("echo pw-123456 and pw-123456", ["pw-123456"]), "echo *** and ***");
    });
});
