/**
 * Creating and opening a simulated host's state directory.
 */
import * as fs from "node:fs";
import { DEFAULT_SETTINGS, SimSettings } from "./settings";
import { PRODUCTS } from "./products";
import { withLock } from "./model/lock";
import { loadDb, saveDb } from "./model/store";
import type { Db } from "./model/types";

export class SimSettingsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SimSettingsError";
    }
}

function validate(settings: SimSettings): void {
    const problems: string[] = [];
    if (!PRODUCTS[settings.product]) problems.push(`product must be one of ${Object.keys(PRODUCTS).join(", ")}, got ${JSON.stringify(settings.product)}`);
    for (const key of ["installSeconds", "firstBootSeconds", "hostMemoryGiB", "localSrGiB", "cpuCount"] as const) {
        if (!(typeof settings[key] === "number" && Number.isFinite(settings[key]) && settings[key] >= 0)) {
            problems.push(`${key} must be a non-negative number, got ${JSON.stringify(settings[key])}`);
        }
    }
    if (problems.length) throw new SimSettingsError(`invalid simulator settings: ${problems.join("; ")}`);
}

/** Loads the database, creating a fresh host (with `settings` over the defaults) if there is none. Caller holds the lock. */
export function loadOrCreateDb(stateDir: string, settings: Partial<SimSettings> = {}, now = Date.now()): Db {
    const existing = loadDb(stateDir);
    if (existing) return existing;
    const full: SimSettings = { ...DEFAULT_SETTINGS, ...settings };
    validate(full);
    const { createHostDb } = require("./model/init") as typeof import("./model/init");
    const db = createHostDb(full, now);
    saveDb(stateDir, db);
    return db;
}

/**
 * Makes sure `stateDir` holds a simulated host and returns its settings. A new host gets
 * DEFAULT_SETTINGS overridden by `settings`; an existing one keeps its own, but asking for a
 * different product is an error (the object model and templates are per product).
 */
export function ensureHost(stateDir: string, settings: Partial<SimSettings> = {}): SimSettings {
    fs.mkdirSync(stateDir, { recursive: true });
    return withLock(stateDir, () => {
        const existing = loadDb(stateDir);
        if (existing) {
            if (settings.product !== undefined && settings.product !== existing.settings.product) {
                throw new SimSettingsError(
                    `the simulated host in ${stateDir} impersonates ${existing.settings.product}, not ${settings.product}: ` +
                    "use another state directory or remove this one",
                );
            }
            return existing.settings;
        }
        return loadOrCreateDb(stateDir, settings).settings;
    });
}

/** Moves the host's simulated clock forward (tests use it instead of waiting). */
export function advanceClock(stateDir: string, ms: number): void {
    withLock(stateDir, () => {
        const db = loadDb(stateDir);
        if (!db) throw new SimSettingsError(`no simulated host in ${stateDir}`);
        db.clockOffsetMs += ms;
        saveDb(stateDir, db);
    });
}
