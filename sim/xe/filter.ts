/**
 * Field filtering as cli_operations.ml does it for *-list, selectors and vm-install's template
 * lookup: `field=value` matches the printed value exactly (case-insensitively for MAC),
 * `map:key=value` a map entry, `set:contains=member` set membership, and the legacy
 * `map-key=value` form a key of the longest map whose name prefixes it.
 */
import type { Ctx } from "./context";
import { CliFailure } from "./errors";
import type { BoundRecord, FieldDef } from "./fields/types";

export type FieldType = { kind: "normal" } | { kind: "map"; field: string } | { kind: "set"; field: string };

/** get_field_type: how a parameter name addresses the record's fields. */
export function fieldType(name: string, fields: FieldDef[]): FieldType {
    if (fields.some((f) => f.name === name)) return { kind: "normal" };
    const colon = name.indexOf(":");
    if (colon >= 0) {
        const real = name.slice(0, colon);
        const f = fields.find((x) => x.name === real);
        if (!f) throw new CliFailure(`Unknown field '${name}'`);
        if (f.getSet) return { kind: "set", field: f.name };
        if (f.getMap) return { kind: "map", field: f.name };
        throw new CliFailure(`Field '${f.name}' is not a set or map`);
    }
    const byLength = (xs: FieldDef[]) => [...xs].sort((a, b) => b.name.length - a.name.length);
    const map = byLength(fields.filter((f) => f.getMap)).find((f) => name.startsWith(`${f.name}-`));
    if (map) return { kind: "map", field: map.name };
    const set = byLength(fields.filter((f) => f.getSet)).find((f) => name.startsWith(`${f.name}-`));
    if (set) return { kind: "set", field: set.name };
    throw new CliFailure(`Unknown field '${name}'`);
}

/** field_lookup on a bound record. */
export function lookup(rec: BoundRecord, name: string): FieldDef | undefined {
    return rec.fields.find((f) => f.name === name);
}

function matchOne(c: Ctx, rec: BoundRecord, key: string, value: string, type: FieldType): boolean {
    if (type.kind === "normal") {
        const f = lookup(rec, key)!;
        const actual = f.get(c, rec.rec, rec.ref);
        return f.caseInsensitive ? actual.toLowerCase() === value.toLowerCase() : actual === value;
    }
    const f = lookup(rec, type.field)!;
    const sub = key.slice(type.field.length + 1);
    if (type.kind === "set") {
        if (sub !== "contains") throw new CliFailure("Invalid syntax for set filtering (should be set-param:contains=key)");
        const items = f.getSet!(c, rec.rec, rec.ref);
        return f.caseInsensitive ? items.some((m) => m.toLowerCase() === value.toLowerCase()) : items.includes(value);
    }
    const pairs = f.getMap!(c, rec.rec, rec.ref);
    const hit = pairs.find(([k]) => (f.caseInsensitive ? k.toLowerCase() === sub.toLowerCase() : k === sub));
    return hit !== undefined && (f.caseInsensitive ? hit[1].toLowerCase() === value.toLowerCase() : hit[1] === value);
}

/** filter_records_on_fields: an empty list skips validation, so unknown fields only fail with records. */
export function filterRecords(c: Ctx, records: BoundRecord[], key: string, value: string): BoundRecord[] {
    if (records.length === 0) return records;
    const type = fieldType(key, records[0].fields);
    return records.filter((r) => matchOne(c, r, key, value, type));
}
