/**
 * "Every command in the README is run by a test or by CI." Every line of every ```sh block of
 * README.md and of the documents it sends readers to (docs/lab-stacks.md for the Pulumi
 * walk-through, docs/cli.md) gets a route (test/helpers/readmeDocs.ts), and a line no route knows
 * fails this spec. Then, per route:
 *
 * - `vh …` lines run for real, in order, one walk-through per block, against a simulated host
 *   (readmeVhWalk.ts); `vh sim …` lines are started, read and stopped with SIGTERM;
 * - `pulumi …` lines (and the `git clone`, `ssh -J`, `jq` around them) run in a bash per
 *   walk-through (readmeDocs.ts pulumiWalkthroughs), with `pulumi` played by an interpreter over the test engine and the real provider host
 *   (readmePulumi.ts), against the lab host of labHost.ts (readmePulumiWalk.ts, readmePulumiChecks.ts);
 * - `npm run demo` / `npm test` / `npm install` / `npm run build|bench|lint` are proven covered by
 *   test/demo.spec.ts, .ci/run, package.json and the bench registry (readmeStatic.ts).
 *
 * Lines are rewritten only where they name the docs' example environment (addresses, host keys,
 * credentials, paths); each rewrite rule must be needed by some line, so the mapping stays honest.
 * VH_README_TRANSCRIPT=1 prints every line as it ran (after the rewrites) with its output.
 * Requirements: what simHost.ts and standinIso.ts need; root and labHost.ts's needs for the
 * Pulumi walk-throughs (skipped otherwise, and then the completeness check skips too).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readCalls } from "../sim";
import { LabHost, labHostSkipReason, startLabHost } from "./helpers/labHost";
import { REPO_ROOT } from "./helpers/paths";
import { DocCommand, DOCUMENTS, pulumiWalkthroughs, routesOf, runnableKind, runnablePart, shCommands } from "./helpers/readmeDocs";
import { PulumiInterpreter, servePulumi } from "./helpers/readmePulumi";
import { pulumiChecks } from "./helpers/readmePulumiChecks";
import { authorizeToolboxKeyOnHost, pulumiRules, startPulumiSession } from "./helpers/readmePulumiWalk";
import { Rewriter, ruleUses } from "./helpers/readmeRewrite";
import { WalkShell, writeBin } from "./helpers/readmeShell";
import * as statics from "./helpers/readmeStatic";
import { startVhWalk, vhChecks, vhCommandOf, vhRules } from "./helpers/readmeVhWalk";
import { VH_CLI } from "./helpers/simHost";
import { sweep } from "./helpers/sweep";

const COMMANDS: DocCommand[] = DOCUMENTS.flatMap((doc) => shCommands(REPO_ROOT, doc));

/**
 * Documented lines no stand-in can run (they need a real XenServer or network), with why. Keep it
 * minimal: an entry whose line is no longer in its document verbatim fails the spec. Empty today:
 * every documented line runs against a stand-in.
 */
const NEEDS_REAL_HOST: Array<{ doc: string; text: string; why: string }> = [];
const allowListed = (c: DocCommand) => NEEDS_REAL_HOST.some((a) => a.doc === c.doc && a.text === c.text);
const where = (c: DocCommand) => `${c.doc}:${c.line}`;
/** Lines a walk-through ran, by where(). */
const ran = new Set<string>();
/** Rewriters of every walk-through, for the final "every rule was needed" check. */
const rewriters: Rewriter[] = [];
let pulumiSkipped: string | undefined;

