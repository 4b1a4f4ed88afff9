/**
 * secret-create / secret-destroy, host-cpu-info and event-wait (cli_operations.ml).
 */
import { newRef, newUuid } from "../../model/ids";
import type { Ctx } from "../context";
import { CliFailure } from "../errors";
import { classByName } from "../fields";
import { STDPARAMS, bindAll } from "../generic";
import { readMapParams } from "./storage";
import type { ImplTable } from "./types";

const EVENT_CLASSES = ["vm", "vdi", "sr", "host", "network", "vif", "pif", "vbd", "pbd", "pool", "task", "subject", "role", "secret", "vmss"];

/** One poll of event_wait_gen: does any record of the class match every condition? */
function eventMatches(c: Ctx, className: string, conditions: Array<[string, string]>): boolean {
    if (!EVENT_CLASSES.includes(className)) throw new CliFailure(`Cli listening for class '${className}' not currently implemented`);
    const cls = classByName(className);
    if (!cls) return false;
    // event-wait looks at every record of the class (templates and dom0 included) and every field.
    const records = bindAll(c, className === "vm" ? { ...cls, defaultFilters: [] } : cls);
    return records.some((rec) => conditions.every(([key, raw]) => {
        const f = rec.fields.find((x) => x.name === key);
        if (!f) throw new CliFailure(`key missing: ${key}`);
        const actual = f.get(c, rec.rec, rec.ref);
        return raw.startsWith("/=") ? actual !== raw.slice(2) : actual === raw;
    }));
}

/** How often event-wait re-reads the state; xapi blocks on Event.from, we poll. */
export const EVENT_POLL_MS = 100;

export const MISC_COMMANDS: ImplTable = {
    "secret-create": {
        writes: true,
        run(c) {
            const ref = newRef();
            c.db.secret[ref] = { uuid: newUuid(), value: c.req("value"), other_config: readMapParams(c, "other-config") };
            c.invalidate();
            c.printer.print({ kind: "list", items: [c.db.secret[ref].uuid] });
        },
    },
    "secret-destroy": {
        writes: true,
        run(c) {
            delete c.db.secret[c.byUuid("secret", c.req("uuid"))];
            c.invalidate();
        },
    },
    "host-cpu-info": {
        writes: false,
        run(c) {
            const host = c.has("uuid") ? c.byUuid("host", c.req("uuid")) : c.hostRef();
            c.printer.print({ kind: "table", records: [Object.entries(c.db.host[host].cpu_info)] });
        },
    },
    "event-wait": {
        writes: false,
        // No timeout of its own, like xapi's: callers wrap it in `timeout`.
        session(s, params) {
            const className = params.find(([k]) => k === "class")?.[1] ?? "";
            const conditions = params.filter(([k]) => k !== "class" && !STDPARAMS.includes(k));
            while (!s.withState(false, (c) => eventMatches(c, className, conditions))) s.sleep(EVENT_POLL_MS);
        },
    },
};
