/**
 * Typed errors of the ISO remaster. Callers branch on the class (a missing installer entry is the
 * user's ISO, a XorrisoError is a tool failure); messages follow the project template
 * `<what failed, in user terms>: <command or object>` then the detail, with the original error as
 * `cause`.
 */

/** Base class: anything that made a remaster fail. */
export class RemasterError extends Error {
    override name = "RemasterError";
}

/** A remaster input is invalid; `problems` lists every rule broken, all reported at once. */
export class RemasterInputError extends RemasterError {
    override name = "RemasterInputError";
    constructor(readonly problems: string[]) {
        super(`invalid remaster input: ${problems.join("; ")}`);
    }
}

/** xorriso (or its osirrox mode) failed. Carries the argv and the tool's stderr. */
export class XorrisoError extends RemasterError {
    override name = "XorrisoError";
    constructor(
        message: string,
        readonly command: string[],
        readonly stderr: string,
        readonly exitCode: number | undefined,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}

/** An mtools command (mdir, mtype, mcopy) failed on the El Torito EFI image. */
export class MtoolsError extends RemasterError {
    override name = "MtoolsError";
    constructor(
        message: string,
        readonly command: string[],
        readonly stderr: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}

/** The ISO does not have the layout of a XenServer / XCP-ng installer (e.g. no /install.img). */
export class IsoLayoutError extends RemasterError {
    override name = "IsoLayoutError";
}

/** No boot entry that starts the installer was found in any boot configuration of the ISO. */
export class NoInstallerEntryError extends RemasterError {
    override name = "NoInstallerEntryError";
    constructor(readonly iso: string, readonly configsLookedAt: string[]) {
        super(
            `no installer boot entry found in ${iso}: looked at ${configsLookedAt.length ? configsLookedAt.join(", ") : "no boot configuration (none found)"}; ` +
            "an installer entry boots a kernel with /install.img as its initrd (isolinux mboot.c32 or KERNEL/LINUX, GRUB multiboot2/xen_hypervisor/linux) and is not a shell, rescue or memtest entry",
        );
    }
}
