/**
 * ISO remastering: the public surface of provider/iso. See ./remaster for what a remaster does.
 */
export { remasterIso, remasterIsoStream, remasterContentHash, RemasterStream } from "./remaster";
export { RemasterOptions, RemasterResult, RemasterProgress, RemasterStep, PatchedConfig, REMASTER_EPOCH, RemasterLayout, REMASTER_LAYOUTS } from "./options";
export { contentHash, ContentHashInputs, defaultCacheDir, remasteredIsoName, REMASTER_FORMAT, sourceIsoSha256 } from "./contentHash";
export { patchIsolinuxCfg } from "./isolinuxPatch";
export { patchGrubCfg } from "./grubPatch";
export { BootEntry, PatchResult, SkippedEntry } from "./bootEntries";
export { applyArgEdit, ArgEdit, DEFAULT_ANSWER_FILE_PATH, installerArgs, MANAGED_KEYS } from "./kernelArgs";
export { MARKER_PATH, RemasterMarker, InstallImgResult } from "./installImage";
export { defaultScripts, DATA_DIR, FIRSTBOOT_PATH, POSTINST_PATH } from "./scripts";
export { IsoLayoutError, MtoolsError, NoInstallerEntryError, RemasterError, RemasterInputError, XorrisoError } from "./errors";
