/**
 * The thin client's side of the command line (newcli.ml parse_args and main): the options `xe`
 * itself consumes (-s -p -u -pw -pwf -h, --nossl, --debug, --debug-on-fail, --traceparent and
 * their key=value spellings), defaults from ~/.xe and XE_EXTRA_ARGS, -version and the usage text.
 * Everything else is sent to the server one argument per line, followed by username= and password=.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type ClientResult =
    | { kind: "version"; text: string }
    | { kind: "usage"; stderr: string }
    | { kind: "send"; args: string[] };

const KEYWORDS = ["server", "port", "username", "password", "passwordfile", "nossl", "debug", "debugonfail", "traceparent"];

/** The usage text; xapi prints Sys.argv.(0), which is "xe" when it is run from PATH. */
export function usageText(modern: boolean): string {
    const trace = modern ? " [--traceparent traceparent]" : "";
    return `Usage: xe <cmd> [-s server] [-p port] ([-u username] [-pw password] or [-pwf <password file>])${trace} <other arguments>\n`
        + "\nA full list of commands can be obtained by running \n\txe help -s <server> -p <port>\n";
}

interface ClientState {
    username: string;
    password: string;
    passwordFile: string;
    portError: boolean;
}

function setKeyword(st: ClientState, k: string, v: string): boolean {
    if (!KEYWORDS.includes(k)) return false;
    if (k === "username") st.username = v;
    else if (k === "password") st.password = v;
    else if (k === "passwordfile") st.passwordFile = v;
    else if (k === "port") {
        const p = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!(p >= 0 && p <= 65535)) st.portError = true;
    }
    return true;
}

const DIADIC: Record<string, string> = { "-s": "server", "-p": "port", "-u": "username", "-pw": "password", "-pwf": "passwordfile", "-h": "server", "--traceparent": "traceparent" };
const UNARY: Record<string, string> = { "--nossl": "nossl", "--debug": "debug", "--debug-on-fail": "debugonfail" };

function processArgs(st: ClientState, args: string[]): string[] {
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a in DIADIC && i + 1 < args.length) {
            setKeyword(st, DIADIC[a], args[++i]);
            continue;
        }
        if (a in UNARY) {
            setKeyword(st, UNARY[a], "true");
            continue;
        }
        const eq = a.indexOf("=");
        if (eq >= 0 && setKeyword(st, a.slice(0, eq), a.slice(eq + 1))) continue;
        rest.push(a);
    }
    return rest;
}

/** XE_EXTRA_ARGS: comma-separated key=value, "\," escaping a comma. */
function extraArgs(env: NodeJS.ProcessEnv): string[] {
    const raw = env.XE_EXTRA_ARGS ?? "";
    return raw === "" ? [] : raw.split(/(?<!\\),/).filter((s) => s !== "").map((s) => s.replace(/\\/g, ""));
}

/** ~/.xe: key=value lines. */
function rcArgs(env: NodeJS.ProcessEnv): string[] {
    const home = env.HOME;
    if (!home) return [];
    try {
        return fs.readFileSync(path.join(home, ".xe"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l.includes("="));
    } catch {
        return [];
    }
}

export function parseClient(argv: string[], env: NodeJS.ProcessEnv, modern: boolean): ClientResult {
    if (argv.includes("-version")) return { kind: "version", text: "ThinCLI protocol: 0.2\n" };
    const st: ClientState = { username: "root", password: "null", passwordFile: "", portError: false };
    const rcRest = processArgs(st, rcArgs(env));
    const extraRest = processArgs(st, extraArgs(env));
    const help = argv.some((a) => a === "-help" || a === "--help");
    const rest = processArgs(st, argv);
    const portMsg = st.portError ? "Port number must be an integer (0-65535)\n" : "";
    if (portMsg || help) return { kind: "usage", stderr: portMsg + usageText(modern) };
    if (st.passwordFile) {
        try {
            const [u, p] = fs.readFileSync(st.passwordFile, "utf8").split("\n");
            st.username = u ?? st.username;
            st.password = p ?? st.password;
        } catch {
            /* newcli reads it later and fails on connect; a local host ignores credentials */
        }
    }
    const args = [...rest, ...extraRest, ...rcRest];
    if (args.length === 0) return { kind: "usage", stderr: usageText(modern) };
    return { kind: "send", args: [...args, `username=${st.username}`, `password=${st.password}`] };
}
