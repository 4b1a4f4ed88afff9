/**
 * Kernel command lines as the XenServer installer sees them.
 *
 * host-installer's startup/preinit splits /proc/cmdline on spaces except inside a pair of single
 * or double quotes, consumes a few arguments itself (`atexit=`, `bash-shell`, …) and passes every
 * other one to /opt/xensource/installer/init as `--key=value` or `--flag`, where
 * util.splitArgs() turns them into a dictionary (a later duplicate wins).
 */

/** Splits a command line on blanks outside single or double quotes, removing the quotes. */
export function splitCmdline(line: string): string[] {
    const out: string[] = [];
    let current = "";
    let inWord = false;
    let quote: '"' | "'" | null = null;
    for (const ch of line) {
        if (quote) {
            if (ch === quote) quote = null;
            else current += ch;
            continue;
        }
        if (ch === '"' || ch === "'") { quote = ch; inWord = true; continue; }
        if (/\s/.test(ch)) {
            if (inWord) out.push(current);
            current = "";
            inWord = false;
            continue;
        }
        current += ch;
        inWord = true;
    }
    if (inWord) out.push(current);
    return out;
}

export interface InstallerArgs {
    /** What init receives, keyed without the leading "--" (value null for a flag). */
    init: Map<string, string | null>;
    /** preinit's `atexit=`, default "reboot". */
    atexit: string;
    /** `bash-shell` or `shell`: preinit starts a shell before the installer. */
    shellFirst: boolean;
}

/** Arguments preinit consumes and never passes to init. */
const CONSUMED = new Set(["atexit", "bash-shell", "shell", "blacklist", "enable-ide", "extramodules", "make-ramdisk", "mount", "start", "sshpassword"]);

/** Parses the dom0 kernel's arguments the way preinit + init do. */
export function parseInstallerArgs(args: string[]): InstallerArgs {
    const init = new Map<string, string | null>();
    let atexit = "reboot";
    let shellFirst = false;
    for (const arg of args) {
        const eq = arg.indexOf("=");
        const key = eq === -1 ? arg : arg.slice(0, eq);
        const value = eq === -1 ? null : arg.slice(eq + 1);
        if (key === "atexit" && value !== null) atexit = value;
        if (key === "bash-shell" || key === "shell") shellFirst = true;
        if (CONSUMED.has(key)) continue;
        init.set(key, value);
    }
    return { init, atexit, shellFirst };
}
