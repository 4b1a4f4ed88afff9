/**
 * Process entry of sim/bin/xe.
 */
import { EndOfInput, runXe } from "../xe/main";
import { processOut, readLineSync } from "./io";

export function main(): void {
    const code = runXe(process.argv.slice(2), process.env, {
        out: processOut,
        readLine: () => readLineSync(() => new EndOfInput("end of input")),
    });
    process.exitCode = code;
}
