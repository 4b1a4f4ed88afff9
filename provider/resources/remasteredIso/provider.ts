/**
 * The RemasteredIso provider implementation (loaded by the shim inside the dynamic-provider host).
 *
 * create: validate the answer file against the target (the host's version by default), make sure
 * the library SR exists, add this resource's marker next to the content-addressed file, and only
 * when the host does not already hold that content: check dom0's free space, remaster straight into
 * a verified, atomic SFTP upload, record it, rescan. read: gone when the file, the SR or the VDI is
 * (and then its marker is dropped, the file kept).
 * update: state only (same content). delete: remove the marker; the file goes with the last marker,
 * and our SR with its last ISO.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { TargetProfileId, targetProfileForProduct } from "../../answerfile";
import { remasterIsoStream } from "../../iso";
import { parseMap, XeClient } from "../../xe";
import { effectiveConnection, ProviderConfig, storedConnection } from "../common/connection";
import { ResourceDeleteError } from "../common/errors";
import { consoleProgress, formatDuration, PhaseClock, ProgressCallback } from "../common/progress";
import { jsonSafe, readState, STATE_VERSION } from "../common/state";
import { normaliseAnswerFile } from "./answer";
import { RemasteredIsoInputs, RemasteredIsoOutputs } from "./args";
import { checkAndHash, overlayScripts } from "./check";
import { diffRemasteredIso } from "./diff";
import { AnswerFileTargetError, IsoLibraryError, IsoLibrarySpaceError } from "./errors";
import { formatBytes } from "./format";
import { findIsoVdi, findLibrarySr } from "./library";
import { EnsureIsoResult, placeLibraryIso, releaseLibraryIso } from "./placement";
import { dropMarker, freeBytes, inspectIso, recordIso } from "./store";

interface Shim {
    config?: ProviderConfig;
}

/** Room beyond the source ISO's size: the remaster adds the answer file and scripts to install.img. */
const SPACE_MARGIN_BYTES = 8 * 1024 * 1024;

const label = (isoName: string | undefined) => `RemasteredIso ${isoName ?? "(unnamed)"}`;

/** The validation target: the one given, else the host's product (undefined when no profile fits). */
async function resolveTarget(xe: XeClient, given: TargetProfileId | undefined): Promise<{ target?: TargetProfileId; described: string }> {
    if (given) return { target: given, described: given };
    const host = (await xe.list("host", {}, ["uuid", "software-version"]))[0];
    const sv = parseMap(host?.["software-version"] ?? "");
    const target = targetProfileForProduct(sv.product_brand ?? "", sv.product_version ?? "");
    return { target, described: target ?? `none (no installer profile for ${sv.product_brand ?? "?"} ${sv.product_version ?? "?"}; validated without one)` };
}

/**
 * Validates the answer file against the resolved target and returns its description for state.
 * check() cannot ask the host, so without an explicit target an element the host's installer lacks
 * is only found here: AnswerFileTargetError, before anything is placed on the host.
 */
async function validateForTarget(xe: XeClient, inputs: RemasteredIsoInputs): Promise<string> {
    const { target, described } = await resolveTarget(xe, inputs.target);
    const checked = normaliseAnswerFile(inputs.answerFile, target);
    if (checked.errors.length) {
        throw new AnswerFileTargetError(`${label(inputs.isoName)}: the answer file does not suit the ${target} installer:\n${checked.errors.map((e) => `- ${e}`).join("\n")}`);
    }
    return described;
}

export type { EnsureIsoResult };

/**
 * Puts the ISO for `inputs` on the host under this resource's marker `refId` (placement.ts, which
 * `vh install` shares). Everything done is undone when it fails.
 */
export async function ensureRemasteredIso(xe: XeClient, inputs: RemasteredIsoInputs, refId: string, progress: ProgressCallback | undefined): Promise<EnsureIsoResult> {
    return placeLibraryIso(xe, {
        isoName: inputs.isoName, contentHash: inputs.contentHash, library: inputs.isoLibrary, resource: label(inputs.isoName), work: "remaster or upload",
    }, refId, (directory, clock) => remasterAndUpload(xe, inputs, directory, clock), progress);
}

