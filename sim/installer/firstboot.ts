/**
 * Recognises a post-install script that sets up a first-boot step which powers the machine off,
 * the way the seed's data/postinst.sh + data/firstboot.sh do. The simulator never runs scripts; it
 * reads them (sim/installer/shell.ts) and looks for this pattern:
 *
 * 1. A `filesystem-populated` script (`<script stage="filesystem-populated">` or the legacy
 *    `<post-install-script>`) whose `file://` URL names a file in the installer's initrd. Its first
 *    argument, `$1`, is the new system's root (also through a variable: `ROOT=$1`).
 * 2. It puts a file into the target: `cp SRC $1/DEST` / `install SRC $1/DEST` (SRC another initrd
 *    file; DEST may be a directory), `cat SRC > $1/DEST`, or a here-document / `echo`/`printf`
 *    redirected into `$1/DEST`.
 * 3. It enables that file as a first-boot step:
 *    - a file in `$1/etc/firstboot.d/` (XenServer's own run-once first-boot mechanism), or
 *    - a systemd unit written to `$1/etc/systemd/system/NAME.service` whose `ExecStart=` runs the
 *      file (directly or through /bin/sh or /bin/bash), enabled by `ln -s … $1/etc/systemd/system/
 *      <target>.wants/NAME.service`, `systemctl --root=$1 enable NAME` or `chroot $1 systemctl enable NAME`.
 *      An `ExecStart=` that is itself a power-off command counts too.
 * 4. That step powers off: a command `halt -p` (or `--poweroff`), `poweroff`, `shutdown` without
 *    `-r`/`-H`/`-c`/`-k` (`shutdown -h` powers off under systemd), `systemctl poweroff`, `init 0`
 *    or `telinit 0`. Plain `halt` does not count: it halts the CPU and the VM keeps running.
 *
 * A systemd step runs at every boot unless it disables itself (`systemctl disable NAME`, or
 * removes its unit or link), as the seed's does; a firstboot.d step always runs once.
 */
import * as path from "node:path";
import { ARG1, parseShell, SimpleCommand } from "./shell";

export interface FirstBootStep {
    /** Where the step lives in the installed system, e.g. /etc/systemd/system/postinstall.service. */
    where: string;
    halts: boolean;
    /** True when it runs again at every boot (a systemd unit that never disables itself). */
    repeats: boolean;
}

export interface FirstBootAnalysis {
    steps: FirstBootStep[];
    log: string[];
}

/** Directories a `cp SRC DIR` (without a trailing slash) is known to copy into. */
const KNOWN_DIRS = [/\/etc\/firstboot\.d$/, /\/etc\/systemd\/system$/, /\.wants$/, /\/usr\/local\/bin$/, /\/root$/, /\/opt$/];

/**
 * Reads the filesystem-populated scripts (their text, in the order the installer runs them) and
 * reports the first-boot steps they set up. `initrdFile` reads another file of the installer's initrd.
 */
export function analyseFirstBoot(scripts: { url: string; text: string }[], initrdFile: (p: string) => string | undefined): FirstBootAnalysis {
    const files = new Map<string, string>();
    const enabled = new Set<string>();
    const log: string[] = [];
    const target = (p: string | undefined) => (p !== undefined && p.startsWith(ARG1) ? path.posix.normalize("/" + p.slice(ARG1.length)) : undefined);
    for (const script of scripts) {
        for (const cmd of parseShell(script.text)) apply(cmd, files, enabled, target, initrdFile);
    }
    const steps: FirstBootStep[] = [];
    for (const [where, content] of files) {
        if (!/^\/etc\/firstboot\.d\/[^/]+$/.test(where)) continue;
        const halts = haltCommand(content);
        steps.push({ where, halts: halts !== undefined, repeats: false });
        log.push(`first boot: ${where} runs once at first boot (XenServer firstboot.d)${halts ? ` and powers off (${halts})` : ""}`);
    }
    for (const unit of enabled) {
        const where = [`/etc/systemd/system/${unit}`, `/usr/lib/systemd/system/${unit}`, `/lib/systemd/system/${unit}`].find((p) => files.has(p));
        if (!where) { log.push(`first boot: unit ${unit} is enabled but the script never writes it into the target`); continue; }
        for (const exec of execStarts(files.get(where) ?? "")) {
            const direct = haltCommand(exec.join(" "));
            const file = direct ? undefined : scriptOf(exec);
            const body = file !== undefined ? files.get(file) : undefined;
            if (!direct && file !== undefined && body === undefined) {
                log.push(`first boot: ${unit} runs ${file}, which the post-install script did not write, so its effect is unknown`);
                continue;
            }
            const halts = direct ?? (body !== undefined ? haltCommand(body) : undefined);
            const repeats = halts !== undefined && !(body !== undefined && disablesItself(body, unit));
            steps.push({ where, halts: halts !== undefined, repeats });
            log.push(`first boot: ${unit} (ExecStart=${exec.join(" ")}) is enabled${halts ? ` and powers off (${halts})` : " and does not power off"}${repeats ? "; it never disables itself, so it runs at every boot" : ""}`);
        }
    }
    if (steps.length === 0) log.push("first boot: the post-install scripts set up no recognisable first-boot step");
    return { steps, log };
}

