/** Errors of the NestedHypervisor resource. */

/** Pre-flight found reasons the install cannot work; every one is listed. */
export class PreflightError extends Error {
    override name = "PreflightError";
    constructor(readonly resource: string, readonly target: string, readonly problems: string[]) {
        super(`${resource}: cannot install on ${target}:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    }
}

/** vm-start failed for a reason we can name in user terms (licence, memory, memory pinning). */
export class VmStartError extends Error {
    override name = "VmStartError";
    constructor(message: string, readonly code: string, options?: { cause?: unknown }) {
        super(message, options);
    }
}

/** The VM is gone from the host (update after an out-of-band delete). */
export class VmGoneError extends Error {
    override name = "VmGoneError";
}
