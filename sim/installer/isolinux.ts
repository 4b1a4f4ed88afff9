/**
 * isolinux.cfg as SYSLINUX 4–6 reads it: which entry boots, and after how long a wait.
 *
 * - Keywords are case-insensitive; `#` starts a comment; `INCLUDE file` is read in place.
 * - Without `UI`, the `boot:` prompt appears when `PROMPT 1` is set or no `DEFAULT` exists. With a
 *   prompt, `TIMEOUT n` (tenths of a second) boots `ONTIMEOUT` (else `DEFAULT`) after n; `TIMEOUT 0`
 *   waits forever (unless `TOTALTIMEOUT` is set). `PROMPT 0` boots `DEFAULT` at once.
 * - With `UI menu.c32` the menu preselects `MENU DEFAULT` (else `DEFAULT`, else the first label)
 *   and the same timeout rules apply.
 * - `DEFAULT` is a command line: its first word names a LABEL (the rest is appended), or, when no
 *   label has that name, a kernel file.
 * - `KERNEL mboot.c32` with `APPEND xen args --- kernel args --- initrd ---  …` is a multiboot
 *   load (how XenServer boots Xen + dom0); `KERNEL`/`LINUX` of a Linux kernel takes `initrd=` from
 *   APPEND (comma-separated) or the `INITRD` keyword.
 */
import { splitCmdline } from "./cmdline";
import type { KernelChoice, LoaderDecision } from "./loader";

interface Label {
    name: string;
    kernel?: string;
    /** Keyword that named the kernel: KERNEL guesses the type from the extension, the others force it. */
    kernelKeyword?: string;
    append: string;
    initrd?: string;
    menuDefault: boolean;
}

export interface IsolinuxConfig {
    defaultCmd?: string;
    ui?: string;
    prompt: boolean;
    /** Tenths of a second; 0 means none. */
    timeout: number;
    totalTimeout: number;
    onTimeout?: string;
    labels: Label[];
}

/** Parses the config; `include` returns another config file's text (or undefined when absent). */
export function parseIsolinuxCfg(text: string, include: (file: string) => string | undefined = () => undefined, depth = 0): IsolinuxConfig {
    const cfg: IsolinuxConfig = { prompt: false, timeout: 0, totalTimeout: 0, labels: [] };
    mergeInto(cfg, text, include, depth);
    return cfg;
}

function mergeInto(cfg: IsolinuxConfig, text: string, include: (file: string) => string | undefined, depth: number): void {
    let label: Label | undefined;
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) continue;
        const m = /^(\S+)\s*(.*)$/.exec(line);
        if (!m) continue;
        const keyword = m[1].toUpperCase();
        const rest = m[2].trim();
        if (keyword === "MENU") {
            const [sub, ...more] = rest.split(/\s+/);
            if (sub.toUpperCase() === "DEFAULT" && label) label.menuDefault = true;
            if (sub.toUpperCase() === "INCLUDE" && more[0] && depth < 8) {
                const t = include(more[0]);
                if (t !== undefined) mergeInto(cfg, t, include, depth + 1);
            }
            continue;
        }
        switch (keyword) {
            case "LABEL":
                label = { name: rest, append: "", menuDefault: false };
                cfg.labels.push(label);
                break;
            case "KERNEL": case "LINUX": case "COM32": case "BOOT": case "BSS": case "PXE": case "FDIMAGE": case "CONFIG":
                if (label) { label.kernel = rest.split(/\s+/)[0]; label.kernelKeyword = keyword; }
                break;
            case "APPEND":
                if (label) label.append = rest === "-" ? "" : rest;
                break;
            case "INITRD":
                if (label) label.initrd = rest;
                break;
            case "DEFAULT":
                cfg.defaultCmd = rest;
                break;
            case "UI":
                cfg.ui = rest;
                break;
            case "PROMPT":
                cfg.prompt = rest !== "0";
                break;
            case "TIMEOUT":
                cfg.timeout = Number.parseInt(rest, 10) || 0;
                break;
            case "TOTALTIMEOUT":
                cfg.totalTimeout = Number.parseInt(rest, 10) || 0;
                break;
            case "ONTIMEOUT":
                cfg.onTimeout = rest;
                break;
            case "INCLUDE":
                if (depth < 8) {
                    const t = include(rest.split(/\s+/)[0]);
                    if (t !== undefined) mergeInto(cfg, t, include, depth + 1);
                }
                break;
            default:
                break; // SERIAL, DISPLAY, F1…F12, SAY, NOESCAPE, … do not change what boots
        }
    }
}

