/** State written by the resources: JSON-safe, versioned, older versions readable. */
import * as assert from "node:assert/strict";
import { jsonSafe, readState, STATE_VERSION } from "../../../../provider/resources/common/state";
import { resolveNestedHypervisorInputs } from "../../../../provider/resources/nestedHypervisor";

describe("common/state", () => {
    it("drops what a protobuf Struct cannot carry", () => {
        assert.deepEqual(jsonSafe({ a: undefined, b: [1, undefined], c: new Date(0), d: null }), { b: [1, null], c: "1970-01-01T00:00:00.000Z", d: null });
    });

    it("reads state without a version (written before versioning) and refuses state from a newer release", () => {
        assert.equal(STATE_VERSION, 1);
        assert.deepEqual(readState({ uuid: "u" }, "XenNetwork home"), { uuid: "u" });
        assert.deepEqual(readState({ uuid: "u", stateVersion: 1 }, "XenNetwork home"), { uuid: "u", stateVersion: 1 });
        assert.throws(() => readState({ stateVersion: 2 }, "XenNetwork home"), /^Error: XenNetwork home: its state was written by a newer virtual-hypervisor \(state version 2, this one reads up to 1\); upgrade/);
    });

    it("resolves arguments for callers outside Pulumi (the CLI), or lists every problem", () => {
        const inputs = resolveNestedHypervisorInputs({ nameLabel: "vh0", isoName: "x.iso", networkUuid: "3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f", connection: { host: "xs1", password: "pw-1234", insecureSkipHostKeyCheck: true } });
        assert.equal(inputs.memoryGiB, 8);
        assert.throws(() => resolveNestedHypervisorInputs({ nameLabel: "vh0", vcpus: 0 }), (err: Error) => {
            assert.equal(err.name, "InputValidationError");
            assert.match(err.message, /^invalid NestedHypervisor arguments:\n- isoName is required\n- networkUuid is required\n- vcpus must be an integer from 1 to 64, got 0\n- connection: no XenServer host/);
            return true;
        });
    });
});
