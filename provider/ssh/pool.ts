/**
 * The process-wide connection pool: one SshSession per (host, port, user, jump, credentials, host
 * key pins), so every call of a process to the same host shares one connection. Connections are
 * closed by closeAll(), when idle, and at process exit.
 */
import { ConnectionArgs, resolveConnectionArgs, ResolvedConnectionArgs } from "./args";
import { SessionOptions, SshSession } from "./session";

const sessions = new Map<string, SshSession>();
let exitHookInstalled = false;

/**
 * The shared session for `args` (created on first use; connecting happens lazily on the first
 * call). Throws ConnectionArgsError listing every problem with `args`.
 *
 * @param options used only when the session is created (the first caller's logger wins)
 */
export function getSession(args: ConnectionArgs, options: SessionOptions = {}): SshSession {
    return sessionFor(resolveConnectionArgs(args), options);
}

/** The shared session for already resolved arguments (a worker thread rebuilding its caller's session). */
export function sessionFor(resolved: ResolvedConnectionArgs, options: SessionOptions = {}): SshSession {
    const existing = sessions.get(resolved.poolKey);
    if (existing) return existing;
    const jump = resolved.jump ? sessionFor(resolved.jump, options) : undefined;
    const session = new SshSession(resolved, options, jump);
    sessions.set(resolved.poolKey, session);
    installExitHook();
    return session;
}

/** Closes every pooled connection and forgets the sessions (later calls start new ones). */
export async function closeAll(): Promise<void> {
    const all = [...sessions.values()];
    sessions.clear();
    // Targets first: closing a jump first would drop the tunnels under them.
    const targets = all.filter((s) => !all.some((t) => t !== s && isJumpOf(s, t)));
    await Promise.all(targets.map((s) => s.close()));
    await Promise.all(all.map((s) => s.close()));
}

function isJumpOf(candidate: SshSession, of: SshSession): boolean {
    return of.args.jump?.poolKey === candidate.args.poolKey;
}

function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    // 'exit' handlers cannot wait, so connections are torn down at once; the kernel closes the
    // sockets cleanly and sshd ends the sessions.
    process.once("exit", () => {
        for (const s of sessions.values()) s.destroy();
        sessions.clear();
    });
}
