/** The answer file as it goes into the ISO: validated, the plaintext password hashed reproducibly. */
import * as assert from "node:assert/strict";
import { renderAnswerFile, seedAnswerFile, verifySha512Crypt } from "../../../../provider/answerfile";
import { normaliseAnswerFile } from "../../../../provider/resources/remasteredIso/answer";

describe("remasteredIso/answer", () => {
    it("hashes a plaintext root password with a salt derived from the answer file: same inputs, same bytes", () => {
        const a = normaliseAnswerFile(seedAnswerFile({ password: "pw-123456", hostname: "vh0" }));
        const b = normaliseAnswerFile(seedAnswerFile({ password: "pw-123456", hostname: "vh0" }));
        assert.deepEqual(a.errors, []);
        assert.equal(a.xml, b.xml);
        assert.ok(!a.xml!.includes("pw-123456"));
        const hash = /<root-password type="hash">([^<]+)<\/root-password>/.exec(a.xml!)![1];
        assert.ok(verifySha512Crypt("pw-123456", hash));
        const other = normaliseAnswerFile(seedAnswerFile({ password: "pw-123456", hostname: "vh1" }));
        const otherHash = /<root-password type="hash">([^<]+)<\/root-password>/.exec(other.xml!)![1];
        assert.notEqual(otherHash.split("$")[2], hash.split("$")[2], "another answer file gets another salt");
    });

    it("takes XML text: hashed when it carries a plaintext password, byte for byte otherwise", () => {
        const plain = renderAnswerFile(seedAnswerFile({ password: "pw-123456" }));
        assert.ok(!normaliseAnswerFile(plain).xml!.includes("pw-123456"));
        const hashed = normaliseAnswerFile(seedAnswerFile({ password: "pw-123456" })).xml!;
        const custom = `${hashed}<!-- kept as written -->\n`;
        assert.equal(normaliseAnswerFile(custom).xml, custom);
    });

    it("reports every problem, and what is not an answer file, without quoting the password", () => {
        const bad = normaliseAnswerFile({ ...seedAnswerFile(), rootPassword: { type: "plaintext", value: "abc" }, timezone: "Mars" });
        assert.equal(bad.xml, undefined);
        assert.ok(bad.errors.length >= 2, bad.errors.join("\n"));
        assert.ok(bad.errors.every((e) => !e.includes('"abc"')));
        assert.match(normaliseAnswerFile("<html/>").errors[0], /not an answer file/);
        assert.match(normaliseAnswerFile(42 as any).errors[0], /must be an AnswerFile object or its XML text, got number/);
    });

    it("validates against an installer profile when one is given", () => {
        const vlan = { ...seedAnswerFile({ password: "pw-123456" }), adminInterface: { name: "eth0", proto: "dhcp" as const, vlan: 10 } };
        assert.deepEqual(normaliseAnswerFile(vlan).errors, []);
        assert.ok(normaliseAnswerFile(vlan, "xenserver-7.1").errors.some((e) => /vlan/i.test(e)));
    });
});
