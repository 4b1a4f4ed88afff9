/** Errors of the RemasteredIso resource. */
import { formatBytes } from "./format";

/** A remote file operation in the ISO library failed. */
export class IsoLibraryError extends Error {
    override name = "IsoLibraryError";
}

/** dom0 has not enough room for the ISO (checked before remastering). */
export class IsoLibrarySpaceError extends Error {
    override name = "IsoLibrarySpaceError";
    constructor(readonly target: string, readonly directory: string, readonly neededBytes: number, readonly availableBytes: number, isoName: string) {
        super(
            `not enough free space on ${target} for ${isoName}: ${directory} has ${formatBytes(availableBytes)} free, ` +
            `the remastered ISO needs about ${formatBytes(neededBytes)}; free space in dom0 or set isoLibrary.directory to a larger filesystem`,
        );
    }
}

/** The answer file does not suit the installer the host's version implies (or the target given). */
export class AnswerFileTargetError extends Error {
    override name = "AnswerFileTargetError";
}
