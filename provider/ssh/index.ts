/**
 * The SSH layer: the only place ssh2 is used. Get a pooled session with getSession(args), run
 * commands built with provider/shell (sh``, argv()), upload with upload(); closeAll() at the end.
 */
export { ConnectionArgs, CONNECTION_DEFAULTS, resolveConnectionArgs, ResolvedConnectionArgs, redact } from "./args";
export type { Logger } from "./dial";
export * from "./errors";
export { fingerprintOf, parseHostKeyPin } from "./hostKey";
export { closeAll, getSession } from "./pool";
export { defaultLogger, ExecResult, RunOptions, SessionOptions, SshSession } from "./session";
export { upload, UploadOptions, UploadProgress, UploadResult } from "./upload";
export { parseDfAvailableBytes } from "./sftpWrite";
