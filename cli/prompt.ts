/**
 * Asking a person for a password on the terminal, the way ssh does ("root@host's password: "):
 * nothing is echoed, Enter ends it, Ctrl-C interrupts (exit 130), Ctrl-D on an empty line gives
 * up. Only used when stdin is a terminal; scripts give --password-file instead.
 */
import { EXIT } from "./exit";
import { CliError } from "./errors";

export interface PromptIO {
    stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
    /** Where the prompt is written (stderr, so stdout stays clean for --json). */
    stderr: NodeJS.WritableStream;
}

/** Whether a password can be asked for. */
export function canPrompt(io: { stdin?: PromptIO["stdin"] }): io is PromptIO {
    return io.stdin?.isTTY === true && typeof io.stdin.setRawMode === "function";
}

/** Reads one line without echo. Rejects with CliError (exit 130) on Ctrl-C, (exit 2) on end of input. */
export function promptSecret(io: PromptIO, prompt: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const { stdin } = io;
        let value = "";
        // Echo off before the prompt shows: whatever is typed after it is never echoed.
        stdin.setRawMode?.(true);
        stdin.resume();
        io.stderr.write(prompt);
        const finish = (err?: Error) => {
            stdin.off("data", onData);
            stdin.setRawMode?.(false);
            stdin.pause();
            io.stderr.write("\n");
            if (err) reject(err);
            else resolve(value);
        };
        const onData = (chunk: Buffer | string) => {
            for (const ch of chunk.toString("utf8")) {
                if (ch === "\r" || ch === "\n") return finish();
                if (ch === "\u0003") return finish(new CliError("interrupted at the password prompt", { exitCode: EXIT.INTERRUPTED }));
                if (ch === "\u0004" && value === "") return finish(new CliError("no password given (end of input at the password prompt)", { exitCode: EXIT.USAGE }));
                if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
                else if (ch === "\u0015") value = ""; // Ctrl-U clears the line, as in ssh
                else if (ch >= " ") value += ch;
            }
        };
        stdin.on("data", onData);
    });
}
