import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { backgroundSha256 } from "../../../provider/iso/backgroundHash";

describe("provider/iso/backgroundHash", () => {
    it("gives the SHA-256 of the chunks in order, even when the caller reuses its buffer", async () => {
        const hash = backgroundSha256();
        const expected = crypto.createHash("sha256");
        const reused = Buffer.alloc(64 * 1024);
        for (let i = 0; i < 50; i++) {
            reused.fill(i);
            const chunk = reused.subarray(0, 1000 + i * 997);
            hash.update(chunk);
            expected.update(chunk);
        }
        assert.equal(await hash.digest(), expected.digest("hex"));
    });

    it("hashes nothing to the empty digest", async () => {
        assert.equal(await backgroundSha256().digest(), crypto.createHash("sha256").digest("hex"));
    });
});
