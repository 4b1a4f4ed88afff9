/**
 * Patches a GRUB config (UEFI boot: EFI/<vendor>/grub*.cfg on the ISO and the copy inside
 * boot/efiboot.img) so every installer menuentry carries the given kernel arguments, inside
 * submenus too.
 *
 * Entry shapes:
 * - Xen: `multiboot2 /boot/xen.gz …` (XenServer 7–8, XCP-ng) or `xen_hypervisor /boot/xen.efi …`
 *   (XenServer trunk), then modules (`module2` / `xen_module` / `module`): the first module is the
 *   dom0 kernel and gets the arguments; a later module must be install.img.
 * - Linux: `linux <kernel> …` with `initrd …install.img`.
 * Leading `--options` of a command (e.g. `module2 --nounzip`) are kept in front of the path.
 */
import { BootEntry, isInstallImg, PatchResult, SkippedEntry, splitLines } from "./bootEntries";
import { applyArgEdit, ArgEdit, nonInstallerReason, tokens } from "./kernelArgs";

const HYPERVISOR = /^(multiboot2|multiboot|xen_hypervisor)$/;
const MODULE = /^(module2|module|xen_module)$/;
const LINUX = /^(linux|linuxefi|linux16)$/;
const INITRD = /^(initrd|initrdefi|initrd16)$/;

interface Command {
    line: number;
    indent: string;
    name: string;
    options: string[];
    path: string;
    args: string[];
}

interface Block {
    kind: string;
    title: string;
    commands: Command[];
}

export function patchGrubCfg(text: string, edit: ArgEdit): PatchResult {
    const { lines, eol } = splitLines(text);
    const patched: BootEntry[] = [];
    const skipped: SkippedEntry[] = [];
    const stack: Block[] = [];
    lines.forEach((line, i) => {
        const trimmed = line.trim();
        if (trimmed.startsWith("#")) return;
        const open = /^(\S+)\s*(.*?)\s*\{$/.exec(trimmed);
        if (open) { stack.push({ kind: open[1], title: titleOf(open[2]), commands: [] }); return; }
        if (trimmed === "}") {
            const block = stack.pop();
            if (block?.kind === "menuentry") {
                const parents = stack.filter((b) => b.kind === "submenu").map((b) => b.title);
                const title = [...parents, block.title].join(" > ");
                const outcome = inspectEntry(title, block.commands);
                if ("reason" in outcome) skipped.push(outcome);
                else {
                    const { command } = outcome;
                    lines[command.line] = `${command.indent}${[command.name, ...command.options, command.path, ...applyArgEdit(command.args, edit)].join(" ")}`;
                    patched.push(outcome.entry);
                }
            }
            return;
        }
        const menu = stack[stack.length - 1];
        if (menu?.kind !== "menuentry") return;
        const words = tokens(trimmed);
        if (!words.length) return;
        const options: string[] = [];
        let p = 1;
        while (p < words.length && words[p].startsWith("--")) options.push(words[p++]);
        menu.commands.push({ line: i, indent: /^\s*/.exec(line)![0], name: words[0], options, path: words[p] ?? "", args: words.slice(p + 1) });
    });
    return { text: lines.join(eol), patched, skipped };
}

/** Decides whether a menuentry is an installer entry and which command line gets the arguments. */
function inspectEntry(title: string, commands: Command[]): { entry: BootEntry; command: Command } | SkippedEntry {
    const hyper = commands.findIndex((c) => HYPERVISOR.test(c.name));
    let kernel: Command | undefined;
    let loadsInstaller: boolean;
    if (hyper >= 0) {
        const modules = commands.slice(hyper + 1).filter((c) => MODULE.test(c.name));
        kernel = modules[0];
        loadsInstaller = modules.slice(1).some((m) => isInstallImg(m.path));
    } else {
        kernel = commands.find((c) => LINUX.test(c.name));
        loadsInstaller = commands.some((c) => INITRD.test(c.name) && [c.path, ...c.args].some(isInstallImg));
    }
    const line = (kernel ?? commands[0])?.line ?? 0;
    const entry = { title, line: line + 1, kernel: kernel?.path ?? "(none)" };
    if (!kernel || !loadsInstaller) return { ...entry, reason: "it does not boot a kernel with install.img as its initrd" };
    const reason = nonInstallerReason(title, kernel.args);
    if (reason) return { ...entry, reason };
    return { entry, command: kernel };
}

/** The menuentry/submenu title: its first quoted string, else its first word. */
function titleOf(rest: string): string {
    const quoted = /^(["'])(.*?)\1/.exec(rest);
    if (quoted) return quoted[2];
    return rest.split(/\s+/)[0] ?? "";
}
