import type { Command } from "./types";

/**
 * Every `vh` sub-command, in the order `vh --help` lists them. Add one line per command file.
 */
export const COMMANDS: Command[] = [
];