/** Decides which entry isolinux boots, and whether it waits for a person first. */
export function chooseIsolinuxEntry(cfg: IsolinuxConfig, cfgPath: string): LoaderDecision {
    const log: string[] = [];
    const timeoutText = (t: number) => `${(t / 10).toFixed(1)} s`;
    let command: string | undefined;
    if (cfg.ui) {
        const preselected = cfg.labels.find((l) => l.menuDefault)?.name ?? cfg.defaultCmd ?? cfg.labels[0]?.name;
        if (preselected === undefined) return { kind: "wait", reason: `isolinux: ${cfgPath} has a menu (UI ${cfg.ui}) with no entries`, log };
        const wait = cfg.timeout || cfg.totalTimeout;
        if (wait === 0) {
            return { kind: "wait", reason: `isolinux: the menu of ${cfgPath} (UI ${cfg.ui}) has TIMEOUT 0, so it waits for a key forever`, log };
        }
        command = cfg.onTimeout ?? preselected;
        log.push(`isolinux: menu (UI ${cfg.ui}) times out after ${timeoutText(wait)} and boots ${JSON.stringify(command)}`);
    } else if (cfg.defaultCmd === undefined) {
        return { kind: "wait", reason: `isolinux: ${cfgPath} has no DEFAULT, so isolinux waits at its boot: prompt`, log };
    } else if (!cfg.prompt) {
        command = cfg.defaultCmd;
        log.push(`isolinux: PROMPT 0, booting DEFAULT ${JSON.stringify(command)} at once`);
    } else {
        const wait = cfg.timeout || cfg.totalTimeout;
        if (wait === 0) {
            return { kind: "wait", reason: `isolinux: ${cfgPath} has PROMPT 1 with TIMEOUT 0, so the boot: prompt waits for a person forever`, log };
        }
        command = cfg.onTimeout ?? cfg.defaultCmd;
        log.push(`isolinux: boot: prompt times out after ${timeoutText(wait)} and boots ${JSON.stringify(command)}`);
    }
    return resolveCommand(cfg, command, log);
}

function resolveCommand(cfg: IsolinuxConfig, command: string, log: string[]): LoaderDecision {
    const [first = "", ...extra] = command.split(/\s+/);
    const label = cfg.labels.find((l) => l.name === first);
    if (!label) {
        log.push(`isolinux: no LABEL named ${JSON.stringify(first)}; loading it as a kernel file`);
        return { kind: "boot", choice: linuxChoice(command, first, extra.join(" "), undefined), log };
    }
    if (!label.kernel) {
        return { kind: "wait", reason: `isolinux: LABEL ${label.name} has no KERNEL or LINUX line`, log };
    }
    const append = [label.append, ...extra].filter(Boolean).join(" ");
    const base = label.kernel.split("/").pop()?.toLowerCase() ?? "";
    const guessed = label.kernelKeyword === "KERNEL" ? typeFromExtension(base) : label.kernelKeyword;
    if (guessed === "COM32" && base === "mboot.c32") {
        return { kind: "boot", choice: mbootChoice(label.name, label.kernel, append), log };
    }
    if (guessed === "LINUX") {
        return { kind: "boot", choice: linuxChoice(label.name, label.kernel, append, label.initrd), log };
    }
    return { kind: "boot", choice: { entry: label.name, initrds: [], other: `${label.kernel} (${guessed ?? "unknown"} image)` }, log };
}

/** SYSLINUX's guess for `KERNEL file` from the file name's extension. */
function typeFromExtension(base: string): string {
    if (base.endsWith(".c32")) return "COM32";
    if (base.endsWith(".bss")) return "BSS";
    if (base.endsWith(".bs") || base.endsWith(".bin")) return "BOOT";
    if (base.endsWith(".0")) return "PXE";
    if (base.endsWith(".img")) return "FDIMAGE";
    if (base.endsWith(".cfg")) return "CONFIG";
    return "LINUX";
}

/** `APPEND xen [args] --- kernel [args] --- module [args] …`: Xen, dom0 and its initrd(s). */
function mbootChoice(entry: string, mboot: string, append: string): KernelChoice {
    const segments: string[][] = [[]];
    for (const word of splitCmdline(append)) {
        if (word === "---") segments.push([]);
        else segments[segments.length - 1].push(word);
    }
    const [xen = [], dom0 = [], ...modules] = segments;
    if (xen.length === 0) return { entry, initrds: [], other: `${mboot} with no multiboot kernel in APPEND` };
    return {
        entry,
        hypervisor: { path: xen[0], args: xen.slice(1) },
        kernel: dom0.length > 0 ? { path: dom0[0], args: dom0.slice(1) } : undefined,
        initrds: modules.filter((m) => m.length > 0).map((m) => m[0]),
    };
}

function linuxChoice(entry: string, kernel: string, append: string, initrdKeyword: string | undefined): KernelChoice {
    const words = splitCmdline(append);
    const initrds: string[] = [];
    if (initrdKeyword) initrds.push(...initrdKeyword.split(","));
    for (const w of words) if (w.startsWith("initrd=")) initrds.push(...w.slice(7).split(",").filter(Boolean));
    return { entry, kernel: { path: kernel, args: [`BOOT_IMAGE=${kernel}`, ...words] }, initrds };
}
