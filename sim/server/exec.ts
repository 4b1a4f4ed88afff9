/**
 * One `exec` (or `shell`) session of the simulated host: `/bin/sh -c <command>` as the current
 * user on the real file system (the simulated dom0's), with the simulator's `sim/bin` first on
 * PATH, wired to the SSH channel like sshd does: stdin, stdout, stderr, the exit status or the
 * signal that killed it, and signals from the client.
 *
 * Fault injection: the child gets one extra pipe on fd 3, named by XE_SIM_CONTROL_FD. Any process
 * of the session (xe, when a drop-connection fault fires) writes `drop\n` to it and the server
 * destroys this client's TCP connection at once, as a network failure would.
 *
 * The command runs in its own process group; when the channel closes (the client went away or the
 * connection dropped), the group gets SIGHUP, then SIGKILL if it is still there 2 s later.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as os from "node:os";
import type { ServerChannel } from "ssh2";
import { CONTROL_FD_ENV } from "../faults";

export const CONTROL_FD = 3;
const KILL_GRACE_MS = 2000;

export interface ExecEnvironment {
    /** PATH for the session (sim/bin first). */
    path: string;
    home: string;
    stateDir: string;
    stateDirEnv: string;
}

export interface ExecSession {
    /** Delivers a client `signal` request ("TERM", "INT", …) to the process group. */
    signal(name: string): boolean;
}

export function startExec(channel: ServerChannel, command: string | null, env: ExecEnvironment, onDrop: () => void, log: (line: string) => void): ExecSession {
    const user = os.userInfo().username;
    const child = spawn("/bin/sh", command === null ? [] : ["-c", command], {
        cwd: env.home,
        env: {
            PATH: env.path,
            HOME: env.home,
            USER: user,
            LOGNAME: user,
            SHELL: "/bin/sh",
            LANG: "C.UTF-8",
            [env.stateDirEnv]: env.stateDir,
            [CONTROL_FD_ENV]: String(CONTROL_FD),
        },
        stdio: ["pipe", "pipe", "pipe", "pipe"],
        detached: true, // its own process group, so the whole session can be signalled
    });
    let exited = false;
    let pendingStreams = 2;
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = () => {
        if (!exitInfo || pendingStreams > 0) return;
        if (exitInfo.signal) channel.exit(exitInfo.signal.replace(/^SIG/, ""), false, "");
        else channel.exit(exitInfo.code ?? 255);
        channel.end();
    };

    child.stdin?.on("error", () => { /* the command closed its stdin early: EPIPE is not an error for the session */ });
    if (child.stdin) channel.pipe(child.stdin); // with backpressure; the client's EOF closes stdin
    for (const [stream, target] of [[child.stdout, channel], [child.stderr, channel.stderr]] as const) {
        stream?.pipe(target, { end: false });
        stream?.on("end", () => { pendingStreams--; finish(); });
    }
    watchControl(child, onDrop, log);
    child.on("error", (err) => {
        log(`exec: cannot start /bin/sh: ${err.message}`);
        channel.stderr.write(`vh sim: cannot start /bin/sh: ${err.message}\n`);
        exitInfo = { code: 127, signal: null };
        pendingStreams = 0;
        finish();
    });
    child.on("exit", (code, signal) => {
        exited = true;
        exitInfo = { code, signal };
        finish();
    });
    channel.on("close", () => {
        if (exited || child.pid === undefined) return;
        killGroup(child.pid, "SIGHUP");
        setTimeout(() => { if (!exited && child.pid !== undefined) killGroup(child.pid, "SIGKILL"); }, KILL_GRACE_MS).unref();
    });
    return {
        signal: (name) => {
            if (exited || child.pid === undefined || !/^[A-Z0-9]+$/.test(name)) return false;
            return killGroup(child.pid, `SIG${name}` as NodeJS.Signals);
        },
    };
}

/** Reads control lines from fd 3; `drop` destroys the connection. */
function watchControl(child: ChildProcess, onDrop: () => void, log: (line: string) => void): void {
    const control = child.stdio[CONTROL_FD] as NodeJS.ReadableStream | null;
    if (!control) return;
    let buffered = "";
    control.on("data", (d: Buffer) => {
        buffered += d.toString("utf8");
        let nl: number;
        while ((nl = buffered.indexOf("\n")) !== -1) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line === "drop") onDrop();
            else if (line !== "") log(`exec: unknown control line on fd ${CONTROL_FD}: ${JSON.stringify(line)}`);
        }
    });
    control.on("error", () => { /* the pipe breaks when the connection is dropped: nothing to report */ });
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
    try {
        process.kill(-pid, signal);
        return true;
    } catch {
        return false; // the group is already gone
    }
}
