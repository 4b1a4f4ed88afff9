/**
 * The xe client: the only place an xe command line is built (command.ts), pure parsers for its
 * output (parse.ts), typed failures (errors.ts) and helpers per object class (ops/*).
 */
export { XeCallOptions, XeClass, XeClient, XeTransport, isXeNotFound } from "./client";
export { buildXeCommand, isReadOnlyXeCommand, XeCommandLine, XeFlags, XeMap, XeParams, XeScalar } from "./command";
export { parseXeFailure, XeError, XeFailure } from "./errors";
export { parseMap, parseMinimal, parseRecordFields, parseRecords, parseSet, parseValue, XeAccess, XeField, XeRecord } from "./parse";
export type { HostOps, PoolOps } from "./ops/host";
export type { NetworkCreateArgs, NetworkOps, VifCreateArgs, VifOps } from "./ops/network";
export type { IsoSrCreateArgs, PbdOps, SrOps, VbdCreateArgs, VbdOps, VdiCreateArgs, VdiOps } from "./ops/storage";
export type { MemoryLimits, PowerOptions, PowerState, VmInstallArgs, VmOps } from "./ops/vm";
