/**
 * Just enough POSIX shell reading for the first-boot recognizer: split a script into simple
 * commands (words with quotes removed, redirections and here-documents attached), expanding
 * `$1`/`${1}` and plain `NAME=value` variables. Nothing is executed; anything fancier (command
 * substitution, loops, functions) is kept as literal words and simply matches nothing.
 */

export interface SimpleCommand {
    words: string[];
    /** `> file` / `>> file` target, after expansion. */
    redirectOut?: string;
    /** `< file` source, after expansion. */
    redirectIn?: string;
    /** The body of a here-document feeding this command. */
    heredoc?: string;
}

/** Marks the script's first argument (the target root for filesystem-populated scripts). */
export const ARG1 = "\u0000$1";

export function parseShell(script: string, vars: Map<string, string> = new Map()): SimpleCommand[] {
    const lines = script.replace(/\\\r?\n/g, "").split(/\r?\n/);
    const commands: SimpleCommand[] = [];
    for (let i = 0; i < lines.length; i++) {
        const pending: { cmd: SimpleCommand; marker: string; strip: boolean }[] = [];
        for (const cmd of splitLine(lines[i], vars)) {
            commands.push(cmd);
            if (cmd.heredoc !== undefined) pending.push({ cmd, marker: cmd.heredoc, strip: cmd.words.includes("\u0000<<-") });
        }
        for (const p of pending) {
            const body: string[] = [];
            for (i++; i < lines.length; i++) {
                const line = p.strip ? lines[i].replace(/^\t+/, "") : lines[i];
                if (line === p.marker) break;
                body.push(line);
            }
            p.cmd.heredoc = body.join("\n") + "\n";
            p.cmd.words = p.cmd.words.filter((w) => !w.startsWith("\u0000<<"));
        }
    }
    return commands;
}

/** Splits one line on `;`, `&&`, `||`, `|` and `&`, honouring quotes and `#` comments. */
function splitLine(line: string, vars: Map<string, string>): SimpleCommand[] {
    const out: SimpleCommand[] = [];
    let words: string[] = [];
    let word = "";
    let inWord = false;
    let quote: '"' | "'" | null = null;
    let redirect: ">" | "<" | "<<" | null = null;
    let cmd: SimpleCommand = { words: [] };
    const expand = (w: string) => (quote === "'" ? w : expandVars(w, vars));
    const endWord = () => {
        if (!inWord) return;
        if (redirect === ">") cmd.redirectOut = word;
        else if (redirect === "<") cmd.redirectIn = word;
        else if (redirect === "<<") cmd.heredoc = word;
        else words.push(word);
        redirect = null;
        word = "";
        inWord = false;
    };
    const endCommand = () => {
        endWord();
        if (words.length > 0 || cmd.redirectOut || cmd.heredoc !== undefined) {
            const assignment = words.length === 1 && !cmd.redirectOut ? /^([A-Za-z_]\w*)=(.*)$/.exec(words[0]) : null;
            if (assignment) vars.set(assignment[1], assignment[2]);
            cmd.words = words;
            out.push(cmd);
        }
        words = [];
        cmd = { words: [] };
    };
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quote) {
            if (ch === quote) { quote = null; continue; }
            let j = i;
            while (j < line.length && line[j] !== quote) j++;
            word += quote === "'" ? line.slice(i, j) : expandVars(line.slice(i, j), vars);
            i = j - 1;
            continue;
        }
        if (ch === '"' || ch === "'") { quote = ch; inWord = true; continue; }
        if (ch === "#" && !inWord) break;
        if (ch === " " || ch === "\t") { endWord(); continue; }
        if (ch === ";" || ch === "|" || ch === "&") {
            endCommand();
            if (line[i + 1] === ch) i++;
            continue;
        }
        if (ch === ">" || ch === "<") {
            endWord();
            if (ch === "<" && line[i + 1] === "<") {
                i++;
                const strip = line[i + 1] === "-";
                if (strip) i++;
                words.push(strip ? "\u0000<<-" : "\u0000<<");
                redirect = "<<";
            } else {
                if (ch === ">" && line[i + 1] === ">") i++;
                redirect = ch;
            }
            continue;
        }
        let j = i;
        while (j < line.length && !/[\s"';|&<>]/.test(line[j]) && !(line[j] === "#" && j === i)) j++;
        word += expand(line.slice(i, j));
        inWord = true;
        i = j - 1;
    }
    endCommand();
    return out;
}

function expandVars(text: string, vars: Map<string, string>): string {
    return text.replace(/\$(?:\{(\w+)\}|(\d|[A-Za-z_]\w*))/g, (whole, braced: string | undefined, plain: string | undefined) => {
        const name = braced ?? plain ?? "";
        if (name === "1") return ARG1;
        return vars.get(name) ?? whole;
    });
}
