/**
 * The documented commands a test does not run in place (test/readme.spec.ts), and the proof that
 * another test, CI or the package covers them: `npm run demo` (test/demo.spec.ts), `npm test`
 * (.ci/run), `npm install`/`npm run build`/`npm run bench …`/`npm run lint` (package.json, the
 * bench registry; lint is run on a copy of the tree as a commit would hold it).
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

const yaml = require("js-yaml") as { load(text: string): any };

export const packageJson = (): { scripts: Record<string, string> } => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** lab:cidr of the repository's Pulumi.<stack>.yaml, if it sets one (the docs' stacks start from these files). */
export function stackFileCidr(stack: string): string | undefined {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return undefined;
    return yaml.load(fs.readFileSync(file, "utf8"))?.config?.["lab:cidr"];
}

/** `npm run demo`: the spec that runs it, running exactly that command. */
export function assertDemoSpecRunsIt(spec: string, command: string[]): void {
    const source = fs.readFileSync(path.join(REPO_ROOT, spec), "utf8");
    const call = `run(${JSON.stringify(command[0])}, ${JSON.stringify(command.slice(1)).replace(/,/g, ", ")}`;
    assert.equal(source.split(call).length - 1, 1, `${spec} runs \`${command.join(" ")}\` once (looked for ${call})`);
    assert.ok(fs.existsSync(path.join(REPO_ROOT, "dist", spec.replace(/\.ts$/, ".js"))), `${spec} is built and part of npm test`);
    assert.ok(packageJson().scripts[command[2]], `package.json has the ${command[2]} script`);
}

/** `npm test`: the last command CI runs. */
export function assertCiRunsNpmTest(): void {
    const lines = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    assert.equal(lines.at(-1), "npm test", ".ci/run ends with exactly `npm test`");
    assert.match(packageJson().scripts.test, /\bmocha\b/, "npm test runs the mocha suite");
}

/** `npm install` builds dist/ (npm runs `prepare` after a local install) and `npm run build` compiles what Pulumi.yaml runs. */
export function assertInstallAndBuild(): void {
    const { scripts } = packageJson();
    assert.equal(scripts.prepare, "npm run build", "npm install runs the build (prepare)");
    assert.equal(scripts.build, "tsc -p tsconfig.json");
    const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
    assert.equal(tsconfig.compilerOptions.outDir, "dist");
    const main = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")).main;
    assert.equal(main, "dist/stack.js", "Pulumi runs the built program");
    assert.ok(fs.existsSync(path.join(REPO_ROOT, main)) && fs.existsSync(path.join(REPO_ROOT, "stack.ts")), "stack.ts builds to it");
    assert.ok(fs.existsSync(path.join(REPO_ROOT, "package-lock.json")), "npm install has a lock file");
}

/** The benchmark names bench/index.ts registers (each module's exported `{ name, run }`). */
export function benchmarkNames(): string[] {
    const index = fs.readFileSync(path.join(REPO_ROOT, "bench", "index.ts"), "utf8");
    const modules = [...index.matchAll(/require\("\.\/([\w-]+)"\)/g)].map((m) => m[1]);
    assert.ok(modules.length > 0, "bench/index.ts registers benchmarks");
    return modules.map((m) => {
        const exported = Object.values(require(path.join(REPO_ROOT, "dist", "bench", m)) as Record<string, any>)
            .find((v) => v && typeof v === "object" && typeof v.name === "string" && typeof v.run === "function");
        assert.ok(exported, `bench/${m}.ts exports a benchmark`);
        return exported.name as string;
    });
}

/** `npm run bench [NAMES]` on a line (the comment may name more): the script exists and every name is registered. */
export function assertBenchLine(text: string): string[] {
    assert.equal(packageJson().scripts.bench, "npm run build && node dist/bench/index.js");
    const registered = benchmarkNames();
    const named = [...text.matchAll(/npm run bench((?: +[a-z][\w-]*)*)/g)].flatMap((m) => m[1].trim().split(/\s+/).filter(Boolean));
    for (const name of named) assert.ok(registered.includes(name), `npm run bench ${name}: no such benchmark; registered: ${registered.join(", ")}`);
    return named;
}

/** The benchmark names of the README's table (first column). */
export function benchTableNames(readme: string): string[] {
    const section = readme.slice(readme.indexOf("## Benchmarks"));
    return [...section.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]);
}

/**
 * `npm run lint` on a copy of exactly the files a commit would hold (tracked and untracked, not
 * ignored), with this checkout's node_modules: a reader's clone, without scratch files that are
 * only on this machine. Returns the seconds it took.
 */
export function runLintOnCommittableCopy(dir: string): number {
    assert.equal(packageJson().scripts.lint, "eslint .");
    const files = execFileSync("git", ["-C", REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
        .split("\0").filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)) && fs.statSync(path.join(REPO_ROOT, f)).isFile());
    for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
    const started = Date.now();
    const r = spawnSync("npm", ["run", "lint"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `npm run lint failed on the committable tree:\n${r.stdout}\n${r.stderr}`);
    return (Date.now() - started) / 1000;
}
