import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { contentHash, defaultCacheDir, REMASTER_FORMAT, remasteredIsoName, sourceIsoSha256 } from "../../../provider/iso/contentHash";
import { RemasterInputError } from "../../../provider/iso/errors";
import { remasterContentHash } from "../../../provider/iso/remaster";

describe("provider/iso/contentHash", () => {
    let dir: string, iso: string, cacheDir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-hash-"));
        iso = path.join(dir, "source.iso");
        cacheDir = path.join(dir, "cache");
        fs.writeFileSync(iso, crypto.randomBytes(3 * 1024 * 1024 + 5));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const realSha = () => crypto.createHash("sha256").update(fs.readFileSync(iso)).digest("hex");

    it("hashes the source ISO and caches the result by path, size, mtime and inode", async () => {
        const progress: number[] = [];
        assert.equal(await sourceIsoSha256(iso, { cacheDir, onProgress: (done) => progress.push(done) }), realSha());
        assert.equal(progress[progress.length - 1], fs.statSync(iso).size);
        const cache = JSON.parse(fs.readFileSync(path.join(cacheDir, "iso-sha256.json"), "utf8"));
        assert.equal(cache.entries[fs.realpathSync(iso)].sha256, realSha());
    });

    it("does not re-read an unchanged file: a cache hit reads nothing", async () => {
        fs.utimesSync(iso, 1_600_000_000, 1_600_000_000); // whole seconds, so the test can restore the mtime exactly
        const first = await sourceIsoSha256(iso, { cacheDir });
        // Same size, same mtime, same inode, different bytes: only a cache hit returns the old hash.
        const st = fs.statSync(iso);
        const fd = fs.openSync(iso, "r+");
        fs.writeSync(fd, Buffer.from("changed"), 0, 7, 0);
        fs.closeSync(fd);
        fs.utimesSync(iso, 1_600_000_000, 1_600_000_000);
        let reads = 0;
        assert.equal(await sourceIsoSha256(iso, { cacheDir, onProgress: () => reads++ }), first);
        assert.equal(reads, 0);
        // A new mtime invalidates the entry.
        fs.utimesSync(iso, st.atime, new Date(st.mtimeMs + 5000));
        assert.equal(await sourceIsoSha256(iso, { cacheDir }), realSha());
        assert.notEqual(realSha(), first);
    });

    it("treats a damaged cache file as empty and repairs it", async () => {
        fs.mkdirSync(cacheDir);
        fs.writeFileSync(path.join(cacheDir, "iso-sha256.json"), "{not json");
        assert.equal(await sourceIsoSha256(iso, { cacheDir }), realSha());
        assert.ok(JSON.parse(fs.readFileSync(path.join(cacheDir, "iso-sha256.json"), "utf8")).entries);
    });

    it("puts the cache under $XDG_CACHE_HOME, else ~/.cache", () => {
        assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/var/cache/me" }), "/var/cache/me/virtual-hypervisor");
        assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "relative" }), path.join(os.homedir(), ".cache", "virtual-hypervisor"));
        assert.equal(defaultCacheDir({}), path.join(os.homedir(), ".cache", "virtual-hypervisor"));
    });

    it("gives a stable hash that changes with every input, and a name from its first 16 hex digits", () => {
        const base = {
            sourceIsoSha256: "a".repeat(64), answerFile: Buffer.from("<installation/>"), answerFilePath: "/answerfile.xml",
            scripts: [{ path: "/postinst.sh", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 }],
            kernelArgs: ["answerfile=file:///answerfile.xml", "install", "atexit=poweroff"], sourceDateEpoch: 1577836800,
        };
        const h = contentHash(base);
        assert.match(h, /^[0-9a-f]{64}$/);
        assert.equal(contentHash({ ...base, scripts: [...base.scripts] }), h);
        const variants = [
            { sourceIsoSha256: "b".repeat(64) }, { answerFile: Buffer.from("<installation />") }, { answerFilePath: "/a.xml" },
            { scripts: [{ ...base.scripts[0], mode: 0o700 }] }, { scripts: [{ ...base.scripts[0], data: Buffer.from("#!/bin/sh\n\n") }] },
            { scripts: [{ ...base.scripts[0], path: "/firstboot.sh" }] }, { kernelArgs: [...base.kernelArgs, "x"] }, { sourceDateEpoch: 1 },
        ];
        const hashes = new Set([h, ...variants.map((v) => contentHash({ ...base, ...v }))]);
        assert.equal(hashes.size, variants.length + 1);
        // The scripts are a set of files: their order does not matter.
        const second = { path: "/firstboot.sh", data: Buffer.from("#!/bin/sh\nexit 0\n"), mode: 0o755 };
        assert.equal(contentHash({ ...base, scripts: [base.scripts[0], second] }), contentHash({ ...base, scripts: [second, base.scripts[0]] }));
        assert.equal(remasteredIsoName(h), `vh-${h.slice(0, 16)}.iso`);
        assert.equal(REMASTER_FORMAT, 2);
    });

    it("hashes a script by its ramdisk path however it is spelt, and checks that path against answerFilePath", async () => {
        // The input only has to be a file: the hash reads its bytes, nothing parses it as an ISO.
        const options = { sourceIso: iso, answerFile: "<installation/>", cacheDir };
        const withScript = (scriptPath: string) => ({ ...options, scripts: [{ path: scriptPath, data: Buffer.from("#!/bin/sh\n"), mode: 0o755 }] });
        const absolute = await remasterContentHash(withScript("/postinst.sh"));
        assert.deepEqual(await remasterContentHash(withScript("postinst.sh")), absolute);
        assert.deepEqual(await remasterContentHash(withScript("./postinst.sh")), absolute);
        await assert.rejects(remasterContentHash({ ...withScript("./postinst.sh"), answerFilePath: "/postinst.sh" }), (err: unknown) => {
            assert.ok(err instanceof RemasterInputError);
            assert.deepEqual(err.problems, [
                'answerFilePath must not be one of the files the remaster adds (/postinst.sh, /.vh-remaster.json, /init), got "/postinst.sh"',
            ]);
            return true;
        });
    });
});
