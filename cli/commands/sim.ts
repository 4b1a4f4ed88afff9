/**
 * `vh sim`: runs a simulated XenServer host in the foreground: its state directory initialised
 * (or loaded) through the xe core's ensureHost(), and the SSH front of sim/server listening. The
 * first line on stdout is the JSON connection record; everything after goes to stderr.
 */
import * as path from "node:path";
import { EXIT, UsageError } from "../exit";
import { numberOption } from "../options";
import type { Command, CliIO } from "./types";
import { DEFAULT_SETTINGS, ensureHost, resolveProduct, SimSettings, SimSettingsError } from "../../sim/index";
import { startSimServer } from "../../sim/server/index";
import { ensureToolbox, SimToolboxError, Toolbox } from "../simToolbox";

export const SIM_USAGE = `usage: vh sim --state-dir DIR [--port N] [--host ADDR] [--product-version V] [--install-seconds S] [--first-boot-seconds S] [--toolbox NAME]

Runs a simulated XenServer host in the foreground: an SSH server (user root, password or key)
whose commands run on this machine with the simulator's xe first on PATH. Needs no root.

The first line on stdout is one JSON object:
  {"host","port","user","password","privateKeyPath","hostKeySha256"}
(hostKeySha256 as \`ssh-keygen -lf\` prints it; with --toolbox also "toolbox": {"name","uuid"});
logs follow on stderr. SIGTERM or SIGINT stops it cleanly (exit 0). DIR keeps the host key,
the client key pair, the password and the host's state, so a restarted simulator is the same host.

options:
  --state-dir DIR           state directory, created if missing (required)
  --port N                  TCP port to listen on; 0 picks a free one (default 0)
  --host ADDR               address to listen on (default 127.0.0.1)
  --product-version V       product to impersonate: 7.1, 8.2, 8.3, 8.4 or a product id
                            (default xenserver-8.4); used when DIR is first initialised
  --install-seconds S       how long an unattended install runs (default ${DEFAULT_SETTINGS.installSeconds})
  --first-boot-seconds S    how long an installed host's first boot takes (default ${DEFAULT_SETTINGS.firstBootSeconds})
  --toolbox NAME            also have a running VM named NAME with PV drivers and a NIC on the
                            management network, ready to be a lab's gateway (made once, kept in DIR)
`;

export interface SimArgs {
    stateDir: string;
    port: number;
    host: string;
    settings: Partial<SimSettings>;
    /** Name of the toolbox VM to make sure of. @default - none */
    toolbox?: string;
}

export function parseSimArgs(argv: string[], cwd: string): SimArgs {
    const values = new Map<string, string>();
    const known = ["--state-dir", "--port", "--host", "--product-version", "--install-seconds", "--first-boot-seconds", "--toolbox"];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const eq = arg.indexOf("=");
        const name = eq === -1 ? arg : arg.slice(0, eq);
        if (!known.includes(name)) throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
        const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        values.set(name, value);
    }
    const stateDir = values.get("--state-dir");
    if (!stateDir) throw new UsageError("--state-dir is required");
    const settings: Partial<SimSettings> = {};
    const product = values.get("--product-version");
    if (product !== undefined) {
        try {
            settings.product = resolveProduct(product).id;
        } catch (err) {
            throw new UsageError(`--product-version: ${(err as Error).message}`);
        }
    }
    if (values.has("--install-seconds")) settings.installSeconds = numberOption(values.get("--install-seconds"), "--install-seconds", { min: 0, max: 86_400 });
    if (values.has("--first-boot-seconds")) settings.firstBootSeconds = numberOption(values.get("--first-boot-seconds"), "--first-boot-seconds", { min: 0, max: 86_400 });
    const toolbox = values.get("--toolbox");
    if (toolbox !== undefined && (toolbox.trim() === "" || /[\0\n\r]/.test(toolbox))) throw new UsageError(`--toolbox must be a one-line VM name, got ${JSON.stringify(toolbox)}`);
    return {
        stateDir: path.resolve(cwd, stateDir),
        port: numberOption(values.get("--port"), "--port", { min: 0, max: 65_535, integer: true }) ?? 0,
        host: values.get("--host") ?? "127.0.0.1",
        settings,
        ...(toolbox !== undefined ? { toolbox } : {}),
    };
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const args = parseSimArgs(argv, io.cwd);
    const log = (line: string) => io.stderr.write(`vh sim: ${line}\n`);
    let settings: SimSettings;
    try {
        // A new state directory gets the flags over the defaults; an existing host keeps its own.
        settings = ensureHost(args.stateDir, args.settings);
    } catch (err) {
        if (!(err instanceof SimSettingsError)) throw err;
        io.stderr.write(`vh sim: ${err.message}\n`);
        return EXIT.USAGE;
    }
    log(`host ${settings.hostname}: ${settings.product}, installs take ${settings.installSeconds} s, first boots ${settings.firstBootSeconds} s`);
    let toolbox: Toolbox | undefined;
    if (args.toolbox !== undefined) {
        try {
            toolbox = ensureToolbox(args.stateDir, args.toolbox);
        } catch (err) {
            if (!(err instanceof SimToolboxError)) throw err;
            io.stderr.write(`vh sim: ${err.message}\n`);
            return EXIT.FAILED;
        }
        log(`toolbox ${toolbox.name} (${toolbox.uuid}) ${toolbox.created ? "made" : "found"}: running, PV drivers, NIC on the management network`);
    }
    const server = await startSimServer({ stateDir: args.stateDir, host: args.host, port: args.port, log });
    // Handlers go in before the connection line is printed: a client may signal as soon as it reads it.
    const stopped = new Promise<number>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
            process.off("SIGTERM", stop);
            process.off("SIGINT", stop);
            log(`${signal}: stopping`);
            server.close().then(() => resolve(EXIT.OK), (err: Error) => {
                log(`error while stopping: ${err.message}`);
                resolve(EXIT.FAILED);
            });
        };
        process.on("SIGTERM", stop);
        process.on("SIGINT", stop);
    });
    io.stdout.write(JSON.stringify(toolbox ? { ...server.info, toolbox: { name: toolbox.name, uuid: toolbox.uuid } } : server.info) + "\n");
    return stopped;
}

export const simCommand: Command = {
    name: "sim",
    summary: "run a simulated XenServer host (SSH front + xe) in the foreground",
    usage: SIM_USAGE,
    handlesSignals: true,
    run,
};
