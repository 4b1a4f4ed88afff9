/**
 * `vh destroy XENSERVER MACHINE_NAME`: removes a machine `vh install` made, with the resources'
 * own removal code: the VM (hard shutdown first), its disks, VIFs and VBDs (removeVm), system
 * disks an interrupted install left, and its reference in the ISO library (the ISO itself goes
 * with its last reference, the library SR with its last ISO). Every step is tried; whatever could
 * not be done is listed (exit 1). A VM of that name not made by virtual-hypervisor is left alone
 * unless --force.
 */
import { parseArgs } from "node:util";
import { asError } from "../../provider/resources/common/errors";
import { tagFilter } from "../../provider/resources/common/tags";
import { removeVm } from "../../provider/resources/nestedHypervisor/remove";
import { libraryDirectory, releaseLibraryIso } from "../../provider/resources/remasteredIso/placement";
import { isosReferencedBy } from "../../provider/resources/remasteredIso/store";
import { parseSet, XeClient } from "../../provider/xe";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, openHost } from "../connection";
import { CliError } from "../errors";
import { EXIT, UsageError } from "../exit";
import { ISO_LIBRARY_KEY } from "../installResult";
import { machineRefId } from "../isoUpload";
import { machineVms, MachineVm } from "../lookup";
import { expectPositionals, usageErrors } from "../options";
import { createOutput } from "../output";
import type { CliIO, Command } from "./types";

export const DESTROY_USAGE = `usage: vh destroy XENSERVER MACHINE_NAME [options]

Remove the machine MACHINE_NAME that \`vh install\` made on XENSERVER: its VM (also one an
interrupted install left as "MACHINE_NAME - … (Step n of 3)"), stopped hard if it runs, its disks,
network interfaces and drives, and its reference in the ISO library (the ISO goes with its last
reference, the library SR with its last ISO). Every step is tried, and whatever could not be done
is listed. A VM named MACHINE_NAME that virtual-hypervisor did not make (for example one the
seed's scripts made) is only removed with --force.

options:
      --force                  also remove a VM named MACHINE_NAME not made by virtual-hypervisor,
                               with the disks it owns
      --iso-library DIR        also release the reference in this dom0 ISO library directory
                               (default: the install's own, and ~/virtual-hypervisor/iso-library)
      --json                   print the result as one JSON object on stdout
      --help                   show this help

${CONNECTION_USAGE}

Exit status: 0 removed (or nothing to remove), 1 something could not be removed, 2 wrong
arguments, 3 cannot connect or log in.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, force: { type: "boolean" }, "iso-library": { type: "string" }, json: { type: "boolean" } } as const;

export interface DestroyReport {
    vms: Array<{ uuid: string; nameLabel: string }>;
    removed: string[];
    isoReferences: Array<{ directory: string; iso: string; done: string[] }>;
    failed: string[];
}

/** Removes everything of the machine `name`; never throws for a step, reports it instead. */
export async function destroyMachine(xe: XeClient, name: string, options: { force: boolean; libraries: string[] }): Promise<DestroyReport> {
    const report: DestroyReport = { vms: [], removed: [], isoReferences: [], failed: [] };
    const fail = (what: string, err: unknown) => report.failed.push(`${what}: ${asError(err).message}`);
    let vms: MachineVm[] = [];
    try {
        vms = await machineVms(xe, name);
    } catch (err) {
        fail(`could not list the VMs of ${name}`, err);
    }
    const removable = vms.filter((v) => v.ours || v.state !== "installed" || options.force);
    for (const v of vms.filter((x) => !removable.includes(x))) {
        report.failed.push(`VM ${v.uuid} ("${v.nameLabel}") was not made by virtual-hypervisor; left alone (--force removes it)`);
    }
    // System disks of ours for this name that no VM uses any more (an interrupted install's).
    const strayDisks = await xe.list("vdi", tagFilter(name), ["uuid", "vbd-uuids"])
        .then((ds) => ds.filter((d) => parseSet(d["vbd-uuids"] ?? "").length === 0).map((d) => d.uuid))
        .catch((err) => { fail("could not list the disks", err); return [] as string[]; });
    for (const [i, v] of removable.entries()) {
        report.vms.push({ uuid: v.uuid, nameLabel: v.nameLabel });
        const r = await removeVm(xe, v.uuid, i === 0 ? strayDisks : []);
        report.removed.push(...r.done);
        report.failed.push(...r.failed.map((e) => e.message));
    }
    if (!removable.length && strayDisks.length) {
        const r = await removeVm(xe, undefined, strayDisks);
        report.removed.push(...r.done);
        report.failed.push(...r.failed.map((e) => e.message));
    }
    const directories = new Set(options.libraries);
    for (const v of vms) if (v.otherConfig[ISO_LIBRARY_KEY]) directories.add(v.otherConfig[ISO_LIBRARY_KEY]);
    try {
        directories.add(await libraryDirectory(xe, undefined));
    } catch (err) {
        fail("could not find the default ISO library", err);
    }
    const refId = machineRefId(name);
    for (const directory of directories) {
        let isos: string[];
        try {
            isos = await isosReferencedBy(xe, directory, refId);
        } catch (err) {
            fail(`could not look for ISO references in ${directory}`, err);
            continue;
        }
        for (const iso of isos) {
            const released = await releaseLibraryIso(xe, directory, iso, refId);
            report.isoReferences.push({ directory, iso, done: released.done });
            report.failed.push(...released.failures.map((e) => `ISO ${iso} in ${directory}: ${e.message}`));
        }
    }
    return report;
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    const [hostArg, name] = expectPositionals(positionals, ["XENSERVER", "MACHINE_NAME"]);
    const library = values["iso-library"];
    if (library !== undefined && !library.startsWith("/")) throw new UsageError(`--iso-library must be an absolute dom0 path, got ${JSON.stringify(library)}`);
    const out = createOutput(io, "destroy", values.json === true);
    try {
        const host = await openHost(hostArg, values, io, out.log, "XENSERVER");
        const report = await destroyMachine(host.xe, name, { force: values.force === true, libraries: library ? [library] : [] });
        const found = report.vms.length > 0 || report.removed.length > 0 || report.isoReferences.length > 0 || report.failed.length > 0;
        if (report.failed.length) {
            throw new CliError(`could not remove everything of ${name} on ${host.target}`, {
                result: { host: host.target, name, found, ...report },
                detail: [...report.failed.map((f) => `- ${f}`), ...(report.removed.length ? [`(removed: ${report.removed.join(", ")})`] : [])].join("\n"),
            });
        }
        const isoLines = report.isoReferences.map((r) => `ISO ${r.iso}: ${r.done.join(", ")}`);
        out.text(found
            ? [`Destroyed ${name} on ${host.target}`, ...[...report.removed, ...isoLines].map((l) => `  ${l}`)].join("\n")
            : `Nothing of ${name} on ${host.target}: nothing to destroy`);
        out.result({ command: "destroy", host: host.target, name, found, ...report });
        return EXIT.OK;
    } finally {
        out.close();
    }
}

export const destroyCommand: Command = {
    name: "destroy",
    summary: "remove a VM vh install made, its disks and its ISO reference",
    usage: DESTROY_USAGE,
    run,
};
