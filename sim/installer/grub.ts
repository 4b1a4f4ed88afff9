/**
 * grub.cfg as GRUB 2's normal mode reads it: which menu entry boots, and after how long a wait.
 *
 * - Words split like a shell (quotes, backslash escapes); `#` starts a comment; `;` separates
 *   commands. `function` bodies are skipped; the bodies of `if … fi` blocks are read as if the
 *   condition held (the simulator cannot evaluate GRUB's `[ … ]`).
 * - `set default=N` (an index, `N>M` into a submenu, or an entry title/--id) selects the entry; an
 *   unknown default falls back to entry 0. `set timeout=-1`, or no `timeout` at all, waits for a
 *   key forever; `timeout=0` boots at once.
 * - In an entry: `multiboot2`/`multiboot` + `module2`/`module` and `xen_hypervisor` + `xen_module`
 *   load Xen, then the dom0 kernel (first module, with its arguments), then the initrd(s);
 *   `linux`/`linuxefi` + `initrd`/`initrdefi` load a Linux kernel directly; `chainloader` and
 *   others are not modelled.
 * - File names may carry a device prefix (`($root)/boot/xen.gz`); it is dropped, because the
 *   simulator resolves every file on the ISO (the root the real configs `search` for).
 */
import type { KernelChoice, LoaderDecision } from "./loader";

interface Entry {
    title: string;
    id?: string;
    commands: string[][];
}

interface Submenu {
    title: string;
    id?: string;
    items: Item[];
}

type Item = { kind: "entry"; entry: Entry } | { kind: "submenu"; menu: Submenu };

export interface GrubConfig {
    default?: string;
    /** Seconds; undefined when never set (GRUB then waits forever). */
    timeout?: number;
    items: Item[];
}

/** Splits a config into commands (arrays of words); `{` ends the command it opens and `}` is a command of its own. */
export function tokenizeGrub(text: string): string[][] {
    const commands: string[][] = [];
    let words: string[] = [];
    let word = "";
    let inWord = false;
    let quote: '"' | "'" | null = null;
    const endWord = () => { if (inWord) words.push(word); word = ""; inWord = false; };
    const endCommand = () => { endWord(); if (words.length) commands.push(words); words = []; };
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quote) {
            if (ch === quote) quote = null;
            else if (ch === "\\" && quote === '"' && i + 1 < text.length) word += text[++i];
            else word += ch;
            continue;
        }
        if (ch === "\\" && i + 1 < text.length) {
            if (text[i + 1] !== "\n") word += text[i + 1];
            i++;
            inWord = true;
        } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; }
        else if (ch === "#" && !inWord) { while (i < text.length && text[i] !== "\n") i++; endCommand(); }
        else if (ch === "\n" || ch === ";") endCommand();
        else if (ch === " " || ch === "\t" || ch === "\r") endWord();
        else if (ch === "{" && !inWord) { endWord(); words.push(ch); endCommand(); }
        else if (ch === "}" && !inWord) { endCommand(); words.push(ch); endCommand(); }
        else { word += ch; inWord = true; }
    }
    endCommand();
    return commands;
}

export function parseGrubCfg(text: string): GrubConfig {
    const cfg: GrubConfig = { items: [] };
    const commands = tokenizeGrub(text);
    let pos = 0;
    /** Reads commands until the matching "}" (or the end), collecting menu items into `items`. */
    const block = (items: Item[] | null, entry: Entry | null) => {
        while (pos < commands.length) {
            const cmd = commands[pos++];
            const [name] = cmd;
            if (name === "}") return;
            if (name === "menuentry" || name === "submenu") {
                const { title, id } = entryHeader(cmd);
                if (name === "menuentry") {
                    const e: Entry = { title, id, commands: [] };
                    block(null, e);
                    items?.push({ kind: "entry", entry: e });
                } else {
                    const m: Submenu = { title, id, items: [] };
                    block(m.items, null);
                    items?.push({ kind: "submenu", menu: m });
                }
                continue;
            }
            if (name === "function") { skipBlock(cmd); continue; }
            if (["if", "elif", "else", "fi", "then", "while", "do", "done"].includes(name)) continue;
            const words = cmd.filter((w) => w !== "{" && w !== "then");
            if (entry) { entry.commands.push(words); continue; }
            if (name === "set") {
                const assignment = words.slice(1).join(" ");
                const m = /^(\w+)=(.*)$/.exec(assignment);
                if (m && m[1] === "default") cfg.default = m[2];
                if (m && m[1] === "timeout") cfg.timeout = Number.parseInt(m[2], 10);
            }
        }
    };
    const skipBlock = (header: string[]) => {
        if (!header.includes("{")) return;
        let depth = 1;
        while (pos < commands.length && depth > 0) {
            const c = commands[pos++];
            depth += c.filter((w) => w === "{").length - c.filter((w) => w === "}").length;
        }
    };
    block(cfg.items, null);
    return cfg;
}

