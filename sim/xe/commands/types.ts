/**
 * A command implementation: what runs once the frontend has parsed the line and checked the
 * required parameters. Most run synchronously under the state lock; a few (event-wait, the
 * vm-uninstall prompt) need to wait and drive the lock themselves through `Session`.
 */
import type { Ctx } from "../context";

export interface Session {
    /** Runs `fn` on the current state under the lock (advancing simulated time first); saves if `write`. */
    withState<T>(write: boolean, fn: (c: Ctx) => T): T;
    /** Reads one line from the invoking terminal's stdin (the thin client's Prompt). */
    readLine(): string;
    /** Sleeps the process (used between polls). */
    sleep(ms: number): void;
}

export interface Impl {
    /** Whether the command can change state (decides the call log's "writes" flag). */
    writes: boolean;
    run?(c: Ctx): void;
    /** Commands that wait run here instead, outside any single locked section. */
    session?(s: Session, params: Array<[string, string]>, minimal: boolean): void;
}

export type ImplTable = Record<string, Impl>;
