/**
 * The Lab's pre-flight: before any child is created (the component gates every child on it), ask
 * the host what it has, compare with what the lab needs, and fail with a need / have / short table
 * when it does not fit. Runs during preview too, since it only reads.
 */
import type { ConnectionArgs } from "../../provider/ssh";
import { LabPreflightError, LabPreflightQueryError } from "../errors";
import type { LabPlan } from "../plan";
import { assessLab, formatReport, LabHostFacts, PreflightReport } from "./assess";
import { localIso, probeHost } from "./probe";

export { assessLab, formatReport, labCost, GiB, ISO_MARGIN_BYTES, LabCost, LabHostFacts, LocalIso, PreflightReport, PreflightRow, TimeEstimate } from "./assess";
export { gatherFacts, localIso, probeHost, ProbeRequest } from "./probe";

export interface PreflightInput {
    connection: ConnectionArgs;
    sourceIso: string;
    isoLibraryDirectory?: string;
    /** Reads the host; replaceable so the judgement can be exercised on recorded facts. @default probeHost */
    probe?: typeof probeHost;
}

/** Probes the host and judges; resolves with the report when the lab fits, else throws LabPreflightError. */
export async function runPreflight(plan: LabPlan, input: PreflightInput): Promise<PreflightReport> {
    let facts: LabHostFacts;
    try {
        facts = await (input.probe ?? probeHost)(input.connection, {
            toolboxVm: plan.toolboxVm, homeNetwork: plan.home.existing, isoLibraryDirectory: input.isoLibraryDirectory,
        });
    } catch (err) {
        throw new LabPreflightQueryError(plan.lab, `${input.connection.user ?? "root"}@${input.connection.host}:${input.connection.port ?? 22}`, err);
    }
    const report = assessLab(plan, facts, localIso(input.sourceIso));
    if (!report.fits) throw new LabPreflightError(plan.lab, report.target, report.problems, formatReport(report));
    return report;
}
