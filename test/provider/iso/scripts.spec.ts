/**
 * data/postinst.sh and data/firstboot.sh, run for real with busybox in a chroot laid out like the
 * installer's ramdisk (the scripts sit at / and the new system is mounted below it). systemd
 * cannot run here, so `systemctl` and `halt` in the chroot are small recorders; the unit file the
 * post-install script writes is checked by the real `systemd-analyze verify`.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DATA_DIR, defaultScripts, FIRSTBOOT_PATH, POSTINST_PATH } from "../../../provider/iso/scripts";
import { analyseFirstBoot } from "../../../sim/installer/firstboot";

const NEW_ROOT = "/mnt/new root"; // a space, to prove the paths are quoted

/**
 * Every entry under `root`, sorted, as "<relative path> <mode>" plus a file's SHA-256 or a
 * symlink's target: equal listings mean the same tree (mtimes left out: `touch` moves them).
 */
function treeOf(root: string): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
        for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
            const entry = path.posix.join(rel, name);
            const full = path.join(root, entry);
            const st = fs.lstatSync(full);
            const mode = st.mode.toString(8);
            if (st.isSymbolicLink()) out.push(`${entry} ${mode} -> ${fs.readlinkSync(full)}`);
            else if (st.isDirectory()) { out.push(`${entry} ${mode}`); walk(entry); }
            else out.push(`${entry} ${mode} ${crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex")}`);
        }
    };
    walk("");
    return out;
}

