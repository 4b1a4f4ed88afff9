/**
 * The simulated host's SSH identity (sim/server/identity.ts): created once, kept, and fingerprinted
 * exactly as OpenSSH does.
 */
import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fingerprint, loadIdentity, readAuthorizedKeys } from "../../../sim/server/identity";
import { SimHost, startSimHost } from "../../helpers/simHost";

describe("sim/server/identity", function () {
    this.timeout(30_000);

    it("creates the host key, a client key pair, authorized_keys and a password once, owner-only", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-identity-"));
        try {
            const first = loadIdentity(dir);
            for (const f of ["ssh_host_ed25519_key", "id_ed25519", "password"]) {
                assert.strictEqual(fs.statSync(path.join(dir, "ssh", f)).mode & 0o777, 0o600, f);
            }
            assert.match(first.password, /^[A-Za-z0-9_-]{24}$/);
            const keygen = execFileSync("ssh-keygen", ["-lf", path.join(dir, "ssh", "ssh_host_ed25519_key")], { encoding: "utf8" });
            assert.strictEqual(keygen.split(" ")[1], first.hostKeySha256);
            const authorized = readAuthorizedKeys(first.authorizedKeysPath);
            const clientPub = fs.readFileSync(`${first.privateKeyPath}.pub`, "utf8");
            assert.deepStrictEqual(authorized.map((k) => k.type), ["ssh-ed25519"]);
            assert.strictEqual(fingerprint(authorized[0].blob), execFileSync("ssh-keygen", ["-lf", `${first.privateKeyPath}.pub`], { encoding: "utf8" }).split(" ")[1]);
            assert.ok(clientPub.startsWith("ssh-ed25519 "));
            assert.deepStrictEqual(loadIdentity(dir), first, "a second load changes nothing");
            assert.strictEqual(fs.readFileSync(first.authorizedKeysPath, "utf8").split("\n").filter(Boolean).length, 1);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("as served by vh sim", () => {
        let host: SimHost;
        before(async () => { host = await startSimHost(); });
        after(async () => { await host?.stop(); });

        it("prints a host key fingerprint equal to `ssh-keygen -lf` of the key it serves", () => {
            const out = execFileSync("ssh-keygen", ["-lf", path.join(host.stateDir, "ssh", "ssh_host_ed25519_key")], { encoding: "utf8" });
            assert.strictEqual(out.split(" ")[1], host.connection.hostKey);
            assert.match(host.connection.hostKey, /^SHA256:[A-Za-z0-9+/]{43}$/);
        });
    });
});
