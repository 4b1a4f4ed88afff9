/**
 * Progress of long operations. Implementations report events to an optional callback (the CLI
 * renders them its own way); the resources print them with console.log, which the Pulumi engine
 * shows as diagnostics of the provider (pulumi-dynamic-providers.md §5).
 */

export interface ProgressEvent {
    /** "NestedHypervisor vh0", "RemasteredIso vh-1a2b….iso". */
    resource: string;
    /** The phase, e.g. "install (Step 2 of 3)". */
    phase: string;
    /** One line for a person. */
    message: string;
    /** Since the operation started. */
    elapsedMs: number;
    /** Since the phase started. */
    phaseElapsedMs: number;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/** "850ms", "12.3s", "4m05s", "1h02m". */
export function formatDuration(ms: number): string {
    if (ms < 1000) return `${Math.round(ms)}ms`;
    const s = ms / 1000;
    if (s < 60) return `${s.toFixed(1)}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** The line a resource prints for an event. */
export function formatProgress(e: ProgressEvent): string {
    return `${e.resource}: [${e.phase}] ${e.message} (${formatDuration(e.phaseElapsedMs)} in phase, ${formatDuration(e.elapsedMs)} total)`;
}

/** The resources' default: one console.log line per event. */
export const consoleProgress: ProgressCallback = (e) => console.log(formatProgress(e));

/** Tracks the current phase of one operation and stamps events with elapsed times. */
export class PhaseClock {
    private readonly started = Date.now();
    private phaseStarted = Date.now();
    private current = "start";

    constructor(readonly resource: string, private readonly progress: ProgressCallback | undefined) {}

    get phase(): string {
        return this.current;
    }

    get elapsedMs(): number {
        return Date.now() - this.started;
    }

    get phaseElapsedMs(): number {
        return Date.now() - this.phaseStarted;
    }

    /** Enters a phase and reports it. */
    enter(phase: string, message: string): void {
        this.current = phase;
        this.phaseStarted = Date.now();
        this.report(message);
    }

    report(message: string): void {
        if (!this.progress) return;
        try {
            this.progress({ resource: this.resource, phase: this.current, message, elapsedMs: this.elapsedMs, phaseElapsedMs: this.phaseElapsedMs });
        } catch {
            // A broken progress renderer must not fail the operation.
        }
    }
}
