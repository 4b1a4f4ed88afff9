/** waitFor(): backs off, reports while waiting, and times out saying the phase, what and how to look. */
import * as assert from "node:assert/strict";
import { PhaseClock, ProgressEvent } from "../../../../provider/resources/common/progress";
import { PhaseTimeoutError, waitFor } from "../../../../provider/resources/common/wait";

describe("common/wait", () => {
    it("resolves with the first defined probe result", async () => {
        let n = 0;
        const clock = new PhaseClock("NestedHypervisor vh0", undefined);
        assert.equal(await waitFor(async () => (++n === 3 ? "halted" : undefined), { clock, waitingFor: "x", timeoutMs: 5000, initialPollMs: 1 }), "halted");
        assert.equal(n, 3);
    });

    it("times out with the phase, what it waited for and how to look, reporting progress meanwhile", async () => {
        const events: ProgressEvent[] = [];
        const clock = new PhaseClock("NestedHypervisor vh0", (e) => events.push(e));
        clock.enter("install (Step 2 of 3)", "starting");
        const started = Date.now();
        await assert.rejects(
            waitFor(async () => undefined, { clock, waitingFor: "the installer to power VM u off", timeoutMs: 120, hint: "look at its console: ssh …", initialPollMs: 10, heartbeatMs: 20 }),
            (err: Error) => {
                assert.ok(err instanceof PhaseTimeoutError);
                assert.equal(err.message, 'NestedHypervisor vh0: phase "install (Step 2 of 3)" timed out after 120ms waiting for the installer to power VM u off\nlook at its console: ssh …');
                return true;
            },
        );
        assert.ok(Date.now() - started < 1000, "the deadline bounds the wait");
        assert.ok(events.some((e) => /^still waiting for the installer to power VM u off; \d+ms so far, deadline in \d+ms$/.test(e.message)), JSON.stringify(events));
        assert.ok(events.every((e) => e.phase === "install (Step 2 of 3)" && e.resource === "NestedHypervisor vh0"));
    });
});
