#!/usr/bin/env node
/**
 * `vh`: the command-line face of virtual-hypervisor. It only dispatches to cli/commands/* and turns
 * errors into one clear sentence plus the detail, with the exit codes of cli/exit.ts. SSH
 * connections are closed when a command ends (else the pool would keep the process alive for its
 * idle timeout), and an interrupt says what may be left on the host and exits 130.
 */
import { closeAll } from "../provider/ssh/pool";
import { COMMANDS } from "./commands/index";
import type { CliIO } from "./commands/types";
import { reportFailure } from "./errors";
import { EXIT, UsageError } from "./exit";
import { interruptHint } from "./interrupt";

function help(): string {
    const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
    const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
    return ["usage: vh <command> [options]", "", "commands:", ...lines, "", "Run `vh <command> --help` for a command's options."].join("\n") + "\n";
}

export async function main(argv: string[], io: CliIO): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
        (name === undefined ? io.stderr : io.stdout).write(help());
        return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
        io.stderr.write(`vh: unknown command ${JSON.stringify(name)}\n\n${help()}`);
        return EXIT.USAGE;
    }
    if (rest.includes("--help")) {
        io.stdout.write(command.usage.endsWith("\n") ? command.usage : command.usage + "\n");
        return EXIT.OK;
    }
    try {
        return await command.run(rest, io);
    } catch (err) {
        if (err instanceof UsageError) {
            io.stderr.write(`vh ${name}: ${err.message}\n\n${command.usage}${command.usage.endsWith("\n") ? "" : "\n"}`);
            return EXIT.USAGE;
        }
        return reportFailure(name, err, io, rest.includes("--json"));
    } finally {
        await closeAll();
    }
}

/** On SIGINT/SIGTERM: say what may be left, close connections, exit 130 (a second signal exits at once). */
function onInterrupt(command: string): void {
    let interrupted = false;
    const handler = (signal: NodeJS.Signals) => {
        if (interrupted) process.exit(EXIT.INTERRUPTED);
        interrupted = true;
        const hint = interruptHint();
        process.stderr.write(`\nvh ${command}: interrupted (${signal})${hint ? `; ${hint}` : ""}\n`);
        const timer = setTimeout(() => process.exit(EXIT.INTERRUPTED), 2000);
        void closeAll().finally(() => {
            clearTimeout(timer);
            process.exit(EXIT.INTERRUPTED);
        });
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
}

if (require.main === module) {
    const io: CliIO = {
        stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
        // Lazily: touching process.stdin opens it, which only a password prompt needs.
        get stdin() { return process.stdin; },
    };
    const name = process.argv[2];
    const command = COMMANDS.find((c) => c.name === name);
    if (command && !command.handlesSignals) onInterrupt(name);
    // Until main() answers, a drained event loop (a promise nobody resolves) must not pass as success.
    process.exitCode = EXIT.FAILED;
    main(process.argv.slice(2), io).then(
        (code) => { process.exitCode = code; },
        (err) => {
            process.stderr.write(`vh: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = EXIT.FAILED;
        },
    );
}
