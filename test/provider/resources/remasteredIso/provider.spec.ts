/**
 * RemasteredIso through the real dynamic-provider host (TestEngine) against a simulated host: the
 * lifecycle with the host's files and SR checked after each step, the unchanged re-run that does
 * nothing, preview with unknown inputs, secrets, out-of-band deletion, an answer file the host's
 * installer cannot run.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RemasteredIso } from "../../../../provider/resources/remasteredIso";
import { XenNetwork } from "../../../../provider/resources/xenNetwork";
import { closeAll } from "../../../../provider/ssh";
import { XeClient } from "../../../../provider/xe";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep } from "../../../helpers/sweep";
import { TestEngine } from "../../../helpers/testEngine";
import { answerFile, callCount, callsSince, connectionOf, ROOT_PASSWORD, stackConfig, standinSourceIso, writes, xeOf } from "../fixtures";

describe("RemasteredIso resource (real provider host, simulated XenServer)", function () {
    this.timeout(120_000);
    let sim: SimHost;
    let engine: TestEngine;
    let xe: XeClient;
    let source: string;
    let library: string;

    before(async () => {
        source = standinSourceIso();
        sim = await startSimHost();
        xe = xeOf(sim);
        library = path.join(sim.stateDir, "home", "virtual-hypervisor", "iso-library");
        engine = await TestEngine.start({ cwd: REPO_ROOT, project: "vhtest", config: stackConfig(sim) });
    });
    after(async () => {
        await engine?.stop();
        await closeAll();
        await sim?.stop();
    });

    const state = () => engine.resourcesOfType("RemasteredIso")[0];
    const isoFile = (name: string) => path.join(library, name);
    const markers = (name: string) => fs.readdirSync(path.join(library, `.${name}.vh`, "refs"));
    const librarySrs = () => xe.list("sr", { "other-config": { "vh-managed-by": "virtual-hypervisor" } }, ["uuid", "name-label", "other-config"]);

    it("remasters and uploads once, does nothing on an unchanged re-run, updates a moved source in place, replaces on new content, and destroys", async () => {
        const program = (args: Partial<ConstructorParameters<typeof RemasteredIso>[1]> = {}) => () => {
            new RemasteredIso("iso", { sourceIso: source, answerFile: answerFile(), ...args });
        };
        let r = await engine.up(program());
        assert.deepEqual(r.errors, []);
        const outs = state().outputs;
        assert.match(outs.isoName, /^vh-[0-9a-f]{16}\.iso$/);
        assert.equal(outs.libraryDirectory, library);
        const file = isoFile(outs.isoName);
        assert.equal(fs.statSync(file).size, outs.sizeBytes);
        assert.deepEqual(markers(outs.isoName), [outs.refId]);
        const [sr] = await librarySrs();
        assert.equal(sr.uuid, outs.srUuid);
        assert.equal(sr["name-label"], "virtual-hypervisor ISO library");
        assert.match(sr["other-config"], new RegExp(`vh-key: ${library}`));
        const vdi = await xe.list("vdi", { uuid: outs.vdiUuid }, ["name-label", "sr-uuid"]);
        assert.deepEqual(vdi, [{ "name-label": outs.isoName, "sr-uuid": outs.srUuid }]);
        assert.equal(outs.resolvedTarget, "xenserver-8", "the default target comes from the host's software-version");
        assert.ok(engine.host.logs.some((l) => /\[remaster and upload\]/.test(l)), "progress lines are printed");

        // Unchanged inputs: no remaster, no upload, no xe write.
        const mtime = fs.statSync(file).mtimeMs;
        const calls = callCount(sim.stateDir);
        const logs = engine.host.logs.length;
        r = await engine.refresh();
        assert.deepEqual(r.ops.map((o) => o.op), ["same"]);
        r = await engine.up(program());
        assert.deepEqual(r.ops.map((o) => o.op), ["same"]);
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), []);
        assert.equal(fs.statSync(file).mtimeMs, mtime);
        assert.ok(!engine.host.logs.slice(logs).some((l) => /remaster/.test(l)), engine.host.logs.slice(logs).join("\n"));

        // The same content from another path: the state follows, nothing on the host changes.
        const moved = path.join(os.tmpdir(), `vh-moved-${process.pid}.iso`);
        fs.copyFileSync(source, moved);
        try {
            const before = callCount(sim.stateDir);
            r = await engine.up(program({ sourceIso: moved }));
            assert.deepEqual(r.errors, []);
            assert.deepEqual(r.ops.map((o) => o.op), ["update"]);
            assert.equal(state().outputs.sourceIso, moved);
            assert.equal(state().outputs.isoName, outs.isoName);
            assert.deepEqual(writes(callsSince(sim.stateDir, before)), []);
        } finally {
            fs.rmSync(moved, { force: true });
        }

        // New content: a new ISO; the old file goes with its last marker.
        r = await engine.up(program({ kernelArgs: ["console=ttyS0"] }));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => [o.op, o.replaces]), [["replace", ["kernelArgs"]]]);
        const next = state().outputs;
        assert.notEqual(next.isoName, outs.isoName);
        assert.ok(fs.existsSync(isoFile(next.isoName)));
        assert.ok(!fs.existsSync(file), "the old ISO is removed");
        assert.ok(!fs.existsSync(path.join(library, `.${outs.isoName}.vh`)));
        assert.deepEqual(await xe.uuids("vdi", { "sr-uuid": next.srUuid }), [next.vdiUuid]);

        r = await engine.destroy();
        assert.deepEqual(r.errors, []);
        assert.ok(!fs.existsSync(isoFile(next.isoName)));
        assert.deepEqual(await librarySrs(), [], "our empty library SR is forgotten");
        assert.ok(!fs.existsSync(library), "and its empty directory removed");
        assert.deepEqual(await sweep(xe), []);
    });

    it("replaces without re-sending when only the host's address changed (create before delete, shared file)", async () => {
        const conn = connectionOf(sim);
        const program = (host: string) => () => { new RemasteredIso("iso", { sourceIso: source, answerFile: answerFile(), connection: { ...conn, host } }); };
        await engine.up(program("127.0.0.1"));
        const first = state().outputs;
        const mtime = fs.statSync(isoFile(first.isoName)).mtimeMs;
        const r = await engine.up(program("localhost"));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => [o.op, o.replaces]), [["replace", ["connection"]]]);
        const second = state().outputs;
        assert.equal(second.isoName, first.isoName);
        assert.equal(fs.statSync(isoFile(first.isoName)).mtimeMs, mtime, "not uploaded again");
        assert.deepEqual(markers(first.isoName), [second.refId], "only the new resource's marker is left");
        assert.deepEqual((await engine.destroy()).errors, []);
        assert.deepEqual(await sweep(xe), []);
    });

    it("previews with unknown inputs (an answer file built from another resource's output) without touching the host", async () => {
        const calls = callCount(sim.stateDir);
        const r = await engine.preview(() => {
            const net = new XenNetwork("net", { nameLabel: "lab-net" });
            new RemasteredIso("iso", {
                sourceIso: source,
                answerFile: net.bridge.apply((bridge) => ({ ...answerFile(), hostname: `vh-${bridge}` })),
                kernelArgs: [net.uuid],
            });
        });
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create", "create"]);
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), []);
        assert.equal(engine.state.size, 0);
    });

    it("keeps the root password and the host password out of state, logs and the ISO", async () => {
        const conn = connectionOf(sim);
        const r = await engine.up(() => { new RemasteredIso("iso", { sourceIso: source, answerFile: answerFile(), connection: conn }); });
        assert.deepEqual(r.errors, []);
        const plain = engine.plainState();
        const logs = engine.host.logs.join("\n");
        for (const secret of [ROOT_PASSWORD, conn.password!]) {
            assert.ok(!plain.includes(secret), "secret in plain state");
            assert.ok(!logs.includes(secret), "secret in provider logs");
        }
        // Even the encrypted-at-rest inputs hold only the hash.
        assert.ok(!JSON.stringify(state().inputs).includes(ROOT_PASSWORD));
        assert.match(state().inputs.answerFile, /<root-password type="hash">\$6\$/);
        const iso = fs.readFileSync(isoFile(state().outputs.isoName));
        assert.equal(iso.indexOf(ROOT_PASSWORD), -1, "plaintext password in the ISO");
        assert.deepEqual((await engine.destroy()).errors, []);
    });

    it("drops an ISO deleted behind its back on refresh and puts it back on the next up", async () => {
        const program = () => { new RemasteredIso("iso", { sourceIso: source, answerFile: answerFile() }); };
        await engine.up(program);
        const outs = state().outputs;
        fs.rmSync(isoFile(outs.isoName));
        await xe.sr.scan(outs.srUuid);
        let r = await engine.refresh();
        assert.deepEqual(r.ops.map((o) => o.op), ["refresh-gone"]);
        r = await engine.up(program);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create"]);
        assert.ok(fs.existsSync(isoFile(outs.isoName)));
        const back = state().outputs;
        assert.deepEqual(await xe.uuids("vdi", { "sr-uuid": back.srUuid }), [back.vdiUuid], "the rescanned SR holds the new VDI only");
        assert.deepEqual((await engine.destroy()).errors, []);
        assert.deepEqual(await sweep(xe), []);
    });

    it("rejects an answer file the host's installer cannot run (no target given) before writing anything", async () => {
        const model = answerFile();
        model.scripts = [...(model.scripts ?? []), { stage: "packages-installed", type: "url", location: "file:///pkgs.sh" }];
        const calls = callCount(sim.stateDir);
        const r = await engine.up(() => { new RemasteredIso("iso", { sourceIso: source, answerFile: model }); });
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /RemasteredIso vh-[0-9a-f]{16}\.iso: the answer file does not suit the xenserver-8 installer:\n- scripts\[1\]\.stage is not supported by XenServer 8/);
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), []);
        assert.equal(engine.state.size, 0);
    });

    it("reports invalid inputs all at once, naming input, rule and value", async () => {
        const r = await engine.up(() => {
            new RemasteredIso("bad", {
                sourceIso: "/nonexistent/xs.iso",
                answerFile: { ...answerFile(), timezone: "Mars", rootPassword: { type: "plaintext", value: "abc" } },
                target: "xenserver-9" as any,
                isoLibrary: { directory: "relative/dir" },
            });
        });
        assert.equal(r.errors.length, 1);
        const m = r.errors[0].message;
        assert.match(m, /sourceIso: sourceIso must be an existing ISO file on this machine, got "\/nonexistent\/xs.iso" \(no such file\)/);
        assert.match(m, /target: target must be one of .*got "xenserver-9"/);
        assert.match(m, /isoLibrary: isoLibrary.directory must be an absolute directory path/);
        assert.match(m, /answerFile: answerFile: .*timezone/);
        assert.match(m, /answerFile: answerFile: .*root/i);
        assert.ok(!m.includes("abc\""), "the password is not quoted");
        engine.state.clear();
    });
});