/** VH_README_TRANSCRIPT=1 prints every line as run (after the rewrites) and its output. */
const transcript = (line: string, r: { stdout: string; stderr: string }) => {
    if (process.env.VH_README_TRANSCRIPT) console.log(`$ ${line}\n${r.stdout}${r.stderr}`.replace(/^/gm, "        "));
};
const failure = (line: string, r: { code: number | null; stdout: string; stderr: string }) =>
    `\`${line}\` exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

describe("the README's commands (every ```sh line of README.md, docs/lab-stacks.md, docs/cli.md runs or is covered)", function () {
    this.timeout(60_000);
    let tmp: string;
    before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-readme-")); });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("coverage", () => {
        it("gives every documented command a test: a command added without one fails here", () => {
            assert.ok(COMMANDS.filter((c) => c.doc === "README.md").length >= 20 && COMMANDS.some((c) => c.doc === "docs/lab-stacks.md"), "found the documents' commands");
            const table = COMMANDS.map((c) => `${where(c).padEnd(24)} ${c.text}\n${" ".repeat(25)}→ ${routesOf(c.text).map(({ route }) =>
                route.kind === "spec" ? `run by ${route.spec}` : route.kind === "uncovered" ? `UNCOVERED: ${route.why}` : route.kind === "npm-script" ? `npm script ${route.script} checked` : route.kind).join(" + ")}`);
            if (process.env.VH_README_TRANSCRIPT) console.log(`      ${table.join("\n      ")}`);
            const uncovered = COMMANDS.filter((c) => !allowListed(c) && routesOf(c.text).some((r) => r.route.kind === "uncovered")).map((c) => `${where(c)} ${c.text}`);
            assert.deepEqual(uncovered, [], "commands no test runs or covers");
        });

        it("keeps the allow-list of lines needing a real host honest: each entry is still documented, verbatim", () => {
            for (const a of NEEDS_REAL_HOST) assert.ok(COMMANDS.some((c) => c.doc === a.doc && c.text === a.text), `allow-listed line gone or changed: ${a.doc}: ${a.text}`);
        });

        it("plays pulumi with exactly the documented commands: --path nests and types like the CLI, anything else fails", async () => {
            const project = path.join(tmp, "interpreter");
            fs.mkdirSync(project);
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: demo\nruntime: nodejs\nmain: dist/stack.js\n");
            fs.mkdirSync(path.join(project, "home"));
            const interpreter = new PulumiInterpreter(REPO_ROOT);
            const server = await servePulumi(path.join(project, "pulumi.sock"), interpreter);
            writeBin(path.join(project, "bin"), { pulumi: path.join(REPO_ROOT, "dist", "test", "helpers", "readmePulumiShim.js") });
            const shell = new WalkShell({ cwd: project, home: path.join(project, "home"), bin: path.join(project, "bin"), env: { VH_README_PULUMI_SOCKET: path.join(project, "pulumi.sock") } });
            try {
                for (const line of ["pulumi stack init dev", "pulumi config set --path lab:toolbox.ssh.port 2222", "pulumi config set lab:toolbox.natBackend nftables",
                    "pulumi config set --path lab:toolbox.upstreamDns true", "printf 'line 1\\nline 2\\n' | pulumi config set --secret lab:toolboxPrivateKey"]) {
                    const r = await shell.run(line);
                    assert.equal(r.code, 0, failure(line, r));
                }
                assert.deepEqual(interpreter.current!.config.flat(), {
                    "lab:toolbox": '{"ssh":{"port":2222},"upstreamDns":true}', "lab:toolbox.natBackend": "nftables", "lab:toolboxPrivateKey": "line 1\nline 2",
                });
                assert.deepEqual(interpreter.current!.config.secretKeys(), ["lab:toolboxPrivateKey"]);
                for (const [line, code] of [["pulumi refresh", 2], ["pulumi up --yes", 2], ["pulumi config set --path 'lab:hosts[0]' a", 2], ["pulumi stack output", 2],
                    ["pulumi config set lab:rootPassword Hunter2-x7", 255], ["pulumi stack init dev", 255], ["pulumi config set --secret lab:rootPassword", 255]] as const) {
                    const r = await shell.run(line);
                    assert.equal(r.code, code, failure(line, r));
                    if (code === 2) assert.match(r.stderr, /not implemented by the test's pulumi/);
                }
            } finally {
                await interpreter.stop();
                server.close();
            }
        });

        it("npm run demo: test/demo.spec.ts runs exactly `npm run demo`", () => {
            const demo = COMMANDS.flatMap((c) => routesOf(c.text)).filter((r) => r.route.kind === "spec");
            assert.ok(demo.length > 0);
            for (const { route } of demo) if (route.kind === "spec") statics.assertDemoSpecRunsIt(route.spec, route.command);
        });

        it("npm test: CI (.ci/run) runs exactly it, last", () => {
            assert.ok(COMMANDS.some((c) => routesOf(c.text).some((r) => r.route.kind === "ci")));
            statics.assertCiRunsNpmTest();
        });

        it("npm install builds dist/, and npm run build compiles the program Pulumi.yaml runs", () => {
            const scripts = COMMANDS.flatMap((c) => routesOf(c.text)).flatMap((r) => (r.route.kind === "npm-script" ? [r.route.script] : []));
            assert.ok(scripts.includes("install") && scripts.includes("build"));
            for (const s of scripts) assert.ok(s === "install" || statics.packageJson().scripts[s], `package.json has a ${s} script`);
            statics.assertInstallAndBuild();
        });

        it("npm run bench: every benchmark a line names is registered, and the README's table lists exactly those registered", () => {
            const lines = COMMANDS.filter((c) => routesOf(c.text).some((r) => r.route.kind === "npm-script" && r.route.script === "bench"));
            assert.ok(lines.length > 0);
            for (const c of lines) statics.assertBenchLine(c.text);
            const table = statics.benchTableNames(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));
            assert.deepEqual([...table].sort(), statics.benchmarkNames().sort());
        });

        it("npm run lint (README, Tests) passes on the tree a commit would hold, in under a minute", function () {
            this.timeout(90_000);
            const seconds = statics.runLintOnCommittableCopy(path.join(tmp, "lint"));
            console.log(`      (npm run lint took ${seconds.toFixed(1)} s)`);
        });

        it("docs/cli.md: no shell walk-through of its own; its usage blocks are compared with vh's by test/cli/reference.spec.ts", () => {
            assert.deepEqual(COMMANDS.filter((c) => c.doc === "docs/cli.md" && runnableKind(c.text) !== "vh"), []);
            const reference = fs.readFileSync(path.join(REPO_ROOT, "test", "cli", "reference.spec.ts"), "utf8");
            assert.match(reference, /docs", "cli\.md"/);
            assert.match(reference, /COMMANDS[\s\S]*c\.usage/, "it compares every command's usage");
        });
    });

    describe("the vh walk-throughs (simulated XenServer behind its SSH front)", () => {
        // One walk-through per ```sh block holding vh host commands, on its own simulated host.
        const vhBlocks = [...new Set(COMMANDS.filter((c) => runnableKind(c.text) === "vh").map((c) => `${c.doc}#${c.block}`))];
        for (const key of vhBlocks) {
            const lines = COMMANDS.filter((c) => `${c.doc}#${c.block}` === key && runnableKind(c.text) === "vh");
            it(`runs the vh walk-through of ${where(lines[0])} line by line against a simulated host`, async function () {
                this.timeout(120_000);
                const walk = await startVhWalk();
                try {
                    const rewriter = new Rewriter(vhRules(walk.sim));
                    rewriters.push(rewriter);
                    for (const c of lines) {
                        const line = rewriter.apply(runnablePart(c.text).text);
                        const r = await walk.shell.run(line);
                        transcript(line, r);
                        assert.equal(r.code, 0, failure(line, r));
                        await vhChecks[vhCommandOf(line)]?.(walk, line, r);
                        ran.add(where(c));
                    }
                } finally {
                    await walk.stop();
                }
            });
        }

        for (const c of COMMANDS.filter((x) => runnableKind(x.text) === "vh-sim")) {
            it(`${where(c)}: \`${c.text}\` prints its connection line, serves vh, and stops cleanly on SIGTERM`, async function () {
                this.timeout(60_000);
                const dir = fs.mkdtempSync(path.join(tmp, "sim-"));
                writeBin(path.join(dir, "bin"), { vh: VH_CLI });
                fs.mkdirSync(path.join(dir, "home"));
                const shell = new WalkShell({ cwd: dir, home: path.join(dir, "home"), bin: path.join(dir, "bin") });
                const rewriter = new Rewriter([{
                    name: "sim: state dir", from: /(--state-dir )\/tmp\/\S+/g, to: `$1${path.join(dir, "state")}`,
                    why: "a fixed /tmp path would be shared by every run on this machine",
                }]);
                rewriters.push(rewriter);
                const child = shell.start(rewriter.apply(c.text));
                let stderr = "";
                child.stderr!.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
                const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
                const first = await new Promise<string>((resolve, reject) => {
                    let out = "";
                    const timer = setTimeout(() => reject(new Error(`no connection line within 15 s; stderr:\n${stderr}`)), 15_000);
                    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
                        out += d;
                        if (out.includes("\n")) { clearTimeout(timer); resolve(out.slice(0, out.indexOf("\n"))); }
                    });
                });
                try {
                    const record = JSON.parse(first);
                    const documented = /`\{("host"[^}`]*)\}`/.exec(fs.readFileSync(path.join(REPO_ROOT, c.doc), "utf8"));
                    assert.ok(documented, `${c.doc} shows the connection line's keys`);
                    assert.deepEqual(Object.keys(record), JSON.parse(`[${documented[1]}]`), "the documented connection line");
                    const version = /--product-version (\S+)/.exec(c.text)?.[1];
                    const seconds = /--install-seconds (\S+)/.exec(c.text)?.[1];
                    if (version) assert.match(stderr, new RegExp(`xenserver-${version.replace(/\./g, "\\.")}`));
                    if (seconds) assert.match(stderr, new RegExp(`installs take ${seconds} s`));
                    // "Point anything at it with --port PORT --identity PRIVATE_KEY_PATH --host-key HOST_KEY_SHA256".
                    const flags = `--port ${record.port} --identity ${record.privateKeyPath} --host-key ${record.hostKeySha256}`;
                    for (const verb of ["create", "destroy"]) {
                        const check = `vh network ${verb} ${record.host} readme-check ${flags} --json`;
                        const r = await shell.run(check);
                        assert.equal(r.code, 0, failure(check, r));
                        assert.equal(JSON.parse(r.stdout)[verb === "create" ? "created" : "found"], true);
                    }
                } finally {
                    child.kill("SIGTERM");
                }
                assert.equal(await exited, 0, `vh sim exits 0 on SIGTERM; stderr:\n${stderr}`);
                ran.add(where(c));
            });
        }
    });

    describe("the Pulumi walk-throughs (test engine, real provider host, simulated XenServer, toolbox namespace)", function () {
        this.timeout(180_000);
        let host: LabHost;
        const walks = DOCUMENTS.flatMap((doc) => pulumiWalkthroughs(COMMANDS.filter((c) => c.doc === doc)));
        // One home slot per stack the docs create: the stack name is the lab's prefix.
        const stacks = [...new Set(walks.flat().flatMap((c) => /^pulumi stack init (\S+)/.exec(c.text)?.[1] ?? []))];
        before(async function () {
            pulumiSkipped = labHostSkipReason();
            if (pulumiSkipped) this.skip();
            host = await startLabHost(stacks.map((prefix) => ({ prefix, cidr: statics.stackFileCidr(prefix) })));
            authorizeToolboxKeyOnHost(host);
        });
        after(async () => { await host?.stop(); });

        for (const lines of walks) {
            it(`runs the Pulumi walk-through of ${where(lines[0])} line by line`, async () => {
                const rewriter = new Rewriter(pulumiRules(host));
                rewriters.push(rewriter);
                const dir = fs.mkdtempSync(path.join(tmp, "pulumi-"));
                // The reader is in their clone of the repository, unless the walk-through starts by cloning it.
                const session = await startPulumiSession(host, dir, lines.some((c) => /^git clone\b/.test(c.text)) ? dir : REPO_ROOT);
                try {
                    for (const c of lines) {
                        const line = rewriter.apply(runnablePart(c.text).text);
                        const callsBefore = readCalls(host.sim.stateDir).length;
                        const nested = /^ssh .* root@(\d+\.\d+\.\d+\.\d+)\b/.exec(line);
                        const sshd = nested ? await session.startNestedHost(session.interpreter.current!.name, nested[1]) : undefined;
                        const r = await session.shell.run(line, { stdin: session.stdinFor(line) });
                        transcript(line, r);
                        await sshd?.stop();
                        assert.equal(r.code, 0, failure(line, r));
                        if (/^pulumi stack init /.test(line)) {
                            for (const extra of session.environmentLines(session.interpreter.current!.name)) {
                                const e = await session.shell.run(extra.line);
                                transcript(`${extra.line}    # added: ${extra.why}`, e);
                                assert.equal(e.code, 0, failure(extra.line, e));
                            }
                        }
                        await pulumiChecks.find((k) => k.match.test(line))?.check({ host, session, callsBefore }, line, r);
                        ran.add(where(c));
                    }
                } finally {
                    await session.stop();
                }
                assert.deepEqual(await sweep(host.xe, { names: stacks.map((st) => `${st}-`) }), [], "the walk-through left nothing on the host");
            });
        }
    });

    describe("completeness", () => {
        it("ran every command a walk-through should run, and needed every rewrite of the mapping", function () {
            if (pulumiSkipped) this.skip();
            const runnable = COMMANDS.filter((c) => !allowListed(c) && runnableKind(c.text) !== undefined).map(where);
            assert.deepEqual(runnable.filter((w) => !ran.has(w)), [], "documented commands no walk-through ran");
            const uses = ruleUses(rewriters);
            console.log(`      rewrites (name, lines rewritten, why):\n${uses.map((u) => `        ${u.name} (${u.uses}): ${u.why}`).join("\n")}`);
            assert.deepEqual(uses.filter((u) => u.uses === 0).map((u) => u.name), [], "rewrite rules no documented line needs any more (remove them)");
        });
    });
});
