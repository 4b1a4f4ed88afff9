/**
 * xenstore-read and xenstore-ls (Xen tools/xs-clients/xenstore_client.c) over the simulated tree.
 */
import type { Out } from "../xe/printer";
import { XsTree, normalise, sanitise } from "./tree";

const TAG_LEN = ' = "..."'.length;

/** xenstored resolves a relative path against the caller's domain home, /local/domain/0 for dom0. */
const absolute = (p: string): string => (p.startsWith("/") ? p : `/local/domain/0/${p}`);

export function xenstoreRead(tree: XsTree, args: string[], out: Out): number {
    let prefix = false;
    let raw = false;
    const paths: string[] = [];
    for (const a of args) {
        if (a === "-p" || a === "--prefix") prefix = true;
        else if (a === "-R" || a === "--raw") raw = true;
        else if (a === "-h" || a === "--help") {
            out.stderr("xenstore-read: Usage: xenstore-read [-h] [-p] [-R] key [...]\n");
            return 0;
        } else paths.push(a);
    }
    if (paths.length === 0) {
        out.stderr("xenstore-read: Usage: xenstore-read [-h] [-p] [-R] key [...]\n");
        return 1;
    }
    let buffered = "";
    let status = 0;
    for (const p of paths) {
        const node = tree.get(normalise(absolute(p)));
        if (!node) {
            out.stderr(`xenstore-read: couldn't read path ${p}\n`);
            status = 1;
            break;
        }
        if (prefix) buffered += `${p}: `;
        buffered += raw ? node.value : `${sanitise(node.value)}\n`;
    }
    if (buffered) out.stdout(buffered);
    return status;
}

export function xenstoreLs(tree: XsTree, args: string[], out: Out, terminalColumns: number | null): number {
    let whole = false;
    let perms = false;
    const paths: string[] = [];
    for (const a of args) {
        if (a === "-f" || a === "--flat") whole = true;
        else if (a === "-p" || a === "--prefix") perms = true;
        else if (a === "-h" || a === "--help") {
            out.stderr("xenstore-ls: Usage: xenstore-ls [-h] [-f] [-p] [path]\n");
            return 0;
        } else paths.push(a);
    }
    const maxWidth = whole ? Number.MAX_SAFE_INTEGER : terminalColumns !== null ? terminalColumns - 2 : 80;
    const desiredWidth = whole ? 0 : 60;
    let text = "";
    const walk = (path: string, depth: number): boolean => {
        const node = tree.get(normalise(absolute(path)));
        if (!node) return depth > 0;
        for (const name of node.children) {
            const full = `${path}${path.endsWith("/") ? "" : "/"}${name}`;
            const child = tree.get(normalise(absolute(full)))!;
            let line = "";
            let width = 0;
            if (whole) line += full;
            else {
                line += " ".repeat(depth);
                width = depth;
                const shown = name.slice(0, Math.max(0, maxWidth - TAG_LEN - width));
                line += shown;
                width += shown.length;
            }
            const value = sanitise(child.value);
            if (maxWidth < width + Buffer.byteLength(child.value) + TAG_LEN) {
                line += ` = "${value.slice(0, Math.max(0, maxWidth - TAG_LEN - width))}\\..."`;
            } else {
                const v = ` = "${value}"`;
                line += v;
                width += v.length;
                if (perms) {
                    line += " ";
                    for (width++; width < Math.min(desiredWidth, maxWidth); width++) line += width & 1 ? "." : " ";
                }
            }
            if (perms) line += `  (${child.perms})`;
            text += `${line}\n`;
            walk(full, depth + 1);
        }
        return true;
    };
    for (const p of paths.length ? paths : ["/"]) {
        if (!walk(p, 0)) {
            if (text) out.stdout(text);
            out.stderr(`xenstore-ls: xs_directory (${p}): No such file or directory\n`);
            return 1;
        }
    }
    if (text) out.stdout(text);
    return 0;
}
