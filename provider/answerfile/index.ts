/**
 * Answer files for the XenServer / XCP-ng host-installer: a typed model, validation (optionally
 * against a target installer version), XML rendering and parsing, SHA-512 crypt of the root
 * password and the seed's defaults. See docs in each module.
 */
export * from "./types";
export { AnswerFileIssue, AnswerFileParseError, AnswerFileRenderError, AnswerFileValidationError, PasswordHashError } from "./errors";
export { renderAnswerFile } from "./render";
export { parseAnswerFile } from "./parse";
export { validateAnswerFile, assertValidAnswerFile, ValidateOptions, ValidationResult } from "./validate";
export { TARGET_PROFILES, TARGET_PROFILE_IDS, TargetProfile, TargetProfileId, ProfileSupport, targetProfileForProduct } from "./profiles";
export { sha512Crypt, verifySha512Crypt, hashRootPassword, withHashedRootPassword, HashRootPasswordOptions } from "./crypt";
export { seedAnswerFile, SEED_DEFAULTS, SeedAnswerFileOptions } from "./seed";
