import type { Command } from "./types";

/**
 * Every `vh` sub-command, in the order `vh --help` lists them. Add one line per command file.
 */
export const COMMANDS: Command[] = [
    (require("./answerfile") as typeof import("./answerfile")).answerfileCommand,
    (require("./remaster") as typeof import("./remaster")).remasterCommand,
    (require("./sim") as typeof import("./sim")).simCommand,
    (require("./network") as typeof import("./network")).networkCommand,
    (require("./install") as typeof import("./install")).installCommand,
    (require("./console") as typeof import("./console")).consoleCommand,
    (require("./destroy") as typeof import("./destroy")).destroyCommand,
];
