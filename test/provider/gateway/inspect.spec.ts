/**
 * Requirements: root, iproute2, nftables, dnsmasq, OpenSSH sshd, busybox, dig (see test/helpers/netns.ts).
 * Drift is made by hand in the toolbox namespace, found by inspectGateway, repaired by applyGateway.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { applyGateway, inspectGateway, removeGateway } from "../../../provider/gateway";
import { closeAll, getSession } from "../../../provider/ssh";
import { httpGet, natLabSkipReason, NatLab, resolveA, startNatLab } from "../../helpers/netns";

const MAC = "02:5a:00:00:00:02";
const HOSTS = [{ hostname: "vh0.lab", address: "192.168.32.2" }];

describe("provider/gateway inspectGateway (network namespaces)", function () {
    this.timeout(60_000);
    let lab: NatLab;
    const session = () => getSession(lab.toolbox.connection);
    const spec = (extra = {}) => ({ lab: "drift", homeMac: MAC, stateDir: `${lab.toolbox.stateRoot}/drift`, hosts: HOSTS, ...extra });
    const tb = (...argv: string[]) => {
        const r = lab.exec(lab.ns.toolbox, argv);
        assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
    };

    before(async function () {
        if (natLabSkipReason()) this.skip();
        lab = await startNatLab({ homes: [{ mac: MAC }] });
    });
    after(async () => {
        if (lab) await removeGateway(session(), { lab: "drift", stateDir: `${lab.toolbox.stateRoot}/drift` }).catch(() => undefined);
        await closeAll();
        await lab?.destroy();
    });

    it("says a gateway that was never applied is not configured", async () => {
        const result = await inspectGateway(session(), spec());
        assert.equal(result.configured, false);
        assert.deepEqual(result.drift.map((d) => d.item), ["gateway record"]);
        assert.equal(result.homeInterface, "tb-home0");
    });

    it("finds no drift right after apply", async () => {
        await applyGateway(session(), spec());
        const result = await inspectGateway(session(), spec());
        assert.deepEqual(result.drift, []);
        assert.match(result.summary, /: as applied, no drift$/);
    });

    it("finds every kind of drift at once: address, link, forwarding, NAT table, dnsmasq, hosts list", async () => {
        tb("ip", "address", "flush", "dev", "tb-home0");
        tb("ip", "link", "set", "tb-home0", "down");
        tb("sysctl", "-qw", "net.ipv4.ip_forward=0");
        tb("nft", "flush", "chain", "ip", "vh_drift", "postrouting");
        process.kill(Number(fs.readFileSync(`${lab.toolbox.stateRoot}/drift/dnsmasq.pid`, "utf8")), "SIGKILL");
        const changedHosts = [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }];
        const result = await inspectGateway(session(), spec({ hosts: changedHosts }));
        assert.deepEqual(result.drift.map((d) => `${d.item}: ${d.actual}`), [
            "home address: no IPv4 address",
            "home interface state: down",
            "hosts list: different content",
            "IPv4 forwarding: 0",
            "NAT: the nft table ip vh_drift differs from what was loaded",
            "DNS proxy: not running",
        ]);
        tb("nft", "delete", "table", "ip", "vh_drift");
        const gone = await inspectGateway(session(), spec({ hosts: changedHosts }));
        assert.equal(gone.drift.find((d) => d.item === "NAT")?.actual, "the nft table ip vh_drift is missing");
    });

    it("repairs all of it on the next apply, which lists what it changed", async () => {
        const changedHosts = [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }];
        const result = await applyGateway(session(), spec({ hosts: changedHosts }));
        assert.deepEqual(result.changed, ["hosts list", "address 192.168.32.1/24 on tb-home0", "tb-home0 up", "IPv4 forwarding on", "NAT (nft table loaded)", "DNS proxy started"]);
        assert.deepEqual((await inspectGateway(session(), spec({ hosts: changedHosts }))).drift, []);
        assert.equal(httpGet(lab.homes[0].ns, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
        assert.deepEqual(resolveA(lab.homes[0].ns, "192.168.32.1", "vh1"), ["192.168.32.3"]);
    });

    it("reports a home interface that is gone (e.g. the VIF was unplugged)", async () => {
        const result = await inspectGateway(session(), spec({ homeMac: "02:5a:00:00:00:99" }));
        assert.deepEqual(result.drift[0], { item: "home interface", expected: "an interface with MAC 02:5a:00:00:00:99", actual: "none" });
        assert.equal(result.homeInterface, undefined);
    });
});
