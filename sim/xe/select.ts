/**
 * VM selection for commands that take <vm-selectors> (cli_operations.ml select_vms, do_vm_op):
 * implicit filters first, `vm=` matching uuid or name-label, every other non-standard parameter
 * as a field filter, then the zero / one / many rules.
 */
import type { Ctx } from "./context";
import { ApiError, CliFailure, MultipleFailure } from "./errors";
import { filterRecords } from "./filter";
import type { BoundRecord } from "./fields/types";
import { classByName } from "./fields";
import { STDPARAMS, bindAll } from "./generic";
import { cliBool } from "./values";

export interface VmOpOptions {
    includeControl?: boolean;
    includeTemplates?: boolean;
    /** Parameters that belong to the operation, not the selection. @default [] */
    ignore?: string[];
    /** Whether --multiple may apply the operation to several VMs. @default true */
    multiple?: boolean;
    /** Parameters to use instead of the command line's (vm-vif-list adds multiple=true). */
    params?: Array<[string, string]>;
}

const stem = (p: string) => (p.includes(":") ? p.slice(0, p.indexOf(":")) : p);

function selectBy(c: Ctx, all: BoundRecord[], params: Array<[string, string]>, key: string, idFields: string[], ignore: string[]): BoundRecord[] {
    const byName = params.find(([k]) => k === key)?.[1];
    let records = all;
    let rest = params;
    if (byName !== undefined) {
        records = records.filter((r) => idFields.some((f) => r.fields.find((x) => x.name === f)!.get(c, r.rec, r.ref) === byName));
        rest = params.filter(([k]) => k !== key);
    }
    const filters = rest.filter(([k]) => !STDPARAMS.includes(stem(k)) && !ignore.includes(stem(k)));
    for (const [k, v] of filters) records = filterRecords(c, records, k, v);
    return records;
}

export function selectVms(c: Ctx, opts: VmOpOptions = {}): BoundRecord[] {
    let params = opts.params ?? c.params;
    if (!opts.includeControl) params = [["is-control-domain", "false"], ...params];
    if (!opts.includeTemplates) params = [["is-a-template", "false"], ...params];
    return selectBy(c, bindAll(c, classByName("vm")!), params, "vm", ["uuid", "name-label"], opts.ignore ?? []);
}

/** do_multiple: run on each, collect failures (reported newest first, as the OCaml list is consed). */
function doMultiple<T>(c: Ctx, records: BoundRecord[], op: (r: BoundRecord) => T): T[] {
    const failures: Array<[string, string]> = [];
    const results: T[] = [];
    for (const rec of records) {
        try {
            results.unshift(op(rec));
        } catch (err) {
            const uuid = rec.rec.uuid as string;
            const { describeServerError, stringOfException } = require("./render") as typeof import("./render");
            const described = err instanceof ApiError ? describeServerError(err.code, err.params, c.gen, c.refConvert) : undefined;
            failures.unshift([uuid, described ? described.join("\n") : stringOfException(err)]);
        }
    }
    if (failures.length) throw new MultipleFailure(failures);
    return results;
}

function multipleRequested(c: Ctx, params: Array<[string, string]>): boolean {
    const v = params.find(([k]) => k === "multiple")?.[1];
    return v !== undefined && cliBool("multiple", v);
}

export function doVmOp<T>(c: Ctx, op: (vm: BoundRecord) => T, opts: VmOpOptions = {}): T[] {
    const params = opts.params ?? c.params;
    const vms = selectVms(c, opts);
    if (vms.length === 0) throw new CliFailure("No matching VMs found");
    if (vms.length === 1) return [op(vms[0])];
    const multiple = opts.multiple ?? true;
    if (multiple && multipleRequested(c, params)) return doMultiple(c, vms, op);
    throw new CliFailure(multiple
        ? "Multiple matches VMs found. --multiple required to complete the operation"
        : "Multiple matches VMs found. Operation can only be performed on one VM at a time");
}
