/**
 * The dynamic resources of virtual-hypervisor: XenNetwork, RemasteredIso and NestedHypervisor,
 * their arguments, and the helpers the Lab component and the `vh` CLI reuse.
 */
export * from "./xenNetwork";
export * from "./remasteredIso";
export * from "./nestedHypervisor";
export { CONFIG_NAMESPACE, ProviderConfig } from "./common/connection";
export { ProgressCallback, ProgressEvent, formatProgress, consoleProgress } from "./common/progress";
export { PhaseTimeoutError } from "./common/wait";
export { InputValidationError, ResourceCreateError, ResourceDeleteError } from "./common/errors";
export { MANAGED_BY, MANAGED_BY_KEY, KEY_KEY, ROLE_KEY } from "./common/tags";