async function remasterAndUpload(xe: XeClient, inputs: RemasteredIsoInputs, directory: string, clock: PhaseClock): Promise<{ sha256: string; size: number; contentHash: string }> {
    const needed = fs.statSync(inputs.sourceIso).size + SPACE_MARGIN_BYTES;
    const available = await freeBytes(xe, directory);
    if (available < needed) throw new IsoLibrarySpaceError(xe.target, directory, needed, available, inputs.isoName);
    clock.enter("remaster and upload", `remastering ${inputs.sourceIso} straight into ${xe.target}:${directory}/${inputs.isoName}`);
    const remaster = await remasterIsoStream({
        sourceIso: inputs.sourceIso, answerFile: inputs.answerFile, kernelArgs: inputs.kernelArgs, scripts: overlayScripts(inputs.scripts),
    });
    let lastReport = 0;
    const sent = await xe.upload(remaster.stream, path.posix.join(directory, inputs.isoName), {
        onProgress: (p) => {
            if (Date.now() - lastReport < 10_000) return;
            lastReport = Date.now();
            clock.report(`${formatBytes(p.bytes)} sent, ${formatBytes(p.bytesPerSecond)}/s`);
        },
    }).catch(async (err) => {
        remaster.stream.destroy();
        await remaster.result.catch(() => undefined);
        throw err;
    });
    const made = await remaster.result;
    if (made.sha256 !== sent.sha256 || made.size !== sent.size) {
        throw new IsoLibraryError(`the upload of ${inputs.isoName} does not match what was remastered (sha256 ${sent.sha256} vs ${made.sha256})`);
    }
    if (made.contentHash !== inputs.contentHash) {
        throw new IsoLibraryError(`${inputs.sourceIso} changed while it was remastered (content hash ${made.contentHash}, expected ${inputs.contentHash}); run pulumi up again`);
    }
    const record = { sha256: sent.sha256, size: sent.size, contentHash: inputs.contentHash };
    await recordIso(xe, directory, inputs.isoName, record);
    clock.report(`uploaded and verified ${formatBytes(sent.size)} (sha256 ${sent.sha256.slice(0, 16)}…) in ${formatDuration(sent.seconds * 1000)}`);
    return record;
}

function outputsOf(inputs: RemasteredIsoInputs, connection: RemasteredIsoOutputs["connection"], r: Omit<EnsureIsoResult, "uploaded">, resolvedTarget: string, refId: string): RemasteredIsoOutputs {
    return jsonSafe({
        ...inputs, connection, vdiUuid: r.vdiUuid, srUuid: r.srUuid, libraryDirectory: r.directory, sha256: r.sha256, sizeBytes: r.sizeBytes,
        resolvedTarget, refId, stateVersion: STATE_VERSION,
    });
}

export const provider: pulumi.dynamic.ResourceProvider = {
    async check(this: Shim, _olds: any, news: any) {
        return checkAndHash(news, this.config);
    },

    async diff(this: Shim, _id: string, olds: any, news: any) {
        return diffRemasteredIso(olds, news, this.config);
    },

    async create(this: Shim, inputs: RemasteredIsoInputs) {
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.isoName));
        const xe = XeClient.connect(connection);
        const described = await validateForTarget(xe, inputs);
        const refId = crypto.randomBytes(8).toString("hex");
        const result = await ensureRemasteredIso(xe, inputs, refId, consoleProgress);
        return { id: `${inputs.isoName}#${refId}`, outs: outputsOf(inputs, connection, result, described, refId) };
    },

    async read(this: Shim, id: string, props: any) {
        const old = readState<RemasteredIsoOutputs>(props, label(props?.isoName));
        const xe = XeClient.connect(storedConnection(old.connection, this.config, label(old.isoName)));
        // Gone: the refresh drops the state without a delete, so the marker goes now (see dropMarker).
        const gone = async () => {
            await dropMarker(xe, old.libraryDirectory, old.isoName, old.refId);
            return { id: "" };
        };
        const sr = await findLibrarySr(xe, old.libraryDirectory);
        if (!sr) return gone();
        const state = await inspectIso(xe, old.libraryDirectory, old.isoName, old.refId);
        if (state.fileSize === undefined) return gone();
        const vdiUuid = await findIsoVdi(xe, sr.uuid, old.isoName);
        if (!vdiUuid) return gone();
        return { id, props: jsonSafe({ ...old, srUuid: sr.uuid, vdiUuid, sizeBytes: state.fileSize, sha256: state.record?.sha256 ?? old.sha256, stateVersion: STATE_VERSION }) };
    },

    async update(this: Shim, _id: string, olds: any, news: any) {
        // diff() sends here only what leaves the ISO's bytes alone (the source ISO moved, another target).
        const old = readState<RemasteredIsoOutputs>(olds, label(olds?.isoName));
        const inputs = news as RemasteredIsoInputs;
        const connection = effectiveConnection(inputs.connection, this.config, label(inputs.isoName));
        let resolvedTarget = old.resolvedTarget;
        if (inputs.target !== old.target) {
            resolvedTarget = await validateForTarget(XeClient.connect(connection), inputs);
        }
        return { outs: outputsOf(inputs, connection, { srUuid: old.srUuid, vdiUuid: old.vdiUuid, directory: old.libraryDirectory, sha256: old.sha256, sizeBytes: old.sizeBytes }, resolvedTarget, old.refId) };
    },

    async delete(this: Shim, _id: string, props: any) {
        const old = readState<RemasteredIsoOutputs>(props, label(props?.isoName));
        const xe = XeClient.connect(storedConnection(old.connection, this.config, label(old.isoName)));
        const { done, failures } = await releaseLibraryIso(xe, old.libraryDirectory, old.isoName, old.refId);
        if (failures.length) throw new ResourceDeleteError(label(old.isoName), failures, done);
    },
};
