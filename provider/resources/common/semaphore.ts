/**
 * Per-host limits and locks inside one provider process. The dynamic-provider host serves every
 * resource of a deployment from one process (pulumi-dynamic-providers.md §1.3), so a module-level
 * map keyed by host coordinates them: at most maxParallelInstalls nested installs per host ("2 by
 * 2", xen-orchestra#2159), and one create/delete at a time per ISO library.
 */

interface Waiter {
    limit: number;
    resolve: () => void;
}

interface Pool {
    active: number;
    waiting: Waiter[];
}

const pools = new Map<string, Pool>();

function pump(key: string, pool: Pool): void {
    // Each waiter brings its own limit: it runs when fewer than that many are active.
    while (pool.waiting.length && pool.active < pool.waiting[0].limit) {
        pool.active++;
        pool.waiting.shift()!.resolve();
    }
    if (pool.active === 0 && pool.waiting.length === 0) pools.delete(key);
}

/**
 * Runs `fn` once fewer than `limit` holders of `key` are running. `onQueued` is called when the
 * caller has to wait (to report it).
 */
export async function withSlot<T>(key: string, limit: number, fn: () => Promise<T>, onQueued?: (active: number) => void): Promise<T> {
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { active: 0, waiting: [] }));
    const p = pool;
    if (p.waiting.length === 0 && p.active < Math.max(1, limit)) {
        p.active++;
    } else {
        onQueued?.(p.active);
        // pump() counts the slot as taken before it resolves.
        await new Promise<void>((resolve) => p.waiting.push({ limit: Math.max(1, limit), resolve }));
    }
    try {
        return await fn();
    } finally {
        p.active--;
        pump(key, p);
    }
}

/** A mutex: withSlot with a limit of 1. */
export function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withSlot(`lock:${key}`, 1, fn);
}
