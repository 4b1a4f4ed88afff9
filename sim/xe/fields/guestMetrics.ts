/**
 * The VM record's guest-metrics fields (records.ml vm_record: os-version … can-use-hotplug-vif),
 * read from VM.guest_metrics (sim/guest/agent.ts): "<not in database>" while no guest agent has
 * reported, as on a real host for a guest without tools.
 */
import type { GuestMetrics, StrMap, Tristate, VmRec } from "../../model/types";
import { FieldDef, fmtMap } from "./types";

const NID = "<not in database>";

const metricsOf = (r: VmRec): GuestMetrics | null => r.guest_metrics ?? null;

/** A map field of the guest metrics (MRO). */
export function gmMap(name: string, pick: (m: GuestMetrics) => StrMap, opts: Pick<FieldDef, "since"> = {}): FieldDef<VmRec> {
    return {
        name,
        get: (_c, r) => { const m = metricsOf(r); return m ? fmtMap(pick(m)) : NID; },
        getMap: (_c, r) => { const m = metricsOf(r); return m ? Object.entries(pick(m)) : []; },
        ...opts,
    };
}

/** A read-only scalar of the guest metrics. */
export function gmValue(name: string, pick: (m: GuestMetrics) => string, opts: Pick<FieldDef, "deprecated"> = {}): FieldDef<VmRec> {
    return { name, get: (_c, r) => { const m = metricsOf(r); return m ? pick(m) : NID; }, ...opts };
}

/** Record_util.tristate_to_string. */
export const tristate = (t: Tristate): string => ({ yes: "true", no: "false", unspecified: "unspecified" })[t];
