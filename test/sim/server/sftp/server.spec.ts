/**
 * The simulated host's SFTP subsystem (sim/server/sftp/server.ts) with ssh2's client and OpenSSH's sftp.
 */
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { connect, promisify, sftp, sshOptions, writeKnownHosts } from "../client";

describe("sim/server/sftp", function () {
    this.timeout(30_000);
    let host: SimHost;
    let knownHosts: string;

    before(async () => {
        host = await startSimHost();
        knownHosts = writeKnownHosts(host);
    });
    after(async () => { await host?.stop(); });

    it("serves SFTP for ssh2's fastPut/fastGet, streams, rename, directories, stat and statvfs", async () => {
        const local = fs.mkdtempSync(path.join(os.tmpdir(), "vh-sftp-"));
        const client = await connect(host.connection);
        try {
            const s = await sftp(client);
            const data = crypto.randomBytes(3 * 1024 * 1024 + 123);
            fs.writeFileSync(path.join(local, "up.bin"), data);
            await promisify<void>((cb) => s.fastPut(path.join(local, "up.bin"), "upload/../up.bin", { concurrency: 16 }, (e) => cb(e, undefined)));
            const remote = path.join(host.stateDir, "home", "up.bin");
            assert.ok(fs.readFileSync(remote).equals(data), "the uploaded file is byte-identical");
            await promisify<void>((cb) => s.fastGet("up.bin", path.join(local, "down.bin"), (e) => cb(e, undefined)));
            assert.ok(fs.readFileSync(path.join(local, "down.bin")).equals(data));

            await promisify<void>((cb) => s.mkdir("dir", (e) => cb(e, undefined)));
            await new Promise<void>((resolve, reject) => {
                const w = s.createWriteStream("dir/stream.txt", { mode: 0o600 });
                w.on("close", () => resolve()).on("error", reject);
                w.end("streamed\n");
            });
            assert.strictEqual(fs.readFileSync(path.join(host.stateDir, "home", "dir", "stream.txt"), "utf8"), "streamed\n");
            const st = await promisify<import("ssh2").Stats>((cb) => s.stat("dir/stream.txt", cb));
            assert.strictEqual(st.size, 9);
            await promisify<void>((cb) => s.chmod("dir/stream.txt", 0o640, (e) => cb(e, undefined)));
            assert.strictEqual(fs.statSync(path.join(host.stateDir, "home", "dir", "stream.txt")).mode & 0o777, 0o640);
            const names = await promisify<import("ssh2").FileEntry[]>((cb) => s.readdir("dir", cb));
            assert.deepStrictEqual(names.map((n) => n.filename), ["stream.txt"]);
            assert.strictEqual(await promisify<string>((cb) => s.realpath(".", cb)), path.join(host.stateDir, "home"));

            // Plain rename does not replace; posix-rename@openssh.com does.
            fs.writeFileSync(path.join(host.stateDir, "home", "target.txt"), "old");
            await assert.rejects(promisify<void>((cb) => s.rename("dir/stream.txt", "target.txt", (e) => cb(e, undefined))));
            await promisify<void>((cb) => s.ext_openssh_rename("dir/stream.txt", "target.txt", (e) => cb(e, undefined)));
            assert.strictEqual(fs.readFileSync(path.join(host.stateDir, "home", "target.txt"), "utf8"), "streamed\n");
            const vfs = await promisify<{ f_bsize: number; f_blocks: number; f_namemax: number }>((cb) => s.ext_openssh_statvfs(".", cb as never));
            const real = fs.statfsSync(host.stateDir);
            assert.deepStrictEqual([vfs.f_bsize, vfs.f_blocks, vfs.f_namemax], [real.bsize, real.blocks, 255]);

            await promisify<void>((cb) => s.unlink("target.txt", (e) => cb(e, undefined)));
            await promisify<void>((cb) => s.rmdir("dir", (e) => cb(e, undefined)));
            await assert.rejects(promisify((cb) => s.stat("dir", cb)), /No such file/);
        } finally {
            client.end();
            fs.rmSync(local, { recursive: true, force: true });
        }
    });

    it("works with the OpenSSH sftp client", () => {
        const local = fs.mkdtempSync(path.join(os.tmpdir(), "vh-sftp-"));
        try {
            fs.writeFileSync(path.join(local, "a.txt"), "via openssh sftp\n");
            const r = spawnSync("sftp", [...sshOptions(host, knownHosts).map((o) => (o === "-p" ? "-P" : o)), "-b", "-", "-i", host.connection.privateKeyPath,
                `${host.connection.user}@${host.connection.host}`], { input: `put ${local}/a.txt sftp-a.txt\nget sftp-a.txt ${local}/b.txt\nrm sftp-a.txt\n`, encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.strictEqual(fs.readFileSync(path.join(local, "b.txt"), "utf8"), "via openssh sftp\n");
        } finally {
            fs.rmSync(local, { recursive: true, force: true });
        }
    });
});
