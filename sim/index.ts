/**
 * The simulated XenServer host's public API for the rest of the project (the SSH front, `vh sim`,
 * tests and benchmarks). The executables in sim/bin run the same code per invocation.
 */
export { ensureHost, advanceClock, SimSettingsError } from "./host";
export { readCalls, isWriteCommand, redactArgv, CALLS_FILE, CallRecord } from "./calls";
export { readSimLog, SIM_LOG_FILE } from "./log";
export { addFault, clearFaults, readFaults, FAULTS_FILE, FaultRule, FaultAction, CONTROL_FD_ENV } from "./faults";
export { DEFAULT_SETTINGS, STATE_DIR_ENV, SimSettings } from "./settings";
export { PRODUCTS, resolveProduct, DEFAULT_PRODUCT, Product, ProductId } from "./products";
export { runXe, XeIo } from "./xe/main";
export { STATE_FILE, loadDb } from "./model/store";
export { markGuestPvDrivers, DEFAULT_GUEST_TOOLS, GuestToolsOptions, GuestToolsError } from "./guest/tools";
