import * as assert from "node:assert/strict";
import { cidrContains, ipv4ToNumber, parseCidr } from "../../../provider/gateway/ipv4";

describe("provider/gateway/ipv4", () => {
    it("reads strict dotted quads only", () => {
        assert.equal(ipv4ToNumber("192.168.32.1"), 0xc0a82001);
        for (const bad of ["192.168.32", "192.168.032.1", "256.1.1.1", "1.2.3.4.5", " 1.2.3.4", "0x7f.0.0.1", ""]) {
            assert.equal(ipv4ToNumber(bad), undefined, bad);
        }
    });

    it("parses a CIDR into address, network, mask and broadcast", () => {
        assert.deepEqual(parseCidr("192.168.32.1/24"), {
            address: "192.168.32.1", prefix: 24, network: "192.168.32.0", networkCidr: "192.168.32.0/24",
            netmask: "255.255.255.0", broadcast: "192.168.32.255",
        });
        assert.equal(parseCidr("10.219.10.25/18")?.networkCidr, "10.219.0.0/18");
        assert.equal(parseCidr("10.219.10.25/18")?.netmask, "255.255.192.0");
        for (const bad of ["192.168.32.1", "192.168.32.1/33", "192.168.32.1/024", "x/24", "192.168.32.1/24/1"]) assert.equal(parseCidr(bad), undefined, bad);
    });

    it("tells whether an address is inside a network", () => {
        const cidr = parseCidr("192.168.32.1/24")!;
        assert.ok(cidrContains(cidr, "192.168.32.254"));
        assert.ok(!cidrContains(cidr, "192.168.33.2"));
        assert.ok(!cidrContains(cidr, "not-an-ip"));
    });
});
