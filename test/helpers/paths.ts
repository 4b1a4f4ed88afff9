import * as path from "node:path";

/** The repository root, whether this file runs from dist/test/helpers or test/helpers. */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../.." : "../..");

/** Directory whose executables (xe, xenstore-read, xenstore-ls) a simulated host puts first on PATH. */
export const SIM_BIN = path.join(REPO_ROOT, "sim", "bin");
