/**
 * `vh remaster ISOFILE TARGET ANSWERFILE [--kernel-arg ARG]… [--answerfile-path PATH] [--json]`:
 * the seed's create_customxs_iso.sh (same positional arguments and progress lines), on BIOS and
 * UEFI, without root, keeping the ISO's volume id and boot records (see provider/iso/remaster.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { expectPositionals, usageErrors } from "../options";
import { remasterContentHash, RemasterInputError, remasterIso, type RemasterOptions, type RemasterProgress } from "../../provider/iso";
import { EXIT, UsageError } from "../exit";
import type { CliIO, Command } from "./types";

const USAGE = `usage: vh remaster ISOFILE TARGET ANSWERFILE [options]

Remaster a XenServer 7.x/8.x or XCP-ng 8.x installer ISO for an unattended installation:
ANSWERFILE, /postinst.sh and /firstboot.sh go into the installer's install.img, and every
installer boot entry (BIOS isolinux, UEFI GRUB, and the GRUB copy in the EFI boot image) gets
"answerfile=file://<path> install atexit=poweroff". ISOFILE is only read. TARGET is the ISO to
write; if it is an existing directory the ISO is written there as vh-<content hash>.iso.
ANSWERFILE "-" reads the answer file from stdin.

options:
      --kernel-arg ARG         one more installer kernel argument; repeat for several
                               (--kernel-arg atexit=shell replaces atexit=poweroff, to debug)
      --answerfile-path PATH   where the answer file goes in the installer ramdisk
                               (default: /answerfile.xml)
      --json                   print the result as JSON on stdout; progress goes to stderr
      --help                   show this help

Exit status: 0 written, 1 the ISO could not be remastered, 2 wrong arguments.
`;

const OPTIONS = {
    "kernel-arg": { type: "string", multiple: true },
    "answerfile-path": { type: "string" },
    json: { type: "boolean" },
} as const;

function parse(argv: string[]) {
    return usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
}

function readAnswerFile(file: string, cwd: string): Buffer {
    try {
        return file === "-" ? fs.readFileSync(0) : fs.readFileSync(path.resolve(cwd, file));
    } catch (err) {
        throw new UsageError(`cannot read ANSWERFILE ${JSON.stringify(file)}: ${(err as Error).message}`, { cause: err });
    }
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(argv);
    const [isoArg, targetArg, answerArg] = expectPositionals(positionals, ["ISOFILE", "TARGET", "ANSWERFILE"]);
    const sourceIso = path.resolve(io.cwd, isoArg);
    if (!fs.existsSync(sourceIso) || !fs.statSync(sourceIso).isFile()) throw new UsageError(`ISOFILE must be an existing file, got ${JSON.stringify(isoArg)}`);
    const answerFile = readAnswerFile(answerArg, io.cwd);
    let target = path.resolve(io.cwd, targetArg);
    const targetIsDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
    if (!targetIsDir && !fs.existsSync(path.dirname(target))) {
        throw new UsageError(`TARGET's directory must exist, got ${JSON.stringify(targetArg)} (${path.dirname(target)} does not exist)`);
    }
    const progressOut = values.json ? io.stderr : io.stdout;
    let lastStep = "";
    const options: RemasterOptions = {
        sourceIso, answerFile, kernelArgs: values["kernel-arg"] ?? [], answerFilePath: values["answerfile-path"],
        // One line per message, like the seed's echo lines; byte counts only in --json's stderr.
        onProgress: (e: RemasterProgress) => {
            if (e.bytesDone !== undefined && e.step === lastStep && e.step !== "done") return;
            lastStep = e.step;
            if (e.step !== "done") progressOut.write(`${e.message}\n`);
        },
    };
    try {
        if (targetIsDir) target = path.join(target, (await remasterContentHash(options)).name);
        const result = await remasterIso({ ...options, output: target });
        if (values.json) {
            io.stdout.write(JSON.stringify({
                output: result.output, name: result.name, size: result.size, sha256: result.sha256, contentHash: result.contentHash,
                volumeId: result.volumeId, kernelArgs: result.kernelArgs, answerFilePath: result.answerFilePath,
                installImgBase: { compression: result.installImg.baseCompression, magic: result.installImg.baseMagic },
                configs: result.configs.map((c) => ({ path: c.path, patched: c.patched.map((e) => e.title), skipped: c.skipped.map((e) => e.title) })),
                durationMs: result.durationMs,
            }, null, 2) + "\n");
        } else {
            io.stdout.write(`Created ${result.output}\n  name:   ${result.name}\n  size:   ${result.size} bytes\n  sha256: ${result.sha256}\n`);
        }
        return EXIT.OK;
    } catch (err) {
        // Bad option values are wrong arguments (exit 2); everything else is a failed remaster.
        if (err instanceof RemasterInputError) throw new UsageError(err.problems.map(toOptionNames).join("; "), { cause: err });
        throw err;
    }
}

/** Problems speak of the API's option names; say the command-line names instead. */
function toOptionNames(problem: string): string {
    return problem.replace(/^kernelArgs\[(\d+)\]/, (_, i) => `--kernel-arg #${Number(i) + 1}`).replace(/^answerFilePath/, "--answerfile-path")
        .replace(/^answerFile must/, "ANSWERFILE must");
}

export const remasterCommand: Command = {
    name: "remaster",
    summary: "remaster an installer ISO for an unattended install (create_customxs_iso.sh)",
    usage: USAGE,
    run,
};
