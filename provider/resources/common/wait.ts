/**
 * Polling with a deadline. Every wait names its phase and what it waits for, and its timeout error
 * says both plus how to look (e.g. the VM's console), so a stuck install is never a silent hang:
 * Pulumi's customTimeouts do not reach dynamic providers (pulumi-dynamic-providers.md §5).
 */
import { formatDuration, PhaseClock } from "./progress";

export class PhaseTimeoutError extends Error {
    override name = "PhaseTimeoutError";
    constructor(
        readonly resource: string,
        readonly phase: string,
        /** What was awaited, e.g. "VM 1234… to power off (the installer powers it off when it is done)". */
        readonly waitingFor: string,
        readonly timeoutMs: number,
        /** How to look at what is going on, e.g. a console command. */
        readonly hint: string | undefined,
    ) {
        super(`${resource}: phase "${phase}" timed out after ${formatDuration(timeoutMs)} waiting for ${waitingFor}${hint ? `\n${hint}` : ""}`);
    }
}

export interface WaitOptions {
    clock: PhaseClock;
    /** What is awaited, in user terms. */
    waitingFor: string;
    timeoutMs: number;
    /** Shown with the timeout error. @default none */
    hint?: string;
    /** First poll interval; each next one is 1.5× longer up to maxPollMs. @default 250 */
    initialPollMs?: number;
    /** @default 10000 */
    maxPollMs?: number;
    /** A progress line at most this often while waiting. @default 60000 */
    heartbeatMs?: number;
}

/**
 * Calls `probe` until it returns a value other than undefined, backing off between calls, and
 * throws PhaseTimeoutError when `timeoutMs` has passed. Errors from `probe` end the wait.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    let interval = options.initialPollMs ?? 250;
    const maxPoll = options.maxPollMs ?? 10_000;
    const heartbeat = options.heartbeatMs ?? 60_000;
    let lastBeat = started;
    for (;;) {
        const result = await probe();
        if (result !== undefined) return result;
        const now = Date.now();
        if (now >= deadline) {
            throw new PhaseTimeoutError(options.clock.resource, options.clock.phase, options.waitingFor, options.timeoutMs, options.hint);
        }
        if (now - lastBeat >= heartbeat) {
            lastBeat = now;
            options.clock.report(`still waiting for ${options.waitingFor}; ${formatDuration(now - started)} so far, deadline in ${formatDuration(deadline - now)}`);
        }
        await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - now))));
        interval = Math.min(maxPoll, interval * 1.5);
    }
}
