/**
 * Worker-thread entry of a file upload (see uploadThread.ts): builds its own session from the caller's
 * resolved connection arguments and runs the same uploadHere() the caller would have.
 */
import { parentPort, workerData } from "node:worker_threads";
import { closeAll, sessionFor } from "./pool";
import { uploadHere } from "./upload";
import { FromWorker, transferError, WorkerInput } from "./uploadThread";

const port = parentPort!;
const input = workerData as WorkerInput;
const post = (m: FromWorker) => port.postMessage(m);

async function main(): Promise<void> {
    const session = sessionFor(input.args, { log: (line) => post({ type: "log", line }) });
    try {
        const result = await uploadHere(session, input.file, input.remotePath, {
            ...input.options,
            onProgress: (progress) => post({ type: "progress", progress }),
        });
        await closeAll();
        post({ type: "done", result });
    } catch (err) {
        await closeAll().catch(() => undefined);
        post({ type: "failed", error: transferError(err) });
    }
}

void main();
