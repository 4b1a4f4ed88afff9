/**
 * Replays of real-world-style xe scripts (test/fixtures/sim/scripts, written in the style of
 * devstack tools/xen, the seed, the xen-api examples and os-xenapi) with `sh`, locally with
 * sim/bin first on PATH, over real OpenSSH, and over the simulator's own SSH front (`vh sim`).
 * Output must match the .expected files exactly (uuids replaced by U1, U2, … in order).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureHost } from "../../sim/host";
import { REPO_ROOT, SIM_BIN } from "../helpers/paths";
import { startSimHost } from "../helpers/simHost";
import { sshdSkipReason, startSshd } from "../helpers/sshd";
import { buildInstallerIso } from "./installer/installerIso";
import { normaliseUuids, TestHost, XeResult } from "./harness";

const SCRIPTS = path.join(REPO_ROOT, "test", "fixtures", "sim", "scripts");
const expected = (name: string) => fs.readFileSync(path.join(SCRIPTS, `${name}.expected`), "utf8");

interface Case {
    script: string;
    args: (work: string) => string[];
    setup?: (work: string) => void;
}

describe("sim scripts replay", function () {
    this.timeout(120_000);
    let work: string;
    let iso: string;
    before(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "sim-scripts-"));
        fs.chmodSync(work, 0o755);
        iso = buildInstallerIso({ out: path.join(work, "installer.iso") });
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    const cases: Case[] = [
        { script: "devstack-network", args: () => [] },
        { script: "seed-starter", args: () => [iso, "Pool-wide network associated with eth1", "vh0"] },
        { script: "xenapi-example", args: () => [] },
        {
            script: "os-xenapi-style",
            args: (w) => [path.join(w, "isos")],
            setup: (w) => {
                fs.mkdirSync(path.join(w, "isos"), { recursive: true });
                fs.writeFileSync(path.join(w, "isos", "tools.iso"), "t\n");
                fs.writeFileSync(path.join(w, "isos", "other.img"), "x\n");
            },
        },
    ];

    const check = (c: Case, r: XeResult) => {
        assert.equal(r.stderr, "", `${c.script} wrote to stderr`);
        assert.equal(r.code, 0);
        assert.equal(normaliseUuids(r.stdout), expected(c.script));
    };

    describe("locally with sh", () => {
        for (const c of cases) {
            it(`replays ${c.script}.sh`, async () => {
                const h = new TestHost({ installSeconds: 1, firstBootSeconds: 1 });
                const dir = fs.mkdtempSync(path.join(work, "local-"));
                try {
                    c.setup?.(dir);
                    check(c, await h.run("sh", [path.join(SCRIPTS, `${c.script}.sh`), ...c.args(dir)], { cwd: dir }));
                } finally {
                    h.cleanup();
                }
            });
        }
    });

    /** `ssh … sh -s -- args < script`, as a remote caller would run it. */
    function overSsh(target: { host: string; port: number; user: string; keyPath: string }, c: Case, dir: string): Promise<XeResult> {
        return new Promise((resolve) => {
            const child = execFile("ssh", [
                "-i", target.keyPath, "-p", String(target.port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", `${target.user}@${target.host}`,
                ["sh", "-s", "--", ...c.args(dir).map((a) => `'${a.replace(/'/g, "'\\''")}'`)].join(" "),
            ], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as any).code) : 0, stdout, stderr }));
            child.stdin!.end(fs.readFileSync(path.join(SCRIPTS, `${c.script}.sh`)));
        });
    }

    describe("over real OpenSSH", () => {
        for (const c of cases) {
            it(`replays ${c.script}.sh`, async function () {
                if (sshdSkipReason()) this.skip();
                const state = fs.mkdtempSync(path.join(work, "sshd-state-"));
                ensureHost(state, { installSeconds: 1, firstBootSeconds: 1 });
                const dir = fs.mkdtempSync(path.join(work, "sshd-"));
                c.setup?.(dir);
                const sshd = await startSshd({ env: { XE_SIM_STATE: state }, path: [SIM_BIN] });
                try {
                    const u = sshd.users.key;
                    check(c, await overSsh({ host: sshd.host, port: sshd.port, user: u.user, keyPath: u.privateKeyPath }, c, dir));
                } finally {
                    await sshd.stop();
                }
            });
        }
    });

    describe("over the simulator's SSH front (vh sim)", () => {
        for (const c of cases) {
            it(`replays ${c.script}.sh`, async () => {
                const dir = fs.mkdtempSync(path.join(work, "front-"));
                c.setup?.(dir);
                const sim = await startSimHost({ installSeconds: 1, firstBootSeconds: 1 });
                try {
                    const conn = sim.connection;
                    check(c, await overSsh({ host: conn.host, port: conn.port, user: conn.user, keyPath: conn.privateKeyPath }, c, dir));
                } finally {
                    await sim.stop();
                }
            });
        }
    });
});
