import type { Command } from "./types";

/**
 * Every `vh` sub-command, in the order `vh --help` lists them. Add one line per command file.
 */
export const COMMANDS: Command[] = [
    (require("./answerfile") as typeof import("./answerfile")).answerfileCommand,
    (require("./remaster") as typeof import("./remaster")).remasterCommand,
    (require("./sim") as typeof import("./sim")).simCommand,
];
