/**
 * The record model of xapi's CLI (records.ml): each class is a list of named fields with a getter
 * that renders the value as text and optional setters. The access tag xe prints (RO/RW/MRO/…) is
 * derived from which setters exist, exactly as cli_operations.ml print_field does, so a field's
 * definition is the single source of both its behaviour and its label.
 */
import type { Ctx } from "../context";
import { ApiError } from "../errors";
import type { Ref, TableName } from "../../model/types";

export type Pairs = Array<[string, string]>;

export interface FieldDef<R = any> {
    name: string;
    get(c: Ctx, r: R, ref: Ref): string;
    set?(c: Ctx, r: R, ref: Ref, value: string): void;
    getSet?(c: Ctx, r: R, ref: Ref): string[];
    addToSet?(c: Ctx, r: R, ref: Ref, value: string): void;
    removeFromSet?(c: Ctx, r: R, ref: Ref, value: string): void;
    getMap?(c: Ctx, r: R, ref: Ref): Pairs;
    addToMap?(c: Ctx, r: R, ref: Ref, key: string, value: string): void;
    removeFromMap?(c: Ctx, r: R, ref: Ref, key: string): void;
    /** Replaces the whole map (bios-strings); param-set accumulates keys for it. */
    setMap?(c: Ctx, r: R, ref: Ref, pairs: Pairs): void;
    clearMap?(c: Ctx, r: R, ref: Ref): void;
    /** Needs an extra API call: *-list prints "<expensive field>" instead. */
    expensive?: boolean;
    /** Not shown by *-list / *-param-list, but readable with param-get and usable as a filter. */
    hidden?: boolean;
    deprecated?: boolean;
    /** Filters compare case-insensitively (MAC). */
    caseInsensitive?: boolean;
    /** First xapi generation with this field (Product.xapiGeneration). @default 0 */
    since?: number;
}

export interface ClassDef<R = any> {
    /** The CLI class name: vm, template, network, … */
    name: string;
    table: TableName;
    fields: FieldDef<R>[];
    /** Fields `<class>-list` prints by default (in record order, not this order). */
    defaultList: string[];
    /** Filters `<class>-list` always applies. */
    defaultFilters: Array<[string, string]>;
}

/** A record bound to its object, as the generic commands handle it. */
export interface BoundRecord {
    ref: Ref;
    rec: any;
    fields: FieldDef[];
}

/** print_field's access tag. */
export function accessTag(f: FieldDef): string {
    let tag: string;
    if (f.getSet) tag = f.addToSet ? " (SRW)" : " (SRO)";
    else if (f.getMap) tag = f.addToMap ? " (MRW)" : " (MRO)";
    else tag = f.set ? " ( RW)" : " ( RO)";
    return tag + (f.deprecated ? " [DEPRECATED]" : "");
}

/** Fields of a class present on this host's xapi generation. */
export function fieldsFor(cls: ClassDef, gen: number): FieldDef[] {
    return cls.fields.filter((f) => (f.since ?? 0) <= gen);
}

// ---- value rendering (records.ml helpers) -------------------------------------------------------

/** get_from_map: "k1: v1; k2: v2". */
export const fmtMap = (m: Record<string, string>): string =>
    Object.entries(m).map(([k, v]) => `${k}: ${v}`).join("; ");

/** concat_with_semi. */
export const semi = (items: string[]): string => items.join("; ");

/** Date.to_rfc3339: xapi's ISO 8601 basic date with extended time, always UTC. */
export function rfc3339(ms: number): string {
    const d = new Date(ms);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}Z`;
}

/** OCaml string_of_float via %.3f (records.ml shadows it). */
export const float3 = (x: number): string => x.toFixed(3);

// ---- field builders ----------------------------------------------------------------------------

type Opts = Partial<Pick<FieldDef, "expensive" | "hidden" | "deprecated" | "caseInsensitive" | "since">>;

/** A read-only field computed from the record. */
export function ro<R>(name: string, get: (r: R, c: Ctx, ref: Ref) => string | number | boolean, opts: Opts = {}): FieldDef<R> {
    return { name, get: (c, r, ref) => String(get(r, c, ref)), ...opts };
}

/** A settable field. */
export function rw<R>(
    name: string,
    get: (r: R, c: Ctx, ref: Ref) => string | number | boolean,
    set: (c: Ctx, r: R, ref: Ref, value: string) => void,
    opts: Opts = {},
): FieldDef<R> {
    return { name, get: (c, r, ref) => String(get(r, c, ref)), set, ...opts };
}

/** A map field stored on the record under `key`; writable unless `readOnly`. */
export function mapField<R>(
    name: string,
    key: keyof R,
    opts: Opts & { readOnly?: boolean; clear?: boolean; onChange?: (c: Ctx, r: R, ref: Ref, k: string, v: string | null) => void } = {},
): FieldDef<R> {
    const map = (r: R) => r[key] as unknown as Record<string, string>;
    const f: FieldDef<R> = {
        name,
        get: (_c, r) => fmtMap(map(r)),
        getMap: (_c, r) => Object.entries(map(r)),
        expensive: opts.expensive,
        hidden: opts.hidden,
        deprecated: opts.deprecated,
        since: opts.since,
    };
    if (!opts.readOnly) {
        f.addToMap = (c, r, ref, k, v) => {
            if (k in map(r)) throw mapDuplicate(c, ref, String(key), k);
            opts.onChange?.(c, r, ref, k, v);
            map(r)[k] = v;
        };
        f.removeFromMap = (c, r, ref, k) => {
            opts.onChange?.(c, r, ref, k, null);
            delete map(r)[k];
        };
        if (opts.clear) f.clearMap = (_c, r) => { for (const k of Object.keys(map(r))) delete map(r)[k]; };
    }
    return f;
}

/** A set-of-strings field stored on the record under `key`. */
export function setField<R>(name: string, key: keyof R, opts: Opts & { readOnly?: boolean; commas?: boolean } = {}): FieldDef<R> {
    const items = (r: R) => r[key] as unknown as string[];
    const f: FieldDef<R> = {
        name,
        get: (_c, r) => (opts.commas ? items(r).join(", ") : semi(items(r))),
        getSet: (_c, r) => [...items(r)],
        since: opts.since,
    };
    if (!opts.readOnly) {
        f.addToSet = (_c, r, _ref, v) => { if (!items(r).includes(v)) items(r).push(v); };
        f.removeFromSet = (_c, r, _ref, v) => { const i = items(r).indexOf(v); if (i >= 0) items(r).splice(i, 1); };
    }
    return f;
}

/** An always-empty read-only set field (operations lists and the like). */
export const emptySet = (name: string, opts: Opts = {}): FieldDef => ({ name, get: () => "", getSet: () => [], ...opts });

/** An always-empty read-only map field. */
export const emptyMap = (name: string, opts: Opts = {}): FieldDef => ({ name, get: () => "", getMap: () => [], ...opts });

/** A field that prints a constant. */
export const constant = (name: string, value: string, opts: Opts = {}): FieldDef => ({ name, get: () => value, ...opts });

/** xapi's add_to_<map> refuses an existing key (the CLI's param-set removes it first). */
function mapDuplicate(c: Ctx, ref: Ref, field: string, key: string): ApiError {
    return new ApiError("MAP_DUPLICATE_KEY", [c.className(ref), field, ref, key]);
}
