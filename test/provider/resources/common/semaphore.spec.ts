/** Per-host limits inside one provider process. */
import * as assert from "node:assert/strict";
import { withLock, withSlot } from "../../../../provider/resources/common/semaphore";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("common/semaphore", () => {
    it("runs at most `limit` holders of a key at once, in arrival order, and reports who waits", async () => {
        let active = 0;
        let peak = 0;
        const order: number[] = [];
        const queued: number[] = [];
        await Promise.all([0, 1, 2, 3, 4].map((i) => withSlot("host-a", 2, async () => {
            active++;
            peak = Math.max(peak, active);
            order.push(i);
            await tick();
            active--;
        }, () => queued.push(i))));
        assert.equal(peak, 2);
        assert.deepEqual(order, [0, 1, 2, 3, 4]);
        assert.deepEqual(queued, [2, 3, 4]);
    });

    it("keeps keys apart, releases on failure, and locks with withLock", async () => {
        let bActive = 0;
        await Promise.all([
            withSlot("host-b", 1, async () => { bActive++; await tick(); bActive--; }),
            withSlot("host-c", 1, async () => { assert.equal(bActive, 1, "another host's slot does not wait"); }),
        ]);
        await assert.rejects(withSlot("host-d", 1, async () => { throw new Error("boom"); }), /boom/);
        assert.equal(await withSlot("host-d", 1, async () => "free again"), "free again");
        const seen: string[] = [];
        await Promise.all(["x", "y"].map((v) => withLock("lib", async () => { seen.push(`in ${v}`); await tick(); seen.push(`out ${v}`); })));
        assert.deepEqual(seen, ["in x", "out x", "in y", "out y"]);
    });
});
