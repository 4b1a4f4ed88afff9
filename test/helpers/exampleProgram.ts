/**
 * Runs one of the runnable example programs (examples/<name>/index.ts, built to
 * dist/examples/<name>/index.js) the way the Pulumi runtime does: with the stack's config set,
 * by loading its module, whose top level registers the resources and whose exports are the
 * stack outputs. The module is loaded afresh on every run.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "./paths";

export function exampleProgram(name: string, config: () => Record<string, string>, secretKeys: string[] = []): { run(): void; exports(): Record<string, any> } {
    const file = path.join(REPO_ROOT, "dist", "examples", name, "index.js");
    let exported: Record<string, any> = {};
    return {
        run: () => {
            pulumi.runtime.setAllConfig(config(), secretKeys);
            delete require.cache[require.resolve(file)];
            exported = require(file);
        },
        exports: () => exported,
    };
}

/** Resolves a known Output. */
export function outputValue<T = any>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}
