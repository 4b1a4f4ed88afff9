/**
 * Progress of long work (uploads, installs) for a person. On a terminal: every phase change is a
 * line that stays, and one status line below it is redrawn in place every second (upload bytes,
 * total and rate; the install phase and its elapsed time). Anywhere else (a log file, CI, a pipe):
 * plain lines, each starting with a UTC timestamp, and upload progress at most every few seconds.
 * Everything goes to stderr, so stdout keeps only the result (and --json stays parseable).
 */
import type { ProgressEvent } from "../provider/resources/common/progress";
import { formatDuration } from "../provider/resources/common/progress";
import { formatBytes } from "../provider/resources/remasteredIso/format";
import type { UploadProgress } from "../provider/ssh";

export interface Progress {
    /** A progress event of the shared resource code (install phases, ISO placement). */
    event(e: ProgressEvent): void;
    /** Upload progress of `name`. */
    upload(name: string, p: UploadProgress): void;
    /** A line worth keeping, e.g. "network home exists; reusing it". */
    note(text: string): void;
    /** Stops redrawing and clears the status line; later calls are ignored. */
    close(): void;
}

export interface ProgressOptions {
    /** Redraw in place (a terminal). @default - the stream's isTTY */
    tty?: boolean;
    /** Interval of status redraws on a terminal. @default 1000 */
    tickMs?: number;
    /** Shortest interval between two upload lines without a terminal. @default 5000 */
    plainUploadEveryMs?: number;
    /** Clock, for tests. @default () => new Date() */
    now?: () => Date;
}

/** "NestedHypervisor vh0" → "vh0", "RemasteredIso vh-1a2b.iso" → "ISO vh-1a2b.iso". */
export function displayName(resource: string): string {
    return resource.replace(/^NestedHypervisor /, "").replace(/^RemasteredIso /, "ISO ");
}

/** "2026-11-26T12:00:05Z". */
export function timestamp(d: Date): string {
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "12.0 MiB of 80.0 MiB (15%), 25.1 MiB/s". */
export function uploadLine(name: string, p: UploadProgress): string {
    const total = p.total !== undefined ? ` of ${formatBytes(p.total)}${p.total > 0 ? ` (${Math.floor((p.bytes / p.total) * 100)}%)` : ""}` : "";
    return `uploading ${name}: ${formatBytes(p.bytes)}${total}, ${formatBytes(Math.round(p.bytesPerSecond))}/s`;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: ProgressOptions = {}): Progress {
    return options.tty ?? stream.isTTY === true ? new TerminalProgress(stream, options) : new PlainProgress(stream, options);
}

class PlainProgress implements Progress {
    private closed = false;
    private lastUpload = 0;
    private readonly now: () => Date;

    constructor(private readonly stream: NodeJS.WritableStream, private readonly options: ProgressOptions) {
        this.now = options.now ?? (() => new Date());
    }

    private line(text: string): void {
        if (!this.closed) this.stream.write(`${timestamp(this.now())} ${text}\n`);
    }

    event(e: ProgressEvent): void {
        // The timestamp says when; the phase's age only matters once it is long.
        const age = e.phaseElapsedMs >= 10_000 ? ` (${formatDuration(e.phaseElapsedMs)} in phase)` : "";
        this.line(`${displayName(e.resource)}: [${e.phase}] ${e.message}${age}`);
    }

    upload(name: string, p: UploadProgress): void {
        const t = this.now().getTime();
        const finished = p.total !== undefined && p.bytes >= p.total;
        if (!finished && t - this.lastUpload < (this.options.plainUploadEveryMs ?? 5000)) return;
        this.lastUpload = t;
        this.line(uploadLine(name, p));
    }

    note(text: string): void {
        this.line(text);
    }

    close(): void {
        this.closed = true;
    }
}

class TerminalProgress implements Progress {
    private closed = false;
    private status = "";
    /** What the status line shows while no upload runs: the current phase and since when. */
    private phase?: { name: string; phase: string; since: number; started: number };
    private uploading?: string;
    private readonly timer: NodeJS.Timeout;

    constructor(private readonly stream: NodeJS.WritableStream, options: ProgressOptions) {
        this.timer = setInterval(() => this.redraw(), options.tickMs ?? 1000);
        this.timer.unref();
    }

    private render(): string {
        if (this.uploading) return this.uploading;
        if (!this.phase) return "";
        const t = Date.now();
        return `${this.phase.name}: ${this.phase.phase}, ${formatDuration(t - this.phase.since)} in phase, ${formatDuration(t - this.phase.started)} total`;
    }

    private redraw(): void {
        if (this.closed) return;
        const next = this.render();
        if (next === this.status) return;
        this.status = next;
        this.stream.write(`\r\x1b[2K${next}`);
    }

    /** A permanent line above the status line. */
    private keep(text: string): void {
        if (this.closed) return;
        this.stream.write(`\r\x1b[2K${text}\n`);
        this.status = "";
        this.redraw();
    }

    event(e: ProgressEvent): void {
        const name = displayName(e.resource);
        const now = Date.now();
        const changed = this.phase?.name !== name || this.phase.phase !== e.phase;
        this.phase = { name, phase: e.phase, since: now - e.phaseElapsedMs, started: now - e.elapsedMs };
        this.uploading = undefined;
        // Phase changes and their first message stay; heartbeats ("still waiting …") only redraw.
        if (changed || !/^still waiting/.test(e.message)) this.keep(`${name}: [${e.phase}] ${e.message}`);
        else this.redraw();
    }

    upload(name: string, p: UploadProgress): void {
        this.uploading = uploadLine(name, p);
        this.redraw();
        if (p.total !== undefined && p.bytes >= p.total) {
            this.uploading = undefined;
            this.keep(uploadLine(name, p));
        }
    }

    note(text: string): void {
        this.keep(text);
    }

    close(): void {
        if (this.closed) return;
        clearInterval(this.timer);
        if (this.status) this.stream.write("\r\x1b[2K");
        this.closed = true;
    }
}
