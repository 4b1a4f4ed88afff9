import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findKnownHostKeys, knownHostsName, matchesHost, readKnownHostKeys } from "../../cli/knownHosts";

const ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";

describe("cli/knownHosts", () => {
    it("names a host the way OpenSSH looks it up: bare on port 22, [host]:port otherwise", () => {
        assert.equal(knownHostsName("XenServer.Lab", 22), "xenserver.lab");
        assert.equal(knownHostsName("10.0.0.5", 2222), "[10.0.0.5]:2222");
    });

    it("finds keys by plain names, lists, wildcards and ports, and skips negated, marked and other hosts", () => {
        const text = [
            "# comment",
            `xs1,10.0.0.5 ${ED} root@xs1`,
            `[10.0.0.5]:2222 ${RSA}`,
            `*.lab,!bad.lab ${ED}`,
            `@revoked 10.0.0.5 ${RSA}`,
            `other ${RSA}`,
            "",
        ].join("\n");
        assert.deepEqual(findKnownHostKeys(text, "10.0.0.5", 22, "kh"), [{ pin: ED, source: "kh:2" }]);
        assert.deepEqual(findKnownHostKeys(text, "10.0.0.5", 2222, "kh").map((k) => k.pin), [RSA]);
        assert.deepEqual(findKnownHostKeys(text, "vh0.lab", 22).map((k) => k.pin), [ED]);
        assert.deepEqual(findKnownHostKeys(text, "bad.lab", 22), []);
        assert.deepEqual(findKnownHostKeys(text, "nowhere", 22), []);
        assert.equal(matchesHost("a?c", "abc"), true);
        assert.equal(matchesHost("a.c", "abc"), false, "a dot is literal");
    });

    it("matches names hashed by ssh-keygen -H, and reads nothing from a missing file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-kh-"));
        try {
            const file = path.join(dir, "known_hosts");
            fs.writeFileSync(file, `xs1 ${ED}\n[10.0.0.5]:2222 ${RSA}\n`);
            execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
            const hashed = fs.readFileSync(file, "utf8");
            assert.ok(!hashed.includes("xs1") && hashed.startsWith("|1|"), hashed);
            assert.deepEqual(readKnownHostKeys(file, "xs1", 22).map((k) => k.pin), [ED]);
            assert.deepEqual(readKnownHostKeys(file, "10.0.0.5", 2222).map((k) => k.pin), [RSA]);
            assert.deepEqual(readKnownHostKeys(file, "xs2", 22), []);
            assert.deepEqual(readKnownHostKeys(path.join(dir, "absent"), "xs1", 22), []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
