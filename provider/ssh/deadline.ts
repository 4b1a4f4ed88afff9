/** Small waiting helpers: every wait in the SSH layer has a deadline. */

/** Sleeps `ms`, but never past `deadline` (a Date.now() value). */
export function sleepUntil(ms: number, deadline: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, Math.min(ms, deadline - Date.now()))));
}

/** Settles like `promise`, or rejects with `onTimeout()` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
        promise,
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), ms); }),
    ]).finally(() => clearTimeout(timer));
}
