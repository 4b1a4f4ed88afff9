/**
 * RemasteredIso: a XenServer / XCP-ng installer ISO remastered for an unattended install (answer
 * file, post-install scripts, `atexit=poweroff`) and placed in an ISO library SR on the host. The
 * ISO is content-addressed: equal inputs give the same file, which is remastered and uploaded once
 * and shared by every resource (and lab) that asks for it.
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "../shim";
import type { RemasteredIsoArgs } from "./args";

export type { IsoLibraryArgs, IsoScript, IsoScriptArgs, RemasteredIsoArgs, RemasteredIsoInputs, RemasteredIsoOutputs } from "./args";
export { DEFAULT_LIBRARY_NAME, DEFAULT_LIBRARY_SUBDIR } from "./args";
export { normaliseAnswerFile } from "./answer";
export { ensureRemasteredIso, EnsureIsoResult } from "./provider";
export { resolveRemasteredIsoInputs } from "./check";
export { releaseIso } from "./store";
export { AnswerFileTargetError, IsoLibraryError, IsoLibrarySpaceError } from "./errors";

const PROVIDER = providerShim("RemasteredIso");

/** Outputs that can hold a secret: the connection (a password or key). */
const SECRET_OUTPUTS = ["connection", "answerFile"];

export class RemasteredIso extends pulumi.dynamic.Resource {
    /** File name on the host and name-label of the ISO's VDI, `vh-<16 hex>.iso`: what NestedHypervisor.isoName takes. */
    declare readonly isoName: pulumi.Output<string>;
    /** SHA-256 over everything that determines the ISO's bytes (contains no secret). */
    declare readonly contentHash: pulumi.Output<string>;
    /** uuid of the ISO's VDI. */
    declare readonly vdiUuid: pulumi.Output<string>;
    /** uuid of the ISO library SR. */
    declare readonly srUuid: pulumi.Output<string>;
    declare readonly libraryDirectory: pulumi.Output<string>;
    /** SHA-256 of the ISO's bytes, verified on the host. */
    declare readonly sha256: pulumi.Output<string>;
    declare readonly sizeBytes: pulumi.Output<number>;
    /** The installer profile the answer file was validated against. */
    declare readonly resolvedTarget: pulumi.Output<string>;
    declare readonly stateVersion: pulumi.Output<number>;

    constructor(name: string, args: RemasteredIsoArgs, opts: pulumi.CustomResourceOptions = {}) {
        super(PROVIDER, name, {
            isoName: undefined, contentHash: undefined, vdiUuid: undefined, srUuid: undefined, libraryDirectory: undefined,
            sha256: undefined, sizeBytes: undefined, resolvedTarget: undefined, refId: undefined, stateVersion: undefined,
            ...args,
            // The answer file may carry a plaintext root password until check() hashes it: secret from the start.
            answerFile: pulumi.secret(args.answerFile),
            connection: args.connection === undefined ? undefined : pulumi.secret(args.connection),
        }, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] }, "virtual-hypervisor", "RemasteredIso");
    }
}
