#!/usr/bin/env node
/**
 * `npm run demo`: the seed blog's walk-through, end to end, on a simulated XenServer host. It
 * starts `vh sim` in a temporary directory, builds a small stand-in installer ISO, then runs the
 * real `vh` commands as child processes, echoing each like a tutorial: the home network, an answer
 * file and a remastered ISO per virtual hypervisor, both installs at once, their consoles; then it
 * tears everything down and checks that nothing is left on the host (by tag and by name) and
 * nothing is left running. Exits 0 when every step passed, 1 otherwise (130 when interrupted).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeAll } from "../provider/ssh/pool";
import { XeClient } from "../provider/xe";
import { buildStandinIso } from "../sim/standin/standinIso";
import { leftoversOnHost, processesUsing } from "./demo/checks";
import { DemoShell, RunResult } from "./demo/shell";
import { DemoHost, startDemoHost } from "./demo/simHost";
import { EXIT } from "./exit";

/** The blog's lab: the home network 192.168.32.0/24 behind the toolbox at .1. */
const NETWORK = "home";
const MACHINES = [
    { name: "vh0.lab", ip: "192.168.32.2" },
    { name: "vh1.lab", ip: "192.168.32.3" },
];
const LAB = { netmask: "255.255.255.0", gateway: "192.168.32.1", dns: "192.168.32.1", rootPassword: "vhpass" };
/** Simulated install times: the demo should take well under a minute. */
const INSTALL_SECONDS = 2;
const FIRST_BOOT_SECONDS = 1;

class StepFailed extends Error {
    override name = "StepFailed";
}

function check(result: RunResult, what: string): RunResult {
    if (result.code !== 0) throw new StepFailed(`${what} failed (exit ${result.code ?? result.signal})`);
    return result;
}

