/**
 * What a command implementation works with: the loaded database, the product it impersonates, the
 * simulated time, the parsed parameters and the printer. Object lookups raise the same XenAPI
 * errors as xapi's get_by_uuid (UUID_INVALID with the DB class name).
 */
import { PRODUCTS, Product } from "../products";
import { ApiError } from "./errors";
import type { Printer, Out } from "./printer";
import { cliBool } from "./values";
import { DB_CLASS_NAME, Db, NULL_REF, Ref, TableName, Tables } from "../model/types";

export type Params = Array<[string, string]>;

/** Appends to sim.log; `at` is the simulated time the event happened (@default now). */
export interface SimLog {
    (vm: { uuid: string; name_label: string } | null, message: string, at?: number): void;
}

export class Ctx {
    readonly product: Product;
    readonly gen: number;
    private uuidIndex: Map<string, Ref> | null = null;

    constructor(
        readonly db: Db,
        readonly stateDir: string,
        readonly now: number,
        readonly params: Params,
        readonly printer: Printer,
        readonly out: Out,
        readonly log: SimLog,
    ) {
        this.product = PRODUCTS[db.settings.product];
        this.gen = this.product.xapiGeneration;
    }

    /** First value of a parameter (List.assoc), or undefined. */
    param(name: string): string | undefined {
        return this.params.find(([k]) => k === name)?.[1];
    }

    has(name: string): boolean {
        return this.params.some(([k]) => k === name);
    }

    /** A boolean parameter in the CLI's lenient spelling (get_bool_param), `dflt` when absent. */
    bool(name: string, dflt = false): boolean {
        const v = this.param(name);
        return v === undefined ? dflt : cliBool(name, v);
    }

    /** A required parameter (the frontend already checked it is present). */
    req(name: string): string {
        return this.param(name) ?? "";
    }

    private index(): Map<string, Ref> {
        if (!this.uuidIndex) {
            this.uuidIndex = new Map();
            for (const table of Object.keys(DB_CLASS_NAME) as TableName[]) {
                for (const [ref, rec] of Object.entries(this.db[table])) this.uuidIndex.set(`${table}/${rec.uuid}`, ref);
            }
        }
        return this.uuidIndex;
    }

    /** Forget cached lookups after objects were created or destroyed. */
    invalidate(): void {
        this.uuidIndex = null;
    }

    /** get_by_uuid: the reference, or UUID_INVALID [class; uuid]. */
    byUuid<T extends TableName>(table: T, uuid: string): Ref {
        const ref = this.index().get(`${table}/${uuid}`);
        if (!ref || !this.db[table][ref]) throw new ApiError("UUID_INVALID", [DB_CLASS_NAME[table], uuid]);
        return ref;
    }

    findByUuid<T extends TableName>(table: T, uuid: string): Ref | undefined {
        const ref = this.index().get(`${table}/${uuid}`);
        return ref && this.db[table][ref] ? ref : undefined;
    }

    get<T extends TableName>(table: T, ref: Ref): Tables[T][string] {
        const rec = this.db[table][ref] as Tables[T][string] | undefined;
        if (!rec) throw new ApiError("HANDLE_INVALID", [DB_CLASS_NAME[table], ref]);
        return rec;
    }

    exists(table: TableName, ref: Ref): boolean {
        return ref !== NULL_REF && ref in this.db[table];
    }

    /** Records.get_uuid_from_ref: the uuid, or "<not in database>". */
    uuidOf(table: TableName, ref: Ref): string {
        return this.exists(table, ref) ? this.db[table][ref].uuid : "<not in database>";
    }

    /** Every (ref, record) of a table in database order. */
    all<T extends TableName>(table: T): Array<[Ref, Tables[T][string]]> {
        return Object.entries(this.db[table]) as Array<[Ref, Tables[T][string]]>;
    }

    hostRef(): Ref {
        return Object.keys(this.db.host)[0];
    }

    poolRef(): Ref {
        return Object.keys(this.db.pool)[0];
    }

    /** The DB class name (as in UUID_INVALID) of the table holding `ref`. */
    className(ref: Ref): string {
        for (const table of Object.keys(DB_CLASS_NAME) as TableName[]) if (ref in this.db[table]) return DB_CLASS_NAME[table];
        return "";
    }

    /** Cli_util.ref_convert for error parameters. */
    refConvert = (param: string): string => {
        if (!param.startsWith("OpaqueRef:")) return param;
        for (const table of Object.keys(DB_CLASS_NAME) as TableName[]) {
            const rec = this.db[table][param] as { uuid: string; name_label?: string } | undefined;
            if (rec) return rec.name_label === undefined ? rec.uuid : `${rec.uuid} (${rec.name_label})`;
        }
        return param;
    };
}
