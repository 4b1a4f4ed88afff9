/**
 * The README's `vh` walk-through, run for real (test/readme.spec.ts): a simulated XenServer host
 * (startSimHost, short installs), a working directory holding a stand-in `xenserver.iso`, and a
 * shell with `vh` on PATH. Lines are rewritten only where they must point at the simulator (see
 * vhRules), then run in order; vhChecks asserts what each command should have done on the host.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeAll } from "../../provider/ssh";
import { XeClient } from "../../provider/xe";
import { VH_HOST_COMMANDS } from "./readmeDocs";
import { literal, RewriteRule } from "./readmeRewrite";
import { ShellRun, WalkShell, writeBin } from "./readmeShell";
import { SimHost, startSimHost, VH_CLI } from "./simHost";
import { buildStandinIso } from "./standinIso";
import { sweep } from "./sweep";

/** The README's example XenServer host. */
export const DOC_XENSERVER = "10.219.10.25";

export interface VhWalk {
    sim: SimHost;
    xe: XeClient;
    shell: WalkShell;
    /** The walk-through's working directory (where `> vh0.answers` lands). */
    work: string;
    /** Machines the walk-through installed (for the final sweep). */
    machines: string[];
    stop(): Promise<void>;
}

export async function startVhWalk(): Promise<VhWalk> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-readme-vh-"));
    const [home, work, bin] = ["home", "work", "bin"].map((d) => path.join(dir, d));
    fs.mkdirSync(path.join(home, ".ssh"), { recursive: true, mode: 0o700 });
    fs.mkdirSync(work);
    writeBin(bin, { vh: VH_CLI });
    buildStandinIso({ out: path.join(work, "xenserver.iso"), flavor: "xenserver-8" });
    const sim = await startSimHost({ installSeconds: 0.5, firstBootSeconds: 0.3 });
    const c = sim.connection;
    const xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
    return {
        sim, xe, work, machines: [],
        shell: new WalkShell({ cwd: work, home, bin }),
        stop: async () => {
            await closeAll();
            await sim.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** Where the README's host-specific values must point at the simulator instead. */
export function vhRules(sim: SimHost): RewriteRule[] {
    const c = sim.connection;
    const hostCommand = new RegExp(`^(vh (?:network (?:create|destroy)|${VH_HOST_COMMANDS.filter((v) => v !== "network").join("|")}) [^#]*?)(\\s*(?:#.*)?)$`, "g");
    return [
        { name: "vh: XenServer address", from: new RegExp(`\\b${literal(DOC_XENSERVER)}\\b`, "g"), to: c.host, why: `the README's host ${DOC_XENSERVER} is the simulator on ${c.host}` },
        { name: "vh: host key", from: /--host-key SHA256:[A-Za-z0-9+/]{43}/g, to: `--host-key ${c.hostKey}`, why: "the example fingerprint → the simulator's real host key" },
        {
            name: "vh: port and identity", from: hostCommand, to: `$1 --port ${c.port} --identity ${c.privateKeyPath}$2`,
            why: "the simulator listens on a free port (not 22) and takes its generated key (the README relies on ssh-agent or ~/.ssh/id_*)",
        },
    ];
}

/** The vh sub-command of a line ("network create", "install", …). */
export function vhCommandOf(line: string): string {
    const [, sub, verb] = line.split(/\s+/);
    return sub === "network" ? `network ${verb}` : sub;
}

const exists = async (xe: XeClient, cls: "vm" | "network", name: string) => (await xe.uuids(cls, { "name-label": name })).length;

/** What each documented vh command must have done, beyond exiting 0. Keyed by vhCommandOf(). */
export const vhChecks: Record<string, (walk: VhWalk, line: string, run: ShellRun) => Promise<void>> = {
    "network create": async (walk, line, run) => {
        const name = line.split(/\s+/)[4];
        assert.match(run.stdout + run.stderr, new RegExp(`Created network ${literal(name)} on root@`));
        const tagged = await walk.xe.uuids("network", { "name-label": name, "other-config": { "vh-managed-by": "virtual-hypervisor" } });
        assert.equal(tagged.length, 1, `xe network-list finds our network ${name}`);
    },
    answerfile: async (walk, line) => {
        const out = /> *(\S+)/.exec(line)?.[1];
        assert.ok(out, "the answerfile line writes a file");
        const xml = fs.readFileSync(path.join(walk.shell.cwd, out), "utf8");
        assert.match(xml, /<installation[\s>]/);
        const [, , , , host, , ip] = line.split(/\s+/);
        assert.ok(xml.includes(`>${host}<`) && xml.includes(`>${ip}<`), `the answer file names ${host} and ${ip}:\n${xml}`);
        const password = /-p (\S+)/.exec(line)?.[1];
        assert.ok(password && !xml.includes(`>${password}<`) && /\$6\$/.test(xml), "the root password is a SHA-512 crypt hash, not plaintext");
    },
    remaster: async (walk, line) => {
        const target = line.split(/\s+/)[3];
        assert.ok(fs.statSync(path.join(walk.shell.cwd, target)).size > 0, `${target} was written`);
    },
    install: async (walk, line, run) => {
        const name = line.split(/\s+/)[5];
        walk.machines.push(name);
        assert.match(run.stdout + run.stderr, new RegExp(`${literal(name)} on root@\\S+ installed \\(running\\)`));
        const vms = await walk.xe.list("vm", { "name-label": name }, ["power-state"]);
        assert.deepEqual(vms.map((v) => v["power-state"]), ["running"], `${name} runs on the host`);
    },
    console: async (_walk, line, run) => {
        const name = line.split(/\s+/)[3];
        assert.match(run.stdout, new RegExp(`^${literal(name)} is running as domain \\d+ on root@\\S+; its console is VNC on port 59\\d\\d in dom0\\.$`, "m"));
    },
    destroy: async (walk, line) => {
        const name = line.split(/\s+/)[3];
        assert.equal(await exists(walk.xe, "vm", name), 0, `no VM ${name} is left`);
    },
    "network destroy": async (walk, line) => {
        const name = line.split(/\s+/)[4];
        assert.equal(await exists(walk.xe, "network", name), 0, `no network ${name} is left`);
        assert.deepEqual(await sweep(walk.xe, { names: walk.machines }), [], "nothing of ours is left on the host");
    },
};
