import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LockTimeoutError, LOCK_FILE, isHolderDead, withLock } from "../../../sim/model/lock";
import { TestHost } from "../harness";

describe("sim/model/lock", function () {
    this.timeout(60_000);

    it("breaks a lock left by a dead process", async () => {
        const h = new TestHost();
        try {
            const dead = spawnSync("true").pid!;
            fs.writeFileSync(path.join(h.dir, LOCK_FILE), `${dead} 12345`);
            assert.equal(isHolderDead(`${dead} 12345`), true);
            const t0 = Date.now();
            const r = await h.xeProcess(["vm-list", "is-control-domain=true", "--minimal"]);
            assert.equal(r.code, 0, r.stderr);
            assert.ok(Date.now() - t0 < 5000);
            assert.equal(fs.existsSync(path.join(h.dir, LOCK_FILE)), false);
        } finally {
            h.cleanup();
        }
    });

    it("treats a reused pid (same pid, other start time) as dead, and a live holder as alive", () => {
        assert.equal(isHolderDead(`${process.pid} 1`), true);
        const stat = fs.readFileSync(`/proc/${process.pid}/stat`, "utf8");
        const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
        assert.equal(isHolderDead(`${process.pid} ${start}`), false);
    });

    it("gives up after its deadline with an error naming the lock and its holder", () => {
        const h = new TestHost();
        try {
            assert.throws(
                () => withLock(h.dir, () => withLock(h.dir, () => 1, { timeoutMs: 200 })),
                (e: unknown) => e instanceof LockTimeoutError
                    && e.message.startsWith(`timed out after 200 ms waiting for the simulator state lock ${path.join(h.dir, LOCK_FILE)} (held by ${process.pid} `),
            );
        } finally {
            h.cleanup();
        }
    });

    it("keeps the database consistent under 50 concurrent xe invocations (unique uuids and MACs, no lost update)", async () => {
        const h = new TestHost();
        try {
            const net = h.uuidOf("network-list", "bridge=xenbr0");
            const vms = Array.from({ length: 5 }, (_, i) => h.ok("vm-install", "template=Other install media", `new-name-label=base${i}`));
            const calls: Array<Promise<{ code: number; stdout: string; stderr: string }>> = [];
            for (let i = 0; i < 25; i++) calls.push(h.xeProcess(["vm-install", "template=Other install media", `new-name-label=par${i}`]));
            for (let i = 0; i < 25; i++) calls.push(h.xeProcess(["vif-create", `vm-uuid=${vms[i % 5]}`, `network-uuid=${net}`, `device=${Math.floor(i / 5)}`]));
            const results = await Promise.all(calls);
            for (const r of results) assert.equal(r.code, 0, r.stderr);
            const created = results.map((r) => r.stdout.trim());
            assert.equal(new Set(created).size, 50, "every call printed a different uuid");
            const db = h.db();
            const names = Object.values(db.vm).map((v) => v.name_label).filter((n) => n.startsWith("par"));
            assert.equal(names.length, 25);
            const vifs = Object.values(db.vif);
            assert.equal(vifs.length, 25);
            assert.equal(new Set(vifs.map((v) => v.MAC)).size, 25, "unique MACs");
            const allUuids = (["vm", "vif", "vbd", "vdi", "network", "sr", "pbd", "pif", "host", "pool"] as const).flatMap((t) => Object.values(db[t]).map((r) => r.uuid));
            assert.equal(new Set(allUuids).size, allUuids.length, "unique uuids across the database");
            assert.equal(fs.readFileSync(path.join(h.dir, "calls.log"), "utf8").trim().split("\n").length >= 55, true);
        } finally {
            h.cleanup();
        }
    });
});