describe("provider/iso/scripts (data/postinst.sh, data/firstboot.sh)", function () {
    this.timeout(30_000);
    let chroot: string;
    const inChroot = (args: string[], env: Record<string, string> = {}) => {
        const argv = ["/bin/busybox", "env", "-i", "PATH=/usr/local/bin:/bin", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args];
        // Root can chroot directly; anyone else gets a user namespace in which they are root.
        const [cmd, pre] = process.getuid?.() === 0 ? ["chroot", [chroot]] : ["unshare", ["-r", "chroot", chroot]];
        return spawnSync(cmd, [...pre, ...argv], { encoding: "utf8" });
    };
    const target = (rel: string) => path.join(chroot, NEW_ROOT, rel);
    const log = () => (fs.existsSync(path.join(chroot, "log")) ? fs.readFileSync(path.join(chroot, "log"), "utf8") : "");

    beforeEach(() => {
        chroot = fs.mkdtempSync(path.join(os.tmpdir(), "vh-scripts-"));
        for (const d of ["bin", "usr/local/bin", "tmp", "var/run", NEW_ROOT]) fs.mkdirSync(path.join(chroot, d), { recursive: true });
        fs.copyFileSync("/bin/busybox", path.join(chroot, "bin/busybox"));
        fs.chmodSync(path.join(chroot, "bin/busybox"), 0o755);
        for (const s of defaultScripts()) fs.writeFileSync(path.join(chroot, s.path), s.data, { mode: s.mode });
        // Recorders standing in for systemd's tools; `systemctl poweroff` fails when FAIL_POWEROFF is set.
        const recorder = (name: string) => `#!/bin/sh\necho "${name} $*" >> /log\n[ "${name} $*" = "systemctl --no-block poweroff" ] && [ -n "\${FAIL_POWEROFF:-}" ] && exit 1\nexit 0\n`;
        fs.writeFileSync(path.join(chroot, "usr/local/bin/systemctl"), recorder("systemctl"), { mode: 0o755 });
        fs.writeFileSync(path.join(chroot, "usr/local/bin/halt"), recorder("halt"), { mode: 0o755 });
        const install = inChroot(["/bin/busybox", "--install", "-s", "/bin"]);
        assert.equal(install.status, 0, install.stderr);
    });
    afterEach(() => fs.rmSync(chroot, { recursive: true, force: true }));

    it("ships both scripts executable, with a shebang, at the ramdisk paths the answer file names", () => {
        assert.deepEqual(defaultScripts().map((s) => [s.path, s.mode]), [[FIRSTBOOT_PATH, 0o755], [POSTINST_PATH, 0o755]]);
        for (const f of ["postinst.sh", "firstboot.sh"]) {
            const text = fs.readFileSync(path.join(DATA_DIR, f), "utf8");
            assert.match(text, /^#!\/bin\/sh\n/);
            assert.match(text, /^set -eu$/m);
            assert.doesNotMatch(text, /777/);
            assert.equal(spawnSync("sh", ["-n", path.join(DATA_DIR, f)]).status, 0, `${f} parses`);
        }
    });

    it("postinst.sh installs the first-boot script (0755) and a valid, enabled unit (0644) ordered after xapi", () => {
        const run = inChroot(["/bin/sh", "/postinst.sh", NEW_ROOT]);
        assert.equal(run.status, 0, run.stderr);
        assert.ok(fs.existsSync(target("root/post-executed")));
        const script = target("root/first-boot-script.sh");
        assert.ok(fs.readFileSync(script).equals(fs.readFileSync(path.join(DATA_DIR, "firstboot.sh"))));
        assert.equal(fs.statSync(script).mode & 0o7777, 0o755);
        const unit = target("etc/systemd/system/postinstall.service");
        assert.equal(fs.statSync(unit).mode & 0o7777, 0o644);
        const text = fs.readFileSync(unit, "utf8");
        assert.match(text, /^After=xapi\.service xs-firstboot\.service$/m);
        assert.match(text, /^Type=oneshot$/m);
        assert.match(text, /^ExecStart=\/root\/first-boot-script\.sh$/m);
        assert.match(text, /^WantedBy=multi-user\.target$/m);
        assert.equal(fs.readlinkSync(target("etc/systemd/system/multi-user.target.wants/postinstall.service")), "/etc/systemd/system/postinstall.service");
        const world = execFileSync("find", [path.join(chroot, NEW_ROOT), "-perm", "-o+w", "!", "-type", "l"], { encoding: "utf8" });
        assert.equal(world, "", "no world-writable file");
        // systemd's own parser, on a copy whose ExecStart points at a copy of the script (no space in its path).
        const copy = path.join(chroot, "tmp", "postinstall.service");
        const scriptCopy = path.join(chroot, "tmp", "first-boot-script.sh");
        fs.copyFileSync(script, scriptCopy);
        fs.writeFileSync(copy, text.replace(/\/root\/first-boot-script\.sh/g, scriptCopy));
        const verify = spawnSync("systemd-analyze", ["verify", copy], { encoding: "utf8" });
        assert.equal(verify.status, 0, verify.stderr);
        assert.equal(verify.stderr, "");
    });

    it("postinst.sh can run twice, leaving the same tree, and refuses to run without the new root's mount point", () => {
        const first = inChroot(["/bin/sh", "/postinst.sh", NEW_ROOT]);
        assert.equal(first.status, 0, first.stderr);
        const once = treeOf(path.join(chroot, NEW_ROOT));
        const second = inChroot(["/bin/sh", "/postinst.sh", NEW_ROOT]);
        assert.equal(second.status, 0, second.stderr);
        assert.deepEqual(treeOf(path.join(chroot, NEW_ROOT)), once);
        const bare = inChroot(["/bin/sh", "/postinst.sh"]);
        assert.equal(bare.status, 2);
        assert.match(bare.stderr, /usage: postinst.sh NEW_ROOT_MOUNT_POINT/);
    });

    it("is recognised by the simulated installer as a first-boot step that powers off once", () => {
        const read = (p: string) => (p === FIRSTBOOT_PATH ? fs.readFileSync(path.join(DATA_DIR, "firstboot.sh"), "utf8") : undefined);
        const analysis = analyseFirstBoot([{ url: `file://${POSTINST_PATH}`, text: fs.readFileSync(path.join(DATA_DIR, "postinst.sh"), "utf8") }], read);
        assert.deepEqual(analysis.steps, [{ where: "/etc/systemd/system/postinstall.service", halts: true, repeats: false }], analysis.log.join("\n"));
    });

    it("firstboot.sh disables its unit, then powers off once xapi reports init complete", () => {
        assert.equal(inChroot(["/bin/sh", "/postinst.sh", NEW_ROOT]).status, 0);
        fs.writeFileSync(path.join(chroot, "var/run/xapi_init_complete.cookie"), "");
        const run = inChroot(["/bin/sh", path.posix.join(NEW_ROOT, "root/first-boot-script.sh")]);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stderr, "");
        assert.equal(log(), "systemctl disable postinstall.service\nsystemctl --no-block poweroff\n");
    });

    it("firstboot.sh powers off anyway after its deadline for xapi, saying why, and falls back to halt -p", () => {
        const started = Date.now();
        const run = inChroot(["/bin/sh", "/firstboot.sh"], { VH_XAPI_WAIT_SECONDS: "1", FAIL_POWEROFF: "1" });
        assert.equal(run.status, 0, run.stderr);
        assert.ok(Date.now() - started < 10_000);
        assert.match(run.stderr, /^first-boot: xapi did not report init complete \(\/var\/run\/xapi_init_complete\.cookie\) within 1s; powering off anyway$/m);
        assert.equal(log(), "systemctl disable postinstall.service\nsystemctl --no-block poweroff\nhalt -p\n");
    });
});
