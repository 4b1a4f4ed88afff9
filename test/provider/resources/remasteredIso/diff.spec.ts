/** diff(): pure; content replaces (create first), a moved source or another target updates. */
import * as assert from "node:assert/strict";
import { diffRemasteredIso } from "../../../../provider/resources/remasteredIso/diff";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";

const conn = { host: "xs1", password: "a" };
const inputs = {
    connection: conn, sourceIso: "/isos/xs.iso", answerFile: "<installation/>", kernelArgs: [], isoLibrary: { nameLabel: "lib" },
    contentHash: "h1", isoName: "vh-h1.iso",
};
const olds = { ...inputs, vdiUuid: "v", srUuid: "s", libraryDirectory: "/root/lib", sha256: "x", sizeBytes: 1, resolvedTarget: "xenserver-8", refId: "r", stateVersion: 1 } as any;
const config = { get: () => undefined };

describe("remasteredIso/diff", () => {
    it("finds nothing to do for unchanged inputs", () => {
        assert.deepEqual(diffRemasteredIso(olds, inputs as any, config), { changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("replaces, creating first, when the content changes, naming the input that changed it", () => {
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, kernelArgs: ["x"], contentHash: "h2" } as any, config).replaces, ["kernelArgs"]);
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, answerFile: "<installation mode='x'/>", contentHash: "h2" } as any, config).replaces, ["answerFile"]);
        // Same arguments, another hash: the source ISO's bytes changed.
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, contentHash: "h3" } as any, config), { changes: true, replaces: ["sourceIso"], deleteBeforeReplace: false });
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, isoLibrary: { nameLabel: "lib", directory: "/srv" } } as any, config).replaces, ["isoLibrary"]);
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, connection: { host: "xs2", password: "a" } } as any, config).replaces, ["connection"]);
    });

    it("updates in place for a moved source with the same content, another target, or nothing for new credentials", () => {
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, sourceIso: "/elsewhere/xs.iso" } as any, config), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, target: "xcp-ng-8.3" } as any, config), { changes: true, replaces: [], deleteBeforeReplace: false });
        assert.deepEqual(diffRemasteredIso(olds, { ...inputs, connection: { host: "xs1", password: "b" } } as any, config).changes, false);
    });

    it("treats content it cannot hash yet (preview) as a replacement", () => {
        const { contentHash: _c, isoName: _n, ...rest } = inputs;
        assert.deepEqual(diffRemasteredIso(olds, { ...rest, answerFile: UNKNOWN } as any, config).replaces, ["answerFile"]);
        assert.deepEqual(diffRemasteredIso(olds, { ...rest, sourceIso: UNKNOWN } as any, config).replaces, ["sourceIso"]);
    });
});
