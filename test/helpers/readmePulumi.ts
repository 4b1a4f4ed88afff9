/**
 * `pulumi` for the documented walk-throughs (test/readme.spec.ts): there is no Pulumi CLI here, so
 * the documents' `pulumi …` lines reach this interpreter (through the `pulumi` executable of
 * readmePulumiShim.ts and a Unix socket), which implements exactly the commands the documents use
 * on top of the test engine (testEngine.ts: the real dynamic-provider host, driven over gRPC):
 *
 *   pulumi login --local                      nothing to do: the state lives in this interpreter
 *   pulumi stack init NAME                    a new stack NAME; Pulumi.NAME.yaml of the project, if
 *                                             present, is its starting config (as with the CLI)
 *   pulumi config set [--secret] [--path] KEY [VALUE]
 *                                             VALUE, or stdin when absent (as the CLI does off a terminal)
 *   pulumi preview | up | destroy             the project's program (Pulumi.yaml `main`, from the
 *                                             repository's build) through the test engine; up and
 *                                             destroy proceed as if the user answered "yes"
 *   pulumi stack output NAME [--json|-j]      the CLI's formats; secret outputs print "[secret]"
 *
 * Any other sub-command or flag exits 2 with "not implemented by the test's pulumi", so a document
 * that starts using one fails until this interpreter (and the test) learn it.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as util from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ConfigCommandError, StackConfig } from "./readmePulumiConfig";
import { RunResult, TestEngine } from "./testEngine";

const yaml = require("js-yaml") as { load(text: string): any };

export interface PulumiRequest {
    argv: string[];
    cwd: string;
    stdin: string;
}

export interface PulumiReply {
    code: number;
    stdout: string;
    stderr: string;
}

export interface StackRecord {
    name: string;
    project: string;
    projectDir: string;
    /** Pulumi.yaml `main`: the program, relative to the project. */
    main: string;
    config: StackConfig;
    engine?: TestEngine;
    /** The config the engine's provider host was configured with (JSON). */
    engineConfig?: string;
    outputs?: Record<string, { value: unknown; secret: boolean }>;
    /** Results of preview/up/destroy, in order, for assertions. */
    runs: Array<{ command: string; result: RunResult; diagnostics: string[] }>;
}

class Unsupported extends Error {}
class Failed extends Error {}

export class PulumiInterpreter {
    readonly stacks = new Map<string, StackRecord>();
    current?: StackRecord;
    /** Every request and its reply. */
    readonly history: Array<{ argv: string[]; reply: PulumiReply }> = [];

    /** @param repoRoot the repository whose build is the program and where the provider host runs */
    constructor(private readonly repoRoot: string) {}

    async handle(request: PulumiRequest): Promise<PulumiReply> {
        let reply: PulumiReply;
        try {
            reply = { code: 0, stdout: await this.dispatch(request), stderr: "" };
        } catch (err) {
            const code = err instanceof Unsupported ? 2 : 255;
            const message = err instanceof Unsupported ? `not implemented by the test's pulumi: ${err.message}` : (err as Error).message;
            reply = { code, stdout: "", stderr: `error: ${message}\n` };
        }
        this.history.push({ argv: request.argv, reply });
        return reply;
    }

    /**
     * Stops every engine, first destroying what a stack still holds (a walk-through that failed
     * half-way must not leave its lab to the next one). Resolves the errors of those destroys.
     */
    async stop(): Promise<Error[]> {
        const errors: Error[] = [];
        for (const s of this.stacks.values()) {
            if (s.engine && s.engine.state.size > 0) errors.push(...(await s.engine.destroy()).errors);
            await s.engine?.stop();
        }
        return errors;
    }

