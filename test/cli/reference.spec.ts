/**
 * docs/cli.md, the CLI reference, stays exactly in sync with what `vh` prints: every command's
 * usage text verbatim, `vh --help`, the connection flags, and the exit codes. (The --json examples
 * are compared with real output in each command's spec.)
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS } from "../../cli/commands/index";
import { CONNECTION_USAGE } from "../../cli/connection";
import { EXIT } from "../../cli/exit";
import { REPO_ROOT } from "../helpers/paths";
import { vhInProcess } from "./run";

const DOC = path.join(REPO_ROOT, "docs", "cli.md");

/** The ```text blocks of the document. */
function textBlocks(doc: string): string[] {
    return [...doc.matchAll(/^```text\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
}

describe("docs/cli.md (the CLI reference)", () => {
    const doc = fs.readFileSync(DOC, "utf8");

    it("has a section with each command's usage text, verbatim", () => {
        const blocks = textBlocks(doc);
        for (const c of COMMANDS) {
            assert.ok(doc.includes(`\n## \`vh ${c.name}\`\n`), `a section for vh ${c.name}`);
            assert.ok(blocks.includes(c.usage.replace(/\n$/, "")), `docs/cli.md lacks the exact usage of vh ${c.name}; it is:\n${c.usage}`);
        }
    });

    it("shows `vh --help` as it prints, and the connection flags as every host command prints them", async () => {
        const help = await vhInProcess(["--help"]);
        assert.ok(textBlocks(doc).includes(help.stdout.replace(/\n$/, "")), `docs/cli.md lacks the exact \`vh --help\`:\n${help.stdout}`);
        assert.ok(textBlocks(doc).includes(CONNECTION_USAGE), "the connection flags block");
        for (const c of COMMANDS.filter((x) => ["network", "install", "console", "destroy"].includes(x.name))) {
            assert.ok(c.usage.includes(CONNECTION_USAGE), `vh ${c.name} lists the connection flags`);
        }
    });

    it("documents every exit code, with the numbers of cli/exit.ts", () => {
        const table = doc.slice(doc.indexOf("### Exit codes"));
        for (const code of Object.values(EXIT)) assert.match(table, new RegExp(`\\n\\| ${code} \\| `), `exit code ${code}`);
        const documented = [...table.matchAll(/\n\| (\d+) \| /g)].map((m) => Number(m[1]));
        assert.deepEqual(documented, Object.values(EXIT), "no other codes, in order");
    });
});
