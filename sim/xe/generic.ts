/**
 * The commands xapi generates for every record class (cli_operations.ml make_param_funs):
 * <class>-list, -param-list, -param-get, -param-set, -param-add, -param-remove, -param-clear.
 */
import type { Ctx } from "./context";
import { CliFailure, FieldNotFound, OcamlFailure } from "./errors";
import { fieldType, filterRecords, lookup } from "./filter";
import { accessTag, BoundRecord, ClassDef, FieldDef, fieldsFor, Pairs } from "./fields/types";
import type { Field } from "./printer";

/** Parameters no command treats as a field filter. */
export const STDPARAMS = ["server", "password", "port", "username", "minimal", "force", "multiple", "all", "message-priority", "trace"];

export function bindAll(c: Ctx, cls: ClassDef): BoundRecord[] {
    if (!cls.table) return [];
    const fields = fieldsFor(cls, c.gen);
    return c.all(cls.table).map(([ref, rec]) => ({ ref, rec, fields }));
}

export function bindOne(c: Ctx, cls: ClassDef, uuid: string): BoundRecord {
    const ref = c.byUuid(cls.table, uuid);
    return { ref, rec: c.db[cls.table][ref], fields: fieldsFor(cls, c.gen) };
}

/** print_field: name with access tag, and the value (safe_get_field). */
export function printField(c: Ctx, rec: BoundRecord, f: FieldDef): Field {
    return [f.name + accessTag(f), f.get(c, rec.rec, rec.ref)];
}

/** select_fields: `params=a,b` keeps those fields in record order; `params=all` (or none given and no defaults) keeps all. */
export function selectFields(params: string | undefined, fields: FieldDef[], defaults: string[]): FieldDef[] {
    const wanted = params !== undefined ? (params === "all" ? [] : params.split(",")) : defaults;
    return wanted.length === 0 ? fields : fields.filter((f) => wanted.includes(f.name));
}

export function list(c: Ctx, cls: ClassDef): void {
    const all = bindAll(c, cls);
    const filters = c.params.filter(([k]) => k !== "params" && !STDPARAMS.includes(k) && !k.startsWith("database:"));
    let records = all;
    for (const [k, v] of [...cls.defaultFilters, ...filters]) records = filterRecords(c, records, k, v);
    const shown = c.bool("all") ? all : records;
    const table = shown.map((rec) =>
        selectFields(c.param("params"), rec.fields, cls.defaultList)
            .filter((f) => !f.hidden)
            .map((f): Field => (f.expensive ? [f.name + accessTag(f), "<expensive field>"] : printField(c, rec, f))),
    );
    c.printer.print({ kind: "table", records: table });
}

export function paramList(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    c.printer.print({ kind: "table", records: [rec.fields.filter((f) => !f.hidden).map((f) => printField(c, rec, f))] });
}

function field(rec: BoundRecord, name: string): FieldDef {
    const f = lookup(rec, name);
    if (!f) throw new FieldNotFound(name);
    return f;
}

export function paramGet(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    const f = field(rec, c.req("param-name"));
    const key = c.param("param-key");
    if (key !== undefined && f.getMap) {
        const hit = f.getMap(c, rec.rec, rec.ref).find(([k]) => k === key);
        if (!hit) throw new CliFailure(`Key ${key} not found in map`);
        c.printer.print({ kind: "list", items: [hit[1]] });
        return;
    }
    c.printer.print({ kind: "list", items: [f.get(c, rec.rec, rec.ref)] });
}

