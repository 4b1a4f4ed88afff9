/**
 * `vh install ISOFILE XENSERVER NETWORK_NAME MACHINE_NAME`: the seed's
 * xs_start_create_vm_with_cdrom.sh + _xs_vm_starter.sh, built on the NestedHypervisor resource's
 * own installNestedHypervisor (the same three steps and name-labels "<name> - created (Step 1 of
 * 3)" …, with pre-flight, deadlines and rollback) and the RemasteredIso resource's ISO library (the
 * ISO goes up once, verified, content-addressed). Like the seed it blocks until the install is
 * done and leaves the VM halted, unless --power-state running.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PhaseTimeoutError } from "../../provider/resources/common/wait";
import { NESTED_DEFAULTS, NestedHypervisorInputs } from "../../provider/resources/nestedHypervisor/args";
import { checkNestedHypervisor } from "../../provider/resources/nestedHypervisor/check";
import { PreflightError } from "../../provider/resources/nestedHypervisor/errors";
import { installNestedHypervisor, InstallResult } from "../../provider/resources/nestedHypervisor/install";
import { formatBytes } from "../../provider/resources/remasteredIso/format";
import { releaseLibraryIso } from "../../provider/resources/remasteredIso/placement";
import { shellQuote } from "../../provider/shell";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, openHost } from "../connection";
import { CliError, findCause } from "../errors";
import { EXIT, UsageError } from "../exit";
import { setInterruptHint } from "../interrupt";
import { describeLocalIso, machineRefId, placeLocalIso } from "../isoUpload";
import { hostOf, networkByName } from "../lookup";
import { choiceOption, expectPositionals, numberOption, usageErrors } from "../options";
import { createOutput } from "../output";
import { installText, InstallSummary, ISO_LIBRARY_KEY } from "../installResult";
import type { CliIO, Command } from "./types";

const D = NESTED_DEFAULTS;

export const INSTALL_USAGE = `usage: vh install ISOFILE XENSERVER NETWORK_NAME MACHINE_NAME [options]

Install a XenServer / XCP-ng host unattended into a new VM named MACHINE_NAME on XENSERVER, from
ISOFILE (an installer ISO remastered with \`vh remaster\`), with its NIC on the network
NETWORK_NAME. The ISO is uploaded into the host's ISO library (content-addressed: skipped when the
host already holds it; verified). The VM's name-label shows the step, as the seed's did:
"MACHINE_NAME - created (Step 1 of 3)", "… - booted from iso (Step 2 of 3)", "… - first boot
(Step 3 of 3)", then "MACHINE_NAME". Blocks until the install is done; the VM is then left
halted (as the seed left it) unless --power-state running. If the install fails, the VM is
removed again (unless --keep-failed-vm). An earlier complete install of MACHINE_NAME is reused.

options:
      --memory-gib N           memory in GiB, pinned (default: ${D.memoryGiB})
      --vcpus N                virtual CPUs (default: ${D.vcpus})
      --disk-gib N             system disk in GiB on the default SR (default: ${D.diskGiB})
      --mac MAC                MAC of the NIC (default: derived from MACHINE_NAME)
      --firmware bios|uefi     firmware of the VM (default: ${D.firmware})
      --power-state halted|running
                               power state after the install (default: halted)
      --install-timeout-minutes N
                               deadline of the installer, step 2 (default: ${D.installTimeoutMinutes})
      --first-boot-timeout-minutes N
                               deadline of the first boot, step 3 (default: ${D.firstBootTimeoutMinutes})
      --keep-failed-vm         leave a VM whose install failed, to look at it
      --iso-library DIR        dom0 directory of the ISO library
                               (default: ~/virtual-hypervisor/iso-library of the login user)
      --json                   print the result as one JSON object on stdout
      --help                   show this help

${CONNECTION_USAGE}

Progress goes to stderr: redrawn in place on a terminal, timestamped lines otherwise.
Exit status: 0 installed, 1 failed on the host (pre-flight, install, deadline), 2 wrong
arguments, 3 cannot connect or log in, 130 interrupted (then: vh destroy XENSERVER MACHINE_NAME).
`;

const OPTIONS = {
    ...CONNECTION_OPTIONS,
    "memory-gib": { type: "string" },
    vcpus: { type: "string" },
    "disk-gib": { type: "string" },
    mac: { type: "string" },
    firmware: { type: "string" },
    "power-state": { type: "string" },
    "install-timeout-minutes": { type: "string" },
    "first-boot-timeout-minutes": { type: "string" },
    "keep-failed-vm": { type: "boolean" },
    "iso-library": { type: "string" },
    json: { type: "boolean" },
} as const;

/** Resource input names → the flags that set them, for validation messages. */
const FLAG_OF: Record<string, string> = {
    memoryGiB: "--memory-gib", vcpus: "--vcpus", diskGiB: "--disk-gib", mac: "--mac", firmware: "--firmware", powerState: "--power-state",
    installTimeoutMinutes: "--install-timeout-minutes", firstBootTimeoutMinutes: "--first-boot-timeout-minutes", nameLabel: "MACHINE_NAME",
};

