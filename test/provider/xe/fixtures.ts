/**
 * Captured xe output in test/fixtures/xe/*.txt: a `# ` header saying where it came from, a `---`
 * line, then the output byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../helpers/paths";

export function xeFixture(name: string): string {
    const text = fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "xe", name), "utf8");
    const at = text.indexOf("\n---\n");
    if (at < 0) throw new Error(`fixture ${name} has no "---" line after its header`);
    return text.slice(at + 5);
}
