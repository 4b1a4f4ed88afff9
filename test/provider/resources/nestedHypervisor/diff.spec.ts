/** diff(): pure; what replaces, what updates in place, what needs a halt. */
import * as assert from "node:assert/strict";
import { diffNestedHypervisor } from "../../../../provider/resources/nestedHypervisor/diff";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";

const conn = { host: "xs1", port: 22, password: "a" };
const olds = {
    connection: conn, nameLabel: "vh0", isoName: "a.iso", networkUuid: "n", memoryGiB: 8, vcpus: 2, diskGiB: 100, mac: "02:00:00:00:00:01",
    powerState: "running", installTimeoutMinutes: 60, firstBootTimeoutMinutes: 30, allowHalt: false, maxParallelInstalls: 2, firmware: "bios" as const,
    keepFailedVm: false, uuid: "u", vncPort: 5901, consoleCommand: "c", installSeconds: 1, firstBootSeconds: 1, nestedVirtKeys: [], diskVdiUuid: "d", stateVersion: 1,
};
const news = (over: Record<string, unknown> = {}) => {
    const { uuid: _u, vncPort: _v, consoleCommand: _c, installSeconds: _i, firstBootSeconds: _f, nestedVirtKeys: _n, diskVdiUuid: _d, stateVersion: _s, ...inputs } = olds;
    return { ...inputs, powerState: "running" as const, ...over } as any;
};
const config = { get: () => undefined };

describe("nestedHypervisor/diff", () => {
    it("finds no change in unchanged inputs, whatever the provider code or computed outputs", () => {
        assert.deepEqual(diffNestedHypervisor(olds, news(), config), { changes: false, replaces: [], deleteBeforeReplace: true });
    });

    it("replaces (delete first) on ISO, network, disk, MAC, firmware and host; not on credentials", () => {
        for (const [key, value] of [["isoName", "b.iso"], ["networkUuid", "m"], ["diskGiB", 120], ["mac", "02:00:00:00:00:02"], ["firmware", "uefi"]] as const) {
            assert.deepEqual(diffNestedHypervisor(olds, news({ [key]: value }), config), { changes: true, replaces: [key], deleteBeforeReplace: true }, key);
        }
        assert.deepEqual(diffNestedHypervisor(olds, news({ connection: { ...conn, port: 2222 } }), config).replaces, ["connection"]);
        assert.deepEqual(diffNestedHypervisor(olds, news({ connection: { ...conn, password: "b" } }), config), { changes: false, replaces: [], deleteBeforeReplace: true });
    });

    it("updates name and power state in place", () => {
        assert.deepEqual(diffNestedHypervisor(olds, news({ nameLabel: "vh1", powerState: "halted" }), config), { changes: true, replaces: [], deleteBeforeReplace: true });
        assert.deepEqual(diffNestedHypervisor(olds, news({ installTimeoutMinutes: 90 }), config), { changes: true, replaces: [], deleteBeforeReplace: true });
    });

    it("resizes in place only when no running VM would have to halt unasked", () => {
        assert.deepEqual(diffNestedHypervisor(olds, news({ memoryGiB: 16 }), config).replaces, ["memoryGiB"]);
        assert.deepEqual(diffNestedHypervisor(olds, news({ vcpus: 4, allowHalt: true }), config).replaces, []);
        assert.deepEqual(diffNestedHypervisor({ ...olds, powerState: "halted" }, news({ vcpus: 4 }), config).replaces, []);
        assert.deepEqual(diffNestedHypervisor(olds, news({ memoryGiB: 16, powerState: "halted" }), config).replaces, []);
    });

    it("counts unknown values (preview) as changes, and as replacements where they would replace", () => {
        assert.deepEqual(diffNestedHypervisor(olds, news({ networkUuid: UNKNOWN }), config).replaces, ["networkUuid"]);
        assert.deepEqual(diffNestedHypervisor(olds, news({ nameLabel: UNKNOWN }), config), { changes: true, replaces: [], deleteBeforeReplace: true });
    });
});
