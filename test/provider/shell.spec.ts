import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { argv, sh, shellQuote, UnquotableValueError } from "../../provider/shell";
import { HOSTILE_VALUES } from "./xe/hostileValues";

/** Runs `printf %s <quoted>` in a real /bin/sh and returns what printf received. */
function throughShell(value: string): string {
    return execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(value)}`], { encoding: "utf8" });
}

describe("provider/shell", () => {
    describe("shellQuote", () => {
        it("wraps in single quotes and writes ' as '\\''", () => {
            assert.equal(shellQuote("plain"), "'plain'");
            assert.equal(shellQuote("it's"), "'it'\\''s'");
            assert.equal(shellQuote(""), "''");
        });

        it(`passes ${HOSTILE_VALUES.length} hostile values through a real /bin/sh byte for byte, running nothing`, () => {
            const markers = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("vh-pwned-"));
            for (const m of markers) fs.rmSync(path.join(os.tmpdir(), m));
            for (const value of HOSTILE_VALUES) assert.equal(throughShell(value), value, JSON.stringify(value.slice(0, 60)));
            assert.deepEqual(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("vh-pwned-")), []);
        });

        it("rejects NUL and line breaks, naming the value's role", () => {
            assert.throws(() => shellQuote("a\nb", "name-label"), (err: unknown) => {
                assert.ok(err instanceof UnquotableValueError);
                assert.equal(err.role, "name-label");
                assert.equal(err.message, "cannot pass the name-label to the remote shell: it contains a line feed (\\n), which xe and the remote command line cannot carry (values must be single-line and NUL-free)");
                return true;
            });
            assert.throws(() => shellQuote("a\0b"), /cannot pass the value to the remote shell: it contains a NUL character/);
            assert.throws(() => shellQuote("a\rb", "description"), /description.*carriage return/);
        });
    });

    describe("sh`` and argv()", () => {
        it("quotes interpolated values and keeps literal text", () => {
            assert.equal(sh`df -Pk -- ${"/var/opt/xen/iso import"}`.text, "df -Pk -- '/var/opt/xen/iso import'");
            assert.equal(sh`echo ${1} ${sh`${"a b"}`}`.text, "echo '1' 'a b'");
        });

        it("leaves plain words bare and quotes the rest", () => {
            assert.equal(argv(["rm", "-f", "--", "/tmp/a b", "*"]).text, "rm -f -- '/tmp/a b' '*'");
            assert.throws(() => argv(["FOO=bar", "x"]), /invalid remote program name "FOO=bar"/);
            assert.throws(() => argv([]), /empty argv/);
        });

        it("runs in a real shell with every value intact", () => {
            const command = argv(["printf", "%s|", ...HOSTILE_VALUES.slice(0, 12)]);
            const out = execFileSync("/bin/sh", ["-c", command.text], { encoding: "utf8" });
            assert.equal(out, HOSTILE_VALUES.slice(0, 12).map((v) => `${v}|`).join(""));
        });
    });
});
