import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeKey, fingerprintOf, hostKeyAlgorithms, parseHostKeyPin, pinMatches } from "../../../provider/ssh/hostKey";

describe("provider/ssh/hostKey", () => {
    let dir: string;
    const keys: Record<string, { line: string; blob: Buffer; fingerprint: string }> = {};

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-hostkey-"));
        for (const type of ["ed25519", "ecdsa", "rsa"]) {
            const file = path.join(dir, type);
            execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", `test@${type}`, "-f", file]);
            const line = fs.readFileSync(`${file}.pub`, "utf8").trim();
            const fingerprint = /SHA256:\S+/.exec(execFileSync("ssh-keygen", ["-lf", `${file}.pub`], { encoding: "utf8" }))![0];
            keys[type] = { line, blob: Buffer.from(line.split(" ")[1], "base64"), fingerprint };
        }
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("computes the same fingerprint as ssh-keygen -lf", () => {
        for (const k of Object.values(keys)) assert.equal(fingerprintOf(k.blob), k.fingerprint);
        assert.deepEqual(describeKey(keys.ed25519.blob), { fingerprint: keys.ed25519.fingerprint, type: "ssh-ed25519" });
    });

    it("accepts a fingerprint, an authorized_keys line and known_hosts lines", () => {
        const k = keys.ed25519;
        const forms = [k.fingerprint, `${k.fingerprint}=`, k.line, `host.example,10.0.0.1 ${k.line}`, `[10.0.0.1]:2222 ${k.line}`, `|1|abc=|def= ${k.line}`];
        for (const text of forms) {
            const pin = parseHostKeyPin(text);
            assert.ok(typeof pin !== "string", `${text}: ${String(pin)}`);
            assert.ok(pinMatches(pin, k.blob), text);
            assert.ok(!pinMatches(pin, keys.rsa.blob), text);
        }
    });

    it("explains what it expected when a pin is not understood", () => {
        assert.match(parseHostKeyPin("MD5:12:34") as string, /MD5 fingerprints are not accepted/);
        assert.match(parseHostKeyPin("@cert-authority * ssh-ed25519 AAAA") as string, /markers .* not supported/);
        assert.match(parseHostKeyPin("ssh-ed25519 bm90IGEga2V5") as string, /not valid base64 of a ssh-ed25519 key/);
        assert.match(parseHostKeyPin("SHA256:short") as string, /expected a SHA256:… fingerprint .* got "SHA256:short"/);
    });

    it("offers only the pinned key types when every pin is a full key", () => {
        const pin = (t: string) => parseHostKeyPin(t) as Exclude<ReturnType<typeof parseHostKeyPin>, string>;
        assert.deepEqual(hostKeyAlgorithms([pin(keys.rsa.line)]), ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
        assert.deepEqual(hostKeyAlgorithms([pin(keys.ed25519.line), pin(keys.ecdsa.line)]), ["ssh-ed25519", "ecdsa-sha2-nistp256"]);
        assert.equal(hostKeyAlgorithms([pin(keys.rsa.line), pin(keys.ed25519.fingerprint)]), undefined);
        assert.equal(hostKeyAlgorithms([]), undefined);
    });
});