export async function runDemo(out: NodeJS.WritableStream): Promise<number> {
    const started = Date.now();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-demo-"));
    const shell = new DemoShell(tmp, out);
    let host: DemoHost | undefined;
    let failure: Error | undefined;
    const installed: string[] = [];
    let networkMade = false;
    const conn: string[] = [];
    const stopAll = async () => {
        await closeAll();
        for (const c of shell.running()) c.kill("SIGTERM");
        if (host) await host.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    };
    const onSignal = () => {
        out.write("\ndemo: interrupted; stopping the simulated host and removing the temporary directory\n");
        void stopAll().finally(() => process.exit(EXIT.INTERRUPTED));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        shell.say(`virtual-hypervisor demo: two nested XenServers on a simulated host (working in ${tmp})\n`);
        shell.say("# A simulated XenServer host: an SSH server whose xe is the simulator (installs take seconds).");
        shell.say(`$ vh sim --state-dir host --install-seconds ${INSTALL_SECONDS} --first-boot-seconds ${FIRST_BOOT_SECONDS} &`);
        host = await startDemoHost(["--state-dir", path.join(tmp, "host"), "--install-seconds", String(INSTALL_SECONDS), "--first-boot-seconds", String(FIRST_BOOT_SECONDS)]);
        shell.say(`  listening on ${host.host}:${host.port}, host key ${host.hostKey}`);
        const keyFile = path.relative(tmp, host.privateKeyPath);
        conn.push("--port", String(host.port), "--identity", keyFile, "--host-key", host.hostKey);
        shell.say(`$ CONN="${conn.join(" ")}"   # how every command below reaches it\n`);

        shell.say("# A small stand-in for a XenServer 8 installer ISO (real boot layout, tiny installer).");
        const sourceIso = buildStandinIso({ out: path.join(tmp, "xenserver.iso") });
        shell.say(`  built xenserver.iso (${(fs.statSync(sourceIso).size / 1024 / 1024).toFixed(1)} MiB)\n`);

        const h = host.host;
        const vh = (argv: string[], display: string, extra: Parameters<DemoShell["vh"]>[1] = { display }) => shell.vh(argv, { ...extra, display });
        shell.say("# The lab's private network (the blog: xe network-create name-label=home).");
        check(await vh(["network", "create", h, NETWORK, ...conn], `vh network create ${h} ${NETWORK} $CONN`), "creating the network");
        networkMade = true;
        shell.say("");

        fs.writeFileSync(path.join(tmp, "root-password"), `${LAB.rootPassword}\n`, { mode: 0o600 });
        for (const m of MACHINES) {
            shell.say(`# ${m.name}: an answer file for a static address, then the installer ISO remastered with it.`);
            const answers = `${m.name.split(".")[0]}.answers`;
            const args = ["static", "-h", m.name, "-i", m.ip, "-m", LAB.netmask, "-g", LAB.gateway, "--password-file", "root-password", "-n", LAB.dns];
            check(await vh(["answerfile", ...args], `vh answerfile ${args.join(" ")}`, { display: "", stdoutFile: answers }), `the answer file of ${m.name}`);
            check(await vh(["remaster", "xenserver.iso", `${m.name}.iso`, answers], `vh remaster xenserver.iso ${m.name}.iso ${answers}`), `remastering for ${m.name}`);
            shell.say("");
        }

        shell.say("# Both installs at once (the seed's xs_start_create_vm_with_cdrom.sh, one per terminal).");
        const installs = MACHINES.map((m) => {
            const argv = ["install", `${m.name}.iso`, h, NETWORK, m.name, ...conn, "--power-state", "running"];
            shell.say(`$ vh install ${m.name}.iso ${h} ${NETWORK} ${m.name} $CONN --power-state running &`);
            return shell.spawnVh(argv, { display: `vh install … ${m.name}`, prefix: `  [${m.name}] ` });
        });
        shell.say("$ wait");
        const results = await Promise.all(installs);
        results.forEach((r, i) => {
            if (r.code === 0) installed.push(MACHINES[i].name);
        });
        results.forEach((r, i) => check(r, `installing ${MACHINES[i].name}`));
        shell.say("");

        shell.say("# The lab, and how to reach each console.");
        for (const m of MACHINES) check(await vh(["console", h, m.name, ...conn], `vh console ${h} ${m.name} $CONN`), `the console of ${m.name}`);
        shell.say("");
        shell.say(`  network ${NETWORK}: 192.168.32.0/24, gateway and DNS ${LAB.gateway} (the blog's toolbox), root password in root-password`);
        for (const m of MACHINES) shell.say(`  ${m.name.padEnd(8)} ${m.ip.padEnd(14)} running, installed unattended from ${m.name}.iso`);
        shell.say("");
    } catch (err) {
        failure = err as Error;
        shell.say(`\ndemo: ${failure.message}`);
    }

    // Teardown runs whatever happened above, and must leave nothing behind.
    const problems: string[] = [];
    if (host) {
        shell.say("# Tearing the lab down.");
        for (const name of installed.length ? MACHINES.map((m) => m.name) : []) {
            const r = await shell.vh(["destroy", host.host, name, ...conn], { display: `vh destroy ${host.host} ${name} $CONN` });
            if (r.code !== 0) problems.push(`vh destroy ${name} failed (exit ${r.code})`);
        }
        if (networkMade) {
            const r = await shell.vh(["network", "destroy", host.host, NETWORK, ...conn], { display: `vh network destroy ${host.host} ${NETWORK} $CONN` });
            if (r.code !== 0) problems.push(`vh network destroy failed (exit ${r.code})`);
        }
        shell.say("");
        shell.say("# Checking that nothing is left on the host (by tag and by name) and nothing runs.");
        try {
            const xe = XeClient.connect({
                host: host.host, port: host.port, user: "root", privateKey: fs.readFileSync(host.privateKeyPath, "utf8"), hostKey: host.hostKey,
            });
            const left = await leftoversOnHost(xe, MACHINES.map((m) => m.name), NETWORK);
            problems.push(...left.map((l) => `left on the host: ${l}`));
            if (!left.length) shell.say("  no VM, disk, drive, interface, network, ISO library SR or ISO file of ours is left");
        } catch (err) {
            problems.push(`could not check the host: ${(err as Error).message}`);
        }
        await closeAll();
        const stopProblem = await host.stop();
        if (stopProblem) problems.push(stopProblem);
    }
    const running = shell.running().map((c) => `vh child ${c.pid} still runs: ${c.spawnargs.join(" ")}`);
    const lingering = processesUsing(tmp).map((p) => `process still running: ${p}`);
    problems.push(...running, ...lingering);
    if (!running.length && !lingering.length) shell.say("  no process of the demo is left running (vh sim stopped cleanly)");
    fs.rmSync(tmp, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failure || problems.length) {
        for (const p of problems) shell.say(`demo: ${p}`);
        shell.say(`\ndemo FAILED after ${seconds} s${failure ? `: ${failure.message}` : ""}`);
        return EXIT.FAILED;
    }
    shell.say(`\ndemo passed in ${seconds} s: network, 2 answer files, 2 remastered ISOs, 2 parallel installs, consoles, teardown; nothing left behind`);
    return EXIT.OK;
}

if (require.main === module) {
    // Until runDemo() answers, a drained event loop (a promise nobody resolves) must not pass as success.
    process.exitCode = EXIT.FAILED;
    runDemo(process.stdout).then(
        (code) => { process.exitCode = code; },
        (err) => {
            process.stderr.write(`demo: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
            process.exitCode = EXIT.FAILED;
        },
    );
}
