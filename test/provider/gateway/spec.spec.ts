import * as assert from "node:assert/strict";
import { hostsEntries, nftTableName, resolveSpec, validateGatewayFields, validateGatewaySpec } from "../../../provider/gateway/spec";
import { HOSTILE_VALUES } from "../xe/hostileValues";

describe("provider/gateway/spec", () => {
    const valid = { lab: "lab1", homeMac: "02:aa:bb:cc:dd:01", hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }] };

    it("accepts a minimal spec and applies the defaults", () => {
        assert.deepEqual(validateGatewaySpec(valid), []);
        const r = resolveSpec(valid);
        assert.equal(r.gatewayCidr, "192.168.32.1/24");
        assert.equal(r.natBackend, "nftables");
        assert.equal(r.stateDir, "/etc/virtual-hypervisor/lab1");
        assert.equal(r.serviceManager, "auto");
    });

    it("reports every problem at once, naming the input, the rule and the value", () => {
        const problems = validateGatewaySpec({
            lab: "Lab_1", homeMac: "02:aa", gatewayCidr: "192.168.32.0/24", upstreamInterface: "eth0; reboot",
            upstreamDns: ["10.0.0.1", "dns.corp"], natBackend: "iptables" as never, serviceManager: "openrc" as never,
            stateDir: "/etc/../tmp", interfaceWaitMs: -1,
            hosts: [{ hostname: "vh0.lab", address: "192.168.33.2" }, { hostname: "VH0.lab", address: "192.168.32.0" }],
        });
        assert.deepEqual(problems.map((p) => p.property), [
            "lab", "gatewayCidr", "upstreamInterface", "upstreamDns[1]", "hosts[0].address", "hosts[1].hostname", "hosts[1].address",
            "natBackend", "serviceManager", "stateDir", "homeMac", "interfaceWaitMs",
        ]);
        assert.equal(problems[0].reason, 'lab must be 1–32 lower-case letters, digits and inner dashes (it names the nft table, units and state directory), got "Lab_1"');
        assert.equal(problems[1].reason, 'gatewayCidr must name a host address, not the network or broadcast address of 192.168.32.0/24, got "192.168.32.0/24"');
        assert.equal(problems[6].reason, 'hosts[1].address must be a host address, not the network or broadcast address of 192.168.32.0/24, got "192.168.32.0"');
        // Host addresses are checked against the CIDR only when the CIDR parses.
        assert.deepEqual(validateGatewayFields({ gatewayCidr: "nonsense", hosts: [{ hostname: "a", address: "10.9.9.9" }] }).map((p) => p.property), ["gatewayCidr"]);
    });

    it("checks host addresses against the home network and the gateway address", () => {
        const problems = validateGatewayFields({
            gatewayCidr: "192.168.32.1/24",
            hosts: [{ hostname: "a", address: "192.168.33.2" }, { hostname: "b", address: "192.168.32.1" }, { hostname: "c", address: "192.168.32.300" }],
        });
        assert.deepEqual(problems.map((p) => p.reason), [
            'hosts[0].address must lie inside the home network 192.168.32.0/24, got "192.168.33.2"',
            "hosts[1].address must differ from the gateway's own address 192.168.32.1, got \"192.168.32.1\"",
            'hosts[2].address must be an IPv4 address, got "192.168.32.300"',
        ]);
    });

    it(`rejects every hostile value as a hostname (${HOSTILE_VALUES.length} values)`, () => {
        for (const hostname of HOSTILE_VALUES) {
            const problems = validateGatewayFields({ hosts: [{ hostname, address: "192.168.32.2" }] });
            assert.equal(problems.length, 1, JSON.stringify(hostname.slice(0, 40)));
            assert.match(problems[0].reason, /^hosts\[0\]\.hostname must be a DNS host name/);
        }
    });

    it("skips values that are unknown during preview", () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const isUnknown = (v: unknown) => v === unknown;
        assert.deepEqual(validateGatewayFields({ lab: unknown, gatewayCidr: unknown, hosts: [unknown, { hostname: unknown, address: "192.168.32.9" }] }, undefined, isUnknown), []);
    });

    it("derives names from the lab, and hosts-file entries with short names", () => {
        assert.equal(nftTableName("lab-1"), "vh_lab_1");
        assert.deepEqual(hostsEntries([{ hostname: "vh0.lab", address: "192.168.32.2" }, { hostname: "vh1", address: "192.168.32.3" }]), [
            { address: "192.168.32.2", names: ["vh0.lab", "vh0"] },
            { address: "192.168.32.3", names: ["vh1"] },
        ]);
    });
});
