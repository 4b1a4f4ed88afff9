/**
 * Latency of the simulated host's `xe`: a lab makes hundreds of calls, so each invocation's cost
 * (node start-up, module loading, lock, state.json read and write) matters. Runs the real
 * executable sim/bin/xe against a fresh state directory and reports medians.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Benchmark } from "./index";

const REPO = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const XE = path.join(REPO, "sim", "bin", "xe");

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function time(env: NodeJS.ProcessEnv, argv: string[], runs: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        execFileSync(XE, argv, { env, stdio: ["ignore", "ignore", "ignore"] });
        out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return out;
}

export const simXeBenchmark: Benchmark = {
    name: "sim-xe",
    async run() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sim-xe-"));
        const env = { ...process.env, XE_SIM_STATE: dir };
        try {
            const init = time(env, ["vm-list", "--minimal"], 1)[0];
            const node = (() => {
                const xs: number[] = [];
                for (let i = 0; i < 20; i++) {
                    const t0 = process.hrtime.bigint();
                    execFileSync(process.execPath, ["-e", ""], { stdio: "ignore" });
                    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
                }
                return median(xs);
            })();
            const list = time(env, ["vm-list"], 40);
            const minimal = time(env, ["vm-list", "--minimal"], 40);
            const vm = execFileSync(XE, ["vm-install", "template=Other install media", "new-name-label=bench"], { env, encoding: "utf8" }).trim();
            const write = time(env, ["vm-param-set", `uuid=${vm}`, "other-config:bench=1"], 40);
            return [
                `first call (creates the host): ${init.toFixed(1)} ms`,
                `node start-up alone (median of 20): ${node.toFixed(1)} ms`,
                `xe vm-list (median of 40): ${median(list).toFixed(1)} ms`,
                `xe vm-list --minimal (median of 40): ${median(minimal).toFixed(1)} ms`,
                `xe vm-param-set, a write (median of 40): ${median(write).toFixed(1)} ms`,
            ].join("\n");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    },
};
