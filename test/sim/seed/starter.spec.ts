/**
 * Seed replay: the seed's scripts/_xs_vm_starter.sh (test/fixtures/seed, unchanged) uploaded with a
 * stand-in customxs.iso exactly as its xs_start_create_vm_with_cdrom.sh does it — a gzip tar of a
 * staging directory of symlinks, dereferenced (`tar -chzf`), piped into one OpenSSH session that
 * runs `mkdir -p vh && cd vh && tar -xzf - && bash starter.sh NET NAME && cd .. && rm -rf vh` —
 * watching what the simulator makes of every step. It runs twice: against `vh sim` (our ssh2
 * front) and against a real OpenSSH sshd with the simulator's xe on PATH (test/helpers/sshd.ts).
 */
import * as assert from "node:assert";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureHost } from "../../../sim/host";
import { STATE_DIR_ENV } from "../../../sim/settings";
import { REPO_ROOT, SIM_BIN } from "../../helpers/paths";
import { SimHostConnection, startSimHost } from "../../helpers/simHost";
import { PASSWORD_USER, sshdSkipReason, startSshd } from "../../helpers/sshd";
import { buildInstallerIso } from "../installer/installerIso";
import { connect, exec } from "../server/client";

const STARTER = path.join(REPO_ROOT, "test", "fixtures", "seed", "_xs_vm_starter.sh");
const NAME = "vh0";
const TIMES = { installSeconds: 2, firstBootSeconds: 1 };

interface Observation { name: string; power: string }

/** A simulated host reachable over SSH: the state directory and how to log in. */
interface Target {
    connection: SimHostConnection;
    stateDir: string;
    /** The login's home, where the seed's pipeline leaves `vh/` when starter.sh fails. */
    home: string;
    stop(): Promise<void>;
}

const fronts: { name: string; skip?: () => string | undefined; start: () => Promise<Target> }[] = [
    {
        name: "vh sim (ssh2 front)",
        start: async () => {
            const host = await startSimHost(TIMES);
            return { connection: host.connection, stateDir: host.stateDir, home: path.join(host.stateDir, "home"), stop: () => host.stop() };
        },
    },
    {
        name: "OpenSSH sshd with sim/bin on PATH",
        skip: sshdSkipReason,
        start: async () => {
            // The unprivileged test account, so the seed's `mkdir -p vh` lands in its home, not /root.
            const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-seed-state-"));
            ensureHost(stateDir, TIMES);
            const home = os.userInfo().uid === 0 ? `/home/${PASSWORD_USER}` : os.homedir();
            const sshd = await startSshd({ env: { [STATE_DIR_ENV]: stateDir }, path: [SIM_BIN] });
            const { uid, gid } = fs.statSync(home);
            for (const f of [stateDir, ...fs.readdirSync(stateDir).map((e) => path.join(stateDir, e))]) fs.chownSync(f, uid, gid);
            return {
                connection: {
                    host: sshd.host, port: sshd.port, user: PASSWORD_USER, password: sshd.users.password.password,
                    privateKey: sshd.users.key.privateKey, privateKeyPath: sshd.users.key.privateKeyPath, hostKey: sshd.hostKey,
                },
                stateDir,
                home,
                stop: async () => {
                    await sshd.stop();
                    fs.rmSync(path.join(home, "vh"), { recursive: true, force: true });
                    fs.rmSync(stateDir, { recursive: true, force: true });
                },
            };
        },
    },
];

/** Runs the seed's upload-and-start pipeline with the real tar and ssh clients. */
function runSeedPipeline(c: SimHostConnection, iso: string, work: string): { child: ChildProcess; done: Promise<{ code: number | null; output: string }> } {
    const staging = fs.mkdtempSync(path.join(work, "staging-"));
    fs.symlinkSync(iso, path.join(staging, "customxs.iso"));
    fs.symlinkSync(STARTER, path.join(staging, "starter.sh"));
    const ssh = `ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -i ${c.privateKeyPath} -p ${c.port} ${c.user}@${c.host}`;
    const remote = `mkdir -p vh && cd vh && tar -xzf - && bash starter.sh isolated ${NAME} && cd .. && rm -rf vh`;
    const child = spawn("bash", ["-c", `tar -C "$1" -chzf - . | ${ssh} "$2"`, "seed", staging, remote], { detached: true });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => { output += d; });
    child.stderr?.on("data", (d: Buffer) => { output += d; });
    const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on("close", (code) => resolve({ code, output })));
    return { child, done };
}

