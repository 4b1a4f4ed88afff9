import * as assert from "node:assert/strict";
import {
    answerFilePathProblems, applyArgEdit, argKey, installerArgs, kernelArgProblems, MANAGED_KEYS, nonInstallerReason,
} from "../../../provider/iso/kernelArgs";

describe("provider/iso/kernelArgs", () => {
    describe("installerArgs", () => {
        it("puts answerfile, install and atexit=poweroff first, then the extras in order", () => {
            assert.deepEqual(installerArgs("/answerfile.xml", ["sshpassword=x", "network_device=all"]),
                ["answerfile=file:///answerfile.xml", "install", "atexit=poweroff", "sshpassword=x", "network_device=all"]);
        });

        it("lets an extra atexit replace the default, and drops a repeated install or extra", () => {
            assert.deepEqual(installerArgs("/a.xml", ["atexit=shell", "install", "x=1", "x=1"]),
                ["answerfile=file:///a.xml", "install", "atexit=shell", "x=1"]);
        });
    });

    describe("kernelArgProblems", () => {
        it("accepts ordinary arguments", () => {
            assert.deepEqual(kernelArgProblems(["console=hvc0", "no-repo-gpgcheck", "atexit=reboot"]), []);
        });

        it("reports every bad argument at once, naming its index, the rule and the value", () => {
            const problems = kernelArgProblems(["two words", "---", "answerfile=http://x/a.xml", "atexit=explode", "a\"b"]);
            assert.equal(problems.length, 5);
            assert.match(problems[0], /^kernelArgs\[0\] must be one kernel argument with no spaces.*got "two words"$/);
            assert.match(problems[1], /^kernelArgs\[1\] .*not "---", got "---"$/);
            assert.match(problems[2], /^kernelArgs\[2\] must not set answerfile= \(the remaster sets answerfile= from answerFilePath\), got "answerfile=http:\/\/x\/a.xml"$/);
            assert.match(problems[3], /^kernelArgs\[3\]: atexit must be one of poweroff, reboot, shell, got "atexit=explode"$/);
            assert.match(problems[4], /^kernelArgs\[4\] must be one kernel argument/);
        });
    });

    describe("answerFilePathProblems", () => {
        it("accepts an absolute path of safe characters", () => {
            assert.deepEqual(answerFilePathProblems("/root/answerfile.xml", []), []);
        });

        for (const bad of ["answerfile.xml", "/a b.xml", "/a/../b.xml", "/dir/", "/a;reboot", ""]) {
            it(`rejects ${JSON.stringify(bad)}, naming the rule and the value`, () => {
                const problems = answerFilePathProblems(bad, []);
                assert.equal(problems.length, 1);
                assert.match(problems[0], /^answerFilePath must be an absolute path of letters, digits/);
                assert.ok(problems[0].endsWith(`got ${JSON.stringify(bad)}`));
            });
        }

        it("rejects a path the remaster uses for its own files", () => {
            assert.match(answerFilePathProblems("/postinst.sh", ["/postinst.sh"])[0], /must not be one of the files the remaster adds \(\/postinst.sh\)/);
        });
    });

    describe("applyArgEdit", () => {
        const ours = installerArgs("/answerfile.xml");

        it("appends our arguments to an untouched command line", () => {
            assert.deepEqual(applyArgEdit(["console=hvc0", "console=tty0"], { add: ours }), ["console=hvc0", "console=tty0", ...ours]);
        });

        it("replaces managed keys already present instead of duplicating them", () => {
            const existing = ["console=hvc0", "answerfile=file:///preset.xml", "install", "atexit=shell"];
            assert.deepEqual(applyArgEdit(existing, { add: ours }), ["console=hvc0", ...ours]);
        });

        it("removes the exact arguments a previous remaster recorded, once per copy, keeping the vendor's", () => {
            const previous = [...ours, "console=ttyS0", "sshpassword=old"];
            const existing = ["console=ttyS0", "console=hvc0", ...previous];
            assert.deepEqual(applyArgEdit(existing, { add: ours, removeExact: previous }), ["console=ttyS0", "console=hvc0", ...ours]);
        });

        it("is idempotent", () => {
            const once = applyArgEdit(["console=hvc0"], { add: [...ours, "x=1"] });
            assert.deepEqual(applyArgEdit(once, { add: [...ours, "x=1"], removeExact: [...ours, "x=1"] }), once);
        });
    });

    describe("nonInstallerReason", () => {
        it("leaves shell, rescue and memtest entries alone and accepts installer entries", () => {
            assert.equal(nonInstallerReason("shell", ["console=hvc0", "bash-shell"]), 'its kernel command line has "bash-shell"');
            assert.equal(nonInstallerReason("rescue mode", []), 'its title says "rescue"');
            assert.equal(nonInstallerReason("memtest", []), 'its title says "memtest"');
            assert.equal(nonInstallerReason("install", ["console=hvc0"]), undefined);
            assert.equal(nonInstallerReason("safe", ["console=hvc0", "device_mapper_multipath=enabled"]), undefined);
        });
    });

    it("knows the managed keys by their key", () => {
        assert.deepEqual(["answerfile=file:///x", "install", "atexit=poweroff"].map(argKey).every((k) => MANAGED_KEYS.includes(k)), true);
    });
});