const NUMBER_FLAGS = ["memory-gib", "vcpus", "disk-gib", "install-timeout-minutes", "first-boot-timeout-minutes"] as const;

/** A placeholder for validating the flags before the network's uuid is known. */
const NO_UUID = "00000000-0000-0000-0000-000000000000";

function specFrom(values: ReturnType<typeof parse>["values"], name: string, isoName: string, networkUuid: string): NestedHypervisorInputs {
    const number = (flag: keyof typeof values) => (values[flag] === undefined ? undefined : Number(values[flag]));
    // The resource's own check(): the same rules and defaults as NestedHypervisor.
    const { inputs, failures } = checkNestedHypervisor({}, {
        nameLabel: name, isoName, networkUuid,
        memoryGiB: number("memory-gib"), vcpus: number("vcpus"), diskGiB: number("disk-gib"), mac: values.mac,
        firmware: choiceOption(values.firmware, "--firmware", ["bios", "uefi"]),
        powerState: choiceOption(values["power-state"], "--power-state", ["halted", "running"]) ?? "halted",
        installTimeoutMinutes: number("install-timeout-minutes"), firstBootTimeoutMinutes: number("first-boot-timeout-minutes"),
        keepFailedVm: values["keep-failed-vm"] === true,
    }, undefined);
    // The connection is the CLI's own business (its flags, checked when connecting).
    const problems = failures.filter((f) => f.property !== "connection");
    if (problems.length) {
        throw new UsageError(problems.map((f) => f.reason.replace(new RegExp(`^${f.property}\\b`), FLAG_OF[f.property] ?? f.property)).join("; "));
    }
    return inputs as NestedHypervisorInputs;
}

