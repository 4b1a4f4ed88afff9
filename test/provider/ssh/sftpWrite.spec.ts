import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { parseDfAvailableBytes } from "../../../provider/ssh/sftpWrite";

describe("provider/ssh/sftpWrite parseDfAvailableBytes", () => {
    it("reads real `df -Pk` output of this machine", () => {
        const out = execFileSync("df", ["-Pk", "--", "/tmp"], { encoding: "utf8" });
        const fields = out.trim().split("\n")[1].split(/\s+/);
        assert.equal(parseDfAvailableBytes(out), Number(fields[3]) * 1024);
    });

    it("reads a dom0-style line and a device name that wrapped onto its own line", () => {
        // XenServer 8 dom0: a small root filesystem on /dev/sda1.
        const dom0 = "Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sda1          18517076 2911404  14640068      17% /\n";
        assert.equal(parseDfAvailableBytes(dom0), 14640068 * 1024);
        const wrapped = "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/mapper/VG_XenStorage--a1b2c3d4--e5f6-MGT\n      4096 1024 3072 25% /var/run/sr-mount/x y\n";
        assert.equal(parseDfAvailableBytes(wrapped), 3072 * 1024);
    });

    it("returns undefined for anything else", () => {
        assert.equal(parseDfAvailableBytes(""), undefined);
        assert.equal(parseDfAvailableBytes("df: /nope: No such file or directory\n"), undefined);
    });
});