    private async dispatch({ argv, cwd, stdin }: PulumiRequest): Promise<string> {
        const [command, ...rest] = argv;
        const { flags, args } = parseFlags(rest, ["--secret", "--path", "--json", "-j", "--local"]);
        const only = (allowed: string[], count: number) => {
            const extra = flags.filter((f) => !allowed.includes(f));
            if (extra.length) throw new Unsupported(`pulumi ${argv.join(" ")}: flag ${extra.join(" ")}`);
            if (args.length !== count) throw new Unsupported(`pulumi ${argv.join(" ")}: expected ${count} argument(s)`);
        };
        const sub = `${command} ${args[0] ?? ""}`.trim();
        if (command === "login") {
            only(["--local"], 0);
            if (!flags.includes("--local")) throw new Unsupported("pulumi login without --local");
            return "Logged in to the test engine (--local: state kept by the interpreter)\n";
        }
        if (sub === "stack init") {
            args.shift();
            only([], 1);
            return this.stackInit(args[0], cwd);
        }
        if (sub === "config set") {
            args.shift();
            if (flags.some((f) => !["--secret", "--path"].includes(f))) throw new Unsupported(`pulumi ${argv.join(" ")}: flag ${flags.join(" ")}`);
            if (args.length < 1 || args.length > 2) throw new Unsupported(`pulumi ${argv.join(" ")}: expected KEY [VALUE]`);
            const value = args.length === 2 ? args[1] : stdin.replace(/\r?\n$/, "");
            if (args.length === 1 && value === "") throw new Failed(`config set ${args[0]}: no value on the command line and none on stdin (the test must type one)`);
            try {
                this.stack().config.set(args[0], value, { secret: flags.includes("--secret"), path: flags.includes("--path") });
            } catch (err) {
                if (err instanceof ConfigCommandError) throw err.unsupported ? new Unsupported(err.message) : new Failed(err.message);
                throw err;
            }
            return "";
        }
        if (sub === "stack output") {
            args.shift();
            only(["--json", "-j"], 1);
            return this.stackOutput(args[0], flags.length > 0);
        }
        if (command === "preview" || command === "up" || command === "destroy") {
            only([], 0);
            return this.deploy(command);
        }
        throw new Unsupported(`pulumi ${argv.join(" ")}`);
    }

    private stack(): StackRecord {
        if (!this.current) throw new Failed("no stack selected; run `pulumi stack init NAME` first");
        return this.current;
    }

