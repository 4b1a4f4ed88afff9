/**
 * The commands the user-facing documents tell people to run, and how each one is covered by a test
 * (test/readme.spec.ts): every line of every ```sh block of the README and the documents it sends
 * readers to. Pure: reads the markdown, classifies command text, runs nothing.
 *
 * A line is split into its `&&` segments (outside quotes and `$(…)`); each segment's program (and
 * every program of a top-level pipeline) decides its route. A segment no route knows is
 * "uncovered", which fails the spec: a command added to a document later needs a test first.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The documents whose ```sh blocks are checked, relative to the repository root. */
export const DOCUMENTS = ["README.md", "docs/lab-stacks.md", "docs/cli.md"] as const;

export interface DocCommand {
    /** Document path relative to the repository root. */
    doc: string;
    /** 1-based line number of the command in the document. */
    line: number;
    /** 0-based index of its ```sh block in the document. */
    block: number;
    /** The command line as written (continuation lines joined, surrounding blanks trimmed). */
    text: string;
}

/** Every command line of every ```sh block of `doc`, in order (blank and comment-only lines skipped). */
export function shCommands(repoRoot: string, doc: string): DocCommand[] {
    const lines = fs.readFileSync(path.join(repoRoot, doc), "utf8").split("\n");
    const commands: DocCommand[] = [];
    let block = -1;
    let inSh = false;
    let fenced = false;
    let pending: { line: number; text: string } | undefined;
    lines.forEach((raw, i) => {
        const fence = /^\s*```(\S*)\s*$/.exec(raw);
        if (fence && !fenced) {
            fenced = true;
            inSh = fence[1] === "sh";
            if (inSh) block++;
            return;
        }
        if (fence && fenced && fence[1] === "") {
            fenced = false;
            inSh = false;
            return;
        }
        if (!inSh) return;
        const text = raw.trim();
        if (pending) {
            pending.text += ` ${text.replace(/\\$/, "").trim()}`;
            if (!text.endsWith("\\")) {
                commands.push({ doc, line: pending.line, block, text: pending.text.trim() });
                pending = undefined;
            }
            return;
        }
        if (!text || text.startsWith("#")) return;
        if (text.endsWith("\\")) pending = { line: i + 1, text: text.replace(/\\$/, "").trim() };
        else commands.push({ doc, line: i + 1, block, text });
    });
    return commands;
}

/** Scans `text` outside single/double quotes and `$(…)`, calling `at` for each top-level index. */
function scanTopLevel(text: string, at: (i: number) => boolean | void): void {
    let quote: "'" | '"' | undefined;
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote) quote = undefined;
            else if (c === "\\" && quote === '"') i++;
            continue;
        }
        if (c === "'" || c === '"') quote = c;
        else if (c === "\\") i++;
        else if (c === "$" && text[i + 1] === "(") {
            depth++;
            i++;
        }
        else if (c === ")" && depth > 0) depth--;
        else if (depth === 0 && at(i) === true) return;
    }
}

/** The command without its trailing `# comment` (a `#` that starts a word, outside quotes). */
export function withoutComment(text: string): string {
    let end = text.length;
    scanTopLevel(text, (i) => {
        if (text[i] === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
            end = i;
            return true;
        }
    });
    return text.slice(0, end).trimEnd();
}

/** Splits at top-level occurrences of `separator` ("&&" or "|", never "||"). */
function splitTopLevel(text: string, separator: "&&" | "|"): string[] {
    const parts: string[] = [];
    let start = 0;
    scanTopLevel(text, (i) => {
        if (!text.startsWith(separator, i)) return;
        if (separator === "|" && (text[i + 1] === "|" || text[i - 1] === "|")) return;
        parts.push(text.slice(start, i).trim());
        start = i + separator.length;
    });
    parts.push(text.slice(start).trim());
    return parts;
}

/** The `&&` segments of a command line, comment removed. */
export function segmentsOf(text: string): string[] {
    return splitTopLevel(withoutComment(text), "&&");
}

/** How a segment is covered. */
export type Route =
    /** Run by another spec, which must run exactly this command. */
    | { kind: "spec"; spec: string; command: string[] }
    /** The last command of .ci/run. */
    | { kind: "ci" }
    /** An npm script: checked to exist (and for bench, its arguments); lint is also run. */
    | { kind: "npm-script"; script: string; args: string[] }
    /** A `vh` command of a host walk-through: run in order against a simulated host. */
    | { kind: "vh" }
    /** `vh sim`: started, its connection line read, stopped with SIGTERM. */
    | { kind: "vh-sim" }
    /** Part of a document's Pulumi walk-through: run in its shell, `pulumi` played by the test engine. */
    | { kind: "session"; program: string }
    | { kind: "uncovered"; why: string };

/** npm scripts whose documented use the spec checks (readmeStatic.ts); any other is uncovered. */
const CHECKED_SCRIPTS = ["build", "bench", "lint"];
/** vh commands that talk to a host (they get the simulator's port and key appended). */
export const VH_HOST_COMMANDS = ["network", "install", "console", "destroy"];
const VH_WALK_COMMANDS = ["answerfile", "remaster", ...VH_HOST_COMMANDS];
/** Programs a Pulumi walk-through may run besides `pulumi` (each one is run for real). */
const SESSION_PROGRAMS = ["pulumi", "git", "cd", "ssh", "jq"];

/** The route of one `&&` segment. */
export function routeOf(segment: string): Route {
    const words = segment.split(/\s+/);
    const [program, sub] = words;
    if (program === "npm") {
        if (sub === "test" && words.length === 2) return { kind: "ci" };
        if (sub === "install" && words.length === 2) return { kind: "npm-script", script: "install", args: [] };
        if (sub === "run" && words[2] === "demo" && words.length === 3) return { kind: "spec", spec: "test/demo.spec.ts", command: ["npm", "run", "demo"] };
        if (sub === "run" && CHECKED_SCRIPTS.includes(words[2])) return { kind: "npm-script", script: words[2], args: words.slice(3) };
        return { kind: "uncovered", why: `no test covers npm ${words.slice(1).join(" ")}` };
    }
    if (program === "vh") {
        if (sub === "sim") return { kind: "vh-sim" };
        if (VH_WALK_COMMANDS.includes(sub)) return { kind: "vh" };
        return { kind: "uncovered", why: `vh ${sub} is not run by any walk-through` };
    }
    const pipeline = splitTopLevel(segment, "|").map((p) => p.split(/\s+/)[0]);
    const unknown = pipeline.filter((p) => !SESSION_PROGRAMS.includes(p));
    if (unknown.length === 0) return { kind: "session", program };
    return { kind: "uncovered", why: `no test runs ${unknown.join(", ")}` };
}

/** The routes of every segment of a command line. */
export function routesOf(text: string): Array<{ segment: string; route: Route }> {
    return segmentsOf(text).map((segment) => ({ segment, route: routeOf(segment) }));
}

/** The line's runnable part (segments a walk-through runs), or undefined when it is checked statically only. */
export function runnableKind(text: string): "vh" | "vh-sim" | "session" | undefined {
    const kinds = routesOf(text).map((r) => r.route.kind).filter((k) => k === "vh" || k === "vh-sim" || k === "session");
    return kinds[0] as "vh" | "vh-sim" | "session" | undefined;
}

/**
 * What a walk-through runs of a line: the whole line when every segment is runnable, otherwise
 * its runnable segments joined again (`npm run build && pulumi preview` → `pulumi preview`; the
 * dropped segments are covered by their own routes and listed).
 */
export function runnablePart(text: string): { text: string; dropped: string[] } {
    const routes = routesOf(text);
    const runs = (k: Route["kind"]) => k === "vh" || k === "vh-sim" || k === "session";
    const dropped = routes.filter((r) => !runs(r.route.kind)).map((r) => r.segment);
    if (dropped.length === 0) return { text, dropped };
    return { text: routes.filter((r) => runs(r.route.kind)).map((r) => r.segment).join(" && "), dropped };
}

/**
 * A document's Pulumi walk-throughs: its session lines in order, split where a reader starts over —
 * at a `git clone` line, or at a ```sh block with `pulumi stack init` once the current walk-through
 * has initialised a stack (two sections describing the same lab are two walk-throughs).
 */
export function pulumiWalkthroughs(commands: DocCommand[]): DocCommand[][] {
    const walks: DocCommand[][] = [];
    let current: DocCommand[] = [];
    const initialises = (c: DocCommand) => /^pulumi stack init\b/.test(c.text);
    for (const c of commands.filter((x) => runnableKind(x.text) === "session")) {
        const blockInits = commands.some((x) => x.doc === c.doc && x.block === c.block && initialises(x));
        const startsBlock = !current.some((x) => x.doc === c.doc && x.block === c.block);
        if (current.length && (/^git clone\b/.test(c.text) || (startsBlock && blockInits && current.some(initialises)))) {
            walks.push(current);
            current = [];
        }
        current.push(c);
    }
    if (current.length) walks.push(current);
    return walks;
}

/** Backticked spans of a markdown text that start with `prefix` (commands given in prose). */
export function inlineCommands(markdown: string, prefix: string): string[] {
    return [...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter((s) => s.startsWith(prefix));
}
