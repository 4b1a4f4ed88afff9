/**
 * The installer's kernel command line: which arguments the remaster adds, how they are validated,
 * which boot entries count as installer entries, and how an already-remastered command line is
 * edited so that a second remaster replaces our arguments instead of duplicating them.
 *
 * The installer (host-installer `startup/preinit` and `init`) reads these from the dom0 kernel's
 * command line: `answerfile=file:///…` makes it unattended and reads the file from its ramdisk with
 * no network, `install` is required by host-installer before v10.10.4 (XenServer 7.x, XCP-ng 8.2)
 * and ignored after, and `atexit=poweroff` powers the VM off when the installer ends (instead of
 * rebooting into the installer again), which the lab's install flow waits for.
 */

/** Where the answer file goes in the installer ramdisk unless told otherwise (the seed's path). */
export const DEFAULT_ANSWER_FILE_PATH = "/answerfile.xml";

/**
 * The keys that tell the installer where its answer file comes from. Only the remaster sets them
 * (from answerFilePath), so a user-supplied kernel argument must not.
 */
const ANSWERFILE_KEYS: readonly string[] = ["answerfile", "answerfile_generator", "rt_answerfile"];

/**
 * Keys this tool owns on an installer command line. An existing token with one of these keys is
 * removed before ours are added, so a re-remaster (or an ISO someone else made unattended) never
 * ends up with two `answerfile=` arguments.
 */
export const MANAGED_KEYS: readonly string[] = [...ANSWERFILE_KEYS, "install", "atexit"];

const ATEXIT_VALUES = ["poweroff", "reboot", "shell"];
/** Kernel arguments that turn an entry into a shell/rescue entry rather than an installation. */
const NON_INSTALL_FLAGS = ["bash-shell", "shell", "rescue"];
/** Entry titles that are never installations even if they load the installer's initrd. */
const NON_INSTALL_TITLE = /\b(memtest\S*|shell|rescue)\b/i;

/** The part of a kernel argument before "=", or the whole flag. */
export function argKey(token: string): string {
    const eq = token.indexOf("=");
    return eq < 0 ? token : token.slice(0, eq);
}

/** Checks an answer-file path for the ramdisk; returns the problems (empty when valid). */
export function answerFilePathProblems(path: string, reserved: readonly string[]): string[] {
    const problems: string[] = [];
    const rule = "an absolute path of letters, digits, '.', '_', '-' and '/' (it goes on the kernel command line)";
    if (!/^\/[A-Za-z0-9._/-]+$/.test(path) || path.endsWith("/") || path.split("/").some((p) => p === "." || p === "..")) {
        problems.push(`answerFilePath must be ${rule}, got ${JSON.stringify(path)}`);
    } else if (reserved.includes(path)) {
        problems.push(`answerFilePath must not be one of the files the remaster adds (${reserved.join(", ")}), got ${JSON.stringify(path)}`);
    }
    return problems;
}

/** Checks user-supplied kernel arguments; returns every problem at once. */
export function kernelArgProblems(args: readonly string[]): string[] {
    const problems: string[] = [];
    args.forEach((arg, i) => {
        const name = `kernelArgs[${i}]`;
        if (typeof arg !== "string" || !/^[^\s"'\\]+$/.test(arg) || arg === "---") {
            problems.push(`${name} must be one kernel argument with no spaces, quotes or backslashes and not "---", got ${JSON.stringify(arg)}`);
            return;
        }
        const key = argKey(arg);
        if (ANSWERFILE_KEYS.includes(key)) {
            problems.push(`${name} must not set ${key}= (the remaster sets answerfile= from answerFilePath), got ${JSON.stringify(arg)}`);
        } else if (key === "atexit" && !ATEXIT_VALUES.includes(arg.slice(key.length + 1))) {
            problems.push(`${name}: atexit must be one of ${ATEXIT_VALUES.join(", ")}, got ${JSON.stringify(arg)}`);
        }
    });
    return problems;
}

/**
 * The arguments added to every installer entry: `answerfile=file://<path> install atexit=poweroff`
 * then the extras in order. An extra `atexit=…` replaces ours (e.g. `atexit=shell` to debug), an
 * extra `install` or a repeated extra is dropped. Validate first with kernelArgProblems().
 */
export function installerArgs(answerFilePath: string, extra: readonly string[] = []): string[] {
    const atexit = [...extra].reverse().find((a) => argKey(a) === "atexit") ?? "atexit=poweroff";
    const out = [`answerfile=file://${answerFilePath}`, "install", atexit];
    for (const arg of extra) if (!MANAGED_KEYS.includes(argKey(arg)) && !out.includes(arg)) out.push(arg);
    return out;
}

export interface ArgEdit {
    /** Appended, in order. */
    add: readonly string[];
    /** Existing tokens with these keys are removed. @default MANAGED_KEYS */
    removeKeys?: readonly string[];
    /**
     * Existing tokens equal to one of these are removed (each once per listed copy): the arguments a
     * previous remaster recorded as its own, so changing or dropping an extra argument works.
     */
    removeExact?: readonly string[];
}

/** Applies an edit to a tokenised command line: remove ours (old or managed), then append ours. */
export function applyArgEdit(tokens: readonly string[], edit: ArgEdit): string[] {
    const removeKeys = edit.removeKeys ?? MANAGED_KEYS;
    const pending = [...(edit.removeExact ?? [])];
    // Walk from the end: our arguments were appended, so the last copies are ours and an earlier
    // identical vendor argument stays where it was.
    const kept = [...tokens].reverse().filter((t) => {
        const i = pending.indexOf(t);
        if (i >= 0) { pending.splice(i, 1); return false; }
        return !removeKeys.includes(argKey(t)) && !edit.add.includes(t);
    }).reverse();
    return [...kept, ...edit.add];
}

/**
 * Why a boot entry that loads the installer's initrd is still not an installer entry, or undefined
 * when it is one: shell and rescue entries (`bash-shell`, `shell`, `rescue` on the kernel command
 * line, or such a title) and memtest entries are left alone.
 */
export function nonInstallerReason(title: string, kernelArgs: readonly string[]): string | undefined {
    const flag = kernelArgs.find((a) => NON_INSTALL_FLAGS.includes(a));
    if (flag) return `its kernel command line has "${flag}"`;
    const m = NON_INSTALL_TITLE.exec(title);
    if (m) return `its title says "${m[1]}"`;
    return undefined;
}

/** Whitespace tokenisation of a boot-config argument string (neither isolinux nor our edits need quoting). */
export function tokens(text: string): string[] {
    return text.split(/\s+/).filter(Boolean);
}
