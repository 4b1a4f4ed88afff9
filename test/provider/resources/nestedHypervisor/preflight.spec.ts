/**
 * Pre-flight against simulated hosts, straight through the provider implementation: every reason
 * an install cannot work is reported at once in user terms (the licence restriction on nested
 * virtualisation instead of a raw LICENCE_RESTRICTION at start), nothing is created; and the
 * nested-virt key follows the host's version (Citrix Hypervisor 8.2: exp-nested-hvm).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preflightProblems } from "../../../../provider/resources/nestedHypervisor";
import type { HostFacts } from "../../../../provider/resources/nestedHypervisor/preflight";
import { providers } from "../../../../provider/resources/impl";
import { closeAll } from "../../../../provider/ssh";
import { parseMap } from "../../../../provider/xe";
import { ensureHost } from "../../../../sim";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { sweep } from "../../../helpers/sweep";
import { answerFile, callCount, callsSince, stackConfig, standinSourceIso, writes, xeOf } from "../fixtures";

/** Calls provider methods the way the shim does: `this` holds the stack config. */
function providerOn(sim: SimHost) {
    const shim = { config: { get: (k: string) => stackConfig(sim)[k] } };
    return async (kind: string, method: string, ...args: any[]): Promise<any> => (providers[kind] as any)[method].call(shim, ...args);
}

describe("NestedHypervisor pre-flight (provider implementation, simulated XenServer)", function () {
    this.timeout(60_000);
    const sims: SimHost[] = [];
    after(async () => {
        await closeAll();
        for (const s of sims) await s.stop().catch((e: Error) => console.error(`could not stop a simulator: ${e.message}`));
    });

    it("reports every problem at once, in user terms, and creates nothing", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-preflight-"));
        ensureHost(stateDir, { nestedVirtRestricted: true, hostMemoryGiB: 16, localSrGiB: 50 });
        const sim = await startSimHost({ stateDir });
        sims.push(sim);
        process.once("exit", () => fs.rmSync(stateDir, { recursive: true, force: true }));
        const call = providerOn(sim);
        const { inputs, failures } = await call("NestedHypervisor", "check", {}, {
            nameLabel: "vh0", isoName: "vh-0000000000000000.iso", networkUuid: "3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f", memoryGiB: 32, diskGiB: 100,
        });
        assert.deepEqual(failures, []);
        const calls = callCount(sim.stateDir);
        await assert.rejects(call("NestedHypervisor", "create", inputs), (err: Error) => {
            assert.ok(err instanceof Error && err.name === "PreflightError", err.stack);
            const lines = err.message.split("\n");
            assert.match(lines[0], /^NestedHypervisor vh0: cannot install on root@127\.0\.0\.1:\d+:$/);
            assert.match(err.message, /- networkUuid: network 3fa9c1d2-6a7b-4c8d-9e0f-1a2b3c4d5e6f does not exist on /);
            assert.match(err.message, /- isoName: no ISO named vh-0000000000000000\.iso in an ISO SR on .*; create it with RemasteredIso/);
            assert.match(err.message, /- diskGiB: the default SR "Local storage" \([0-9a-f-]{36}\) has 50\.0 GiB free, the system disk needs 100 GiB/);
            assert.match(err.message, /- memoryGiB: .* has \d+\.\d+ GiB of free memory; vh0 needs 32\.\d+ GiB \(32 GiB, all of it at start because nested virtualisation pins memory, plus overhead\)/);
            assert.match(err.message, /- the pool's licence does not allow nested virtualisation \(pool restrictions: restrict_nested_virt=true\)/);
            assert.doesNotMatch(err.message, /LICENCE_RESTRICTION/);
            return true;
        });
        assert.deepEqual(writes(callsSince(sim.stateDir, calls)), [], "pre-flight only reads");
        assert.deepEqual(await sweep(xeOf(sim), { names: ["vh0"] }), []);
    });

    it("sets exp-nested-hvm on Citrix Hypervisor 8.2 and installs there too, with UEFI", async () => {
        const sim = await startSimHost({ product: "8.2", installSeconds: 0.1, firstBootSeconds: 0.1 });
        sims.push(sim);
        const call = providerOn(sim);
        const iso = await call("RemasteredIso", "create", (await call("RemasteredIso", "check", {}, { sourceIso: standinSourceIso(), answerFile: answerFile(), target: "xenserver-8" })).inputs);
        const net = await call("XenNetwork", "create", (await call("XenNetwork", "check", {}, { nameLabel: "home" })).inputs);
        const { inputs } = await call("NestedHypervisor", "check", {}, { nameLabel: "vh82", isoName: iso.outs.isoName, networkUuid: net.id, memoryGiB: 2, diskGiB: 60, powerState: "halted", firmware: "uefi" });
        const vm = await call("NestedHypervisor", "create", inputs);
        assert.deepEqual(vm.outs.nestedVirtKeys, ["exp-nested-hvm"]);
        const xe = xeOf(sim);
        const platform = parseMap(await xe.paramGet("vm", vm.id, "platform"));
        assert.equal(platform["exp-nested-hvm"], "true");
        assert.equal(platform["nested-virt"], undefined);
        assert.equal(platform["device-model"], "qemu-upstream-uefi");
        assert.equal(parseMap(await xe.paramGet("vm", vm.id, "HVM-boot-params")).firmware, "uefi");
        assert.equal(await xe.paramGet("vm", vm.id, "power-state"), "halted");
        await call("NestedHypervisor", "delete", vm.id, vm.outs);
        await call("XenNetwork", "delete", net.id, net.outs);
        await call("RemasteredIso", "delete", iso.id, iso.outs);
        assert.deepEqual(await sweep(xe), []);
    });

    it("judges facts without a host (pure): a missing template and no default SR", () => {
        const facts: HostFacts = {
            target: "root@xs:22", hostUuid: "h", brand: "XCP-ng", productVersion: "8.3.0", nestedVirtKeys: ["nested-virt"], restrictNestedVirt: false,
            poolUuid: "p", memoryFreeBytes: 64 * 1024 ** 3, networkExists: true, isoVdiUuid: "v", vms: [], disks: [],
        };
        const spec = { nameLabel: "vh0", isoName: "x.iso", networkUuid: "n", memoryGiB: 8, vcpus: 2, diskGiB: 100 };
        assert.deepEqual(preflightProblems(facts, spec), [
            'the template "Other install media" is missing on root@xs:22; nested hypervisors are installed from it',
            "the pool has no default SR to hold the 100 GiB system disk; set one: xe pool-param-set uuid=p default-SR=<sr uuid>",
        ]);
        assert.deepEqual(preflightProblems({ ...facts, templateUuid: "t", defaultSr: { uuid: "s", nameLabel: "Local", freeBytes: 200 * 1024 ** 3 } }, spec), []);
        // exp-nested-hvm hosts have no licence check for it (xapi does not restrict the old key).
        assert.deepEqual(preflightProblems({ ...facts, templateUuid: "t", defaultSr: { uuid: "s", nameLabel: "Local", freeBytes: 200 * 1024 ** 3 }, restrictNestedVirt: true, nestedVirtKeys: ["exp-nested-hvm"] }, spec), []);
    });
});