function apply(cmd: SimpleCommand, files: Map<string, string>, enabled: Set<string>, target: (p: string | undefined) => string | undefined, initrdFile: (p: string) => string | undefined): void {
    const words = cmd.words[0] === "chroot" ? cmd.words.slice(2) : cmd.words;
    const chrooted = cmd.words[0] === "chroot" && target(cmd.words[1]) === "/";
    const name = path.posix.basename(words[0] ?? "");
    const args = operands(name, words.slice(1));
    const out = target(cmd.redirectOut);
    if ((name === "cp" || name === "install") && args.length >= 2) {
        const dest = target(args[args.length - 1]);
        if (dest === undefined) return;
        const sources = args.slice(0, -1);
        const intoDir = sources.length > 1 || args[args.length - 1].endsWith("/") || KNOWN_DIRS.some((d) => d.test(dest));
        for (const src of sources) {
            const text = target(src) !== undefined ? files.get(target(src) as string) : initrdFile(src);
            if (text !== undefined) files.set(intoDir ? path.posix.join(dest, path.posix.basename(src)) : dest, text);
        }
    } else if (out !== undefined && name === "cat" && cmd.heredoc === undefined && args.length > 0) {
        const text = args.map((a) => (target(a) !== undefined ? files.get(target(a) as string) : initrdFile(a)) ?? "").join("");
        files.set(out, text);
    } else if (out !== undefined && (cmd.heredoc !== undefined)) {
        files.set(out, cmd.heredoc);
    } else if (name === "tee" && cmd.heredoc !== undefined) {
        for (const a of args) { const t = target(a); if (t !== undefined) files.set(t, cmd.heredoc); }
    } else if (out !== undefined && (name === "echo" || name === "printf")) {
        files.set(out, words.slice(1).filter((w) => !/^-[neE]+$/.test(w)).join(" ").replace(/\\n/g, "\n") + "\n");
    } else if (name === "ln" && args.length >= 2) {
        const link = target(args[args.length - 1]);
        if (link && /^\/etc\/systemd\/system\/[^/]+\.wants(\/|$)/.test(link)) {
            enabled.add(link.endsWith(".wants") || link.endsWith("/") ? path.posix.basename(args[0]) : path.posix.basename(link));
        }
    } else if (name === "systemctl") {
        let root: string | undefined;
        const positional: string[] = [];
        for (let i = 1; i < words.length; i++) {
            const w = words[i];
            if (w === "--root") root = words[++i];
            else if (w.startsWith("--root=")) root = w.slice(7);
            else if (!w.startsWith("-")) positional.push(w);
        }
        const inTarget = chrooted || (root !== undefined && target(root) === "/");
        if (inTarget && positional[0] === "enable") for (const u of positional.slice(1)) enabled.add(u.includes(".") ? u : `${u}.service`);
    }
}

/** A command's operands: options dropped, with the values of `install`'s -m/-o/-g/-S/-t. */
function operands(name: string, args: string[]): string[] {
    const withValue = name === "install" ? ["-m", "-o", "-g", "-S", "-t"] : name === "cp" ? ["-t", "-S"] : [];
    const out: string[] = [];
    let targetDir: string | undefined;
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "-t" && withValue.includes(a)) { targetDir = args[++i]; continue; }
        if (withValue.includes(a)) { i++; continue; }
        if (a.startsWith("-")) continue;
        out.push(a);
    }
    // `cp -t DIR SRC…` names the target first; move it last (with a slash: it is a directory).
    return targetDir !== undefined ? [...out, targetDir.endsWith("/") ? targetDir : `${targetDir}/`] : out;
}

/** The ExecStart= command lines of a unit file, as word lists (systemd prefixes removed). */
function execStarts(unit: string): string[][] {
    const out: string[][] = [];
    for (const line of unit.split(/\r?\n/)) {
        const m = /^\s*ExecStart\s*=\s*(.*)$/.exec(line);
        if (!m || m[1].trim() === "") continue;
        const cmd = parseShell(m[1].replace(/^[-@+!:]+/, ""))[0];
        if (cmd) out.push(cmd.words);
    }
    return out;
}

/** The file an ExecStart= runs: the command itself, or the script given to a shell. */
function scriptOf(exec: string[]): string | undefined {
    const shells = ["sh", "bash", "dash"];
    const [cmd, ...rest] = exec[0] === "/usr/bin/env" ? exec.slice(1) : exec;
    if (cmd !== undefined && shells.includes(path.posix.basename(cmd))) {
        const args = rest.filter((w) => !w.startsWith("-"));
        return args[0];
    }
    return cmd;
}

/** The first power-off command in a script, as written, or undefined. */
export function haltCommand(script: string): string | undefined {
    for (const { words: all } of parseShell(script)) {
        const words = all.filter((w, i) => !(i === 0 && (w === "sudo" || w === "exec")));
        const name = path.posix.basename(words[0] ?? "");
        const args = words.slice(1);
        const text = words.join(" ");
        if (name === "halt" && args.some((a) => a === "-p" || a === "--poweroff" || /^-[a-z]*p/.test(a))) return text;
        if (name === "poweroff" && !args.includes("--reboot")) return text;
        if (name === "shutdown" && !args.some((a) => ["-r", "--reboot", "-H", "--halt", "-c", "-k"].includes(a))) return text;
        if (name === "systemctl" && args.filter((a) => !a.startsWith("-"))[0] === "poweroff") return text;
        if ((name === "init" || name === "telinit") && args[0] === "0") return text;
    }
    return undefined;
}

function disablesItself(script: string, unit: string): boolean {
    const base = unit.replace(/\.service$/, "");
    return parseShell(script).some(({ words }) => {
        const name = path.posix.basename(words[0] ?? "");
        if (name === "systemctl" && words.includes("disable")) return words.some((w) => w === unit || w === base);
        if (name === "rm") return words.some((w) => w.endsWith(`/${unit}`));
        return false;
    });
}