for (const front of fronts) {
    describe(`seed replay: _xs_vm_starter.sh on the simulated host via ${front.name}`, function () {
        this.timeout(120_000);
        let work: string;
        let target: Target;

        before(function () {
            const reason = front.skip?.();
            if (reason) this.skip();
        });
        beforeEach(async () => {
            work = fs.mkdtempSync(path.join(os.tmpdir(), "vh-seed-"));
            fs.chmodSync(work, 0o755);
            target = await front.start();
            const client = await connect(target.connection);
            const net = await exec(client, "xe network-create name-label=isolated");
            client.end();
            assert.strictEqual(net.code, 0, net.stderr);
        });
        afterEach(async () => {
            await target?.stop();
            fs.rmSync(work, { recursive: true, force: true });
        });

        const xe = async (command: string) => {
            const client = await connect(target.connection);
            try {
                return (await exec(client, `xe ${command}`)).stdout.trim();
            } finally {
                client.end();
            }
        };

        /**
         * Polls the VM's name-label and power state, recording every change, until `until` resolved
         * and the VM is halted (or `settleMs` more have passed).
         */
        async function watch(until: Promise<unknown>, settleMs = 15_000): Promise<Observation[]> {
            const client = await connect(target.connection);
            const seen: Observation[] = [];
            let finishedAt: number | undefined;
            void until.finally(() => { finishedAt = Date.now(); });
            try {
                for (;;) {
                    const r = await exec(client, "xe vm-list is-control-domain=false params=name-label --minimal; xe vm-list is-control-domain=false params=power-state --minimal");
                    const [name = "", power = ""] = r.stdout.trim().split("\n");
                    const last = seen[seen.length - 1];
                    if (name && (!last || last.name !== name || last.power !== power)) seen.push({ name, power });
                    if (finishedAt !== undefined && (power === "halted" || Date.now() - finishedAt > settleMs)) break;
                    await new Promise((r2) => setTimeout(r2, 100));
                }
            } finally {
                client.end();
            }
            return seen;
        }

        it("installs, reboots into the first boot, then stops at `xe pbd-unplug` with VDI_IN_USE under set -e", async () => {
            const iso = buildInstallerIso({ out: path.join(work, "custom.iso") });
            const run = runSeedPipeline(target.connection, iso, work);
            const seen = await watch(run.done);
            const { code, output } = await run.done;

            // xapi's Xapi_pbd.unplug refuses while a running VM has a VBD on a VDI of the SR: the CD is
            // still in the VM at step 3, so `xe pbd-unplug` fails and `set -eu` ends starter.sh there.
            assert.notStrictEqual(code, 0, `starter.sh should have failed at pbd-unplug; output:\n${output}`);
            assert.match(output, /This operation cannot be performed because this VDI is in use by some other operation\nvdi: [0-9a-f-]+ \(customxs\.iso\)/);
            const steps = seen.map((o) => `${o.name.replace(`${NAME} - `, "")} / ${o.power}`);
            const expected = ["booted from iso (Step 2 of 3) / running", "booted from iso (Step 2 of 3) / halted", "first boot (Step 3 of 3) / running", "first boot (Step 3 of 3) / halted"];
            let at = 0;
            for (const s of steps) if (s === expected[at]) at++;
            assert.strictEqual(at, expected.length, `expected the transitions ${JSON.stringify(expected)} in order, saw ${JSON.stringify(steps)}`);

            // The name never reaches its final form, and the ISO SR is still there.
            assert.strictEqual(await xe("vm-list is-control-domain=false params=name-label --minimal"), `${NAME} - first boot (Step 3 of 3)`);
            assert.notStrictEqual(await xe("sr-list name-label=CUSTOMXSISO --minimal"), "");
            const log = fs.readFileSync(path.join(target.stateDir, "sim.log"), "utf8");
            assert.match(log, /installer: installs XenServer 8\.4\.0 on \/dev\/sda in 2 s, hostname vh0\.lab/);
            assert.match(log, /c: the first-boot step runs at first boot and powers the machine off after 1 s/);
        });

        it("stalls the install of an ISO without answerfile= and says why in sim.log", async () => {
            const iso = buildInstallerIso({ out: path.join(work, "bad.iso"), args: null });
            const run = runSeedPipeline(target.connection, iso, work);
            try {
                const deadline = Date.now() + 30_000;
                let name = "";
                while (Date.now() < deadline && !name.includes("booted from iso")) {
                    name = await xe("vm-list is-control-domain=false params=name-label --minimal");
                    await new Promise((r) => setTimeout(r, 100));
                }
                assert.strictEqual(name, `${NAME} - booted from iso (Step 2 of 3)`);
                // Wait past the install time: a stalled installer keeps the VM running.
                await new Promise((r) => setTimeout(r, (TIMES.installSeconds + 1) * 1000));
                assert.strictEqual(await xe("vm-list is-control-domain=false params=power-state --minimal"), "running");
                const log = fs.readFileSync(path.join(target.stateDir, "sim.log"), "utf8");
                assert.match(log, /STALLED: no answerfile=, rt_answerfile= or answerfile_generator= on the dom0 kernel command line: the interactive installer waits at its keymap screen/);
            } finally {
                process.kill(-(run.child.pid as number), "SIGTERM"); // the starter loops forever on a stalled install
                await run.done;
            }
        });
    });
}
