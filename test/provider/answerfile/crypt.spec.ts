/**
 * SHA-512 crypt checked against OpenSSL (`openssl passwd -6`), the tool people use to make these
 * hashes. Requires: openssl (Debian's openssl package, present on the project's machines).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
    hashRootPassword, PasswordHashError, seedAnswerFile, sha512Crypt, validateAnswerFile, verifySha512Crypt, withHashedRootPassword,
} from "../../../provider/answerfile";

/** `openssl passwd -6 -salt SALT` with the password on stdin (so it never shows in a process list). */
function openssl(password: string, salt: string, rounds?: number): string {
    const saltArg = rounds === undefined ? salt : `rounds=${rounds}$${salt}`;
    return execFileSync("openssl", ["passwd", "-6", "-salt", saltArg, "-stdin"], { input: `${password}\n` }).toString().trim();
}

describe("SHA-512 crypt", () => {
    describe("sha512Crypt matches openssl passwd -6", () => {
        // Lengths around the 64-byte digest size are where implementations go wrong; OpenSSL
        // truncates passwords to 256 characters, so longer ones cannot be compared with it.
        const passwords = ["x", "somepass", "p".repeat(63), "p".repeat(64), "p".repeat(65), "q".repeat(128), "r".repeat(129), "s".repeat(256),
            "pässwörd 😀", "日本語のパスワード", `a<b&c"d'e$f\\g`, " spaced  out "];
        const salts = ["s", "saltsalt", "./0123456789abcd"];
        passwords.forEach((password, i) => {
            const salt = salts[i % salts.length];
            it(`agrees for a ${Buffer.byteLength(password)}-byte password and the salt ${JSON.stringify(salt)}`, () => {
                assert.equal(sha512Crypt(password, salt), openssl(password, salt));
            });
        });

        for (const rounds of [1000, 5001, 20000]) {
            it(`agrees with rounds=${rounds} and writes it into the hash`, () => {
                const hash = sha512Crypt("hunter22", "roundsalt", rounds);
                assert.equal(hash, openssl("hunter22", "roundsalt", rounds));
                assert.ok(hash.startsWith(`$6$rounds=${rounds}$roundsalt$`));
            });
        }

        it("omits rounds=5000, as openssl does", () => {
            assert.equal(sha512Crypt("hunter22", "abc", 5000), openssl("hunter22", "abc"));
            assert.ok(sha512Crypt("hunter22", "abc").startsWith("$6$abc$"));
        });
    });

    describe("hashRootPassword", () => {
        it("uses a fresh random 16-character salt by default, in a hash openssl reproduces", () => {
            const a = hashRootPassword("hunter22");
            const b = hashRootPassword("hunter22");
            assert.notEqual(a, b);
            const [, id, salt, digest] = a.split("$");
            assert.equal(id, "6");
            assert.match(salt, /^[./0-9A-Za-z]{16}$/);
            assert.equal(digest.length, 86);
            assert.equal(a, openssl("hunter22", salt));
            assert.equal(verifySha512Crypt("hunter22", a), true);
            assert.equal(verifySha512Crypt("hunter23", a), false);
        });

        it("derives the same salt for the same password and context, so answer files are reproducible", () => {
            const a = hashRootPassword("hunter22", { saltContext: "lab/vh0" });
            assert.equal(hashRootPassword("hunter22", { saltContext: "lab/vh0" }), a);
            assert.notEqual(hashRootPassword("hunter22", { saltContext: "lab/vh1" }), a);
            assert.notEqual(hashRootPassword("hunter23", { saltContext: "lab/vh0" }).split("$")[2], a.split("$")[2]);
            assert.equal(a, openssl("hunter22", a.split("$")[2]));
        });

        it("takes a fixed salt and rounds", () => {
            assert.equal(hashRootPassword("hunter22", { salt: "fixed", rounds: 10000 }), openssl("hunter22", "fixed", 10000));
        });

        it("rejects bad input with messages that name the rule and never the password", () => {
            const cases: [() => unknown, string][] = [
                [() => hashRootPassword(""), "cannot hash an empty root password"],
                [() => sha512Crypt("", "abc"), "SHA-512 crypt needs a non-empty password, got an empty one"],
                [() => hashRootPassword("hunter22", { salt: "has$dollar" }), 'SHA-512 crypt salt must be 1 to 16 characters from [./0-9A-Za-z], got "has$dollar"'],
                [() => hashRootPassword("hunter22", { salt: "a".repeat(17) }), `SHA-512 crypt salt must be 1 to 16 characters from [./0-9A-Za-z], got "${"a".repeat(17)}"`],
                [() => hashRootPassword("hunter22", { rounds: 999 }), "SHA-512 crypt rounds must be an integer from 1000 to 999999999, got 999"],
                [() => hashRootPassword("hunter22", { salt: "a", saltContext: "b" }), "hashRootPassword takes salt or saltContext, not both"],
            ];
            for (const [fn, message] of cases) {
                assert.throws(fn, (err: unknown) => {
                    assert.ok(err instanceof PasswordHashError);
                    assert.equal(err.message, message);
                    assert.ok(!err.message.includes("hunter22"));
                    return true;
                });
            }
        });
    });

    describe("withHashedRootPassword", () => {
        it("replaces a plaintext password by its hash and leaves the rest alone", () => {
            const plain = seedAnswerFile({ password: "vhpass" });
            const hashed = withHashedRootPassword(plain, { saltContext: "test" });
            assert.equal(hashed.rootPassword?.type, "hash");
            assert.equal(verifySha512Crypt("vhpass", hashed.rootPassword!.value), true);
            assert.deepEqual({ ...hashed, rootPassword: plain.rootPassword }, plain);
            assert.deepEqual(validateAnswerFile(hashed), { ok: true, errors: [], warnings: [] });
        });

        it("returns a model without a plaintext password unchanged", () => {
            const m = { ...seedAnswerFile(), rootPassword: { type: "hash" as const, value: "!!" } };
            assert.equal(withHashedRootPassword(m), m);
        });
    });
});
