/**
 * What each documented Pulumi walk-through line must have done (test/readme.spec.ts), beyond
 * exiting 0: preview creates nothing and writes nothing on the host; up builds the lab under the
 * stack's prefix; `stack output hypervisors` has the documented fields and its sshCommand works
 * through the toolbox; destroy leaves nothing the ownership tag or the prefix would find.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { argv } from "../../provider/shell";
import { getSession } from "../../provider/ssh";
import { readCalls } from "../../sim";
import type { LabHost } from "./labHost";
import { REPO_ROOT } from "./paths";
import { DOCUMENTS, inlineCommands } from "./readmeDocs";
import type { StackRecord } from "./readmePulumi";
import type { PulumiSession } from "./readmePulumiWalk";
import type { ShellRun } from "./readmeShell";
import { sweep } from "./sweep";

export interface CheckContext {
    host: LabHost;
    session: PulumiSession;
    /** How many xe calls the simulator had logged before the line ran. */
    callsBefore: number;
}

type Check = (ctx: CheckContext, line: string, run: ShellRun) => Promise<void>;

const stackOf = (ctx: CheckContext): StackRecord => {
    assert.ok(ctx.session.interpreter.current, "a stack is selected");
    return ctx.session.interpreter.current;
};
const lastRun = (ctx: CheckContext, command: string) => {
    const run = stackOf(ctx).runs.at(-1);
    assert.equal(run?.command, command, `the interpreter ran pulumi ${command}`);
    return run!;
};
const expectedNames = (stack: StackRecord) => {
    const count = Number(stack.config.flat()["lab:count"]);
    assert.ok(count > 0, "the walk-through sets lab:count");
    return [...Array(count).keys()].map((i) => `${stack.name}-vh${i}`);
};
const labVms = async (host: LabHost) => (await host.xe.list("vm", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["name-label", "power-state"]))
    .map((v) => `${v["name-label"]} ${v["power-state"]}`).sort();

/** The fields docs/lab-stacks.md promises per host in the `hypervisors` output. */
export function documentedHypervisorFields(): string[] {
    for (const doc of DOCUMENTS) {
        const m = /`hypervisors`: per host ([^;]+);/.exec(fs.readFileSync(path.join(REPO_ROOT, doc), "utf8"));
        if (m) return [...m[1].matchAll(/`(\w+)`/g)].map((f) => f[1]);
    }
    throw new Error("no document lists the fields of the hypervisors output (\"`hypervisors`: per host `name`, …;\")");
}

/** The leftover sweep the docs give in prose: `xe vm-list other-config:vh-managed-by=virtual-hypervisor`. */
export function documentedSweep(): string {
    const found = DOCUMENTS.flatMap((d) => inlineCommands(fs.readFileSync(path.join(REPO_ROOT, d), "utf8"), "xe vm-list other-config:vh-managed-by="));
    assert.ok(found.length > 0, "the docs say how to find leftovers with xe vm-list");
    assert.equal(new Set(found).size, 1, `the docs give one sweep command: ${found.join(" | ")}`);
    return found[0];
}

