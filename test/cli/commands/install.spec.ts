/**
 * `vh install`, run as users run it (child processes) against a simulated host: the seed's three
 * steps and name-labels, the ISO library (upload once, verified; reused), progress on a terminal
 * and in a log, --json, an earlier install reused, deadlines, a kept failed VM in its own ISO
 * library, a missing network, an interrupt, and wrong arguments.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { machineRefId } from "../../../cli/isoUpload";
import { closeAll } from "../../../provider/ssh";
import { parseMap, XeClient } from "../../../provider/xe";
import { readCalls } from "../../../sim";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { buildStandinIso } from "../../helpers/standinIso";
import { documentedJson, json, simFlags, vh, vhInProcess, vhOnTerminal } from "../run";

const CLEAR_LINE = `\r${String.fromCharCode(27)}[2K`;
const CLEAR_LINE_RE = `\\r${String.fromCharCode(27)}\\[2K`;
const STEP_NAMES = (name: string) => [`${name} - created (Step 1 of 3)`, `${name} - booted from iso (Step 2 of 3)`, `${name} - first boot (Step 3 of 3)`, name];

describe("vh install", function () {
    this.timeout(90_000);
    let sim: SimHost;
    let xe: XeClient;
    let tmp: string;
    let iso: string;
    let key: string[];
    let library: string;

    before(async () => {
        sim = await startSimHost({ installSeconds: 2, firstBootSeconds: 1 });
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-install-"));
        buildStandinIso({ out: path.join(tmp, "xenserver.iso") });
        const answers = await vhInProcess(["answerfile", "static", "-h", "vh0.lab", "-i", "192.168.32.2", "-m", "255.255.255.0", "-g", "192.168.32.1", "-p", "vhpass"], tmp);
        fs.writeFileSync(path.join(tmp, "vh0.answers"), answers.stdout);
        const remastered = await vhInProcess(["remaster", "xenserver.iso", "vh0.lab.iso", "vh0.answers"], tmp);
        assert.equal(remastered.code, 0, remastered.stderr);
        iso = path.join(tmp, "vh0.lab.iso");
        key = simFlags(sim, "key", tmp);
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        await xe.network.create({ nameLabel: "home" });
        library = path.join(sim.stateDir, "home", "virtual-hypervisor", "iso-library");
    });
    after(async () => {
        await closeAll();
        await sim.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("rejects wrong arguments with the usage and exit 2, before touching the host", async () => {
        const cases: Array<[string[], RegExp]> = [
            [["install", iso, "h", "home"], /^vh install: expected ISOFILE XENSERVER NETWORK_NAME MACHINE_NAME, got "[^"]+" "h" "home"\n\nusage: vh install/],
            [["install", "/nonexistent.iso", "h", "home", "vh0"], /^vh install: ISOFILE must be an existing file, got "\/nonexistent\.iso"/],
            [["install", iso, "h", "home", "vh0", "--memory-gib", "lots"], /^vh install: --memory-gib must be a number, got "lots"/],
            [["install", iso, "h", "home", "vh0", "--memory-gib", "0.5", "--vcpus", "0"], /^vh install: --memory-gib must be .*got 0\.5; --vcpus must be .*got 0\n/],
            [["install", iso, "h", "home", "vh0", "--firmware", "coreboot"], /^vh install: --firmware must be one of bios, uefi, got "coreboot"/],
            [["install", iso, "h", "home", "vh0", "--power-state", "paused"], /^vh install: --power-state must be one of halted, running, got "paused"/],
            [["install", iso, "h", "home", "vh0", "--mac", "01:00:00:00:00:01"], /^vh install: --mac must be a unicast address/],
            [["install", iso, "h", "home", "vh0", "--iso-library", "isos"], /^vh install: --iso-library must be an absolute dom0 path, got "isos"/],
        ];
        for (const [args, message] of cases) {
            const r = await vhInProcess(args);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
            assert.match(r.stderr, message);
        }
    });

    it("installs in the seed's three named steps, leaves the VM halted, uploads the ISO once (verified) and prints timestamped progress", async () => {
        const from = readCalls(sim.stateDir).length;
        const r = await vh(["install", iso, sim.connection.host, "home", "vh0.lab", ...key, "--json"], { cwd: tmp });
        assert.equal(r.code, 0, r.stderr);
        const result = json(r);
        // The shape docs/cli.md documents.
        const documented = documentedJson("install");
        assert.deepEqual(Object.keys(result), Object.keys(documented));
        assert.deepEqual(Object.keys(result.iso), Object.keys(documented.iso));
        assert.deepEqual(Object.keys(result.network), Object.keys(documented.network));
        assert.equal(result.command, "install");
        assert.equal(result.powerState, "halted");
        assert.equal(result.adopted, false);
        assert.deepEqual([result.memoryGiB, result.vcpus, result.diskGiB, result.firmware], [8, 2, 100, "bios"]);
        assert.equal(result.iso.uploaded, true);
        assert.equal(result.iso.libraryDirectory, library);
        assert.match(result.iso.name, /^vh-[0-9a-f]{16}\.iso$/);
        assert.equal(result.iso.sizeBytes, fs.statSync(iso).size);
        assert.equal(result.vncPort, null);
        assert.ok(result.installSeconds >= 1.5, `installSeconds ${result.installSeconds}`);
        // The host holds the bytes under their content name, with this machine's reference marker.
        assert.equal(fs.readFileSync(path.join(library, result.iso.name)).equals(fs.readFileSync(iso)), true);
        assert.ok(fs.existsSync(path.join(library, `.${result.iso.name}.vh`, "refs", machineRefId("vh0.lab"))));
        // The seed's name-label state machine, in order.
        const labels = readCalls(sim.stateDir).slice(from).filter((c) => c.argv[0]?.startsWith("vm-"))
            .flatMap((c) => c.argv.filter((a) => a.startsWith("name-label=") || a.startsWith("new-name-label=")).map((a) => a.replace(/^(new-)?name-label=/, "")));
        assert.deepEqual(labels.filter((l) => l.startsWith("vh0.lab")), STEP_NAMES("vh0.lab"));
        const vm = await xe.record("vm", result.uuid, ["name-label", "power-state", "other-config"]);
        assert.equal(vm?.["name-label"], "vh0.lab");
        assert.equal(vm?.["power-state"], "halted");
        assert.equal(parseMap(vm?.["other-config"] ?? "")["vh-iso-library"], library);
        // Progress: plain lines with UTC timestamps (stderr is not a terminal), each step once.
        const lines = r.stderr.trimEnd().split("\n");
        assert.ok(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /.test(l)), r.stderr);
        for (const phase of ["[upload]", "[pre-flight]", "[create (Step 1 of 3)]", "[install (Step 2 of 3)]", "[first boot (Step 3 of 3)]", "[finish]"]) {
            assert.ok(lines.some((l) => l.includes(phase)), `${phase} in:\n${r.stderr}`);
        }
        assert.ok(lines.some((l) => /uploading vh-[0-9a-f]{16}\.iso: 9\.00 MiB of 9\.00 MiB \(100%\), /.test(l)), r.stderr);
    });

    it("reuses an earlier complete install and the ISO the host already holds", async () => {
        const r = await vh(["install", iso, sim.connection.host, "home", "vh0.lab", ...key], { cwd: tmp });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^vh0\.lab on root@127\.0\.0\.1:\d+ was installed by an earlier run; reusing it \(halted\)\n/);
        assert.match(r.stdout, /\n {2}ISO: {6}vh-[0-9a-f]{16}\.iso was already on the host /);
        assert.match(r.stdout, /\n {2}start it: xe vm-start uuid=[0-9a-f-]{36} {2}\(or install with --power-state running\)\n$/);
        assert.equal((await xe.uuids("vm", { "name-label": "vh0.lab" })).length, 1);
    });

    it("on a terminal redraws its status in place, and with --power-state running prints the console", async () => {
        const r = await vhOnTerminal(["install", iso, sim.connection.host, "home", "vh1.lab", ...key, "--power-state", "running", "--memory-gib", "4", "--vcpus", "1"], { cwd: tmp });
        assert.equal(r.code, 0, r.output);
        // "\r ESC[2K": back to the line start and clear it, i.e. drawn in place.
        assert.ok(r.output.includes(`${CLEAR_LINE}vh1.lab: [install (Step 2 of 3)] starting "vh1.lab - booted from iso (Step 2 of 3)"`), r.output);
        assert.match(r.output, new RegExp(`${CLEAR_LINE_RE}vh1\\.lab: install \\(Step 2 of 3\\), [\\d.]+m?s in phase, [\\d.]+s total`), "the status line ticks");
        assert.ok(!/^\d{4}-\d\d-\d\dT/m.test(r.output), "no timestamps on a terminal");
        assert.match(r.output, /vh1\.lab on root@127\.0\.0\.1:\d+ installed \(running\)/);
        assert.match(r.output, /size: {5}4 GiB memory \(pinned\), 1 vCPUs, 100 GiB disk, bios/);
        assert.match(r.output, /console: {2}ssh -N -L 5901:localhost:59\d\d -p \d+ root@127\.0\.0\.1, then vncviewer localhost:1/);
        const uuid = (await xe.uuids("vm", { "name-label": "vh1.lab" }))[0];
        assert.equal(await xe.vm.powerState(uuid), "running");
    });

    it("says so when the network does not exist (exit 1)", async () => {
        const r = await vh(["install", iso, sim.connection.host, "nowhere", "vh2.lab", ...key], { cwd: tmp });
        assert.equal(r.code, 1);
        assert.equal(r.stderr.split("\n").slice(-3).join("\n"), `vh install: there is no network named "nowhere" on root@127.0.0.1:${sim.connection.port}\n  Create it first: vh network create 127.0.0.1 nowhere\n`);
    });

    it("stops at the install deadline with one clear sentence, removes the VM and releases its ISO reference", async () => {
        const r = await vh(["install", iso, sim.connection.host, "home", "late.lab", ...key, "--install-timeout-minutes", "0.005", "--json"], { cwd: tmp });
        assert.equal(r.code, 1, r.stderr);
        const failure = r.stderr.slice(r.stderr.indexOf("vh install: "));
        const [sentence, ...detail] = failure.trimEnd().split("\n");
        assert.match(sentence, /^vh install: the install of late\.lab did not finish within 0\.005 minutes \(phase 2 of 3, waiting for the installer to power VM [0-9a-f-]{36} off \(it does when the installation is complete\)\)$/);
        assert.ok(detail.every((l) => l.startsWith("  ")), "the detail is indented");
        assert.match(failure, /look at its console: ssh -N -L 5901:localhost:59\d\d/);
        // The machines of the tests before still use the same ISO, so only this reference goes.
        assert.match(failure, /\n {2}ISO vh-[0-9a-f]{16}\.iso: (kept vh-[0-9a-f]{16}\.iso for \d+ other user\(s\)|removed vh-[0-9a-f]{16}\.iso.*)\.\n$/);
        assert.equal(json(r).error.exitCode, 1);
        const left = (await xe.list("vm", {}, ["name-label"])).filter((v) => v["name-label"].startsWith("late.lab"));
        assert.deepEqual(left, [], "the VM was removed again");
        const refs = fs.readdirSync(library).filter((f) => f.endsWith(".vh")).flatMap((m) => fs.readdirSync(path.join(library, m, "refs")));
        assert.ok(!refs.includes(machineRefId("late.lab")), "its ISO reference is released");
    });

    it("with --keep-failed-vm and its own --iso-library, suggests the vh destroy (naming that library) that removes both", async () => {
        const custom = path.join(sim.stateDir, "kept-isos");
        const r = await vh(["install", iso, sim.connection.host, "home", "kept.lab", ...key, "--install-timeout-minutes", "0.005", "--keep-failed-vm", "--iso-library", custom], { cwd: tmp });
        assert.equal(r.code, 1, r.stderr);
        // The VM does not name its library yet (that is written once the install succeeded): destroy must be told.
        assert.ok(r.stderr.endsWith(`\n  The ISO reference stays for the kept VM; vh destroy 127.0.0.1 kept.lab --iso-library ${custom} removes both.\n`), r.stderr);
        const d = await vh(["destroy", sim.connection.host, "kept.lab", ...key, "--iso-library", custom]);
        assert.equal(d.code, 0, d.stderr);
        assert.deepEqual((await xe.list("vm", {}, ["name-label"])).filter((v) => v["name-label"].startsWith("kept.lab")), []);
        const markers = fs.existsSync(custom) ? fs.readdirSync(custom).filter((f) => f.endsWith(".vh")) : [];
        assert.ok(!markers.flatMap((m) => fs.readdirSync(path.join(custom, m, "refs"))).includes(machineRefId("kept.lab")), "its ISO reference is released");
    });

    it("on an interrupt says what may be left and exits 130; vh destroy then removes it", async () => {
        let signalled = false;
        const r = await vh(["install", iso, sim.connection.host, "home", "cut.lab", ...key], {
            cwd: tmp,
            onStderr: (stderr, child) => {
                if (!signalled && stderr.includes("[install (Step 2 of 3)]")) {
                    signalled = true;
                    child.kill("SIGINT");
                }
            },
        });
        assert.equal(r.code, 130, r.stderr);
        assert.match(r.stderr, /\nvh install: interrupted \(SIGINT\); the VM cut\.lab may be left on root@127\.0\.0\.1:\d+ \(name-label "cut\.lab - …"\); remove it with: vh destroy 127\.0\.0\.1 cut\.lab\n$/);
        // Interrupted in step 2 (its VM still shows a step name, 1 or 2: the rename follows vm-start).
        assert.equal((await xe.list("vm", {}, ["name-label"])).filter((v) => /^cut\.lab - .*\(Step [12] of 3\)$/.test(v["name-label"])).length, 1);
        const d = await vh(["destroy", sim.connection.host, "cut.lab", ...key]);
        assert.equal(d.code, 0, d.stderr);
        assert.deepEqual((await xe.list("vm", {}, ["name-label"])).filter((v) => v["name-label"].startsWith("cut.lab")), []);
    });
});
