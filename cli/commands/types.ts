/**
 * The shape every `vh` sub-command implements. Commands live one per file in cli/commands/ and are
 * listed in cli/commands/index.ts; cli/vh.ts only dispatches and maps errors to exit codes.
 */

/** Where a command writes. Tests pass buffers; the real CLI passes the process streams. */
export interface CliIO {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
    cwd: string;
    /** Where a password prompt reads (only when it is a terminal). @default - no prompting */
    stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
}

export interface Command {
    /** The word after `vh`, e.g. "answerfile". Multi-word commands ("network create") dispatch inside. */
    name: string;
    /** One line for `vh --help`. */
    summary: string;
    /** Full usage text printed by `vh <name> --help` and on a usage error. */
    usage: string;
    /**
     * The command handles SIGINT/SIGTERM itself (`vh sim` stops its server cleanly); otherwise
     * cli/vh.ts prints the interrupt hint and exits 130. @default false
     */
    handlesSignals?: boolean;
    /** Runs the command; resolves to the process exit code (see EXIT in cli/exit.ts). */
    run(argv: string[], io: CliIO): Promise<number>;
}
