/**
 * The server's parse of the lines the client sent (cli_frontend.ml parse_commandline and
 * parse_params_2): the command name, `--flag` as flag=true, diadic `-x value` switches, and
 * `name=value` split at the first '='.
 */
import { SyntaxError } from "./errors";

export interface CommandLine {
    name: string;
    params: Array<[string, string]>;
}

const SWITCHES: Record<string, string> = { "-u": "username", "-pw": "password", "-s": "server", "-h": "server", "-p": "port" };

export function parseCommandLine(args: string[]): CommandLine {
    const name = args[0];
    // A missing command (the first argument is already a parameter) and any switch problem are
    // re-raised as ParseError "" by parse_commandline, so the detail never reaches the user.
    if (name === undefined || name.includes("=")) throw new SyntaxError("");
    const params: Array<[string, string]> = [];
    for (let i = 1; i < args.length; i++) {
        const p = args[i];
        if (p.startsWith("--")) {
            params.push([p.slice(2), "true"]);
        } else if (p.startsWith("-")) {
            if (!(p in SWITCHES) || i + 1 >= args.length) throw new SyntaxError("");
            params.push([SWITCHES[p], args[++i]]);
        } else {
            const eq = p.indexOf("=");
            params.push(eq < 0 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)]);
        }
    }
    return { name, params };
}
