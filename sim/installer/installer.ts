/**
 * The XenServer installer (host-installer) as it runs from the CD: startup/preinit reads the dom0
 * command line, init decides between the interactive UI and an unattended install, install.go()
 * fetches and reads the answer file, and backend runs the install.
 *
 * What happens on an error depends on where it happens (install.py `go()`):
 * - An error *before* the answer file is loaded (fetching it, malformed XML, wrong top element,
 *   "Both answerfile and answerfile generator…") leaves go()'s `interactive` flag True, so the
 *   "Error occurred" dialog waits for Enter forever: the VM never halts (`stall`).
 * - An error *after* it loaded (a rule of answerfile.py, a script that cannot be fetched, a disk
 *   too small) is shown in the same dialog with the 10 s AUTO_EXIT_TIMER, then init returns and
 *   preinit runs `atexit` (`install-failed`). The simulator caps that dialog at the install
 *   duration, so a lab configured for 2-second installs also fails within seconds.
 * - With `rt_answerfile=` there is no UI at all: every error is logged and atexit follows at once.
 */
import type { BootPlan, BootRequest, InstalledSystem } from "./types";
import { AnswerfileError, AnswerfileScript, InstallTarget, loadAnswerfile, parseAnswers, parseScripts, parseSetup } from "./answerfile";
import { parseInstallerArgs } from "./cmdline";
import { analyseFirstBoot } from "./firstboot";
import type { InitrdView } from "./initrd";
import type { IsoImage } from "./iso9660";
import { installerFeatures } from "./versions";

/** The error dialog's auto-exit timer in non-interactive mode (constants.AUTO_EXIT_TIMER). */
const AUTO_EXIT_MS = 10_000;
/** Where in the install each kind of failure happens, as a fraction of the install's duration. */
const PHASE = { parse: 0.05, prepare: 0.1, populated: 0.9 };
const SCRIPT_SHELLS = ["/bin/sh", "/bin/bash"];

export interface InstallerRun {
    request: BootRequest;
    iso: IsoImage;
    initrd: InitrdView;
    /** The dom0 kernel's arguments. */
    args: string[];
    log: string[];
}

