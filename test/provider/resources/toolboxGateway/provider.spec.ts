/**
 * The ToolboxGateway resource end to end: a Pulumi program run by the test engine, which drives the
 * REAL dynamic-provider host; the provider reaches a simulated XenServer host (`vh sim`) over SSH
 * for the VIF, and a real OpenSSH sshd in a toolbox network namespace for the gateway itself.
 *
 * The simulator has no `xe vif-plug` (and no way to mark a VM as having PV drivers, which real xapi
 * requires to hot-plug a NIC into an HVM guest), so the create that must hot-plug is proven to
 * fail cleanly. The full lifecycle uses a toolbox that already has its home NIC (with the MAC the
 * resource derives) from its start, as the seed's toolbox had: the resource adopts it.
 *
 * Requirements: root, and everything test/helpers/netns.ts and test/helpers/simHost.ts need.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { removeGateway } from "../../../../provider/gateway";
import { ToolboxGateway, ToolboxGatewayArgs, gatewayMac } from "../../../../provider/resources/toolboxGateway";
import { UNKNOWN } from "../../../../provider/resources/toolboxGateway/check";
import { closeAll, getSession } from "../../../../provider/ssh";
import { XeClient } from "../../../../provider/xe";
import { httpGet, natLabSkipReason, NatLab, resolveA, startNatLab, ToolboxSnapshot } from "../../../helpers/netns";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { TestEngine } from "../../../helpers/testEngine";

/** A hostile but valid name-label: it must reach xe quoted, and no marker file may appear. */
const TOOLBOX_NAME = "toolbox 'vm'; touch /tmp/vh-pwned-toolbox #$(touch /tmp/vh-pwned-toolbox2)";
const LAB = "e2e";
const HOSTS = [{ hostname: "vh0.lab", address: "192.168.32.2" }];

