/**
 * Reads and writes state.json. Writes go to a temporary file that is renamed over the old one, so
 * a reader never sees a half-written database and a killed writer leaves the previous state.
 * Callers hold the state lock (./lock) around read-modify-write cycles.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Db } from "./types";

export const STATE_FILE = "state.json";

export class SimStateError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = "SimStateError";
    }
}

export function statePath(stateDir: string): string {
    return path.join(stateDir, STATE_FILE);
}

/** The database, or null when the state directory holds no state yet. */
export function loadDb(stateDir: string): Db | null {
    const file = statePath(stateDir);
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw new SimStateError(`cannot read the simulator state ${file}`, { cause: err });
    }
    try {
        const db = JSON.parse(text) as Db;
        if (db.schema !== 1) throw new Error(`unsupported schema ${JSON.stringify(db.schema)}`);
        return db;
    } catch (err) {
        throw new SimStateError(`the simulator state ${file} is not a valid state.json: ${(err as Error).message}`, { cause: err });
    }
}

export function saveDb(stateDir: string, db: Db): void {
    const file = statePath(stateDir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(db));
    fs.renameSync(tmp, file);
}
