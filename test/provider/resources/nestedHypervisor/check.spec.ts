/** check(): rules, defaults, unknowns, the kept MAC. Pure (the config is a plain object). */
import * as assert from "node:assert/strict";
import { checkNestedHypervisor } from "../../../../provider/resources/nestedHypervisor/check";
import { deriveMac } from "../../../../provider/resources/nestedHypervisor/naming";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";

const config = { get: (k: string) => ({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "pw-123456", "virtual-hypervisor:hostKey": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } as Record<string, string>)[k] };
const NET = "3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f";

describe("nestedHypervisor/check", () => {
    it("applies every default, so an omitted value and the default written out are equal", () => {
        const { inputs, failures } = checkNestedHypervisor({}, { nameLabel: "vh0", isoName: "x.iso", networkUuid: NET }, config);
        assert.deepEqual(failures, []);
        assert.deepEqual(inputs, {
            nameLabel: "vh0", isoName: "x.iso", networkUuid: NET, memoryGiB: 8, vcpus: 2, diskGiB: 100, mac: deriveMac("vh0"), powerState: "running",
            installTimeoutMinutes: 60, firstBootTimeoutMinutes: 30, allowHalt: false, maxParallelInstalls: 2, firmware: "bios", keepFailedVm: false,
        });
    });

    it("reports every broken rule at once, naming the input, the rule and the value", () => {
        const { failures } = checkNestedHypervisor({}, {
            nameLabel: "", networkUuid: "home", memoryGiB: 4.0001, vcpus: 0, diskGiB: 8, mac: "01:00:5e:00:00:01", powerState: "paused",
            installTimeoutMinutes: 0, maxParallelInstalls: 1.5, firmware: "coreboot", allowHalt: "yes",
        }, { get: () => undefined });
        const reasons = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
        assert.equal(reasons.nameLabel, 'nameLabel must not be empty, got ""');
        assert.equal(reasons.isoName, "isoName is required");
        assert.equal(reasons.networkUuid, 'networkUuid must be the uuid of the network for the VM\'s NIC, like "3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f", got "home"');
        assert.equal(reasons.memoryGiB, "memoryGiB must be a whole number of MiB (a multiple of 1/1024 GiB), got 4.0001");
        assert.equal(reasons.vcpus, "vcpus must be an integer from 1 to 64, got 0");
        assert.equal(reasons.diskGiB, "diskGiB must be an integer from 12 to 65536 GiB, got 8");
        assert.equal(reasons.mac, 'mac must be a unicast address (lowest bit of the first byte clear), got "01:00:5e:00:00:01"');
        assert.equal(reasons.powerState, 'powerState must be one of "running", "halted", got "paused"');
        assert.equal(reasons.installTimeoutMinutes, "installTimeoutMinutes must be a number from 0.001 to 10080 minutes, got 0");
        assert.equal(reasons.maxParallelInstalls, "maxParallelInstalls must be an integer from 1 to 64, got 1.5");
        assert.equal(reasons.firmware, 'firmware must be one of "bios", "uefi", got "coreboot"');
        assert.equal(reasons.allowHalt, 'allowHalt must be true or false, got "yes"');
        assert.match(reasons.connection, /no XenServer host to connect to/);
    });

    it("tolerates unknown values anywhere (preview)", () => {
        const { inputs, failures } = checkNestedHypervisor({}, { nameLabel: UNKNOWN, isoName: UNKNOWN, networkUuid: UNKNOWN, memoryGiB: UNKNOWN, connection: { host: UNKNOWN, password: UNKNOWN } }, config);
        assert.deepEqual(failures, []);
        assert.equal(inputs.mac, UNKNOWN, "a MAC derived from an unknown name is unknown");
        assert.equal(inputs.memoryGiB, UNKNOWN);
    });

    it("keeps the VM's MAC when it is renamed, normalises a given one", () => {
        const first = checkNestedHypervisor({}, { nameLabel: "vh0", isoName: "x.iso", networkUuid: NET }, config).inputs;
        const renamed = checkNestedHypervisor(first, { nameLabel: "vh0-new", isoName: "x.iso", networkUuid: NET }, config).inputs;
        assert.equal(renamed.mac, deriveMac("vh0"));
        const given = checkNestedHypervisor(first, { nameLabel: "vh0", isoName: "x.iso", networkUuid: NET, mac: "02-AA-BB-CC-DD-EE" }, config).inputs;
        assert.equal(given.mac, "02:aa:bb:cc:dd:ee");
    });

    it("never quotes a secret of the connection", () => {
        const { failures } = checkNestedHypervisor({}, { nameLabel: "vh0", isoName: "x.iso", networkUuid: NET, connection: { host: "xs 1", password: "s3cret-pw", hostKey: "nope" } }, config);
        assert.ok(failures.length >= 2);
        assert.ok(failures.every((f) => !f.reason.includes("s3cret-pw")));
    });
});
