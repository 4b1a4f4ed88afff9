import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDefaultRouteInterface, parseForwardDropChains, parseIpLinks, parseIpv4Addresses, parseResolvConf } from "../../../provider/gateway/parse";
import { REPO_ROOT } from "../../helpers/paths";

describe("provider/gateway/parse", () => {
    it("reads `ip -o link`: names without @peer, lower-case MACs, the UP flag", () => {
        const links = parseIpLinks(fs.readFileSync(path.join(REPO_ROOT, "test/fixtures/gateway/ip-o-link.txt"), "utf8"));
        assert.deepEqual(links.map((l) => [l.index, l.name, l.mac, l.up]), [
            [1, "lo", undefined, true],
            [2, "tb-up", "0a:e2:7c:f3:f0:79", true],
            [3, "tb-home0", "02:aa:bb:cc:dd:01", false],
            [4, "eth0", "02:fc:00:00:00:05", true],
            [5, "ifb0", "6e:2f:77:1c:5d:1a", false],
            [6, "wg0", undefined, true],
        ]);
    });

    it("reads the IPv4 CIDRs of `ip -o -4 address show`", () => {
        const out = "3: eth1    inet 192.168.32.1/24 scope global eth1\\       valid_lft forever preferred_lft forever\n" +
            "3: eth1    inet 10.0.0.1/8 scope global secondary eth1\\       valid_lft forever preferred_lft forever\n";
        assert.deepEqual(parseIpv4Addresses(out), ["192.168.32.1/24", "10.0.0.1/8"]);
    });

    it("finds the interface of the default route", () => {
        assert.equal(parseDefaultRouteInterface("default via 10.219.0.1 dev ens3 proto dhcp src 10.219.10.30 metric 100 \n"), "ens3");
        assert.equal(parseDefaultRouteInterface(""), undefined);
    });

    it("reads IPv4 resolvers, leaving out loopback stubs and IPv6", () => {
        assert.deepEqual(parseResolvConf("# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fe80::1\nsearch corp\nnameserver 10.0.0.2\n"),
            { servers: ["10.0.0.2"] });
        assert.deepEqual(parseResolvConf("nameserver 127.0.0.53\noptions edns0\n"), { servers: [] });
    });

    it("finds base chains that drop forwarded packets by default in `nft list ruleset`", () => {
        const ruleset = [
            "table ip filter {", "\tchain FORWARD {", "\t\ttype filter hook forward priority filter; policy drop;", "\t}",
            "\tchain INPUT {", "\t\ttype filter hook input priority filter; policy drop;", "\t}", "}",
            "table inet mine {", "\tchain fwd {", "\t\ttype filter hook forward priority filter; policy accept;", "\t}", "}",
            "table ip vh_lab1 {", "\tchain forward {", "\t\ttype filter hook forward priority filter; policy drop;", "\t}", "}",
        ].join("\n");
        assert.deepEqual(parseForwardDropChains(ruleset), ["ip filter FORWARD", "ip vh_lab1 forward"]);
    });
});
