/**
 * Requirements: root, iproute2, nftables, dnsmasq, OpenSSH sshd, busybox, dig (see test/helpers/netns.ts).
 * remove() must leave the toolbox exactly as it found it: addresses, links, ruleset, forwarding,
 * sysctls, processes and files are compared before and after.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { applyGateway, GatewayRemoveError, removeGateway } from "../../../provider/gateway";
import { closeAll, getSession } from "../../../provider/ssh";
import { natLabSkipReason, NatLab, resolveA, startNatLab } from "../../helpers/netns";

const MACS = ["02:5a:00:00:00:03", "02:5a:00:00:00:04"];

describe("provider/gateway removeGateway (network namespaces)", function () {
    this.timeout(60_000);
    let lab: NatLab;
    const session = () => getSession(lab.toolbox.connection);
    const dirOf = (name: string) => `${lab.toolbox.stateRoot}/${name}`;

    before(async function () {
        if (natLabSkipReason()) this.skip();
        lab = await startNatLab({ homes: [{ mac: MACS[0] }, { mac: MACS[1], address: "192.168.40.2/24", gateway: "192.168.40.1" }] });
    });
    after(async () => {
        for (const name of ["one", "two", "first", "second"]) await removeGateway(session(), { lab: name, stateDir: dirOf(name) }).catch(() => undefined);
        await closeAll();
        await lab?.destroy();
    });

    it("restores the toolbox: addresses, links, ruleset, forwarding, sysctls, processes and files", async () => {
        const before = lab.snapshot();
        await applyGateway(session(), { lab: "one", homeMac: MACS[0], stateDir: dirOf("one"), hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }] });
        assert.notDeepEqual(lab.snapshot(), before);
        const result = await removeGateway(session(), { lab: "one", stateDir: dirOf("one") });
        assert.deepEqual(result.removed, [
            "DNS proxy (dnsmasq)", "nft table", "address 192.168.32.1/24", "tb-home0 down again", "IPv4 forwarding restored to 0",
            "configuration files", `state directory ${dirOf("one")}`,
        ]);
        assert.deepEqual(lab.snapshot(), before);
    });

    it("has nothing to do the second time", async () => {
        const result = await removeGateway(session(), { lab: "one", stateDir: dirOf("one") });
        assert.deepEqual(result.removed, []);
        assert.match(result.summary, /nothing to remove \(no record in .*\/one\)$/);
    });

    it("keeps forwarding on while another lab on the same toolbox still needs it", async () => {
        const before = lab.snapshot();
        await applyGateway(session(), { lab: "first", homeMac: MACS[0], stateDir: dirOf("first"), hosts: [{ hostname: "a.lab", address: "192.168.32.2" }] });
        await applyGateway(session(), {
            lab: "second", homeMac: MACS[1], stateDir: dirOf("second"), gatewayCidr: "192.168.40.1/24", hosts: [{ hostname: "b.lab", address: "192.168.40.2" }],
        });
        const first = await removeGateway(session(), { lab: "first", stateDir: dirOf("first") });
        assert.ok(!first.removed.some((r) => r.startsWith("IPv4 forwarding")), first.summary);
        assert.equal(lab.snapshot().ipForward, "1");
        assert.deepEqual(resolveA(lab.homes[1].ns, "192.168.40.1", "b"), ["192.168.40.2"], "the second lab still answers");
        const second = await removeGateway(session(), { lab: "second", stateDir: dirOf("second") });
        assert.ok(second.removed.includes("IPv4 forwarding restored to 0"), second.summary);
        assert.deepEqual(lab.snapshot(), before);
    });

    it("deletes only its own files: a foreign file keeps the directory and is reported", async () => {
        await applyGateway(session(), { lab: "one", homeMac: MACS[0], stateDir: dirOf("one") });
        fs.writeFileSync(`${dirOf("one")}/notes.txt`, "mine\n");
        await assert.rejects(removeGateway(session(), { lab: "one", stateDir: dirOf("one") }), (err: unknown) => {
            assert.ok(err instanceof GatewayRemoveError);
            assert.match(err.message, /the state directory .*\/one was left in place: it holds files we did not write: notes\.txt/);
            return true;
        });
        assert.deepEqual(fs.readdirSync(dirOf("one")), ["notes.txt"]);
        fs.rmSync(dirOf("one"), { recursive: true });
    });
});
