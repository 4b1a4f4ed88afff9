/** Requirements: see ../fronts.ts (root + openssh-server for one front; the built simulator). */
import * as assert from "node:assert/strict";
import { XeError } from "../../../../provider/xe";
import { describeOnEachFront } from "../fronts";

const GiB = 1024 ** 3;

describeOnEachFront("provider/xe/ops/vm", (ctx) => {
    it("installs a VM from a template, configures it, powers it on and off, and uninstalls it", async () => {
        const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-nested-1" });
        try {
            assert.equal(await ctx.xe.vm.powerState(vm), "halted");
            await ctx.xe.vm.memoryLimitsSet(vm, { staticMin: GiB, staticMax: 4 * GiB, dynamicMin: 4 * GiB, dynamicMax: 4 * GiB });
            assert.equal(await ctx.xe.paramGet("vm", vm, "memory-static-max"), String(4 * GiB));
            await ctx.xe.paramSet("vm", vm, { "VCPUs-max": 2, "VCPUs-at-startup": 2, platform: { "exp-nested-hvm": "true" }, "HVM-boot-params": { order: "dc" } });
            assert.equal(await ctx.xe.paramGet("vm", vm, "platform", "exp-nested-hvm"), "true");
            const sr = (await ctx.xe.findByNameLabel("sr", "Local storage"))[0];
            await ctx.xe.vm.diskAdd(vm, { diskSize: 100 * GiB, device: 0, srUuid: sr });
            assert.equal((await ctx.xe.vm.vbdUuids(vm)).length, 1);

            await ctx.xe.vm.start(vm);
            assert.equal(await ctx.xe.vm.powerState(vm), "running");
            const err = await ctx.xe.vm.start(vm).catch((e: unknown) => e);
            assert.ok(err instanceof XeError && err.code === "VM_BAD_POWER_STATE");
            await ctx.xe.vm.hardShutdown(vm);
            assert.equal(await ctx.xe.vm.powerState(vm), "halted");
        } finally {
            await ctx.xe.vm.uninstall(vm);
        }
        assert.equal(await ctx.xe.record("vm", vm), undefined);
    });

    it("destroys a halted VM record", async () => {
        const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-destroy-me" });
        await ctx.xe.vm.destroy(vm);
        assert.deepEqual(await ctx.xe.findByNameLabel("vm", "vh-destroy-me"), []);
    });
});
