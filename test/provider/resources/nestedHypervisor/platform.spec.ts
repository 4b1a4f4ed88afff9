/** Platform settings per host version: pure. */
import * as assert from "node:assert/strict";
import { nestedVirtKeys, platformParams } from "../../../../provider/resources/nestedHypervisor/platform";

describe("nestedHypervisor/platform", () => {
    it("chooses exp-nested-hvm up to 8.2, nested-virt for XenServer 8 and XCP-ng 8.3, both when in doubt", () => {
        const cases: Array<[string, string, string[]]> = [
            ["XenServer", "7.1.0", ["exp-nested-hvm"]],
            ["Citrix Hypervisor", "8.2.1", ["exp-nested-hvm"]],
            ["XCP-ng", "8.2.1", ["exp-nested-hvm"]],
            ["XCP-ng", "8.3.0", ["nested-virt"]],
            ["XenServer", "8.4.0", ["nested-virt"]],
            ["XenServer", "8.3.0", ["exp-nested-hvm", "nested-virt"]],
            ["SomethingElse", "9.0.0", ["exp-nested-hvm", "nested-virt"]],
            ["XenServer", "", ["exp-nested-hvm", "nested-virt"]],
        ];
        for (const [brand, version, keys] of cases) assert.deepEqual(nestedVirtKeys(brand, version), keys, `${brand} ${version}`);
    });

    it("sets e1000, boot order dc, the firmware and, for UEFI, the upstream device model", () => {
        assert.deepEqual(platformParams(["nested-virt"], "bios"), {
            platform: { nic_type: "e1000", "nested-virt": "true" },
            "HVM-boot-params": { order: "dc", firmware: "bios" },
        });
        assert.deepEqual(platformParams(["exp-nested-hvm", "nested-virt"], "uefi"), {
            platform: { nic_type: "e1000", "exp-nested-hvm": "true", "nested-virt": "true", "device-model": "qemu-upstream-uefi" },
            "HVM-boot-params": { order: "dc", firmware: "uefi" },
        });
    });
});
