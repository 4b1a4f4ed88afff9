/**
 * Requirements: root, iproute2, nftables, dnsmasq, OpenSSH sshd, busybox, dig (see test/helpers/netns.ts).
 * The gateway is applied over SSH to a real sshd in a "toolbox" network namespace and proven by
 * traffic between the corp, toolbox and home namespaces.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { applyGateway, removeGateway } from "../../../provider/gateway";
import { closeAll, getSession } from "../../../provider/ssh";
import { CORP_DOMAIN, httpGet, natLabSkipReason, NatLab, pings, resolveA, startNatLab } from "../../helpers/netns";

const MAC = "02:5a:00:00:00:01";
const HOSTS = [{ hostname: "vh0.lab", address: "192.168.32.2" }, { hostname: "vh1.lab", address: "192.168.32.3" }];

describe("provider/gateway applyGateway (nftables, network namespaces)", function () {
    this.timeout(60_000);
    let lab: NatLab;
    let home: string;
    const session = () => getSession(lab.toolbox.connection);
    const spec = (extra = {}) => ({ lab: "lab1", homeMac: MAC, stateDir: `${lab.toolbox.stateRoot}/lab1`, hosts: HOSTS, ...extra });

    before(async function () {
        if (natLabSkipReason()) this.skip();
        lab = await startNatLab({ homes: [{ mac: MAC }] });
        home = lab.homes[0].ns;
    });
    after(async () => {
        if (lab) await removeGateway(session(), { lab: "lab1", stateDir: `${lab.toolbox.stateRoot}/lab1` }).catch(() => undefined);
        await closeAll();
        await lab?.destroy();
    });

    it("finds the home interface by MAC, discovers upstream interface and resolvers, and reports every change", async () => {
        assert.ok(!pings(home, lab.corp.server), "home must not reach corp before the gateway exists");
        const result = await applyGateway(session(), spec());
        assert.equal(result.homeInterface, "tb-home0");
        assert.equal(result.upstreamInterface, "tb-up");
        // /etc/resolv.conf on the toolbox lists 127.0.0.53 first: loopback stubs are skipped.
        assert.deepEqual(result.upstreamDns, [lab.corp.server]);
        assert.equal(result.gatewayAddress, "192.168.32.1");
        assert.equal(result.serviceManager, "direct");
        assert.deepEqual(result.warnings, []);
        assert.deepEqual(result.changed, [
            `state directory ${lab.toolbox.stateRoot}/lab1`, "dnsmasq.conf", "hosts list", "NAT rules file", "address 192.168.32.1/24 on tb-home0",
            "tb-home0 up", "IPv4 forwarding on", "NAT (nft table loaded)", "DNS proxy started",
        ]);
    });

    it("lets home reach corp through NAT: corp sees the toolbox's corp address, not the home address", () => {
        const r = httpGet(home, `http://${lab.corp.server}:${lab.corp.httpPort}/`);
        assert.equal(r.stdout, "corp-ok\n", r.stderr);
        assert.deepEqual(lab.httpClients(), [lab.toolbox.address]);
        assert.ok(pings(home, lab.corp.server));
    });

    it("answers DNS on the gateway address: corp names forwarded upstream, every hypervisor by full and short name", () => {
        assert.deepEqual(resolveA(home, "192.168.32.1", `files.${CORP_DOMAIN}`), [lab.corp.server]);
        assert.deepEqual(resolveA(home, "192.168.32.1", `pool.${CORP_DOMAIN}`), [lab.corp.names[`pool.${CORP_DOMAIN}`]]);
        assert.deepEqual(resolveA(home, "192.168.32.1", "vh0.lab"), ["192.168.32.2"]);
        assert.deepEqual(resolveA(home, "192.168.32.1", "vh1"), ["192.168.32.3"]);
        // Bound to the gateway address only: not on the toolbox's corp address.
        assert.deepEqual(resolveA(lab.ns.corp, lab.toolbox.address, "vh0.lab"), []);
    });

    it("keeps corp out of the home network, even with a route to it through the toolbox", () => {
        const route = lab.exec(lab.ns.corp, ["ip", "route", "add", "192.168.32.0/24", "via", lab.toolbox.address]);
        assert.equal(route.code, 0, route.stderr);
        try {
            assert.ok(!pings(lab.ns.corp, "192.168.32.2"), "corp must not reach a hypervisor");
            assert.ok(pings(home, lab.corp.server), "while home still reaches corp");
        } finally {
            lab.exec(lab.ns.corp, ["ip", "route", "del", "192.168.32.0/24"]);
        }
    });

    it("changes nothing when applied again, and says so", async () => {
        const before = lab.snapshot();
        const result = await applyGateway(session(), spec());
        assert.deepEqual(result.changed, []);
        assert.match(result.summary, /^toolbox gateway of lab lab1 on root@198\.19\.\d+\.30:22: already configured, nothing changed$/);
        assert.deepEqual(lab.snapshot(), before);
    });

    // The toolbox namespace shares this machine's file system, so the pid file can be read directly.
    const dnsmasqPid = () => fs.readFileSync(`${lab.toolbox.stateRoot}/lab1/dnsmasq.pid`, "utf8").trim();

    it("updates the hosts list in place: dnsmasq re-reads it without a restart", async () => {
        const pid = dnsmasqPid();
        const result = await applyGateway(session(), spec({ hosts: [...HOSTS, { hostname: "vh2.lab", address: "192.168.32.4" }] }));
        assert.deepEqual(result.changed, ["hosts list", "DNS proxy re-read the hosts list"]);
        assert.deepEqual(resolveA(home, "192.168.32.1", "vh2"), ["192.168.32.4"]);
        assert.equal(dnsmasqPid(), pid);
    });

    it("restarts dnsmasq when its configuration changes (other upstream resolvers)", async () => {
        const pid = dnsmasqPid();
        const result = await applyGateway(session(), spec({ upstreamDns: [lab.corp.server, lab.corp.router] }));
        assert.deepEqual(result.changed, ["dnsmasq.conf", "hosts list", "DNS proxy restarted"]);
        assert.notEqual(dnsmasqPid(), pid);
        assert.deepEqual(resolveA(home, "192.168.32.1", `files.${CORP_DOMAIN}`), [lab.corp.server]);
        assert.deepEqual(resolveA(home, "192.168.32.1", "vh2"), []);
    });

    it("warns when another firewall on the toolbox drops forwarded traffic (and it really does)", async () => {
        const add = lab.exec(lab.ns.toolbox, ["nft", "add table inet hostfw; add chain inet hostfw blockall { type filter hook forward priority 10; policy drop; }"]);
        assert.equal(add.code, 0, add.stderr);
        try {
            const result = await applyGateway(session(), spec({ upstreamDns: [lab.corp.server, lab.corp.router] }));
            assert.deepEqual(result.changed, []);
            assert.equal(result.warnings.length, 1);
            assert.match(result.warnings[0], /^another firewall on root@.* drops forwarded packets by default \(nft chain inet hostfw blockall\): traffic from the home network may be blocked there/);
            assert.notEqual(httpGet(home, `http://${lab.corp.server}:${lab.corp.httpPort}/`).code, 0);
        } finally {
            lab.exec(lab.ns.toolbox, ["nft", "delete", "table", "inet", "hostfw"]);
        }
    });
});
