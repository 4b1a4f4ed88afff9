/**
 * An exclusive lock on a simulated host's state directory, shared by every `xe` process that acts
 * on it (a lab starts many in parallel). Node has no flock(2), so the lock is a file created with
 * O_EXCL that names its holder as "<pid> <process start time>".
 *
 * A holder that died (kill -9, crash) leaves its file behind; the next contender sees that the pid
 * is gone, or that the pid now belongs to another process (different start time in /proc), and
 * breaks the lock. Breaking goes through a second O_EXCL file so two contenders cannot both break
 * it and then delete each other's fresh lock.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const LOCK_FILE = "state.lock";

export class LockTimeoutError extends Error {
    constructor(
        readonly lockPath: string,
        readonly timeoutMs: number,
        readonly holder: string,
    ) {
        super(`timed out after ${timeoutMs} ms waiting for the simulator state lock ${lockPath} (held by ${holder || "an unknown process"})`);
        this.name = "LockTimeoutError";
    }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread; the xe process is single-purpose and synchronous while it holds state. */
export function sleepSync(ms: number): void {
    Atomics.wait(sleeper, 0, 0, ms);
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat), or null if gone. */
function processStartTime(pid: number): string | null {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[19] ?? null;
    } catch {
        return null;
    }
}

function holderIdentity(): string {
    return `${process.pid} ${processStartTime(process.pid) ?? "?"}`;
}

/** True when the process named in a lock file no longer exists (or its pid was reused). */
export function isHolderDead(content: string): boolean {
    const [pidText, start] = content.trim().split(" ");
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0) return true;
    const current = processStartTime(pid);
    if (current === null) {
        try {
            process.kill(pid, 0);
            return false;
        } catch (err) {
            return (err as NodeJS.ErrnoException).code === "ESRCH";
        }
    }
    return start !== undefined && start !== "?" && start !== current;
}

function readOrEmpty(file: string): string | null {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
    }
}

/**
 * Creates `file` holding `content`, atomically: the content is written to a private temp file
 * that is then hard-linked into place (link(2) fails if the name exists). A plain O_EXCL create
 * would let a contender read the file empty, between create and write, and judge it stale.
 */
function tryCreate(file: string, content: string): boolean {
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    fs.writeFileSync(tmp, content);
    try {
        fs.linkSync(tmp, file);
        return true;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
        throw err;
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}

/** Removes the lock at `file` if its holder is dead; serialised by a breaker file. */
function breakIfStale(file: string, seen: string): void {
    const breaker = `${file}.break`;
    const me = holderIdentity();
    if (!tryCreate(breaker, me)) {
        // Another contender is breaking it; a breaker left by a dead process is itself stale.
        const other = readOrEmpty(breaker);
        if (other !== null && isHolderDead(other)) fs.rmSync(breaker, { force: true });
        return;
    }
    try {
        // Re-read under the breaker: only delete the exact dead holder's lock we judged.
        if (readOrEmpty(file) === seen && isHolderDead(seen)) fs.rmSync(file, { force: true });
    } finally {
        fs.rmSync(breaker, { force: true });
    }
}

export interface LockOptions {
    /** How long to wait for the lock before failing. @default 30000 */
    timeoutMs?: number;
}

/** Runs `fn` holding the state directory's lock; always releases it. */
export function withLock<T>(stateDir: string, fn: () => T, options: LockOptions = {}): T {
    const file = path.join(stateDir, LOCK_FILE);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const me = holderIdentity();
    const deadline = Date.now() + timeoutMs;
    let wait = 1;
    while (!tryCreate(file, me)) {
        const seen = readOrEmpty(file);
        if (seen !== null && isHolderDead(seen)) {
            breakIfStale(file, seen);
            continue;
        }
        if (Date.now() > deadline) throw new LockTimeoutError(file, timeoutMs, seen?.trim() ?? "");
        sleepSync(wait);
        wait = Math.min(wait * 2, 20);
    }
    try {
        return fn();
    } finally {
        // Only remove our own lock (a breaker may, in theory, have judged us dead after pid reuse).
        if (readOrEmpty(file) === me) fs.rmSync(file, { force: true });
    }
}
