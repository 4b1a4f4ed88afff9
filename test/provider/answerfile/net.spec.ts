import * as assert from "node:assert/strict";
import { hostnameProblem, isInterfaceName, isMacAddress, netmaskPrefixLength, reservedIpv4Role, sameIpv4Subnet } from "../../../provider/answerfile/net";

describe("answer-file address checks", () => {
    it("turns contiguous netmasks into prefix lengths and rejects the others", () => {
        assert.equal(netmaskPrefixLength("255.255.255.0"), 24);
        assert.equal(netmaskPrefixLength("255.255.255.255"), 32);
        assert.equal(netmaskPrefixLength("255.255.192.0"), 18);
        assert.equal(netmaskPrefixLength("128.0.0.0"), 1);
        assert.equal(netmaskPrefixLength("0.0.0.0"), 0);
        assert.equal(netmaskPrefixLength("255.0.255.0"), undefined);
        assert.equal(netmaskPrefixLength("255.255.255.1"), undefined);
        assert.equal(netmaskPrefixLength("24"), undefined);
    });

    it("compares subnets and finds network and broadcast addresses", () => {
        assert.equal(sameIpv4Subnet("10.219.10.30", "10.219.0.1", "255.255.192.0"), true);
        assert.equal(sameIpv4Subnet("10.219.64.30", "10.219.0.1", "255.255.192.0"), false);
        assert.equal(reservedIpv4Role("192.168.32.0", "255.255.255.0"), "network");
        assert.equal(reservedIpv4Role("192.168.32.255", "255.255.255.0"), "broadcast");
        assert.equal(reservedIpv4Role("10.219.63.255", "255.255.192.0"), "broadcast");
        assert.equal(reservedIpv4Role("192.168.32.1", "255.255.255.0"), undefined);
        assert.equal(reservedIpv4Role("10.0.0.0", "255.255.255.254"), undefined, "a /31 has no network or broadcast address");
    });

    it("applies RFC 1123 to host names", () => {
        assert.equal(hostnameProblem("vh0.lab"), undefined);
        assert.equal(hostnameProblem("0xen-1"), undefined);
        assert.equal(hostnameProblem(`${"a".repeat(63)}.b`), undefined);
        assert.equal(hostnameProblem("a-.lab"), "must consist of dot-separated labels of letters, digits and inner hyphens");
        assert.equal(hostnameProblem("vh0.lab."), "must not have an empty label (leading, trailing or doubled dot)");
    });

    it("recognises MAC addresses and interface names", () => {
        assert.equal(isMacAddress("52:54:00:AB:cd:ef"), true);
        assert.equal(isMacAddress("52-54-00-ab-cd-ef"), false);
        assert.equal(isInterfaceName("eth0"), true);
        assert.equal(isInterfaceName("xenbr0.32"), true);
        assert.equal(isInterfaceName("eth 0"), false);
        assert.equal(isInterfaceName("a".repeat(16)), false);
    });
});