    private stackInit(name: string, cwd: string): string {
        if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Failed(`stack names may only contain alphanumerics, hyphens, underscores, or periods: ${JSON.stringify(name)}`);
        if (this.stacks.has(name)) throw new Failed(`stack '${name}' already exists`);
        const projectDir = findProject(cwd);
        const project = yaml.load(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
        if (project.config) throw new Unsupported("project-level config in Pulumi.yaml");
        const file = path.join(projectDir, `Pulumi.${name}.yaml`);
        const config = fs.existsSync(file)
            ? StackConfig.fromStackFile(project.name, fs.readFileSync(file, "utf8"), file)
            : new StackConfig(project.name);
        const stack: StackRecord = { name, project: project.name, projectDir, main: project.main ?? ".", config, runs: [] };
        this.stacks.set(name, stack);
        this.current = stack;
        return `Created stack '${name}'${fs.existsSync(file) ? ` (config from Pulumi.${name}.yaml)` : ""}\n`;
    }

    private stackOutput(name: string, json: boolean): string {
        const outputs = this.stack().outputs ?? {};
        if (!(name in outputs)) throw new Failed(`current stack does not have output property '${name}'`);
        const { value, secret } = outputs[name];
        const shown = secret ? "[secret]" : value;
        if (json) return `${JSON.stringify(shown, null, 2)}\n`;
        return `${typeof shown === "string" ? shown : JSON.stringify(shown)}\n`;
    }

    private async deploy(command: "preview" | "up" | "destroy"): Promise<string> {
        const stack = this.stack();
        const config = stack.config.flat();
        const configJson = JSON.stringify(config);
        if (!stack.engine) {
            stack.engine = await TestEngine.start({ cwd: this.repoRoot, project: stack.project, stack: stack.name, config });
            stack.engineConfig = configJson;
        } else if (stack.engineConfig !== configJson) {
            // The provider host is configured once per engine; the docs never change config mid-way.
            throw new Unsupported("changing the stack config after a preview/up of the same stack");
        }
        const programFile = path.join(this.repoRoot, stack.main);
        const program = require(programFile) as () => Record<string, unknown>;
        let exported: Record<string, unknown> | undefined;
        const run = () => {
            pulumi.runtime.setAllConfig(config, stack.config.secretKeys());
            exported = program();
        };
        const diagnostics: string[] = [];
        const result = await captureConsole(diagnostics, () => (
            command === "preview" ? stack.engine!.preview(run) : command === "up" ? stack.engine!.up(run) : stack.engine!.destroy()));
        stack.runs.push({ command, result, diagnostics });
        const symbol = { create: "+", update: "~", replace: "+-", delete: "-" } as Record<string, string>;
        const lines = [`${command === "preview" ? "Previewing update" : command === "up" ? "Updating" : "Destroying"} (${stack.name}):`];
        if (diagnostics.length) lines.push("Diagnostics:", ...diagnostics.map((d) => `    ${d.replace(/^info: \[runtime\] /, "")}`));
        for (const op of result.ops.filter((o) => o.op in symbol)) lines.push(`    ${symbol[op.op]} ${op.type} ${op.name} ${op.op}`);
        if (result.errors.length) throw new Failed([...lines, ...result.errors.map((e) => e.message)].join("\n"));
        if (command === "up") stack.outputs = await resolveOutputs(exported ?? {});
        if (command === "destroy") stack.outputs = undefined;
        const counts = Object.entries(countBy(result.ops.map((o) => o.op))).map(([op, n]) => `${n} ${op}`);
        lines.push("Resources:", `    ${counts.join(", ") || "no changes"}`);
        return `${lines.join("\n")}\n`;
    }
}

/** Flags (words starting with "-") and positional arguments, anywhere on the line (cobra allows both orders). */
function parseFlags(words: string[], known: string[]): { flags: string[]; args: string[] } {
    const flags: string[] = [];
    const args: string[] = [];
    for (const w of words) {
        if (w.startsWith("-") && w !== "-") {
            if (!known.includes(w)) throw new Unsupported(`flag ${w}`);
            flags.push(w);
        } else args.push(w);
    }
    return { flags, args };
}

/** The nearest directory from `cwd` up holding Pulumi.yaml (as the CLI looks for its project). */
function findProject(cwd: string): string {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Failed(`no Pulumi.yaml project file found in ${cwd} or above`);
    }
}

/** The program's exports as stack outputs: values resolved, secret ones flagged. */
async function resolveOutputs(exported: Record<string, unknown>): Promise<Record<string, { value: unknown; secret: boolean }>> {
    const out: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [key, v] of Object.entries(exported)) {
        const o = pulumi.output(v as pulumi.Input<unknown>) as pulumi.Output<unknown>;
        const value = await new Promise<unknown>((resolve) => o.apply((x) => { resolve(x); return x; }));
        out[key] = { value: JSON.parse(JSON.stringify(value ?? null)), secret: await pulumi.isSecret(o) };
    }
    return out;
}

/** Runs `fn` with console.log going to `lines`: the SDK prints a program's log.info there when no engine listens. */
async function captureConsole<T>(lines: string[], fn: () => Promise<T>): Promise<T> {
    const original = console.log;
    console.log = (...args: unknown[]) => { lines.push(...util.format(...args).split("\n")); };
    try {
        return await fn();
    } finally {
        console.log = original;
    }
}

function countBy(items: string[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const i of items) counts[i] = (counts[i] ?? 0) + 1;
    return counts;
}

/** Serves `interpreter` on a Unix socket: one JSON request line per connection, one JSON reply. */
export function servePulumi(socketPath: string, interpreter: PulumiInterpreter): Promise<net.Server> {
    const server = net.createServer((conn) => {
        let buffer = "";
        conn.setEncoding("utf8").on("data", (d: string) => {
            buffer += d;
            const nl = buffer.indexOf("\n");
            if (nl < 0) return;
            const request = JSON.parse(buffer.slice(0, nl)) as PulumiRequest;
            // One request at a time, like one CLI at a time in a terminal.
            void interpreter.handle(request).then((reply) => conn.end(`${JSON.stringify(reply)}\n`));
        });
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(socketPath, () => resolve(server));
    });
}
