/** Home-network addresses: checks of given ones and allocation of the rest. */
import * as assert from "node:assert/strict";
import { addressProblem, allocateAddresses, hostCount } from "../../components/addresses";
import { parseCidr } from "../../provider/gateway";

const net = parseCidr("192.168.32.0/24")!;

describe("components/addresses", () => {
    it("allocates from the first host address up, skipping the gateway and given addresses", () => {
        assert.deepEqual(allocateAddresses(net, "192.168.32.1", [undefined, "192.168.32.3", undefined, undefined]),
            ["192.168.32.2", "192.168.32.3", "192.168.32.4", "192.168.32.5"]);
        assert.deepEqual(allocateAddresses(net, "192.168.32.3", [undefined, undefined, undefined]), ["192.168.32.1", "192.168.32.2", "192.168.32.4"]);
    });

    it("leaves an entry without an address when the network is full", () => {
        const small = parseCidr("10.0.0.0/30")!;
        assert.equal(hostCount(small), 2);
        assert.deepEqual(allocateAddresses(small, "10.0.0.1", [undefined, undefined]), ["10.0.0.2", undefined]);
    });

    it("names the rule an address breaks", () => {
        assert.equal(addressProblem("192.168.32.7", "a", net, "192.168.32.1"), undefined);
        assert.equal(addressProblem("192.168.032.7", "a", net, "192.168.32.1"), 'a must be an IPv4 address like "192.168.32.2", got "192.168.032.7"');
        assert.equal(addressProblem(7, "a", net, "192.168.32.1"), 'a must be an IPv4 address like "192.168.32.2", got 7');
        assert.equal(addressProblem("10.0.0.1", "a", net, "192.168.32.1"), 'a must lie inside home.cidr 192.168.32.0/24, got "10.0.0.1"');
        assert.equal(addressProblem("192.168.32.0", "a", net, "192.168.32.1"), 'a must be a host address, not the network address of home.cidr 192.168.32.0/24, got "192.168.32.0"');
        assert.equal(addressProblem("192.168.32.255", "a", net, "192.168.32.1"), 'a must be a host address, not the broadcast address of home.cidr 192.168.32.0/24, got "192.168.32.255"');
        assert.equal(addressProblem("192.168.32.1", "a", net, "192.168.32.1"), 'a must differ from the gateway address 192.168.32.1 (home.gateway: the toolbox), got "192.168.32.1"');
    });
});
