/**
 * SHA-256 of a local file on a worker thread (`vh install` names an ISO by its content before it
 * asks the host for it): ~0.4 s of CPU per 700 MB that the caller's event loop does not wait on.
 */
import { Worker } from "node:worker_threads";

// Plain JS for `eval: true`: the worker needs nothing from this package.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");
const fs = require("node:fs");
const hash = crypto.createHash("sha256");
fs.createReadStream(workerData.file, { highWaterMark: 1 << 20 })
    .on("data", (chunk) => hash.update(chunk))
    .on("error", (err) => parentPort.postMessage({ error: err.message }))
    .on("end", () => parentPort.postMessage({ sha256: hash.digest("hex") }));
`;

export function sha256OfFile(file: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file } });
        worker.once("message", (m: { sha256?: string; error?: string }) => {
            void worker.terminate();
            if (m.sha256) resolve(m.sha256);
            else reject(new Error(`cannot read ${file} to hash it: ${m.error}`));
        });
        worker.once("error", reject);
    });
}