function parse(argv: string[]) {
    return usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(argv);
    const [isoArg, hostArg, networkName, name] = expectPositionals(positionals, ["ISOFILE", "XENSERVER", "NETWORK_NAME", "MACHINE_NAME"]);
    const isoFile = path.resolve(io.cwd, isoArg);
    if (!fs.existsSync(isoFile) || !fs.statSync(isoFile).isFile()) throw new UsageError(`ISOFILE must be an existing file, got ${JSON.stringify(isoArg)}`);
    for (const flag of NUMBER_FLAGS) numberOption(values[flag], `--${flag}`);
    specFrom(values, name, "vh-0000000000000000.iso", NO_UUID);
    const library = values["iso-library"];
    if (library !== undefined && !path.posix.isAbsolute(library)) throw new UsageError(`--iso-library must be an absolute dom0 path, got ${JSON.stringify(library)}`);

    const out = createOutput(io, "install", values.json === true);
    try {
        out.progress.note(`hashing ${isoArg} (${formatBytes(fs.statSync(isoFile).size)}): its name on the host comes from its content`);
        const iso = await describeLocalIso(isoFile, io.env);
        const host = await openHost(hostArg, values, io, out.log, "XENSERVER");
        const { xe, target } = host;
        const network = await networkByName(xe, networkName);
        const spec = specFrom(values, name, iso.isoName, network.uuid);
        const refId = machineRefId(name);
        const events = (e: Parameters<typeof out.progress.event>[0]) => out.progress.event(e);
        const destroy = destroyCommand(target, name, library);
        setInterruptHint(`the ISO ${iso.isoName} may be left in the library of ${target}; ${destroy} removes its reference`);
        const placed = await placeLocalIso(xe, iso, refId, out.progress, events, library).catch((err: unknown) => {
            throw new CliError(`could not put ${iso.isoName} (${isoArg}) into the ISO library of ${target}`, { cause: err });
        });
        setInterruptHint(`the VM ${name} may be left on ${target} (name-label "${name} - …"); remove it with: ${destroy}`);
        let result: InstallResult;
        try {
            result = await installNestedHypervisor(xe, spec, { progress: events, console: { host: host.args.host, port: host.args.port, user: host.args.user } });
        } catch (err) {
            throw await installFailure(err, spec, target, async () => {
                if (spec.keepFailedVm) return `The ISO reference stays for the kept VM; ${destroy} removes both.`;
                const released = await releaseLibraryIso(xe, placed.directory, iso.isoName, refId);
                return released.failures.length
                    ? `The ISO reference could not be released: ${released.failures.map((f) => f.message).join("; ")}`
                    : `ISO ${iso.isoName}: ${released.done.join(", ")}.`;
            });
        }
        // Where the ISO reference lives, so `vh destroy` releases it even from another library.
        await xe.paramSet("vm", result.uuid, { "other-config": { [ISO_LIBRARY_KEY]: placed.directory } });
        setInterruptHint(undefined);
        const summary: InstallSummary = {
            command: "install", host: target, name, uuid: result.uuid, powerState: result.powerState, adopted: result.adopted,
            mac: result.mac, memoryGiB: result.memoryGiB, vcpus: result.vcpus, diskGiB: spec.diskGiB, diskVdiUuid: result.diskVdiUuid,
            firmware: spec.firmware, network: { name: networkName, uuid: network.uuid },
            iso: {
                file: iso.path, name: iso.isoName, sha256: iso.sha256, sizeBytes: iso.size, uploaded: placed.uploaded,
                libraryDirectory: placed.directory, srUuid: placed.srUuid, vdiUuid: placed.vdiUuid,
            },
            installSeconds: result.installSeconds, firstBootSeconds: result.firstBootSeconds, nestedVirtKeys: result.nestedVirtKeys,
            vncPort: result.vncPort, console: result.consoleCommand,
        };
        out.text(installText(summary));
        out.result(summary);
        return EXIT.OK;
    } finally {
        setInterruptHint(undefined);
        out.close();
    }
}

/**
 * The `vh destroy` that removes what an unfinished install left. The VM only names its ISO library
 * once the install succeeded, so a custom --iso-library has to be given to destroy explicitly.
 */
function destroyCommand(target: string, name: string, library: string | undefined): string {
    const command = `vh destroy ${hostOf(target)} ${name}`;
    if (library === undefined) return command;
    return `${command} --iso-library ${/^[A-Za-z0-9_./@%+=:,-]+$/.test(library) ? library : shellQuote(library, "--iso-library")}`;
}

/** The install failed: one sentence in user terms, the detail, and what happened to the ISO reference. */
async function installFailure(err: unknown, spec: NestedHypervisorInputs, target: string, releaseIso: () => Promise<string>): Promise<CliError> {
    const isoNote = await releaseIso().catch((e: Error) => `The ISO reference could not be released: ${e.message}`);
    // The resource's hint names its input; say the flag.
    const message = (err instanceof Error ? err.message : String(err)).replace("set keepFailedVm: true", "give --keep-failed-vm");
    const detail = `${message}\n${isoNote}`;
    const timeout = findCause(err, PhaseTimeoutError);
    if (timeout) {
        const step = /Step (\d) of 3/.exec(timeout.phase)?.[1];
        return new CliError(
            `the install of ${spec.nameLabel} did not finish within ${minutes(timeout.timeoutMs)} (phase ${step ?? "?"} of 3, waiting for ${timeout.waitingFor})`,
            { cause: err, detail },
        );
    }
    if (findCause(err, PreflightError)) return new CliError(`${spec.nameLabel} cannot be installed on ${target}`, { cause: err, detail });
    return new CliError(`the install of ${spec.nameLabel} on ${target} failed`, { cause: err, detail });
}

/** "60 minutes", "1 minute", "0.05 minutes". */
function minutes(ms: number): string {
    const m = ms / 60_000;
    const text = Number.isInteger(m) ? String(m) : String(Number(m.toFixed(3)));
    return `${text} minute${m === 1 ? "" : "s"}`;
}

export const installCommand: Command = {
    name: "install",
    summary: "install a nested XenServer from a remastered ISO (xs_start_create_vm_with_cdrom.sh)",
    usage: INSTALL_USAGE,
    run,
};