async function waitForEvent(host: LabHost, event: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (host.events.at(-1) !== event) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the toolbox NIC event "${event}"; events: ${host.events.join(", ")}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** Checks by the line's leading words, first match wins. */
export const pulumiChecks: Array<{ match: RegExp; check: Check }> = [
    {
        match: /^git clone /,
        check: async (ctx) => assert.ok(fs.existsSync(path.join(ctx.session.shell.cwd, "Pulumi.yaml")), `the clone (${ctx.session.shell.cwd}) is the Pulumi project`),
    },
    {
        match: /^pulumi stack init /,
        check: async (ctx, line) => assert.equal(stackOf(ctx).name, line.split(/\s+/)[3]),
    },
    {
        match: /^pulumi preview\b/,
        check: async (ctx, _line, run) => {
            const { result, diagnostics } = lastRun(ctx, "preview");
            assert.ok(result.ops.length > 0 && result.ops.every((o) => o.op === "create"), "preview of a new stack only plans creates");
            assert.match(diagnostics.join("\n"), new RegExp(`pre-flight of lab ${stackOf(ctx).name} on root@`), "preview prints the pre-flight table");
            assert.match(run.stdout, /^ {4}\+ \S+ \S+ create$/m, "then what would be created");
            const writes = readCalls(ctx.host.sim.stateDir).slice(ctx.callsBefore).filter((c) => c.writes);
            assert.deepEqual(writes.map((c) => c.argv.join(" ")), [], "preview makes no xe write");
            assert.deepEqual(await labVms(ctx.host), [], "nothing exists yet");
        },
    },
    {
        match: /^pulumi up\b/,
        check: async (ctx) => {
            const stack = stackOf(ctx);
            assert.deepEqual(lastRun(ctx, "up").result.errors, []);
            assert.deepEqual(await labVms(ctx.host), expectedNames(stack).map((n) => `${n} running`), "the nested hosts run, named by the stack");
            assert.equal((await ctx.host.xe.uuids("network", { "name-label": `${stack.name}-home` })).length, 1, `the network ${stack.name}-home exists`);
            await waitForEvent(ctx.host, `${stack.name} plugged`);
            // "network → gateway → ISOs → hypervisors": the first xe write of each step, in that order.
            const writes = readCalls(ctx.host.sim.stateDir).slice(ctx.callsBefore).filter((c) => c.writes).map((c) => c.argv[0]);
            const firsts = [["network-create"], ["vif-plug"], ["sr-create", "sr-scan"], ["vm-install"]].map((names) => writes.findIndex((w) => names.includes(w)));
            assert.ok(firsts.every((i, n) => i >= 0 && (n === 0 || i > firsts[n - 1])), `the lab is built network → gateway → ISOs → hypervisors; xe writes: ${writes.join(", ")}`);
            const plain = stack.engine!.plainState();
            for (const secret of [...stack.config.secretValues(), ctx.host.sim.connection.password]) {
                for (const part of secret.split("\n").filter((p) => p.length >= 8 && !p.startsWith("-----"))) {
                    assert.ok(!plain.includes(part), "no secret reaches the state in plaintext");
                }
            }
        },
    },
    {
        match: /^pulumi stack output hypervisors\b/,
        check: async (ctx, line, run) => {
            const stack = stackOf(ctx);
            const hypervisors = stack.outputs?.hypervisors;
            assert.ok(hypervisors && !hypervisors.secret, "the hypervisors output is there and not secret");
            const list = hypervisors.value as Array<Record<string, unknown>>;
            const gateway = stack.outputs!.gatewayAddress.value;
            assert.deepEqual(list.map((h) => h.nameLabel), expectedNames(stack));
            for (const h of list) {
                assert.deepEqual(Object.keys(h).sort(), documentedHypervisorFields().sort(), "the documented fields, no more, no fewer");
                assert.equal(h.sshCommand, `ssh -J root@${ctx.host.net.toolbox.connection.host} root@${h.address}`, `reached through the toolbox (gateway ${gateway})`);
            }
            if (/\|\s*jq -r '\.\[\]\.sshCommand'/.test(line)) assert.deepEqual(run.stdout.trim().split("\n"), list.map((h) => h.sshCommand));
            else assert.deepEqual(JSON.parse(run.stdout), list, "the output is the hypervisors as JSON");
        },
    },
    {
        match: /^ssh /,
        check: async (ctx, _line, run) => {
            const gateway = stackOf(ctx).outputs!.gatewayAddress.value;
            assert.match(run.stdout, new RegExp(`^vh-readme: logged in from ${String(gateway).replace(/\./g, "\\.")}$`, "m"), "the login came through the toolbox's NIC on the home network");
        },
    },
    {
        match: /^pulumi destroy\b/,
        check: async (ctx) => {
            const stack = stackOf(ctx);
            assert.deepEqual(lastRun(ctx, "destroy").result.errors, []);
            assert.deepEqual(await sweep(ctx.host.xe, { names: [`${stack.name}-`] }), [], "nothing tagged or named by the lab is left");
            const listed = await getSession(ctx.host.connection).run(argv(documentedSweep().split(/\s+/)));
            assert.deepEqual([listed.exitCode, listed.stdout.trim()], [0, ""], "the documented sweep finds nothing");
            await waitForEvent(ctx.host, `${stack.name} unplugged`);
        },
    },
];