describe("provider/resources/toolboxGateway (test engine, real provider host, simulated XenServer, toolbox namespace)", function () {
    this.timeout(120_000);
    let sim: SimHost;
    let xe: XeClient;
    let lab: NatLab;
    let engine: TestEngine;
    let homeNetwork: string;
    let toolboxUuid: string;
    let bareUuid: string;
    let initial: ToolboxSnapshot;

    const args = (extra: Partial<ToolboxGatewayArgs> = {}): ToolboxGatewayArgs => ({
        toolboxVm: TOOLBOX_NAME, homeNetwork, lab: LAB, toolbox: lab.toolbox.connection,
        stateDir: `${lab.toolbox.stateRoot}/${LAB}`, hosts: HOSTS, ...extra,
    });
    const gateway = () => engine.resourcesOfType("ToolboxGateway")[0];
    const pwned = () => fs.readdirSync("/tmp").filter((f) => f.startsWith("vh-pwned-toolbox"));

    /** A running VM on the simulated host with a NIC on the management network (and, optionally, one on home). */
    async function toolboxVm(name: string, homeMac?: string): Promise<string> {
        const vm = await xe.vm.install({ template: "Debian Bookworm 12", nameLabel: name });
        const management = (await xe.uuids("network", { bridge: "xenbr0" }))[0];
        await xe.vif.create({ vmUuid: vm, networkUuid: management, device: 0 });
        if (homeMac) await xe.vif.create({ vmUuid: vm, networkUuid: homeNetwork, device: 1, mac: homeMac });
        await xe.vm.start(vm);
        return vm;
    }

    before(async function () {
        if (natLabSkipReason()) this.skip();
        sim = await startSimHost();
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
        homeNetwork = await xe.network.create({ nameLabel: "home" });
        const mac = gatewayMac(LAB, homeNetwork);
        toolboxUuid = await toolboxVm(TOOLBOX_NAME, mac);
        bareUuid = await toolboxVm("bare toolbox");
        lab = await startNatLab({ homes: [{ mac }] });
        initial = lab.snapshot();
        engine = await TestEngine.start({
            cwd: REPO_ROOT, project: "toolbox-gateway-test",
            config: {
                "virtual-hypervisor:host": c.host, "virtual-hypervisor:port": String(c.port), "virtual-hypervisor:user": c.user,
                "virtual-hypervisor:password": c.password, "virtual-hypervisor:hostKey": c.hostKey,
            },
        });
    });
    after(async () => {
        if (engine) {
            await engine.destroy().catch(() => undefined);
            await engine.stop();
        }
        await closeAll();
        await lab?.destroy();
        await sim?.stop();
    });

    it("reports every invalid input at once, before touching anything", async () => {
        const r = await engine.up(() => new ToolboxGateway("bad", {
            ...args(), lab: "Bad Lab", gatewayCidr: "192.168.32.1/33", hosts: [{ hostname: "vh0;reboot", address: "192.168.32.2" }],
        }));
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /^check failed for bad: lab: lab must be 1–32 lower-case letters.*; gatewayCidr: gatewayCidr must be an IPv4 address with a prefix length from 8 to 30.*; hosts\[0\]\.hostname: hosts\[0\]\.hostname must be a DNS host name/);
        assert.equal(engine.state.size, 0);
    });

    it("fails cleanly when the toolbox VM cannot take a hot-plugged VIF, leaving no VIF and no toolbox change", async () => {
        const r = await engine.up(() => new ToolboxGateway("gw", args({ toolboxVm: bareUuid, lab: "bare" })));
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /could not create the toolbox gateway of lab bare: could not hot-plug the home VIF [0-9a-f-]{36} into the toolbox VM bare toolbox: .*vif-plug/);
        assert.match(r.errors[0].message, /\(rolled back: VIF [0-9a-f-]{36}\)$/);
        assert.deepEqual(await xe.uuids("vif", { "vm-uuid": bareUuid, "network-uuid": homeNetwork }), []);
        assert.deepEqual(lab.snapshot(), initial);
        assert.equal(engine.state.size, 0);
    });

    it("creates the gateway on a toolbox that already has its home NIC: NAT and DNS work, secrets stay out of plain state", async () => {
        const r = await engine.up(() => new ToolboxGateway("gw", args()));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create"]);
        const outs = gateway().outputs;
        assert.equal(outs.toolboxVmUuid, toolboxUuid);
        assert.equal(outs.mac, gatewayMac(LAB, homeNetwork));
        assert.equal(outs.vifOwned, false);
        assert.equal(outs.homeInterface, "tb-home0");
        assert.equal(outs.gatewayAddress, "192.168.32.1");
        assert.equal(outs.dnsAddress, "192.168.32.1");
        assert.equal(outs.natBackend, "nftables");
        assert.equal(outs.activeUpstreamInterface, "tb-up");
        assert.equal(outs.stateVersion, 1);
        assert.equal(gateway().id, outs.vifUuid);
        assert.equal(httpGet(lab.homes[0].ns, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
        assert.deepEqual(resolveA(lab.homes[0].ns, "192.168.32.1", "vh0"), ["192.168.32.2"]);
        const plain = engine.plainState();
        assert.ok(!plain.includes(lab.toolbox.connection.privateKey.split("\n")[1]), "the toolbox key is not in plain state");
        assert.ok(!plain.includes(sim.connection.password), "the host password is not in plain state");
        assert.deepEqual(pwned(), []);
    });

    it("is unchanged by a second up and by a refresh without drift", async () => {
        assert.deepEqual((await engine.up(() => new ToolboxGateway("gw", args()))).ops.map((o) => o.op), ["same"]);
        const refreshed = await engine.refresh();
        assert.deepEqual([refreshed.ops.map((o) => o.op), refreshed.errors], [["same"], []]);
    });

    it("previews a replacement for a new gateway CIDR and an update for a new hosts list, without changing anything", async () => {
        const before = lab.snapshot();
        const replace = await engine.preview(() => new ToolboxGateway("gw", args({ gatewayCidr: "192.168.33.1/24", hosts: [] })));
        assert.deepEqual(replace.ops.map((o) => [o.op, o.replaces]), [["replace", ["gatewayCidr"]]]);
        const update = await engine.preview(() => new ToolboxGateway("gw", args({ hosts: [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }] })));
        assert.deepEqual(update.ops.map((o) => o.op), ["update"]);
        assert.deepEqual(lab.snapshot(), before);
    });

    it("accepts values that are unknown during preview, as the engine sends them to the provider host", async () => {
        // Sent straight to the real provider host with the wire sentinel: the test engine turns
        // unknowns into {"__pulumiUnknown":true} objects, which the real engine never sends.
        const { urn, inputs, outputs, id } = gateway();
        const news = { ...inputs, lab: UNKNOWN, stateDir: UNKNOWN, hosts: [{ hostname: "vh9.lab", address: UNKNOWN }], toolbox: { ...inputs.toolbox, host: UNKNOWN } };
        const checked = await engine.host.check(urn, inputs, news);
        assert.deepEqual(checked.failures, []);
        const diff = await engine.host.diff(urn, id, outputs, checked.inputs, inputs);
        assert.deepEqual(diff, { changes: true, replaces: ["lab", "stateDir"], deleteBeforeReplace: true });
    });

    it("updates the hosts list in place", async () => {
        const hosts = [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }];
        const r = await engine.up(() => new ToolboxGateway("gw", args({ hosts })));
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["update"], []]);
        assert.deepEqual(resolveA(lab.homes[0].ns, "192.168.32.1", "vh1.lab"), ["192.168.32.3"]);
        assert.deepEqual(gateway().outputs.hosts, hosts);
    });

    it("reports drift on refresh and repairs it on the next up", async () => {
        lab.exec(lab.ns.toolbox, ["ip", "address", "flush", "dev", "tb-home0"]);
        lab.exec(lab.ns.toolbox, ["nft", "delete", "table", "ip", "vh_e2e"]);
        const refreshed = await engine.refresh();
        assert.deepEqual(refreshed.ops.map((o) => o.op), ["refresh-update"]);
        assert.deepEqual(gateway().outputs.drift, [
            "home address: expected 192.168.32.1/24 on tb-home0, found no IPv4 address",
            "NAT: expected nftables NAT of the home network active, found the nft table ip vh_e2e is missing",
        ]);
        const hosts = [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }];
        const r = await engine.up(() => new ToolboxGateway("gw", args({ hosts })));
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["update"], []]);
        assert.deepEqual(gateway().outputs.drift, []);
        assert.equal(httpGet(lab.homes[0].ns, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
    });

    it("destroy restores the toolbox and leaves the NIC it did not make", async () => {
        const vif = gateway().id;
        const r = await engine.destroy();
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["delete"], []]);
        assert.deepEqual(lab.snapshot(), initial);
        assert.deepEqual(await xe.uuids("vif", { uuid: vif }), [vif]);
        assert.deepEqual(pwned(), []);
    });

    it("forgets the gateway on refresh once its VIF is gone", async () => {
        assert.deepEqual((await engine.up(() => new ToolboxGateway("gw", args()))).errors, []);
        const vif = gateway().id;
        await xe.vm.hardShutdown(toolboxUuid);
        await xe.vif.destroy(vif);
        const refreshed = await engine.refresh();
        assert.deepEqual([refreshed.ops.map((o) => o.op), refreshed.errors], [["refresh-gone"], []]);
        assert.equal(engine.state.size, 0);
        // What the gateway left on the toolbox is still removable without the resource.
        const dir = `${lab.toolbox.stateRoot}/${LAB}`;
        assert.ok(fs.existsSync(dir));
        await removeGateway(getSession(lab.toolbox.connection), { lab: LAB, stateDir: dir });
        assert.deepEqual(lab.snapshot(), initial);
    });
});
