/** Requirements: see ../fronts.ts (root + openssh-server for one front; the built simulator). */
import * as assert from "node:assert/strict";
import { describeOnEachFront } from "../fronts";

describeOnEachFront("provider/xe/ops/network", (ctx) => {
    it("creates a tagged network, finds it by tag, edits maps and destroys it", async () => {
        const uuid = await ctx.xe.network.create({ nameLabel: "vh-home", nameDescription: "lab home", mtu: 1500, otherConfig: { "vh:lab": "lab1", "vh:role": "home" } });
        assert.deepEqual(await ctx.xe.findByOtherConfig("network", "vh:lab", "lab1"), [uuid]);
        assert.deepEqual(await ctx.xe.findByNameLabel("network", "vh-home"), [uuid]);
        assert.match(await ctx.xe.network.bridge(uuid), /^xapi\d+$/);
        const map = await ctx.xe.paramGetMap("network", uuid, "other-config");
        assert.equal(map["vh:lab"], "lab1");
        await ctx.xe.paramAdd("network", uuid, "other-config", { extra: "1" });
        await ctx.xe.paramRemove("network", uuid, "other-config", "vh:role");
        assert.deepEqual(await ctx.xe.paramGetMap("network", uuid, "other-config"), { "vh:lab": "lab1", extra: "1" });
        await ctx.xe.paramAddToSet("network", uuid, "tags", "vh");
        assert.deepEqual(await ctx.xe.paramGetSet("network", uuid, "tags"), ["vh"]);
        await ctx.xe.paramClear("network", uuid, "other-config");
        assert.deepEqual(await ctx.xe.paramGetMap("network", uuid, "other-config"), {});
        await ctx.xe.network.destroy(uuid);
        assert.equal(await ctx.xe.record("network", uuid), undefined);
    });

    it("creates and destroys a VIF", async () => {
        const network = await ctx.xe.network.create({ nameLabel: "vh-vif-net" });
        const vm = await ctx.xe.vm.install({ template: "Other install media", nameLabel: "vh-vif-vm" });
        try {
            const vif = await ctx.xe.vif.create({ vmUuid: vm, networkUuid: network, device: 0, mac: "random" });
            assert.deepEqual(await ctx.xe.vm.vifUuids(vm), [vif]);
            assert.equal(await ctx.xe.paramGet("vif", vif, "network-uuid"), network);
            await ctx.xe.vif.destroy(vif);
            assert.deepEqual(await ctx.xe.vm.vifUuids(vm), []);
        } finally {
            await ctx.xe.vm.uninstall(vm);
            await ctx.xe.network.destroy(network);
        }
    });
});
