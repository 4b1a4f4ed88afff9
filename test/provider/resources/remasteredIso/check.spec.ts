/** check(): rules, normalisation, and the content hash that names the ISO. */
import * as assert from "node:assert/strict";
import { checkAndHash } from "../../../../provider/resources/remasteredIso/check";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";
import { answerFile, ROOT_PASSWORD, standinSourceIso } from "../fixtures";

const config = { get: (k: string) => ({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "pw-123456", "virtual-hypervisor:hostKey": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } as Record<string, string>)[k] };

describe("remasteredIso/check", function () {
    this.timeout(30_000);
    let source: string;
    before(() => { source = standinSourceIso(); });

    it("normalises: absolute source, hashed answer file, defaults, and the content-addressed name", async () => {
        const { inputs, failures } = await checkAndHash({ sourceIso: source, answerFile: answerFile() }, config);
        assert.deepEqual(failures, []);
        assert.equal(inputs.sourceIso, source);
        assert.ok(!JSON.stringify(inputs).includes(ROOT_PASSWORD));
        assert.deepEqual(inputs.kernelArgs, []);
        assert.deepEqual(inputs.isoLibrary, { nameLabel: "virtual-hypervisor ISO library" });
        assert.match(inputs.contentHash, /^[0-9a-f]{64}$/);
        assert.equal(inputs.isoName, `vh-${inputs.contentHash.slice(0, 16)}.iso`);
        const again = await checkAndHash({ sourceIso: source, answerFile: answerFile(), isoLibrary: { directory: "/srv/isos/" } }, config);
        assert.equal(again.inputs.contentHash, inputs.contentHash, "equal inputs, equal content");
        assert.equal(again.inputs.isoLibrary.directory, "/srv/isos");
        const other = await checkAndHash({ sourceIso: source, answerFile: answerFile(), kernelArgs: ["console=ttyS0"] }, config);
        assert.notEqual(other.inputs.contentHash, inputs.contentHash);
    });

    it("lets preview through with unknowns, without a hash", async () => {
        const { inputs, failures } = await checkAndHash({ sourceIso: source, answerFile: UNKNOWN, kernelArgs: [UNKNOWN] }, config);
        assert.deepEqual(failures, []);
        assert.equal(inputs.contentHash, undefined);
    });

    it("reports broken scripts and kernel arguments, naming them", async () => {
        const { failures } = await checkAndHash({ sourceIso: source, answerFile: answerFile(), scripts: [{ path: "/x.sh" }, "y"], kernelArgs: "quiet" }, config);
        const reasons = failures.map((f) => `${f.property}: ${f.reason}`);
        assert.ok(reasons.includes('scripts: scripts[0] must be { path: string, content: string, mode?: number }, got {"path":"/x.sh","content":"undefined"}'), reasons.join("\n"));
        assert.ok(reasons.some((r) => r.startsWith("scripts: scripts[1] must be")));
        assert.ok(reasons.includes('kernelArgs: kernelArgs must be a list of strings, got "quiet"'));
    });
});
