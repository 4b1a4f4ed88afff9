/**
 * `npm run demo` from a fresh clone in a temporary directory, as a new user would run it: the
 * bootstrap installs the npm dependencies (from the local npm cache) and builds, then the demo
 * drives the real `vh` commands against a simulated host and proves it left nothing behind. Also:
 * a demo step that fails makes the demo exit 1, still cleaning up.
 *
 * The clone is of the committed HEAD when the working tree is clean; with uncommitted changes it
 * is a copy of exactly the files a commit would hold (tracked and untracked, not ignored), so the
 * test checks the tree as it is about to be committed.
 * Requirements: git, npm with the project's dependencies in its cache, and the Debian packages
 * marked `demo` in scripts/system-packages.txt.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { processesUsing } from "../cli/demo/checks";
import { REPO_ROOT } from "./helpers/paths";

interface Run { code: number | null; output: string }

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => { output += d; });
        child.stderr.setEncoding("utf8").on("data", (d: string) => { output += d; });
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${command} ${args.join(" ")} did not finish within ${options.timeoutMs / 1000} s; output:\n${output}`));
        }, options.timeoutMs);
        child.once("error", reject);
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, output });
        });
    });
}

/** A fresh clone of the repository in `dir`; resolves how it was made. */
function freshClone(dir: string): string {
    const dirty = execFileSync("git", ["-C", REPO_ROOT, "status", "--porcelain"], { encoding: "utf8" }).trim() !== "";
    if (!dirty) {
        execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, dir], { stdio: "ignore" });
        return "a git clone of HEAD";
    }
    const files = execFileSync("git", ["-C", REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
        .split("\0").filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)));
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
        fs.chmodSync(path.join(dir, f), fs.statSync(path.join(REPO_ROOT, f)).mode);
    }
    return `a copy of the ${files.length} files a commit of the working tree would hold (it has uncommitted changes)`;
}

/** The demo's working directory, from its first line. */
function demoDir(output: string): string {
    const m = /working in (\/\S+?)\)/.exec(output);
    assert.ok(m, `the demo names its working directory:\n${output}`);
    return m[1];
}

describe("npm run demo", function () {
    this.timeout(300_000);
    let tmp: string;
    before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-demo-test-")); });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("runs from a fresh clone: echoes each vh command like a tutorial, tears down, and leaves nothing behind", async () => {
        const clone = path.join(tmp, "clone");
        const how = freshClone(clone);
        assert.ok(!fs.existsSync(path.join(clone, "node_modules")) && !fs.existsSync(path.join(clone, "dist")), `${how} has no dependencies or build yet`);
        const env = {
            ...process.env,
            // The dependencies come from the local npm cache; optional native addons (ssh2's crypto
            // binding, cpu-features) are not compiled, which the pure-JS fallbacks cover.
            npm_config_prefer_offline: "true", npm_config_ignore_scripts: "true", npm_config_audit: "false", npm_config_fund: "false",
        };
        const started = Date.now();
        const r = await run("npm", ["run", "demo"], { cwd: clone, env, timeoutMs: 280_000 });
        const seconds = (Date.now() - started) / 1000;
        assert.equal(r.code, 0, `npm run demo in ${how} failed:\n${r.output}`);
        const out = r.output;
        for (const line of [
            /^bootstrap: installing npm dependencies \(npm ci\)$/m,
            /^bootstrap: building \(npm run build\)$/m,
            /^\$ vh sim --state-dir host --install-seconds 2 --first-boot-seconds 1 &$/m,
            /^\$ CONN="--port \d+ --identity host\/ssh\/id_ed25519 --host-key SHA256:[A-Za-z0-9+/]{43}" {3}# how every command below reaches it$/m,
            /^\$ vh network create 127\.0\.0\.1 home \$CONN\n {2}Created network home on root@127\.0\.0\.1:\d+$/m,
            /^\$ vh answerfile static -h vh0\.lab -i 192\.168\.32\.2 -m 255\.255\.255\.0 -g 192\.168\.32\.1 --password-file root-password -n 192\.168\.32\.1 > vh0\.answers$/m,
            /^\$ vh remaster xenserver\.iso vh1\.lab\.iso vh1\.answers\n {2}Reading /m,
            /^\$ vh install vh0\.lab\.iso 127\.0\.0\.1 home vh0\.lab \$CONN --power-state running &\n\$ vh install vh1\.lab\.iso 127\.0\.0\.1 home vh1\.lab \$CONN --power-state running &\n\$ wait$/m,
            /^ {2}\[vh0\.lab\] \S+Z vh0\.lab: \[install \(Step 2 of 3\)\] /m,
            /^ {2}\[vh1\.lab\] vh1\.lab on root@127\.0\.0\.1:\d+ installed \(running\)$/m,
            /^\$ vh console 127\.0\.0\.1 vh1\.lab \$CONN\n {2}vh1\.lab is running as domain \d+ on root@127\.0\.0\.1:\d+; its console is VNC on port 59\d\d in dom0\.$/m,
            /^ {2}vh0\.lab {2}192\.168\.32\.2 {3}running/m,
            /^\$ vh destroy 127\.0\.0\.1 vh0\.lab \$CONN\n {2}Destroyed vh0\.lab/m,
            /^\$ vh network destroy 127\.0\.0\.1 home \$CONN\n {2}Destroyed network home/m,
            /^ {2}no VM, disk, drive, interface, network, ISO library SR or ISO file of ours is left$/m,
            /^ {2}no process of the demo is left running \(vh sim stopped cleanly\)$/m,
            /^demo passed in [\d.]+ s: /m,
        ]) assert.match(out, line);
        const dir = demoDir(out);
        assert.equal(fs.existsSync(dir), false, "the demo removed its working directory");
        assert.deepEqual(processesUsing(dir), [], "nothing of the demo runs any more");
        assert.deepEqual(processesUsing(clone), [], "nothing started from the clone runs any more");
        console.log(`      (${how}; npm run demo took ${seconds.toFixed(1)} s, the demo itself ${/demo passed in ([\d.]+) s/.exec(out)![1]} s)`);
    });

    it("exits 1 when a step fails, and still stops the simulated host and cleans up", async () => {
        // Without the ISO tools on PATH the stand-in ISO cannot be built (the demo runs node by absolute path).
        const r = await run(process.execPath, [path.join(REPO_ROOT, "dist", "cli", "demo.js")], {
            cwd: tmp, env: { ...process.env, PATH: path.join(tmp, "no-tools") }, timeoutMs: 60_000,
        });
        assert.equal(r.code, 1, r.output);
        assert.match(r.output, /^demo: spawnSync \S+ ENOENT$/m, "the failing step is named");
        assert.match(r.output, /^ {2}no VM, disk, drive, interface, network, ISO library SR or ISO file of ours is left$/m);
        assert.match(r.output, /^demo FAILED after [\d.]+ s: /m);
        const dir = demoDir(r.output);
        assert.equal(fs.existsSync(dir), false);
        assert.deepEqual(processesUsing(dir), []);
    });
});
