/**
 * Requirements: root and openssh-server for the sshd front; the built simulator (npm run build).
 * Runs the xe client against the simulated host behind both SSH fronts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sh } from "../../../provider/shell";
import { ConnectionLostError } from "../../../provider/ssh";
import { XeError } from "../../../provider/xe";
import { readCalls } from "../../../sim/calls";
import { addFault, clearFaults } from "../../../sim/faults";
import { HOSTILE_VALUES } from "./hostileValues";
import { describeOnEachFront } from "./fronts";

async function xeError(promise: Promise<unknown>): Promise<XeError> {
    try {
        await promise;
    } catch (err) {
        if (err instanceof XeError) return err;
        throw err;
    }
    assert.fail("expected an XeError");
}

describeOnEachFront("provider/xe/client", (ctx) => {
    afterEach(() => clearFaults(ctx.front.stateDir));

    describe("typed failures", () => {
        it("UUID_INVALID with named params, and a message naming the command", async () => {
            const err = await xeError(ctx.xe.paramGet("vm", "no-such-uuid", "name-label"));
            assert.equal(err.code, "UUID_INVALID");
            assert.deepEqual(err.paramsByName, { type: "VM", uuid: "no-such-uuid" });
            assert.match(err.message, /^xe failed with UUID_INVALID on \S+: xe vm-param-get 'uuid=no-such-uuid' 'param-name=name-label'\nThe uuid you supplied was invalid\./);
        });

        it("CLI-level kinds: UNKNOWN_COMMAND, MISSING_PARAMETER, KEY_NOT_FOUND, NO_MATCHING_OBJECTS", async () => {
            assert.equal((await xeError(ctx.xe.call("frobnicate"))).code, "UNKNOWN_COMMAND");
            assert.equal((await xeError(ctx.xe.call("vm-param-get", { "param-name": "uuid" }))).code, "MISSING_PARAMETER");
            const dom0 = (await ctx.xe.uuids("vm", { "is-control-domain": true }))[0];
            assert.equal((await xeError(ctx.xe.paramGet("vm", dom0, "other-config", "vh-absent"))).code, "KEY_NOT_FOUND");
            assert.equal(await ctx.xe.paramGetOptional("vm", dom0, "other-config", "vh-absent"), undefined);
            assert.equal((await xeError(ctx.xe.vm.hardShutdown("00000000-0000-4000-8000-000000000000"))).code, "NO_MATCHING_OBJECTS");
        });

        it("VM_BAD_POWER_STATE from a real state conflict", async () => {
            const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-bad-power" });
            try {
                const err = await xeError(ctx.xe.vm.shutdown(vm));
                assert.equal(err.code, "VM_BAD_POWER_STATE");
                assert.equal(err.paramsByName.actual, "halted");
                assert.equal(err.paramsByName.expected, "running");
            } finally {
                await ctx.xe.vm.uninstall(vm);
            }
        });

        it("injected XenAPI errors in both renderings: Error code (SR_BACKEND_FAILURE_44) and datamodel", async () => {
            addFault(ctx.front.stateDir, { match: "sr-scan", action: { kind: "xe-error", code: "SR_BACKEND_FAILURE_44", params: ["", "There is insufficient space", ""] } });
            const sr = (await ctx.xe.findByNameLabel("sr", "Local storage"))[0];
            const backend = await xeError(ctx.xe.sr.scan(sr));
            assert.equal(backend.code, "SR_BACKEND_FAILURE_44");
            assert.deepEqual(backend.params, ["", "There is insufficient space", ""]);
            addFault(ctx.front.stateDir, { match: "vm-list", action: { kind: "xe-error", code: "HOST_NOT_ENOUGH_FREE_MEMORY", params: ["8589934592", "1024"] } });
            const memory = await xeError(ctx.xe.uuids("vm"));
            assert.equal(memory.code, "HOST_NOT_ENOUGH_FREE_MEMORY");
            assert.deepEqual(memory.paramsByName, { needed: "8589934592", available: "1024" });
        });
    });

    describe("transport faults", () => {
        it("re-runs a read-only call after the connection drops under it", async () => {
            addFault(ctx.front.stateDir, { match: "^vm-list", action: { kind: "drop-connection" } });
            const before = readCalls(ctx.front.stateDir).length;
            const uuids = await ctx.xe.uuids("vm");
            assert.ok(uuids.length >= 1);
            const calls = readCalls(ctx.front.stateDir).slice(before);
            assert.deepEqual(calls.map((c) => [c.argv[0], c.exitCode]), [["vm-list", 255], ["vm-list", 0]]);
            assert.match(ctx.logLines.join("\n"), /dropped during: xe vm-list/);
        });

        it("does not re-run a write after a drop: reports the ambiguity, and the next call works", async () => {
            addFault(ctx.front.stateDir, { match: "^network-create", action: { kind: "drop-connection" } });
            const before = readCalls(ctx.front.stateDir).length;
            await assert.rejects(ctx.xe.network.create({ nameLabel: "vh-dropped" }), (err: unknown) => {
                assert.ok(err instanceof ConnectionLostError);
                assert.match(err.message, /dropped while running: xe network-create 'name-label=vh-dropped'\nThe command may or may not have taken effect/);
                return true;
            });
            assert.deepEqual(readCalls(ctx.front.stateDir).slice(before).map((c) => c.argv[0]), ["network-create"]);
            assert.deepEqual(await ctx.xe.findByNameLabel("network", "vh-dropped"), []);
        });

        it("runs 50 xe calls at once on one connection", async () => {
            const host = await ctx.xe.host.uuid();
            const expected = await ctx.xe.paramGet("host", host, "name-label");
            const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
                i % 2 ? ctx.xe.paramGet("host", host, "name-label") : ctx.xe.uuids("host")));
            results.forEach((r, i) => assert.deepEqual(r, i % 2 ? expected : [host]));
        });
    });

    describe("injection", () => {
        const markers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("vh-pwned-"));

        it(`stores and reads back ${HOSTILE_VALUES.length} hostile values byte for byte, running nothing else`, async () => {
            for (const m of markers()) fs.rmSync(path.join(os.tmpdir(), m));
            // Writes one after another (the simulator serialises state changes with a lock file),
            // reads all at once over the session's channels, which keeps this test quick.
            const networks: string[] = [];
            for (const value of HOSTILE_VALUES) networks.push(await ctx.xe.network.create({ nameLabel: value, nameDescription: value }));
            const keyOf = (i: number) => `vh-test-${i}`;
            await ctx.xe.paramSet("network", networks[0], { "other-config": Object.fromEntries(HOSTILE_VALUES.map((v, i) => [keyOf(i), v])) });
            const records = await ctx.xe.list("network", {}, ["uuid", "name-label", "name-description"]);
            await Promise.all(HOSTILE_VALUES.map(async (value, i) => {
                const what = JSON.stringify(value.slice(0, 40));
                assert.deepEqual(records.find((r) => r.uuid === networks[i]), { uuid: networks[i], "name-label": value, "name-description": value }, what);
                assert.equal(await ctx.xe.paramGet("network", networks[i], "name-label"), value, what);
                assert.equal(await ctx.xe.paramGetOptional("network", networks[0], "other-config", keyOf(i)), value, what);
                assert.ok((await ctx.xe.findByNameLabel("network", value)).includes(networks[i]), what);
            }));
            assert.deepEqual(markers(), []);
            // xe itself received each value as one intact argv element.
            const created = readCalls(ctx.front.stateDir).filter((c) => c.argv[0] === "network-create").map((c) => c.argv[1]);
            for (const value of HOSTILE_VALUES) assert.ok(created.includes(`name-label=${value}`), JSON.stringify(value.slice(0, 40)));
        });

        it("refuses a value with a line break before sending anything", async () => {
            const before = readCalls(ctx.front.stateDir).length;
            await assert.rejects(ctx.xe.network.create({ nameLabel: "two\nlines" }), /cannot pass the xe network-create parameter name-label to the remote shell: it contains a line feed/);
            assert.equal(readCalls(ctx.front.stateDir).length, before);
        });
    });

    describe("secrets", () => {
        it("keeps the connection's secrets out of errors, the host's call log and the SSH server's log", async () => {
            const secrets = [ctx.front.connection.password, ctx.front.connection.privateKey?.split("\n")[1]].filter((s): s is string => !!s);
            const err = await xeError(ctx.xe.paramGet("vm", "no-such-uuid", "name-label"));
            const texts = [err.message, err.stack ?? "", fs.readFileSync(path.join(ctx.front.stateDir, "calls.log"), "utf8"), ctx.front.log(), ctx.logLines.join("\n")];
            for (const secret of secrets) for (const text of texts) assert.ok(!text.includes(secret));
        });

        it("masks secret-bearing xe params in errors, and the host logs them redacted", async () => {
            const err = await xeError(ctx.xe.call("secret-param-set", { uuid: "no-such-uuid", value: "tops3cret-value" }));
            assert.match(err.message, /'value=\*\*\*'/);
            assert.ok(!err.message.includes("tops3cret-value"));
            assert.ok(!fs.readFileSync(path.join(ctx.front.stateDir, "calls.log"), "utf8").includes("tops3cret-value"));
        });
    });

    describe("escape hatches", () => {
        it("runs non-xe commands with quoted values, and reads xenstore", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-run-"));
            try {
                const target = path.join(dir, "a dir; with $(specials)");
                await ctx.xe.runOrThrow(sh`mkdir -p -- ${target}`, { idempotent: true });
                assert.ok(fs.statSync(target).isDirectory());
                assert.equal(await ctx.xe.xenstoreRead("/local/domain/0/name"), "Domain-0");
                assert.equal((await xeError(ctx.xe.xenstoreRead("/local/domain/999/console/vnc-port"))).code, "XENSTORE_PATH_NOT_FOUND");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });
});
