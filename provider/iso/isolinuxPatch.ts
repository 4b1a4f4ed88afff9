/**
 * Patches isolinux.cfg (BIOS boot) so every installer entry carries the given kernel arguments.
 *
 * Two entry shapes exist:
 * - XenServer / XCP-ng: `KERNEL mboot.c32` with `APPEND <xen> <xen args> --- <dom0 kernel> <dom0
 *   args> --- /install.img`. The arguments belong to the dom0 kernel, i.e. the segment between the
 *   first and second `---`; appended at the end of the line they would become a module name.
 * - A plain Linux entry, `KERNEL|LINUX <kernel>` with `initrd=…install.img` in APPEND (or an INITRD
 *   line): the arguments go at the end of APPEND.
 * syslinux keywords are case-insensitive; LABEL starts an entry.
 */
import { BootEntry, isInstallImg, PatchResult, SkippedEntry, splitLines } from "./bootEntries";
import { applyArgEdit, ArgEdit, nonInstallerReason, tokens } from "./kernelArgs";

interface IsolinuxEntry {
    label: string;
    kernel?: { line: number; path: string };
    append?: { line: number; prefix: string; args: string };
    initrd?: string;
}

export function patchIsolinuxCfg(text: string, edit: ArgEdit): PatchResult {
    const { lines, eol } = splitLines(text);
    const patched: BootEntry[] = [];
    const skipped: SkippedEntry[] = [];
    for (const entry of parseEntries(lines)) {
        if (!entry.kernel) continue;
        const kernelName = entry.kernel.path.split("/").pop()!.toLowerCase();
        const appendArgs = entry.append ? tokens(entry.append.args) : [];
        if (kernelName === "mboot.c32") {
            const segments = splitSegments(appendArgs);
            const dom0 = segments[1];
            const loadsInstaller = segments.slice(2).some((s) => s.length > 0 && isInstallImg(s[0]));
            const base = { title: entry.label, line: (entry.append?.line ?? entry.kernel.line) + 1, kernel: dom0?.[0] ?? "(none)" };
            if (!entry.append || !dom0 || dom0.length === 0 || !loadsInstaller) {
                skipped.push({ ...base, reason: "its mboot.c32 module list does not load install.img as the dom0 initrd" });
                continue;
            }
            const reason = nonInstallerReason(entry.label, dom0.slice(1));
            if (reason) { skipped.push({ ...base, reason }); continue; }
            segments[1] = [dom0[0], ...applyArgEdit(dom0.slice(1), edit)];
            lines[entry.append.line] = entry.append.prefix + segments.map((s) => s.join(" ")).join(" --- ");
            patched.push(base);
            continue;
        }
        if (kernelName.endsWith(".c32")) continue; // other COM32 modules (menu, chain, …) boot no kernel
        const initrds = [
            ...appendArgs.filter((a) => /^initrd=/i.test(a)).flatMap((a) => a.slice(7).split(",")),
            ...(entry.initrd ? [entry.initrd] : []),
        ];
        const base = { title: entry.label, line: (entry.append?.line ?? entry.kernel.line) + 1, kernel: entry.kernel.path };
        if (!initrds.some(isInstallImg)) {
            skipped.push({ ...base, reason: "it does not load install.img as its initrd" });
            continue;
        }
        const reason = nonInstallerReason(entry.label, appendArgs);
        if (reason) { skipped.push({ ...base, reason }); continue; }
        if (entry.append) {
            lines[entry.append.line] = entry.append.prefix + applyArgEdit(appendArgs, edit).join(" ");
        } else {
            // An INITRD line and no APPEND: give the entry an APPEND, indented like its KERNEL line.
            const indent = /^\s*/.exec(lines[entry.kernel.line])![0];
            lines.splice(entry.kernel.line + 1, 0, `${indent}APPEND ${applyArgEdit([], edit).join(" ")}`);
        }
        patched.push(base);
    }
    const byLine = (a: BootEntry, b: BootEntry) => a.line - b.line;
    return { text: lines.join(eol), patched: patched.sort(byLine), skipped: skipped.sort(byLine) };
}

function parseEntries(lines: string[]): IsolinuxEntry[] {
    const entries: IsolinuxEntry[] = [];
    let current: IsolinuxEntry | undefined;
    lines.forEach((line, i) => {
        const m = /^(\s*)(\S+)(\s+)(.*)$/.exec(line);
        if (!m) return;
        const keyword = m[2].toUpperCase();
        const rest = m[4];
        if (keyword === "LABEL") { current = { label: rest.trim() }; entries.push(current); return; }
        if (!current) return;
        if (keyword === "KERNEL" || keyword === "LINUX" || keyword === "COM32") current.kernel = { line: i, path: rest.trim().split(/\s+/)[0] };
        else if (keyword === "APPEND") current.append = { line: i, prefix: m[1] + m[2] + m[3], args: rest };
        else if (keyword === "INITRD") current.initrd = rest.trim();
    });
    // Entries are edited bottom-up so an inserted APPEND line does not shift the ones still to edit.
    return entries.reverse();
}

/** Splits mboot.c32 arguments at the "---" module separators. */
function splitSegments(args: string[]): string[][] {
    const segments: string[][] = [[]];
    for (const a of args) {
        if (a === "---") segments.push([]);
        else segments[segments.length - 1].push(a);
    }
    return segments;
}
