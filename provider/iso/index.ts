/**
 * ISO remastering: the public surface of provider/iso. See ./remaster for what a remaster does.
 */
export { remasterIso, remasterIsoStream, remasterContentHash, RemasterStream } from "./remaster";
export { RemasterOptions, RemasterResult, RemasterProgress, RemasterStep, PatchedConfig, REMASTER_EPOCH, RemasterLayout, REMASTER_LAYOUTS } from "./options";
export { IsoLayoutError, MtoolsError, NoInstallerEntryError, RemasterError, RemasterInputError, XorrisoError } from "./errors";