export function runInstaller(run: InstallerRun): BootPlan {
    const { request, initrd, log } = run;
    const features = installerFeatures(request.product);
    const installMs = request.installSeconds * 1000;
    const args = parseInstallerArgs(run.args);
    log.push(`installer: host-installer ${features.version} (${request.product.brand} ${request.product.productVersion})`);
    const stall = (reason: string): BootPlan => ({ kind: "stall", reason, log: [...log, `installer: STALLED: ${reason}`] });
    if (args.shellFirst) return stall("bash-shell on the kernel command line: preinit starts a root shell and waits for someone to exit it");

    let atexit: "poweroff" | "reboot" | "shell" = "shell";
    if (args.atexit === "poweroff" || args.atexit === "reboot" || args.atexit === "shell") atexit = args.atexit;
    else log.push(`installer: atexit=${args.atexit} is not reboot, poweroff or shell: when the installer exits preinit does nothing and the VM keeps running`);
    log.push(`installer: atexit=${args.atexit}${args.atexit === "reboot" && !run.args.some((a) => a.startsWith("atexit=")) ? " (the default)" : ""}`);

    const init = args.init;
    const rt = init.get("rt_answerfile");
    const address = rt ?? init.get("answerfile") ?? undefined;
    const generator = init.get("answerfile_generator") ?? undefined;
    const hasUi = rt === undefined;
    if (!init.has("answerfile") && !init.has("rt_answerfile") && !init.has("answerfile_generator")) {
        return stall("no answerfile=, rt_answerfile= or answerfile_generator= on the dom0 kernel command line: the interactive installer waits at its keymap screen");
    }
    if (features.needsInstallArg && !init.has("install")) {
        log.push("installer: No operation specified for answerfile - dropping back to interactive mode.");
        return stall(`host-installer ${features.version} needs the \`install\` argument next to answerfile=; without it the interactive installer waits at its keymap screen`);
    }
    /** A failure before the answer file loaded: a dialog without timer, unless there is no UI. */
    const earlyFailure = (message: string): BootPlan => {
        log.push("installer: INSTALL FAILED.", `installer: ${message}`);
        if (hasUi) return stall(`"Error occurred" dialog waits for Enter: ${message}`);
        return { kind: "install-failed", durationMs: 0, atexit, reason: message, log: [...log, `installer: exits; atexit=${atexit}`] };
    };
    /** A failure after the answer file loaded: the dialog closes itself after 10 s. */
    const failure = (message: string, phase: number): BootPlan => {
        log.push("installer: INSTALL FAILED.", `installer: ${message}`);
        const dialog = hasUi ? Math.min(AUTO_EXIT_MS, installMs) : 0;
        return { kind: "install-failed", durationMs: Math.round(installMs * phase) + dialog, atexit, reason: message, log: [...log, `installer: exits; atexit=${atexit}`] };
    };
    if (address !== undefined && address !== null && generator !== undefined) return earlyFailure("Both answerfile and answerfile generator passed on command line.");
    if (generator !== undefined) {
        return stall(`answerfile_generator=${generator}: the simulator does not run answer-file generator scripts, so it cannot tell what the installer would do`);
    }
    // init turns interactive mode off, but go() only fetches a non-empty address: the UI runs.
    if (!address) return stall("answerfile= has no value, so the installer runs its interactive UI and waits for a person");

    // Fetch: file:// reads the installer's own root file system; anything else needs the network.
    log.push(`installer: Fetching answerfile from ${address}`);
    if (!address.startsWith("file://")) {
        return earlyFailure(`Unable to fetch ${address}: the installer brings up networking (DHCP on all NICs) to fetch it, and the simulator gives installers no DHCP or file server`);
    }
    const text = initrd.read(address.slice("file://".length));
    if (text === undefined) return earlyFailure(`Unable to fetch ${address}: no such file in the installer's initrd (${initrd.layout})`);
    let root;
    let operation;
    try {
        ({ root, operation } = loadAnswerfile(text.toString("utf8")));
    } catch (err) {
        if (err instanceof AnswerfileError) return earlyFailure(err.message);
        throw err;
    }

    const target = installTarget(request);
    let scripts: AnswerfileScript[] = [];
    let parseError: string | undefined;
    let answers: ReturnType<typeof parseAnswers> | undefined;
    try {
        scripts = parseScripts(root);
        const setup = parseSetup(root);
        if (setup.uiConfirmationPrompt && hasUi) return stall("the answer file has <ui-confirmation-prompt>, so the installer asks a person to confirm before formatting the disk");
        const remote = setup.driverSources.find((s) => s.media !== "local");
        if (remote) throw new AnswerfileError(`Unable to access the driver repository ${remote.address}: the installer has no network (its answer file came from file://)`);
        if (operation === "restore") throw new AnswerfileError("Could not locate exsisting backup.");
        answers = parseAnswers(root, target, features);
    } catch (err) {
        if (!(err instanceof AnswerfileError)) throw err;
        parseError = err.message;
    }
    // installation-start scripts run even when parsing failed, before the error is raised.
    const scriptError = checkScripts(scripts.filter((s) => s.stage === "installation-start"), initrd, features.pythonInterpreters);
    if (scriptError) return failure(scriptError, PHASE.parse);
    if (parseError !== undefined || !answers) return failure(parseError ?? "the answer file describes no installation", PHASE.parse);
    log.push(`installer: answer file accepted: mode=${answers.mode}, primary disk ${answers.primaryDisk}`);

    // Prepare: repositories, then partitioning of the primary disk.
    const remoteSource = answers.sources.find((s) => s.media !== "local");
    if (remoteSource) return failure(`Unable to access the installation repository ${remoteSource.address} (${remoteSource.media}): the installer has no network (its answer file came from file://)`, PHASE.prepare);
    if (!run.iso.find("/repodata/repomd.xml") && !run.iso.find("/XS-REPOSITORY")) {
        return failure("No main repository found: the CD has neither repodata/repomd.xml nor XS-REPOSITORY", PHASE.prepare);
    }
    const size = target.disks.get(answers.primaryDisk);
    if (size === undefined) return failure(`The disk ${answers.primaryDisk} could not be found.`, PHASE.prepare);
    if (Math.floor(size / 1024 ** 3) < features.minDiskGiB) return failure(`The disk ${answers.primaryDisk} is smaller than ${features.minDiskGiB}GB.`, PHASE.prepare);

    // Filesystem populated: the post-install scripts are fetched and their interpreter checked.
    const populated = scripts.filter((s) => s.stage === "filesystem-populated");
    const populatedError = checkScripts(populated, initrd, features.pythonInterpreters);
    if (populatedError) return failure(populatedError, PHASE.populated);
    for (const s of scripts.filter((x) => !["installation-start", "filesystem-populated", "installation-complete"].includes(x.stage))) {
        log.push(`installer: <${s.element} stage="${s.stage}"> is never run by host-installer ${features.version}`);
    }
    const completeError = checkScripts(scripts.filter((s) => s.stage === "installation-complete"), initrd, features.pythonInterpreters);
    if (completeError) log.push(`installer: ignored (installation-complete scripts cannot fail an install): ${completeError}`);

    const firstBoot = analyseFirstBoot(
        populated.map((s) => ({ url: s.url, text: (initrd.read(s.url.slice("file://".length)) ?? Buffer.alloc(0)).toString("utf8") })),
        (p) => initrd.read(p)?.toString("utf8"),
    );
    log.push(...firstBoot.log.map((l) => `installer: ${l}`));
    const halting = firstBoot.steps.filter((s) => s.halts);
    const system = installedSystem(request, answers, installMs, halting.length > 0, halting.some((s) => s.repeats));
    if (answers.mode !== "upgrade" && answers.adminMissing) {
        log.push(`installer: warning: <admin-interface name="${answers.adminMissing}"> names a NIC this VM does not have (it has ${request.nics.join(", ") || "none"}); host-installer ${features.version} does not check, so the installed host has no management interface`);
    }
    log.push(`installer: installs ${request.product.brand} ${system.productVersion} on ${answers.primaryDisk} in ${request.installSeconds} s, hostname ${system.hostname}, management ${system.address ?? "none"}; then atexit=${args.atexit}`);
    return { kind: "install", durationMs: installMs, atexit, system, log };
}

