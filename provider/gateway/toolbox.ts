/**
 * The toolbox as the gateway code sees it: commands run as root (directly, or through
 * passwordless `sudo -n`), each with a deadline, each failure turned into a GatewayStepError that
 * names the step and carries the remote stderr. Compound commands run as `sh -c <script> sh
 * <args…>`: the script is constant program text of ours and every value is a positional argument
 * quoted by shellQuote (via sh``). File contents travel on stdin, never on a command line.
 */
import { argv, sh, ShellCommand } from "../shell";
import type { ExecResult, RunOptions } from "../ssh";
import { GatewayPrivilegeError, GatewayStepError } from "./errors";

/** What the gateway needs from a connection; provider/ssh's SshSession provides it. */
export interface GatewayTransport {
    readonly target: string;
    run(command: ShellCommand, options?: RunOptions): Promise<ExecResult>;
}

export interface StepOptions {
    /** Bytes for the command's stdin. @default empty */
    stdin?: string;
    /** Deadline of the command. @default 30000 */
    timeoutMs?: number;
}

export const STEP_TIMEOUT_MS = 30_000;

export class Toolbox {
    private constructor(
        private readonly transport: GatewayTransport,
        /** The login user (root, or a user with passwordless sudo). */
        readonly user: string,
        private readonly sudo: boolean,
    ) {}

    /** Checks that commands can run as root on the toolbox. */
    static async open(transport: GatewayTransport): Promise<Toolbox> {
        const who = await transport.run(sh`id -u; id -un`, { timeoutMs: STEP_TIMEOUT_MS, idempotent: true });
        const [uid, user = "?"] = who.stdout.trim().split("\n");
        if (who.exitCode !== 0) {
            throw new GatewayStepError("find out which user we are", transport.target, "id -u; id -un", who.exitCode, who.stderr);
        }
        if (uid === "0") return new Toolbox(transport, user, false);
        const sudo = await transport.run(sh`sudo -n true`, { timeoutMs: STEP_TIMEOUT_MS, idempotent: true });
        if (sudo.exitCode !== 0) {
            throw new GatewayPrivilegeError(transport.target, user, (sudo.stderr.trim() || `sudo -n true exited with ${sudo.exitCode}`).split("\n")[0]);
        }
        return new Toolbox(transport, user, true);
    }

    get target(): string {
        return this.transport.target;
    }

    private asRoot(command: ShellCommand): ShellCommand {
        return this.sudo ? sh`sudo -n ${command}` : command;
    }

    /** Runs a simple command (argv) as root; resolves whatever its exit status. */
    async exec(words: readonly string[], options: StepOptions = {}): Promise<ExecResult> {
        return this.run(argv(words), options);
    }

    /** Runs `sh -c <script> sh <args…>` as root; resolves whatever its exit status. */
    async script(script: string, args: readonly string[] = [], options: StepOptions = {}): Promise<ExecResult> {
        return this.run(argv(["sh", "-c", script, "sh", ...args]), options);
    }

    /** Like exec(), but throws GatewayStepError naming `step` unless the command exits 0. */
    async mustExec(step: string, words: readonly string[], options: StepOptions = {}): Promise<ExecResult> {
        return this.must(step, argv(words), options);
    }

    /** Like script(), but throws GatewayStepError naming `step` unless the command exits 0. */
    async mustScript(step: string, script: string, args: readonly string[] = [], options: StepOptions = {}): Promise<ExecResult> {
        return this.must(step, argv(["sh", "-c", script, "sh", ...args]), options);
    }

    /** A file's content, or undefined when it does not exist. */
    async readFile(path: string): Promise<string | undefined> {
        const r = await this.script('[ -e "$1" ] || exit 3; cat -- "$1"', [path]);
        if (r.exitCode === 3) return undefined;
        if (r.exitCode !== 0) throw new GatewayStepError(`read ${path}`, this.target, `cat -- ${path}`, r.exitCode, r.stderr);
        return r.stdout;
    }

    /** Writes a file atomically (temp file + rename) with the content sent on stdin. */
    async writeFile(path: string, content: string, mode = "644"): Promise<void> {
        await this.mustScript(`write ${path}`, 'umask 077 && cat > "$1.vh-new" && chmod "$2" "$1.vh-new" && mv -f "$1.vh-new" "$1"', [path, mode], { stdin: content });
    }

    /** Writes `content` unless the file already holds exactly that; says whether it wrote. */
    async syncFile(path: string, content: string, mode = "644"): Promise<boolean> {
        if ((await this.readFile(path)) === content) return false;
        await this.writeFile(path, content, mode);
        return true;
    }

    private async run(command: ShellCommand, options: StepOptions): Promise<ExecResult> {
        return this.transport.run(this.asRoot(command), { timeoutMs: options.timeoutMs ?? STEP_TIMEOUT_MS, stdin: options.stdin });
    }

    private async must(step: string, command: ShellCommand, options: StepOptions): Promise<ExecResult> {
        let result: ExecResult;
        try {
            result = await this.run(command, options);
        } catch (err) {
            throw new GatewayStepError(step, this.target, command.text, null, (err as Error).message, { cause: err });
        }
        if (result.exitCode !== 0) throw new GatewayStepError(step, this.target, command.text, result.exitCode, result.stderr || result.stdout);
        return result;
    }
}