function entryHeader(cmd: string[]): { title: string; id?: string } {
    const words = cmd.slice(1).filter((w) => w !== "{");
    let id: string | undefined;
    const idAt = words.indexOf("--id");
    if (idAt !== -1) id = words[idAt + 1];
    const title = words.find((w, i) => !w.startsWith("--") && words[i - 1] !== "--id" && words[i - 1] !== "--class" && words[i - 1] !== "--users") ?? "";
    return { title, id };
}

/** Decides which entry GRUB boots, and whether it waits for a person first. */
export function chooseGrubEntry(cfg: GrubConfig, cfgName: string): LoaderDecision {
    const log: string[] = [];
    if (cfg.items.length === 0) {
        return { kind: "wait", reason: `grub: ${cfgName} has no menu entries, so GRUB waits at its command line`, log };
    }
    if (cfg.timeout === undefined || Number.isNaN(cfg.timeout) || cfg.timeout < 0) {
        const why = cfg.timeout === undefined ? "never sets timeout" : `sets timeout=${cfg.timeout}`;
        return { kind: "wait", reason: `grub: ${cfgName} ${why}, so the menu waits for a key forever`, log };
    }
    const wanted = cfg.default ?? "0";
    let entry = findDefault(cfg.items, wanted);
    if (!entry) {
        log.push(`grub: default ${JSON.stringify(wanted)} names no entry in ${cfgName}; GRUB falls back to entry 0`);
        entry = findDefault(cfg.items, "0");
    }
    if (!entry) return { kind: "wait", reason: `grub: entry 0 of ${cfgName} is a submenu, which GRUB cannot boot by default`, log };
    log.push(`grub: menu times out after ${cfg.timeout} s and boots entry ${JSON.stringify(entry.title)} (default=${JSON.stringify(wanted)})`);
    return { kind: "boot", choice: entryChoice(entry), log };
}

function findDefault(items: Item[], wanted: string): Entry | undefined {
    const [head, ...rest] = wanted.split(">");
    const index = /^\d+$/.test(head) ? Number(head) : -1;
    const item = index >= 0 ? items[index] : items.find((i) => (i.kind === "entry" ? i.entry : i.menu).title === head || (i.kind === "entry" ? i.entry : i.menu).id === head);
    if (!item) return undefined;
    if (item.kind === "entry") return rest.length === 0 ? item.entry : undefined;
    return rest.length > 0 ? findDefault(item.menu.items, rest.join(">")) : undefined;
}

/** Drops a GRUB device prefix: "($root)/boot/xen.gz" → "/boot/xen.gz". */
export function grubPath(file: string): string {
    return file.replace(/^\([^)]*\)/, "") || "/";
}

function entryChoice(entry: Entry): KernelChoice {
    const choice: KernelChoice = { entry: entry.title, initrds: [] };
    let modulesSeen = 0;
    for (const [cmd, file, ...args] of entry.commands) {
        if (!file && cmd !== "boot") continue;
        switch (cmd) {
            case "multiboot2": case "multiboot": case "xen_hypervisor":
                choice.hypervisor = { path: grubPath(file), args };
                break;
            case "module2": case "module": case "xen_module": {
                // `--nounzip` and similar flags come before the file name.
                const words = [file, ...args].filter((w) => !w.startsWith("--"));
                if (words.length === 0) break;
                if (modulesSeen++ === 0) choice.kernel = { path: grubPath(words[0]), args: words.slice(1) };
                else choice.initrds.push(grubPath(words[0]));
                break;
            }
            case "linux": case "linuxefi": case "linux16":
                choice.kernel = { path: grubPath(file), args: [`BOOT_IMAGE=${file}`, ...args] };
                break;
            case "initrd": case "initrdefi": case "initrd16":
                choice.initrds.push(...[file, ...args].map(grubPath));
                break;
            case "chainloader": case "appleloader": case "kfreebsd": case "knetbsd":
                choice.other = `${cmd} ${file}`;
                break;
            default:
                break;
        }
    }
    if (!choice.hypervisor && !choice.kernel && !choice.other) choice.other = "an entry that loads no kernel";
    return choice;
}
