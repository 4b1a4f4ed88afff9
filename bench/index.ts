/**
 * `npm run bench`: runs every benchmark side by side in one process and prints a report. Each
 * benchmark module exports `{ name, run(): Promise<string> }` and is listed below.
 */
export interface Benchmark {
    name: string;
    /** Runs the benchmark and returns its report (plain text, one figure per line). */
    run(): Promise<string>;
}

const BENCHMARKS: Array<() => Promise<Benchmark>> = [
    async () => (require("./remaster") as typeof import("./remaster")).remasterBenchmark,
    async () => (require("./ssh") as typeof import("./ssh")).sshBenchmark,
    async () => (require("./simXe") as typeof import("./simXe")).simXeBenchmark,
    async () => (require("./lab") as typeof import("./lab")).labBenchmark,
];

async function main(): Promise<void> {
    const only = process.argv.slice(2);
    const benchmarks = await Promise.all(BENCHMARKS.map((load) => load()));
    const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
    if (unknown.length) {
        throw new Error(`unknown benchmark ${unknown.map((n) => JSON.stringify(n)).join(", ")}: choose from ${benchmarks.map((b) => b.name).join(", ")}`);
    }
    for (const bench of benchmarks) {
        if (only.length && !only.includes(bench.name)) continue;
        const started = Date.now();
        process.stdout.write(`== ${bench.name}\n`);
        process.stdout.write((await bench.run()).trimEnd() + "\n");
        process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
    }
}

if (require.main === module) {
    main().catch((err) => { console.error(err); process.exitCode = 1; });
}
