/**
 * `vh remaster`, run as users run it: `node dist/cli/vh.js remaster …` in a child process, on a
 * stand-in ISO built with the real tools.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readInitramfs } from "../../provider/iso/initramfs";
import { buildStandinIso, readEfibootFile, readIsoFile } from "../helpers/standinIso";
import { ANSWER_FILE, sha256 } from "../provider/iso/fixtures";
import { vh } from "./run";

describe("vh remaster", function () {
    this.timeout(60_000);
    let tmp: string, src: string, env: NodeJS.ProcessEnv;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-remaster-"));
        src = buildStandinIso({ out: path.join(tmp, "xenserver.iso"), flavor: "xenserver-8", compression: "bzip2" });
        fs.writeFileSync(path.join(tmp, "answers"), ANSWER_FILE);
        // Keep the source-hash cache inside the test directory.
        env = { ...process.env, XDG_CACHE_HOME: path.join(tmp, "cache") };
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("takes the seed's ISOFILE TARGET ANSWERFILE, prints its progress lines and the output's name, size and sha256", async () => {
        const r = await vh(["remaster", "xenserver.iso", "customxs.iso", "answers"], { cwd: tmp, env });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, "");
        const out = path.join(tmp, "customxs.iso");
        const lines = r.stdout.trimEnd().split("\n");
        assert.equal(lines[0], `Reading ${src}`);
        assert.ok(lines.some((l) => /^Remastering \/install\.img: base magic 425a68 \(bzip2\)/.test(l)), r.stdout);
        assert.ok(lines.includes("Patched /boot/isolinux/isolinux.cfg: install, no-serial, safe, multipath, common-criteria-prep"), r.stdout);
        assert.ok(lines.includes(`Create new iso: ${out}`), r.stdout);
        const [created, name, size, sha] = lines.slice(-4);
        assert.equal(created, `Created ${out}`);
        assert.match(name, /^ {2}name: {3}vh-[0-9a-f]{16}\.iso$/);
        assert.equal(size, `  size:   ${fs.statSync(out).size} bytes`);
        assert.equal(sha, `  sha256: ${sha256(out)}`);
        assert.equal(readInitramfs(readIsoFile(out, "/install.img")).files["answerfile.xml"].data.toString(), ANSWER_FILE);
    });

    it("adds --kernel-arg values in order and honours --answerfile-path; --json prints the result", async () => {
        const r = await vh(["remaster", src, path.join(tmp, "args.iso"), path.join(tmp, "answers"),
            "--kernel-arg", "sshpassword=lab", "--kernel-arg=network_device=all", "--answerfile-path", "/root/answerfile.xml", "--json"], { env });
        assert.equal(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout);
        assert.deepEqual(result.kernelArgs, ["answerfile=file:///root/answerfile.xml", "install", "atexit=poweroff", "sshpassword=lab", "network_device=all"]);
        assert.equal(result.sha256, sha256(path.join(tmp, "args.iso")));
        assert.match(r.stderr, /^Reading /, "progress goes to stderr with --json");
        const grub = readEfibootFile(path.join(tmp, "args.iso"), "/EFI/xenserver/grub.cfg").toString();
        assert.match(grub, /module2 \/boot\/vmlinuz console=hvc0 console=tty0 answerfile=file:\/\/\/root\/answerfile.xml install atexit=poweroff sshpassword=lab network_device=all\n/);
        assert.ok(readInitramfs(readIsoFile(path.join(tmp, "args.iso"), "/install.img")).files["root/answerfile.xml"]);
    });

    it("names the output vh-<content hash>.iso when TARGET is a directory, and reads ANSWERFILE - from stdin", async () => {
        const outDir = fs.mkdtempSync(path.join(tmp, "out-"));
        const r = await vh(["remaster", src, outDir, "-", "--json"], { input: ANSWER_FILE, env });
        assert.equal(r.code, 0, r.stderr);
        const { output, name, contentHash } = JSON.parse(r.stdout);
        assert.equal(name, `vh-${contentHash.slice(0, 16)}.iso`);
        assert.equal(output, path.join(outDir, name));
        assert.deepEqual(fs.readdirSync(outDir), [name]);
    });

    for (const [what, args, message] of [
        ["no arguments", [], /^vh remaster: expected ISOFILE TARGET ANSWERFILE, got no arguments\n\nusage: vh remaster/],
        ["an unknown option", ["a", "b", "c", "--bogus"], /^vh remaster: Unknown option '--bogus'/],
        ["a missing ISOFILE", ["missing.iso", "out.iso", "answers"], /^vh remaster: ISOFILE must be an existing file, got "missing.iso"\n/],
        ["a missing ANSWERFILE", ["xenserver.iso", "out.iso", "nope.xml"], /^vh remaster: cannot read ANSWERFILE "nope.xml": ENOENT/],
        ["a TARGET in a missing directory", ["xenserver.iso", "no/such/dir/out.iso", "answers"], /^vh remaster: TARGET's directory must exist, got "no\/such\/dir\/out.iso"/],
        ["bad option values", ["xenserver.iso", "out.iso", "answers", "--kernel-arg", "two words", "--answerfile-path", "answers.xml"],
            /^vh remaster: --answerfile-path must be an absolute path .* got "answers.xml"; --kernel-arg #1 must be one kernel argument .* got "two words"\n\nusage:/],
    ] as Array<[string, string[], RegExp]>) {
        it(`exits 2 with the usage for ${what}`, async () => {
            const r = await vh(["remaster", ...args], { cwd: tmp, env });
            assert.equal(r.code, 2);
            assert.match(r.stderr, message);
            assert.match(r.stderr, /usage: vh remaster ISOFILE TARGET ANSWERFILE \[options\]/);
            assert.ok(!fs.existsSync(path.join(tmp, "out.iso")));
        });
    }

    it("exits 1 with the reason when the ISO cannot be remastered", async () => {
        const shell = "LABEL shell\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz --- /boot/vmlinuz bash-shell --- /install.img\n";
        const grub = 'menuentry "shell" {\n    multiboot2 /boot/xen.gz\n    module2 /boot/vmlinuz bash-shell\n    module2 /install.img\n}\n';
        buildStandinIso({ out: path.join(tmp, "shell.iso"), flavor: "xcp-ng-8.3", configs: { isolinux: shell, grub, grubEfiboot: grub } });
        const r = await vh(["remaster", "shell.iso", "out.iso", "answers"], { cwd: tmp, env });
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^vh remaster: no installer boot entry found in .*shell\.iso: looked at \/boot\/isolinux\/isolinux\.cfg, \/EFI\/xenserver\/grub\.cfg, \/boot\/efiboot\.img:\/EFI\/xenserver\/grub\.cfg;/);
        assert.ok(!fs.existsSync(path.join(tmp, "out.iso")));
    });

    it("is listed by vh --help", async () => {
        const r = await vh(["--help"]);
        assert.match(r.stdout, /\n {2}remaster +remaster an installer ISO for an unattended install \(create_customxs_iso\.sh\)\n/);
    });
});
