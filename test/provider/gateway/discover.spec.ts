/**
 * Requirements: root, iproute2, OpenSSH sshd and everything test/helpers/netns.ts needs.
 */
import * as assert from "node:assert/strict";
import { applyGateway, GatewayStepError, GatewayTimeoutError, removeGateway } from "../../../provider/gateway";
import { findLinkByMac } from "../../../provider/gateway/discover";
import { GatewayMissingToolError } from "../../../provider/gateway/errors";
import { Toolbox } from "../../../provider/gateway/toolbox";
import { closeAll, getSession } from "../../../provider/ssh";
import { natLabSkipReason, NatLab, resolveA, startNatLab } from "../../helpers/netns";

const MAC = "02:5a:00:00:00:06";

describe("provider/gateway discovery (network namespaces)", function () {
    this.timeout(60_000);
    let lab: NatLab;
    const session = () => getSession(lab.toolbox.connection);

    before(async function () {
        if (natLabSkipReason()) this.skip();
        lab = await startNatLab({ homes: [{ mac: MAC, deferred: true }] });
    });
    after(async () => {
        if (lab) await removeGateway(session(), { lab: "hotplug", stateDir: `${lab.toolbox.stateRoot}/hotplug` }).catch(() => undefined);
        await closeAll();
        await lab?.destroy();
    });

    it("times out naming the MAC it waited for when no such interface appears", async () => {
        const toolbox = await Toolbox.open(session());
        const started = Date.now();
        await assert.rejects(findLinkByMac(toolbox, MAC, 400), (err: unknown) => {
            assert.ok(err instanceof GatewayTimeoutError);
            assert.match(err.message, /^toolbox gateway: timed out after 400 ms on root@198\.19\.\d+\.30:22 waiting for a network interface with MAC 02:5a:00:00:00:06 \(the home network's VIF\) to appear$/);
            return true;
        });
        assert.ok(Date.now() - started < 2000);
    });

    it("waits for a hot-plugged home interface to appear, then configures it", async () => {
        setTimeout(() => lab.addHomeLink(0), 700);
        const result = await applyGateway(session(), {
            lab: "hotplug", homeMac: MAC, stateDir: `${lab.toolbox.stateRoot}/hotplug`, interfaceWaitMs: 10_000,
            hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }],
        });
        assert.equal(result.homeInterface, "tb-home0");
        assert.deepEqual(resolveA(lab.homes[0].ns, "192.168.32.1", "vh0"), ["192.168.32.2"]);
    });

    it("refuses a home interface whose name cannot be written into nft and dnsmasq files", async () => {
        const r = lab.exec(lab.ns.toolbox, ["ip", "link", "add", "odd'name$x", "address", "02:5a:00:00:00:07", "type", "dummy"]);
        if (r.code !== 0) {
            // No dummy driver: a veth pair works as well.
            const v = lab.exec(lab.ns.toolbox, ["ip", "link", "add", "odd'name$x", "address", "02:5a:00:00:00:07", "type", "veth", "peer", "name", "oddpeer"]);
            assert.equal(v.code, 0, v.stderr);
        }
        const toolbox = await Toolbox.open(session());
        await assert.rejects(findLinkByMac(toolbox, "02:5a:00:00:00:07", 0), (err: unknown) => {
            assert.ok(err instanceof GatewayStepError);
            assert.match(err.message, /could not use the home interface "odd'name\$x" on .*: its name must be letters, digits and _\.@\+- \(at most 15 characters\)/);
            return true;
        });
    });

    it("names every missing tool and how to install it", () => {
        const err = new GatewayMissingToolError("root@tb:22", [{ tool: "dnsmasq", install: "Debian/Ubuntu: apt-get install dnsmasq-base" }, { tool: "nft", install: "Debian/Ubuntu: apt-get install nftables" }]);
        assert.equal(err.message, "toolbox gateway: root@tb:22 lacks dnsmasq (Debian/Ubuntu: apt-get install dnsmasq-base), nft (Debian/Ubuntu: apt-get install nftables)");
    });
});
