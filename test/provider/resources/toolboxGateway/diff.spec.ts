import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";
import { diffGateway as diffWith } from "../../../../provider/resources/toolboxGateway/diff";

const noConfig = { get: () => undefined };
const diffGateway = (olds: Parameters<typeof diffWith>[0], news: Parameters<typeof diffWith>[1]) => diffWith(olds, news, noConfig);

describe("provider/resources/toolboxGateway/diff", () => {
    const inputs = {
        lab: "lab1", toolboxVm: "toolbox", homeNetwork: "3fa9c1d2-5b6e-4a7f-8c9d-0e1f2a3b4c5d", gatewayCidr: "192.168.32.1/24",
        natBackend: "nftables" as const, stateDir: "/etc/virtual-hypervisor/lab1", serviceManager: "auto" as const,
        toolbox: { host: "10.0.0.30", password: "a" }, connection: { host: "10.0.0.25", password: "b" },
        hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }],
    };
    const olds = { ...inputs, vifUuid: "v", mac: "02:00:00:00:00:01", homeInterface: "eth1", drift: [] as string[] };

    it("reports no change for the same inputs (computed outputs are not compared)", () => {
        assert.deepEqual(diffGateway(olds, inputs), { changes: false, replaces: [], deleteBeforeReplace: true });
    });

    for (const [key, value] of Object.entries({
        toolboxVm: "other", homeNetwork: "4fa9c1d2-5b6e-4a7f-8c9d-0e1f2a3b4c5d", lab: "lab2", gatewayCidr: "10.1.1.1/24",
        natBackend: "shorewall", stateDir: "/srv/vh", serviceManager: "direct",
    })) {
        it(`replaces (deleting first) when ${key} changes`, () => {
            assert.deepEqual(diffGateway(olds, { ...inputs, [key]: value }), { changes: true, replaces: [key], deleteBeforeReplace: true });
        });
    }

    it("replaces when the XenServer host changes; its credentials alone change nothing", () => {
        assert.deepEqual(diffGateway(olds, { ...inputs, connection: { host: "10.0.0.26", password: "b" } }).replaces, ["connection"]);
        assert.deepEqual(diffGateway(olds, { ...inputs, connection: { host: "10.0.0.25", port: 22, password: "c" } }), { changes: false, replaces: [], deleteBeforeReplace: true });
    });

    it("compares the host kept in state with the stack config's when the argument is absent", () => {
        const config = (host: string) => ({ get: (k: string) => ({ "virtual-hypervisor:host": host, "virtual-hypervisor:password": "pw" } as Record<string, string>)[k] });
        const fromConfig = { ...inputs, connection: undefined };
        assert.deepEqual(diffWith(olds, fromConfig, config("10.0.0.25")), { changes: false, replaces: [], deleteBeforeReplace: true });
        assert.deepEqual(diffWith(olds, fromConfig, config("10.0.0.99")).replaces, ["connection"]);
    });

    for (const [key, value] of Object.entries({
        hosts: [{ hostname: "vh1.lab", address: "192.168.32.3" }], upstreamDns: ["10.0.0.53"], upstreamInterface: "eth2", toolbox: { host: "10.0.0.31", password: "a" },
    })) {
        it(`updates in place when ${key} changes`, () => {
            assert.deepEqual(diffGateway(olds, { ...inputs, [key]: value }), { changes: true, replaces: [], deleteBeforeReplace: true });
        });
    }

    it("treats unknown values as changes (replace for identity, update otherwise)", () => {
        assert.deepEqual(diffGateway(olds, { ...inputs, lab: UNKNOWN, hosts: [{ hostname: "vh0.lab", address: UNKNOWN }] }).replaces, ["lab"]);
        assert.deepEqual(diffGateway(olds, { ...inputs, hosts: UNKNOWN as never }), { changes: true, replaces: [], deleteBeforeReplace: true });
        assert.deepEqual(diffGateway(olds, { ...inputs, connection: UNKNOWN as never }).replaces, ["connection"]);
    });

    it("asks for an update that re-applies when the last refresh found drift", () => {
        assert.deepEqual(diffGateway({ ...olds, drift: ["DNS proxy: not running"] }, inputs), { changes: true, replaces: [], deleteBeforeReplace: true });
    });
});
