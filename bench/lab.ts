/**
 * `npm run bench lab`: how a Lab scales on one host. On a simulated XenServer host whose
 * installs take 20 s (first boot 5 s), through the test engine and the real provider host:
 *
 *   - a 1-hypervisor lab and an 8-hypervisor lab with maxParallelInstalls 8: the 8-VH lab must
 *     finish within 1.5× the 1-VH lab's time (the installs overlap);
 *   - installs running at once, sampled from the simulator's state every 100 ms (VMs whose
 *     name-label shows an install step), never above maxParallelInstalls — also with a limit of 3;
 *   - an unchanged re-up: zero writing xe calls (from the simulator's call log).
 *
 * Needs root (the toolbox is a network namespace) and what test/helpers/labHost.ts needs.
 */
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "../components";
import { readCalls } from "../sim";
import { loadDb } from "../sim/model/store";
import { LabHost, labHostSkipReason, startLabHost } from "../test/helpers/labHost";
import { REPO_ROOT } from "../test/helpers/paths";
import { TestEngine } from "../test/helpers/testEngine";
import type { Benchmark } from "./index";

const INSTALL_SECONDS = 20;
const FIRST_BOOT_SECONDS = 5;
const STEP = /\(Step [123] of 3\)$/;

interface Run {
    seconds: number;
    maxInstalling: number;
    writes: number;
    errors: Error[];
}

/** Installs in flight for VMs of this prefix: their name-label shows an install step. */
function installing(stateDir: string, prefix: string): number {
    const db = loadDb(stateDir);
    if (!db) return 0;
    return Object.values(db.vm).filter((vm) => vm.name_label.startsWith(`${prefix}-`) && STEP.test(vm.name_label)).length;
}

async function upLab(host: LabHost, engine: TestEngine, prefix: string, count: number, maxParallelInstalls: number): Promise<Run> {
    const from = readCalls(host.sim.stateDir).length;
    let maxInstalling = 0;
    const sampler = setInterval(() => { maxInstalling = Math.max(maxInstalling, installing(host.sim.stateDir, prefix)); }, 100);
    const started = process.hrtime.bigint();
    try {
        const r = await engine.up(() => {
            pulumi.runtime.setAllConfig(host.config);
            new Lab("lab", {
                prefix, sourceIso: host.sourceIso, rootPassword: pulumi.secret("Bench-root-pw-1"), toolbox: host.toolbox(prefix), count,
                hypervisorDefaults: { memoryGiB: 4, diskGiB: 46 }, maxParallelInstalls, isoLibrary: { directory: host.isoLibrary },
                installTimeoutMinutes: 5, firstBootTimeoutMinutes: 5,
            });
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        return { seconds, maxInstalling, writes: readCalls(host.sim.stateDir).slice(from).filter((c) => c.writes).length, errors: r.errors };
    } finally {
        clearInterval(sampler);
    }
}

async function run(): Promise<string> {
    const skip = labHostSkipReason();
    if (skip) return `skipped: ${skip}`;
    const host = await startLabHost([{ prefix: "one" }, { prefix: "eight" }, { prefix: "limit" }], { installSeconds: INSTALL_SECONDS, firstBootSeconds: FIRST_BOOT_SECONDS });
    const engines: TestEngine[] = [];
    const lines: string[] = [`simulated install ${INSTALL_SECONDS} s, first boot ${FIRST_BOOT_SECONDS} s; 4 GiB / 46 GiB per hypervisor`];
    const engineFor = async (stack: string) => {
        const engine = await TestEngine.start({ cwd: REPO_ROOT, project: "bench-lab", stack, config: host.config });
        engines.push(engine);
        return engine;
    };
    const check = (ok: boolean) => (ok ? "ok" : "FAILED");
    try {
        const one = await engineFor("one");
        const a = await upLab(host, one, "one", 1, 8);
        if (a.errors.length) throw a.errors[0];
        lines.push(`1-VH lab (maxParallelInstalls 8):  ${a.seconds.toFixed(1)} s, at most ${a.maxInstalling} install at once`);
        await one.destroy();

        const eight = await engineFor("eight");
        const b = await upLab(host, eight, "eight", 8, 8);
        if (b.errors.length) throw b.errors[0];
        const ratio = b.seconds / a.seconds;
        lines.push(`8-VH lab (maxParallelInstalls 8):  ${b.seconds.toFixed(1)} s = ${ratio.toFixed(2)}× the 1-VH lab (target ≤ 1.5×: ${check(ratio <= 1.5)}); at most ${b.maxInstalling} installs at once (limit 8: ${check(b.maxInstalling <= 8)})`);
        const again = await upLab(host, eight, "eight", 8, 8);
        if (again.errors.length) throw again.errors[0];
        lines.push(`unchanged re-up of the 8-VH lab:   ${again.seconds.toFixed(1)} s, ${again.writes} writing xe calls (target 0: ${check(again.writes === 0)})`);
        await eight.destroy();

        const limit = await engineFor("limit");
        const c = await upLab(host, limit, "limit", 8, 3);
        if (c.errors.length) throw c.errors[0];
        lines.push(`8-VH lab (maxParallelInstalls 3):  ${c.seconds.toFixed(1)} s = ${(c.seconds / a.seconds).toFixed(2)}× the 1-VH lab; at most ${c.maxInstalling} installs at once (limit 3: ${check(c.maxInstalling <= 3)})`);
        await limit.destroy();
    } finally {
        for (const engine of engines) {
            await engine.destroy().catch(() => undefined);
            await engine.stop();
        }
        await host.stop();
    }
    return lines.join("\n");
}

export const labBenchmark: Benchmark = { name: "lab", run };