function installTarget(request: BootRequest): InstallTarget {
    const disks = new Map<string, number>();
    const installedDisks = new Set<string>();
    // The boot disk (userdevice 0) is the guest's first emulated disk: /dev/sda inside the installer.
    if (request.disk) disks.set("/dev/sda", request.disk.sizeBytes);
    if (request.disk && !request.disk.blank) installedDisks.add("/dev/sda");
    return { disks, installedDisks, nics: request.nics, macs: request.macs ?? [] };
}

/** scripts.run_script's checks: the URL can be fetched and the file starts with an accepted #! line. */
function checkScripts(scripts: AnswerfileScript[], initrd: InitrdView, python: string[]): string | undefined {
    for (const s of scripts) {
        const data = s.url.startsWith("file://") ? initrd.read(s.url.slice("file://".length)) : undefined;
        if (data === undefined) {
            const why = s.url.startsWith("file://") ? "no such file in the installer's initrd" : "the installer has no network to fetch it from";
            return `Unable to fetch script ${s.url} (${why})`;
        }
        const line = data.toString("latin1", 0, 40).split("\n")[0];
        if (!line.startsWith("#!")) return `Missing interpreter in ${s.url}.`;
        const interp = line.slice(2).trim().split(/\s+/);
        if (interp[0] === "/usr/bin/env") {
            if (!python.includes(interp[1] ?? "")) return `Invalid interpreter ${interp[1]} in ${s.url}.`;
        } else if (![...SCRIPT_SHELLS, ...python.map((p) => `/usr/bin/${p}`)].includes(interp[0])) {
            return `Invalid interpreter ${interp[0]} in ${s.url}.`;
        }
    }
    return undefined;
}

function installedSystem(request: BootRequest, answers: ReturnType<typeof parseAnswers>, installMs: number, halts: boolean, repeats: boolean): InstalledSystem {
    const common = { productVersion: request.product.productVersion, firstBootHalts: halts, firstBootDone: false, firstBootRepeats: repeats, installedAt: request.now + installMs };
    if (answers.mode === "upgrade") {
        const previous = request.disk && !request.disk.blank ? request.disk.system : undefined;
        return { hostname: previous?.hostname ?? "localhost.localdomain", address: previous?.address, netmask: previous?.netmask, gateway: previous?.gateway, nameServers: previous?.nameServers ?? [], ...common };
    }
    const a = answers.admin;
    const usable = !answers.adminMissing;
    return {
        hostname: answers.hostname || "localhost.localdomain",
        address: !usable ? undefined : a.proto === "static" ? a.ip : a.proto === "dhcp" ? "dhcp" : undefined,
        netmask: usable && a.proto === "static" ? a.netmask : undefined,
        gateway: usable && a.proto === "static" ? a.gateway : undefined,
        nameServers: answers.nameServers,
        ...common,
    };
}
