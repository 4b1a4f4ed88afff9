/**
 * Requirements: root (sshd, and mounting a 1 MiB tmpfs for the no-space cases), openssh-server.
 * The "host" is this machine behind a real sshd, so the tests inspect the remote files directly.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import {
    closeAll, ConnectionArgs, getSession, HostKeyMismatchError, InsufficientSpaceError, upload, UploadIntegrityError, UploadProgress,
} from "../../../provider/ssh";
import { sh } from "../../../provider/shell";
import { Sshd, sshdSkipReason, startSshd } from "../../helpers/sshd";
import { rejectsWithCode } from "./assertions";

const sha256 = (data: Buffer) => crypto.createHash("sha256").update(data).digest("hex");

describe("provider/ssh/upload (real sshd)", function () {
    this.timeout(60_000);
    let sshd: Sshd;
    let local: string;
    let remote: string;
    let args: ConnectionArgs;
    const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes(".vh-upload-"));

    before(async function () {
        if (sshdSkipReason()) this.skip();
        sshd = await startSshd();
        local = fs.mkdtempSync(path.join(os.tmpdir(), "vh-upload-local-"));
        remote = fs.mkdtempSync(path.join(os.tmpdir(), "vh-upload-remote-"));
        args = { host: sshd.host, port: sshd.port, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey };
    });
    after(async () => {
        await closeAll();
        await sshd?.stop();
        for (const d of [local, remote]) if (d) fs.rmSync(d, { recursive: true, force: true });
    });

    it("uploads a file with progress, verifies it on the host and places it atomically", async () => {
        const data = crypto.randomBytes(24 * 1024 * 1024 + 123);
        const file = path.join(local, "image.iso");
        fs.writeFileSync(file, data);
        const progress: UploadProgress[] = [];
        const result = await upload(getSession(args), file, `${remote}/image.iso`, { onProgress: (p) => progress.push(p) });
        assert.deepEqual({ ...result, seconds: 0 }, { remotePath: `${remote}/image.iso`, size: data.length, sha256: sha256(data), seconds: 0 });
        assert.ok(fs.readFileSync(`${remote}/image.iso`).equals(data));
        assert.deepEqual(leftovers(remote), []);
        assert.ok(progress.length >= 1);
        assert.deepEqual(progress.at(-1)!.bytes, data.length);
        assert.equal(progress.at(-1)!.total, data.length);
        assert.ok(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1].bytes));
        assert.ok(progress.at(-1)!.bytesPerSecond > 0);
    });

    it("uploads a stream of unknown size and replaces an existing file", async () => {
        fs.writeFileSync(`${remote}/streamed.bin`, "old content");
        const chunks = Array.from({ length: 40 }, (_, i) => crypto.randomBytes(100_000 + i));
        const result = await upload(getSession(args), Readable.from(chunks), `${remote}/streamed.bin`);
        const expected = Buffer.concat(chunks);
        assert.equal(result.size, expected.length);
        assert.ok(fs.readFileSync(`${remote}/streamed.bin`).equals(expected));
        assert.deepEqual(leftovers(remote), []);
    });

    it("uploads an empty file", async () => {
        const file = path.join(local, "empty");
        fs.writeFileSync(file, "");
        const result = await upload(getSession(args), file, `${remote}/empty`);
        assert.equal(result.sha256, sha256(Buffer.alloc(0)));
        assert.equal(fs.statSync(`${remote}/empty`).size, 0);
    });

    it("refuses to place a file whose host-side sha256 differs from the expected one, and removes the temp file", async () => {
        const file = path.join(local, "small.bin");
        fs.writeFileSync(file, "hello\n");
        const err = await rejectsWithCode(upload(getSession(args), file, `${remote}/mismatch.bin`, { sha256: "0".repeat(64) }), "UPLOAD_INTEGRITY");
        assert.match(err.message, new RegExp(`expected 6 bytes with sha256 0{64}, the host has 6 bytes with sha256 ${sha256(Buffer.from("hello\n"))}`));
        assert.ok(!fs.existsSync(`${remote}/mismatch.bin`));
        assert.deepEqual(leftovers(remote), []);
    });

    it("fails clearly when the target directory does not exist", async () => {
        const file = path.join(local, "small.bin");
        const err = await rejectsWithCode(upload(getSession(args), file, `${remote}/no/such/dir/x.bin`), "UPLOAD_FAILED");
        assert.match(err.message, new RegExp(`cannot check free space of the target directory ${remote}/no/such/dir \\(does it exist\\?\\): df: .*No such file or directory`));
    });

    it("rejects a relative or dotted remote path", async () => {
        const file = path.join(local, "small.bin");
        await rejectsWithCode(upload(getSession(args), file, "relative/x.bin"), "UPLOAD_FAILED");
        await rejectsWithCode(upload(getSession(args), file, `${remote}/../x.bin`), "UPLOAD_FAILED");
    });

    describe("on a worker thread", () => {
        const logins = () => (sshd.log().match(/Accepted publickey/g) ?? []).length;

        it("sends a file of 16 MiB or more from a worker thread over a connection of its own; smaller ones over the pooled one", async () => {
            const session = getSession(args);
            await session.run(sh`true`); // the pooled connection is up
            const big = path.join(local, "big.iso");
            fs.writeFileSync(big, crypto.randomBytes(16 * 1024 * 1024));
            const before = logins();
            const progress: UploadProgress[] = [];
            const result = await upload(session, big, `${remote}/big.iso`, { onProgress: (p) => progress.push(p) });
            assert.equal(logins(), before + 1, "the worker logs in on its own");
            assert.equal(result.sha256, sha256(fs.readFileSync(big)));
            assert.ok(fs.readFileSync(`${remote}/big.iso`).equals(fs.readFileSync(big)));
            assert.equal(progress.at(-1)?.bytes, 16 * 1024 * 1024, "progress comes back from the worker");

            const small = path.join(local, "below.bin");
            fs.writeFileSync(small, crypto.randomBytes(1024 * 1024));
            await upload(session, small, `${remote}/below.bin`);
            await upload(session, big, `${remote}/big-here.iso`, { thread: "caller" });
            assert.equal(logins(), before + 1, "no new login for a small file or thread: \"caller\"");
            assert.deepEqual(leftovers(remote), []);
        });

        it("brings typed errors back with their class and fields, and leaves no temp file", async () => {
            const file = path.join(local, "small.bin");
            fs.writeFileSync(file, "hello\n");
            const mismatch = await rejectsWithCode<UploadIntegrityError>(
                upload(getSession(args), file, `${remote}/mismatch.bin`, { sha256: "0".repeat(64), thread: "worker" }), "UPLOAD_INTEGRITY");
            assert.ok(mismatch instanceof UploadIntegrityError);
            assert.deepEqual(mismatch.actual, { size: 6, sha256: sha256(Buffer.from("hello\n")) });
            assert.equal(mismatch.remotePath, `${remote}/mismatch.bin`);
            assert.ok(!fs.existsSync(`${remote}/mismatch.bin`));
            assert.deepEqual(leftovers(remote), []);
        });

        it("accepts a host key pinned as a key line on its own connection (pins survive the thread boundary)", async () => {
            const file = path.join(local, "small.bin");
            fs.writeFileSync(file, "hello\n");
            const result = await upload(getSession({ ...args, hostKey: sshd.hostKeyLine }), file, `${remote}/key-pinned.bin`, { thread: "worker" });
            assert.equal(result.sha256, sha256(Buffer.from("hello\n")));
        });

        it("checks the host key on its own connection too", async () => {
            const file = path.join(local, "small.bin");
            const wrongPin = "SHA256:" + Buffer.alloc(32, 7).toString("base64").replace(/=+$/, "");
            const err = await rejectsWithCode<HostKeyMismatchError>(
                upload(getSession({ ...args, hostKey: wrongPin }), file, `${remote}/pinned.bin`, { thread: "worker" }), "HOST_KEY_MISMATCH");
            assert.ok(err instanceof HostKeyMismatchError);
            assert.deepEqual(err.expected, [wrongPin]);
            assert.ok(!fs.existsSync(`${remote}/pinned.bin`));
        });

        it("reports through the caller's logger", async () => {
            const lines: string[] = [];
            const insecure = { ...args, hostKey: undefined, insecureSkipHostKeyCheck: true };
            const file = path.join(local, "small.bin");
            await upload(getSession(insecure, { log: (l) => lines.push(l) }), file, `${remote}/logged.bin`, { thread: "worker" });
            assert.equal(lines.filter((l) => /WARNING: insecureSkipHostKeyCheck is set/.test(l)).length, 1, lines.join("\n"));
        });
    });

    it("needs one SSH channel at a time: works with maxChannels 1", async () => {
        const file = path.join(local, "one-channel.bin");
        fs.writeFileSync(file, crypto.randomBytes(100_000));
        const result = await upload(getSession({ ...args, maxChannels: 1, commandTimeoutMs: 20_000 }), file, `${remote}/one-channel.bin`, { thread: "caller" });
        assert.equal(result.sha256, sha256(fs.readFileSync(file)));
        assert.ok(fs.readFileSync(`${remote}/one-channel.bin`).equals(fs.readFileSync(file)));
    });

    describe("on a full filesystem (1 MiB tmpfs)", () => {
        let small: string;
        before(function () {
            small = fs.mkdtempSync(path.join(os.tmpdir(), "vh-upload-small-"));
            try {
                execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small], { stdio: "ignore" });
            } catch {
                fs.rmSync(small, { recursive: true, force: true });
                this.skip(); // no CAP_SYS_ADMIN here
            }
        });
        after(() => {
            if (!small) return;
            try { execFileSync("umount", [small], { stdio: "ignore" }); } catch { /* not mounted */ }
            fs.rmSync(small, { recursive: true, force: true });
        });

        it("checks free space first (df -Pk) and writes nothing when the file cannot fit", async () => {
            const file = path.join(local, "two-megs.bin");
            fs.writeFileSync(file, crypto.randomBytes(2 * 1024 * 1024));
            const err = await rejectsWithCode<Error & { neededBytes: number; availableBytes: number }>(upload(getSession(args), file, `${small}/big.iso`), "UPLOAD_NO_SPACE");
            assert.equal(err.neededBytes, 2 * 1024 * 1024);
            assert.ok(err.availableBytes <= 1024 * 1024);
            assert.match(err.message, new RegExp(`not enough free space in ${small}: 2\\.0 MiB needed, .* available`));
            assert.deepEqual(fs.readdirSync(small), []);
            const fromWorker = await rejectsWithCode<InsufficientSpaceError>(upload(getSession(args), file, `${small}/big.iso`, { thread: "worker" }), "UPLOAD_NO_SPACE");
            assert.ok(fromWorker instanceof InsufficientSpaceError);
            assert.equal(fromWorker.neededBytes, 2 * 1024 * 1024);
        });

        it("reports a stream that fills the filesystem as no space, and removes the temp file", async () => {
            const chunks = Array.from({ length: 30 }, () => crypto.randomBytes(100_000));
            const err = await rejectsWithCode(upload(getSession(args), Readable.from(chunks), `${small}/streamed.iso`), "UPLOAD_NO_SPACE");
            assert.match(err.message, /the file did not fit/);
            assert.deepEqual(fs.readdirSync(small), []);
        });
    });
});