export function paramSet(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    const pending = new Map<FieldDef, Pairs>();
    for (const [k, v] of c.params) {
        if (k === "uuid" || STDPARAMS.includes(k)) continue;
        const type = fieldType(k, rec.fields);
        if (type.kind === "set") throw new CliFailure("Cannot param-set on set fields");
        if (type.kind === "map") {
            const f = field(rec, type.field);
            const key = k.slice(type.field.length + 1);
            if (f.setMap) {
                pending.set(f, [...(pending.get(f) ?? []), [key, v]]);
                continue;
            }
            if (!f.addToMap) throw new CliFailure(`Map field '${type.field}' is read-only.`);
            if (f.getMap!(c, rec.rec, rec.ref).some(([x]) => x === key)) f.removeFromMap!(c, rec.rec, rec.ref, key);
            f.addToMap(c, rec.rec, rec.ref, key, v);
            continue;
        }
        const f = field(rec, k);
        if (!f.set) {
            if (f.addToMap) throw new CliFailure(`Field '${k}' is a map or set. use the 'name:key=value' syntax.`);
            throw new CliFailure(`Field '${k}' is read-only.`);
        }
        try {
            f.set(c, rec.rec, rec.ref, v);
        } catch (err) {
            if (err instanceof OcamlFailure && err.text === "int_of_string") throw new CliFailure(`Parameter ${k} must be an integer`);
            throw err;
        }
    }
    for (const [f, pairs] of pending) f.setMap!(c, rec.rec, rec.ref, pairs.reverse());
}

export function paramAdd(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    const f = field(rec, c.req("param-name"));
    if (f.addToSet) {
        const key = c.param("param-key");
        if (key === undefined) throw new CliFailure("When adding a key to a set, use the syntax: *-param-add param-name=<name> param-key=<key>");
        f.addToSet(c, rec.rec, rec.ref, key);
        return;
    }
    if (f.addToMap) {
        const skip = ["uuid", "param-name", "param-key", ...STDPARAMS];
        for (const [k, v] of c.params) if (!skip.includes(k)) f.addToMap(c, rec.rec, rec.ref, k, v);
        return;
    }
    if (f.getSet || f.getMap) throw new CliFailure("Parameter is read-only");
    throw new CliFailure("Can only add to parameters of type Set or Map");
}

export function paramRemove(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    const f = field(rec, c.req("param-name"));
    const key = c.req("param-key");
    if (f.getSet && f.removeFromSet) {
        if (!f.getSet(c, rec.rec, rec.ref).includes(key)) throw new CliFailure(`Key ${key} is not in the set`);
        f.removeFromSet(c, rec.rec, rec.ref, key);
    } else if (f.getMap && f.removeFromMap) {
        if (!f.getMap(c, rec.rec, rec.ref).some(([k]) => k === key)) throw new CliFailure(`Key ${key} is not in map`);
        f.removeFromMap(c, rec.rec, rec.ref, key);
    } else if (f.getSet || f.getMap) {
        throw new CliFailure("Cannot remove parameters from read-only map");
    } else {
        throw new CliFailure("Can only remove from parameters of type Set or Map");
    }
}

export function paramClear(c: Ctx, cls: ClassDef): void {
    const rec = bindOne(c, cls, c.req("uuid"));
    const f = field(rec, c.req("param-name"));
    if (f.getSet && f.removeFromSet) {
        for (const v of f.getSet(c, rec.rec, rec.ref)) f.removeFromSet(c, rec.rec, rec.ref, v);
    } else if (f.clearMap) {
        f.clearMap(c, rec.rec, rec.ref);
    } else if (f.setMap) {
        f.setMap(c, rec.rec, rec.ref, []);
    } else if (f.getMap && f.removeFromMap) {
        for (const [k] of f.getMap(c, rec.rec, rec.ref)) f.removeFromMap(c, rec.rec, rec.ref, k);
    } else if (f.set) {
        try {
            f.set(c, rec.rec, rec.ref, "");
        } catch {
            throw new CliFailure("Cannot clear this parameter");
        }
    } else {
        throw new CliFailure("Can only clear RW parameters");
    }
}

/** Names of the generated commands of a class, as the command table lists them. */
export function genericCommandNames(cls: ClassDef, gen: number): string[] {
    const fields = fieldsFor(cls, gen).filter((f) => !f.hidden);
    const names = [`${cls.name}-list`, `${cls.name}-param-list`, `${cls.name}-param-get`];
    if (fields.some((f) => f.set || f.addToMap || f.setMap)) names.unshift(`${cls.name}-param-set`);
    if (fields.some((f) => f.addToSet || f.addToMap)) names.push(`${cls.name}-param-add`, `${cls.name}-param-remove`);
    if (fields.some((f) => f.set || f.getSet || f.getMap)) names.push(`${cls.name}-param-clear`);
    return names;
}
