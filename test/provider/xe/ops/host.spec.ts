/** Requirements: see ../fronts.ts (root + openssh-server for one front; the built simulator). */
import * as assert from "node:assert/strict";
import { describeOnEachFront } from "../fronts";

describeOnEachFront("provider/xe/ops/host", (ctx) => {
    it("finds the single host and reads its software version, CPUs and memory", async () => {
        const host = await ctx.xe.host.uuid();
        assert.match(host, /^[0-9a-f-]{36}$/);
        const version = await ctx.xe.host.softwareVersion(host);
        assert.match(version.product_version, /^\d+\.\d+\.\d+$/);
        assert.ok(version.product_brand);
        const cpu = await ctx.xe.host.cpuInfo(host);
        assert.ok(Number(cpu.cpu_count) >= 1);
        const free = await ctx.xe.host.memoryFree(host);
        const total = await ctx.xe.host.memoryTotal(host);
        assert.ok(free > 0 && free <= total);
    });

    it("reads the pool's restrictions and default SR", async () => {
        const restrictions = await ctx.xe.pool.restrictions();
        assert.ok(["true", "false"].includes(restrictions.restrict_nested_virt ?? "false"));
        const sr = await ctx.xe.pool.defaultSr();
        assert.ok(sr === undefined || (await ctx.xe.record("sr", sr)) !== undefined);
    });
});
