/**
 * Properties of remaster runs: reproducible bytes, streaming, content hash, idempotence, hostile
 * answer files, and failures (typed, clear, and leaving nothing behind).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readInitramfs } from "../../../provider/iso/initramfs";
import {
    IsoLayoutError, NoInstallerEntryError, remasterContentHash, RemasterError, RemasterInputError, remasterIso, remasterIsoStream,
    XorrisoError,
} from "../../../provider/iso/index";
import { bootConfigs } from "../../helpers/bootConfigs";
import { bootRecordReport, buildStandinIso, readEfibootFile, readIsoFile } from "../../helpers/standinIso";
import { ANSWER_FILE, assertBootRecordsPointAtFiles, sha256 } from "./fixtures";

const CONFIG_FILES = ["/boot/isolinux/isolinux.cfg", "/EFI/xenserver/grub.cfg", "/EFI/xenserver/grub-usb.cfg"];

function configsOf(iso: string): string[] {
    return [...CONFIG_FILES.map((p) => readIsoFile(iso, p).toString()), readEfibootFile(iso, "/EFI/xenserver/grub.cfg").toString()];
}

describe("provider/iso/remaster runs", function () {
    this.timeout(60_000);
    let dir: string, src: string, tmp: string;
    const opts = () => ({ sourceIso: src, answerFile: ANSWER_FILE, cacheDir: dir, tmpDir: tmp });
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-remaster-runs-"));
        tmp = fs.mkdtempSync(path.join(dir, "tmp-"));
        src = buildStandinIso({ out: path.join(dir, "src.iso"), flavor: "xenserver-8", compression: "bzip2", fillerMiB: 8 });
    });
    afterEach(() => assert.deepEqual(fs.readdirSync(tmp), [], "temporary files left behind"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const layout of ["grow", "replay"] as const) {
        it(`is byte-reproducible in the ${layout} layout: two runs give the same bytes, and the result's sha256 is the file's`, async () => {
            const messages: string[] = [];
            const a = await remasterIso({ ...opts(), layout, output: path.join(dir, `a-${layout}.iso`), onProgress: (e) => messages.push(e.message) });
            assert.ok(!messages.some((m) => /Growing a full copy/.test(m)), "the grow layout took its fast path (the filler is left out of the skeleton)");
            const b = await remasterIso({ ...opts(), layout, output: path.join(dir, `b-${layout}.iso`), tmpDir: fs.mkdtempSync(path.join(dir, "other-tmp-")) });
            assert.equal(a.sha256, sha256(path.join(dir, `a-${layout}.iso`)));
            assert.equal(b.sha256, a.sha256);
            assert.equal(a.size, fs.statSync(path.join(dir, `a-${layout}.iso`)).size);
            assert.equal(b.contentHash, a.contentHash);
        });
    }

    it("names the content, not the layout: both layouts share the content hash; grow is larger by the dead install.img", async () => {
        const grown = await remasterIso({ ...opts(), output: path.join(dir, "layout-grow.iso") });
        const replayed = await remasterIso({ ...opts(), layout: "replay", output: path.join(dir, "layout-replay.iso") });
        assert.deepEqual([grown.layout, replayed.layout], ["grow", "replay"]);
        assert.equal(grown.contentHash, replayed.contentHash);
        assert.notEqual(grown.sha256, replayed.sha256);
        assert.ok(grown.size - replayed.size >= readIsoFile(src, "/install.img").length, `grown ${grown.size}, replayed ${replayed.size}`);
        assert.deepEqual(configsOf(path.join(dir, "layout-grow.iso")), configsOf(path.join(dir, "layout-replay.iso")));
    });

    it("streams the same bytes it writes to a file in the replay layout, and only streams that layout", async () => {
        await assert.rejects(remasterIsoStream({ ...opts(), layout: "grow" }), (err: unknown) => {
            assert.ok(err instanceof RemasterInputError);
            assert.equal(err.message, 'invalid remaster input: layout must be "replay" here (a stream cannot grow: that needs a file to add a session to), got "grow"');
            return true;
        });
        const file = await remasterIso({ ...opts(), layout: "replay", output: path.join(dir, "file.iso") });
        const { stream, result } = await remasterIsoStream(opts());
        const hash = crypto.createHash("sha256");
        let size = 0;
        for await (const chunk of stream) { hash.update(chunk as Buffer); size += (chunk as Buffer).length; }
        const streamed = await result;
        assert.equal(hash.digest("hex"), file.sha256);
        assert.deepEqual([streamed.sha256, streamed.size, streamed.output], [file.sha256, size, undefined]);
    });

    it("computes the content hash without remastering; it changes with any input and names the output", async () => {
        const done = await remasterIso({ ...opts(), output: path.join(dir, "named.iso") });
        const { contentHash, name } = await remasterContentHash(opts());
        assert.equal(contentHash, done.contentHash);
        assert.equal(name, `vh-${contentHash.slice(0, 16)}.iso`);
        assert.equal(done.name, name);
        const variants = await Promise.all([
            remasterContentHash({ ...opts(), answerFile: ANSWER_FILE + " " }),
            remasterContentHash({ ...opts(), kernelArgs: ["sshpassword=x"] }),
            remasterContentHash({ ...opts(), answerFilePath: "/root/answerfile.xml" }),
            remasterContentHash({ ...opts(), scripts: [{ path: "/postinst.sh", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 }] }),
        ]);
        assert.equal(new Set([contentHash, ...variants.map((v) => v.contentHash)]).size, 5);
    });

    it("is idempotent: remastering its own (grown) output replaces our arguments and overlay instead of stacking them", async () => {
        const once = path.join(dir, "once.iso"), twice = path.join(dir, "twice.iso"), changed = path.join(dir, "changed.iso");
        const first = await remasterIso({ ...opts(), output: once, kernelArgs: ["sshpassword=first"] });
        const second = await remasterIso({ ...opts(), sourceIso: once, output: twice, kernelArgs: ["sshpassword=first"] });
        assert.deepEqual(second.installImg.previous?.kernelArgs, [...second.kernelArgs]);
        assert.deepEqual(configsOf(twice), configsOf(once));
        assert.ok(readIsoFile(twice, "/install.img").equals(readIsoFile(once, "/install.img")));
        assert.equal(readInitramfs(readIsoFile(twice, "/install.img")).segments.length, 3);
        assert.equal(bootRecordReport(twice), bootRecordReport(src));
        await assertBootRecordsPointAtFiles(twice);
        // Growing a grown image grows it again; the replay layout writes it compact, as from the original.
        assert.ok(second.size > first.size);
        const compact = await remasterIso({ ...opts(), sourceIso: once, output: path.join(dir, "compact.iso"), kernelArgs: ["sshpassword=first"], layout: "replay" });
        const fromOriginal = await remasterIso({ ...opts(), output: path.join(dir, "from-original.iso"), kernelArgs: ["sshpassword=first"], layout: "replay" });
        assert.equal(compact.size, fromOriginal.size);
        assert.deepEqual(configsOf(path.join(dir, "compact.iso")), configsOf(once));
        // A different extra argument replaces the old one rather than joining it.
        await remasterIso({ ...opts(), sourceIso: once, output: changed, kernelArgs: ["network_device=all"] });
        const cfg = readIsoFile(changed, "/boot/isolinux/isolinux.cfg").toString();
        assert.doesNotMatch(cfg, /sshpassword/);
        assert.equal(cfg.match(/answerfile=/g)?.length, 5);
        assert.match(cfg, /console=tty0 answerfile=file:\/\/\/answerfile.xml install atexit=poweroff network_device=all --- \/install.img/);
    });

    it("keeps a hostile answer file byte for byte", async () => {
        const hostile = Buffer.concat([
            Buffer.from("<?xml version=\"1.0\"?>\r\n<installation><!-- ]]> --- $(reboot) `halt` ' \" \\ -->\n"),
            Buffer.from("070701TRAILER!!!\0\0\0"), Buffer.from([0x1f, 0x8b, 0x08, 0xff, 0xfe, 0x00, 0x80]),
            Buffer.from("<root-password>p&amp;ss<word></root-password>\n</installation>"),
        ]);
        const out = path.join(dir, "hostile.iso");
        await remasterIso({ ...opts(), output: out, answerFile: hostile });
        assert.ok(readInitramfs(readIsoFile(out, "/install.img")).files["answerfile.xml"].data.equals(hostile));
    });

    it("fails with NoInstallerEntryError naming every config looked at when no entry installs", async () => {
        const shellOnly = "DEFAULT shell\nLABEL shell\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz --- /boot/vmlinuz bash-shell --- /install.img\n";
        const grubShell = 'menuentry "shell" {\n    multiboot2 /boot/xen.gz\n    module2 /boot/vmlinuz bash-shell\n    module2 /install.img\n}\n';
        const bad = buildStandinIso({ out: path.join(dir, "shell-only.iso"), flavor: "xcp-ng-8.3", configs: { isolinux: shellOnly, grub: grubShell, grubEfiboot: grubShell } });
        const output = path.join(dir, "never.iso");
        await assert.rejects(remasterIso({ ...opts(), sourceIso: bad, output }), (err: unknown) => {
            assert.ok(err instanceof NoInstallerEntryError);
            assert.match(err.message, /^no installer boot entry found in .*shell-only\.iso: looked at \/boot\/isolinux\/isolinux\.cfg, \/EFI\/xenserver\/grub\.cfg, \/boot\/efiboot\.img:\/EFI\/xenserver\/grub\.cfg; an installer entry boots a kernel with \/install\.img/);
            return true;
        });
        assert.ok(!fs.existsSync(output));
    });

    it("rejects invalid inputs listing every problem, before reading the ISO", async () => {
        await assert.rejects(remasterIso({ sourceIso: path.join(dir, "missing.iso"), answerFile: "", answerFilePath: "answer.xml", kernelArgs: ["a b"], output: path.join(dir, "x.iso"), tmpDir: tmp }), (err: unknown) => {
            assert.ok(err instanceof RemasterInputError);
            assert.equal(err.problems.length, 4);
            assert.match(err.message, /^invalid remaster input: sourceIso must be an existing ISO file, got ".*missing\.iso"; answerFile must not be empty; answerFilePath must be an absolute path/);
            return true;
        });
    });

    it("says so when the file is not an ISO at all", async () => {
        const junk = path.join(dir, "junk.iso");
        fs.writeFileSync(junk, Buffer.alloc(1024 * 1024, 0x41));
        await assert.rejects(remasterIso({ ...opts(), sourceIso: junk, output: path.join(dir, "j.iso") }),
            (err: unknown) => err instanceof IsoLayoutError && /^not an ISO 9660 image: .*junk\.iso has no volume descriptor at sector 16$/.test(err.message));
    });

    it("says which file is missing when the ISO is not an installer", async () => {
        const plain = path.join(dir, "plain.iso");
        const tree = fs.mkdtempSync(path.join(dir, "tree-"));
        fs.writeFileSync(path.join(tree, "README"), "not an installer\n");
        execFileSync("xorriso", ["-as", "mkisofs", "-quiet", "-o", plain, tree], { stdio: "ignore" });
        await assert.rejects(remasterIso({ ...opts(), sourceIso: plain, output: path.join(dir, "y.iso") }), (err: unknown) => {
            assert.ok(err instanceof IsoLayoutError);
            assert.match(err.message, /^not a XenServer\/XCP-ng installer ISO: .*plain\.iso has no \/install\.img/);
            return true;
        });
    });

    it("raises a XorrisoError carrying the command and xorriso's stderr for a damaged ISO", async () => {
        // The volume descriptors are intact but the directory tree lies beyond the end of the file.
        const damaged = path.join(dir, "damaged.iso");
        fs.writeFileSync(damaged, fs.readFileSync(src).subarray(0, 300 * 1024));
        await assert.rejects(remasterIso({ ...opts(), sourceIso: damaged, output: path.join(dir, "z.iso") }), (err: unknown) => {
            assert.ok(err instanceof XorrisoError);
            assert.deepEqual(err.command.slice(0, 3), ["xorriso", "-indev", damaged]);
            assert.match(err.message, /^xorriso failed to read the ISO .*damaged\.iso: xorriso -indev .*damaged\.iso -pvd_info .* \(exit code \d+\)\n/);
            assert.ok(err.stderr.length > 0);
            return true;
        });
    });

    it("turns a reader that stops early into an error, and still cleans up", async () => {
        const { stream, result } = await remasterIsoStream(opts());
        await new Promise<void>((resolve) => stream.once("data", () => { stream.destroy(); resolve(); }));
        await assert.rejects(result, (err: unknown) => {
            assert.ok(err instanceof RemasterError);
            assert.match(err.message, /was not read to the end: its reader closed the stream after \d+ bytes/);
            return true;
        });
    });

    for (const layout of ["grow", "replay"] as const) {
        it(`stops when aborted (${layout} layout), removing the partial output and temporary files`, async () => {
            const controller = new AbortController();
            const output = path.join(dir, `aborted-${layout}.iso`);
            const started = Date.now();
            await assert.rejects(remasterIso({
                ...opts(), output, signal: controller.signal, layout,
                onProgress: (e) => { if (e.step === "write") controller.abort(); },
            }), (err: unknown) => err instanceof XorrisoError && /^xorriso failed to write the remastered image of .* \(cancelled\)/.test(err.message));
            assert.ok(Date.now() - started < 5000, "aborting does not wait for xorriso to finish");
            assert.ok(!fs.existsSync(output));
            assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith(`aborted-${layout}.iso`)), []);
        });
    }

    it("patches a boot config given as a plain Linux entry too (DEFAULT with KERNEL/APPEND initrd=)", async () => {
        const configs = bootConfigs("xenserver-8");
        const plain = "DEFAULT install\nLABEL install\n\tKERNEL /boot/vmlinuz\n\tAPPEND initrd=/install.img console=ttyS0\n" + configs.isolinux.replace(/^SERIAL.*\nDEFAULT install\n/, "");
        const iso = buildStandinIso({ out: path.join(dir, "plain-entry.iso"), configs: { isolinux: plain } });
        const out = path.join(dir, "plain-entry-out.iso");
        const result = await remasterIso({ ...opts(), sourceIso: iso, output: out });
        assert.equal(result.configs[0].patched[0].title, "install");
        assert.match(readIsoFile(out, "/boot/isolinux/isolinux.cfg").toString(), /\tAPPEND initrd=\/install.img console=ttyS0 answerfile=file:\/\/\/answerfile.xml install atexit=poweroff\n/);
    });
});
