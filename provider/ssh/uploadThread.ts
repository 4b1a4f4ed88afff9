/**
 * The caller's side of a file upload on a worker thread (uploadWorker.ts runs the same
 * uploadHere() there, on its own connection). Progress and log lines come back; a failure comes
 * back as the same typed error.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { ResolvedConnectionArgs } from "./args";
import * as errors from "./errors";
import type { SshSession } from "./session";
import type { UploadOptions, UploadProgress, UploadResult } from "./upload";

/** What the worker is given (structured-cloned: no functions). */
export interface WorkerInput {
    args: ResolvedConnectionArgs;
    remotePath: string;
    /** The local file to send. */
    file: string;
    options: Omit<UploadOptions, "onProgress" | "thread">;
}

/** Worker → caller. */
export type FromWorker =
    | { type: "progress"; progress: UploadProgress }
    | { type: "log"; line: string }
    | { type: "done"; result: UploadResult }
    | { type: "failed"; error: TransferredError };

export interface TransferredError {
    name: string;
    message: string;
    stack?: string;
    /** Own enumerable fields (code, target, remotePath, …), JSON-safe. */
    fields: Record<string, unknown>;
    cause?: TransferredError;
}

export function uploadOnWorker(session: SshSession, file: string, remotePath: string, options: UploadOptions): Promise<UploadResult> {
    const { onProgress, thread: _thread, ...rest } = options;
    const input: WorkerInput = { args: session.args, remotePath, file, options: rest };
    const worker = new Worker(path.join(__dirname, "uploadWorker.js"), { workerData: input });
    return new Promise<UploadResult>((resolve, reject) => {
        let settled = false;
        const settle = (fn: () => void) => {
            if (settled) return;
            settled = true;
            void worker.terminate();
            fn();
        };
        worker.on("message", (m: FromWorker) => {
            switch (m.type) {
                case "progress": onProgress?.(m.progress); break;
                case "log": session.log(m.line); break;
                case "done": settle(() => resolve(m.result)); break;
                case "failed": settle(() => reject(rebuildError(m.error))); break;
            }
        });
        worker.on("error", (err) => settle(() => reject(new errors.UploadError(session.target, remotePath, `the upload thread failed: ${err.message}`, { cause: err }))));
        worker.on("exit", (code) => settle(() => reject(new errors.UploadError(session.target, remotePath, `the upload thread exited (code ${code}) before it finished`))));
    });
}

export function transferError(err: unknown, depth = 0): TransferredError {
    if (!(err instanceof Error)) return { name: "Error", message: String(err), fields: {} };
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(err)) {
        try {
            fields[key] = JSON.parse(JSON.stringify(value) ?? "null");
        } catch {
            // not JSON-safe (a socket, a function): dropped
        }
    }
    const cause = depth < 3 && err.cause !== undefined ? transferError(err.cause, depth + 1) : undefined;
    return { name: err.name, message: err.message, stack: err.stack, fields, cause };
}

/**
 * The error as the worker threw it: an error class of this layer (errors.ts, looked up by its
 * name, which is the class name) keeps its class, so `instanceof` and `code` work; fields and
 * message are the worker's.
 */
export function rebuildError(t: TransferredError): Error {
    const cls = (errors as Record<string, unknown>)[t.name];
    const ours = typeof cls === "function" && cls.prototype instanceof errors.SshError;
    const err: Error = ours ? Object.create(cls.prototype) : new Error(t.message);
    Object.assign(err, t.fields);
    Object.defineProperty(err, "message", { value: t.message, writable: true, configurable: true });
    if (t.stack) Object.defineProperty(err, "stack", { value: t.stack, writable: true, configurable: true });
    if (t.cause) Object.defineProperty(err, "cause", { value: rebuildError(t.cause), writable: true, configurable: true });
    return err;
}
