import * as assert from "node:assert";
import { parseInstallerArgs, splitCmdline } from "../../../sim/installer/cmdline";

describe("sim/installer/cmdline", () => {
    it("splits on blanks outside quotes, like host-installer's preinit", () => {
        assert.deepStrictEqual(splitCmdline(`console=hvc0  answerfile="file:///my answers.xml" x='a "b"' install`), ["console=hvc0", "answerfile=file:///my answers.xml", `x=a "b"`, "install"]);
        assert.deepStrictEqual(splitCmdline("  "), []);
        assert.deepStrictEqual(splitCmdline(`empty=""`), ["empty="]);
    });

    it("consumes atexit, bash-shell and the other preinit arguments; passes the rest to init (a later duplicate wins)", () => {
        const a = parseInstallerArgs(["console=tty0", "atexit=poweroff", "answerfile=file:///a", "install", "sshpassword=secret", "bash-shell", "answerfile=file:///b"]);
        assert.strictEqual(a.atexit, "poweroff");
        assert.strictEqual(a.shellFirst, true);
        assert.deepStrictEqual([...a.init], [["console", "tty0"], ["answerfile", "file:///b"], ["install", null]]);
        assert.strictEqual(parseInstallerArgs([]).atexit, "reboot");
    });
});
