/**
 * Where a host command writes: the result on stdout (text for people, or with --json exactly one
 * JSON document), progress and SSH notices on stderr through one Progress, so a terminal's status
 * line is never torn by a stray log line.
 */
import type { CliIO } from "./commands/types";
import { createProgress, Progress } from "./progress";

export interface Output {
    json: boolean;
    progress: Progress;
    /** A notice (SSH dial retries, warnings) as a progress line. */
    log(line: string): void;
    /** The human result (ignored with --json). */
    text(text: string): void;
    /** The --json result (ignored without --json). */
    result(value: unknown): void;
    /** Ends progress output; call before returning. */
    close(): void;
}

export function createOutput(io: CliIO, command: string, json: boolean): Output {
    const progress = createProgress(io.stderr);
    return {
        json,
        progress,
        log: (line) => progress.note(`vh ${command}: ${line}`),
        text: (text) => {
            if (json) return;
            progress.close();
            io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
        },
        result: (value) => {
            if (!json) return;
            progress.close();
            io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        },
        close: () => progress.close(),
    };
}
