/**
 * The ToolboxGateway resource end to end: a Pulumi program run by the test engine, which drives the
 * REAL dynamic-provider host; the provider reaches a simulated XenServer host (`vh sim`) over SSH
 * for the VIF, and a real OpenSSH sshd in a toolbox network namespace for the gateway itself.
 *
 * The main toolbox VM on the simulated host has PV drivers (sim/guest/tools.ts) and no NIC on the
 * home network: create makes our VIF and hot-plugs it (`xe vif-plug`), and guestNic.ts plays the
 * guest kernel, adding the veth with that MAC to the toolbox namespace as the NIC appears (and
 * removing it when the VIF is unplugged). A toolbox without PV drivers is refused as xapi refuses
 * it, a failing vif-plug is rolled back, and the seed's setup (a toolbox that already has its home
 * NIC) is adopted. The simulated VMs are different XenServer VMs, but all stand for the one toolbox
 * namespace; the labs they serve are tested one after the other.
 *
 * Requirements: root, and everything test/helpers/netns.ts and test/helpers/simHost.ts need.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { removeGateway } from "../../../../provider/gateway";
import { addFault, clearFaults, readCalls } from "../../../../sim";
import { markGuestPvDrivers } from "../../../../sim/guest/tools";
import { ToolboxGateway, ToolboxGatewayArgs, gatewayMac } from "../../../../provider/resources/toolboxGateway";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";
import { closeAll, getSession } from "../../../../provider/ssh";
import { XeClient } from "../../../../provider/xe";
import { httpGet, natLabSkipReason, NatLab, resolveA, startNatLab, ToolboxSnapshot } from "../../../helpers/netns";
import { REPO_ROOT } from "../../../helpers/paths";
import { SimHost, startSimHost } from "../../../helpers/simHost";
import { TestEngine } from "../../../helpers/testEngine";
import { GuestNicWatcher, watchGuestNic } from "./guestNic";

/** A hostile but valid name-label: it must reach xe quoted, and no marker file may appear. */
const TOOLBOX_NAME = "toolbox 'vm'; touch /tmp/vh-pwned-toolbox #$(touch /tmp/vh-pwned-toolbox2)";
const LAB = "e2e";
/** The lab of the seed-style toolbox, which has its home NIC from the start. */
const SEED_LAB = "seed";
const HOSTS = [{ hostname: "vh0.lab", address: "192.168.32.2" }];

describe("provider/resources/toolboxGateway (test engine, real provider host, simulated XenServer, toolbox namespace)", function () {
    this.timeout(120_000);
    let sim: SimHost;
    let xe: XeClient;
    let lab: NatLab;
    let engine: TestEngine;
    let homeNetwork: string;
    /** The main toolbox: PV drivers, no home NIC (its gateway VIF is hot-plugged). */
    let toolboxUuid: string;
    /** A toolbox without PV drivers (later: with drivers that refuse VIF hot-plug): hot-plug is refused. */
    let bareUuid: string;
    /** A toolbox built with its home NIC, as in the seed's setup (adopted, never destroyed). */
    let seedUuid: string;
    let guestNic: GuestNicWatcher;
    let initial: ToolboxSnapshot;

    const args = (extra: Partial<ToolboxGatewayArgs> = {}): ToolboxGatewayArgs => ({
        toolboxVm: TOOLBOX_NAME, homeNetwork, lab: LAB, toolbox: lab.toolbox.connection,
        stateDir: `${lab.toolbox.stateRoot}/${LAB}`, hosts: HOSTS, ...extra,
    });
    const gateway = () => engine.resourcesOfType("ToolboxGateway")[0];
    const pwned = () => fs.readdirSync("/tmp").filter((f) => f.startsWith("vh-pwned-toolbox"));
    const corpViaHome = (i: number) => httpGet(lab.homes[i].ns, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout;
    const homeVifs = async (vm: string) => xe.uuids("vif", { "vm-uuid": vm, "network-uuid": homeNetwork });
    /** The write calls xe received since `from` (an index into the call log), as "command uuid=…" lines. */
    const writesSince = (from: number) => readCalls(sim.stateDir).slice(from).filter((c) => c.writes).map((c) => c.argv.join(" "));

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
        lab = await startNatLab({ homes: [{ mac, deferred: true }, { mac: gatewayMac(SEED_LAB, homeNetwork) }] });
        toolboxUuid = await toolboxVm(TOOLBOX_NAME);
        markGuestPvDrivers(sim.stateDir, toolboxUuid, { ipv4: { 0: lab.toolbox.address } });
        bareUuid = await toolboxVm("bare toolbox");
        seedUuid = await toolboxVm("seed toolbox", gatewayMac(SEED_LAB, homeNetwork));
        guestNic = watchGuestNic({
            stateDir: sim.stateDir, mac,
            onPlug: () => lab.addHomeLink(0),
            onUnplug: () => lab.exec(lab.ns.toolbox, ["ip", "link", "delete", lab.homes[0].toolboxInterface]),
        });
        initial = lab.snapshot();
        engine = await TestEngine.start({
            cwd: REPO_ROOT, project: "toolbox-gateway-test",
            config: {
                "virtual-hypervisor:host": c.host, "virtual-hypervisor:port": String(c.port), "virtual-hypervisor:user": c.user,
                "virtual-hypervisor:password": c.password, "virtual-hypervisor:hostKey": c.hostKey,
            },
        });
    });
    afterEach(() => assert.deepEqual(guestNic?.errors ?? [], [], "the guest NIC watcher failed"));
    after(async () => {
        guestNic?.stop();
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

    it("fails cleanly when the toolbox VM cannot take a hot-plugged NIC (xapi refuses), leaving no VIF and no toolbox change", async () => {
        const r = await engine.up(() => new ToolboxGateway("gw", args({ toolboxVm: bareUuid, lab: "bare" })));
        assert.equal(r.errors.length, 1);
        assert.match(r.errors[0].message, /could not create the toolbox gateway of lab bare: could not hot-plug the home VIF [0-9a-f-]{36} into the toolbox VM bare toolbox \(XenServer hot-plugs NICs only into guests with PV drivers: .*\): .*VM_MISSING_PV_DRIVERS/s);
        assert.match(r.errors[0].message, /\(rolled back: VIF [0-9a-f-]{36}\)$/);
        assert.deepEqual(await homeVifs(bareUuid), []);
        // PV drivers that state they cannot hot-plug NICs are refused too, with their own advice.
        markGuestPvDrivers(sim.stateDir, bareUuid, { hotplugVif: "no" });
        const refused = await engine.up(() => new ToolboxGateway("gw", args({ toolboxVm: bareUuid, lab: "bare" })));
        assert.match(refused.errors[0]?.message ?? "", /\(the toolbox's PV drivers say they cannot hot-plug NICs: .*\): .*VM states it does not support VIF hotplug\..*\(rolled back: VIF [0-9a-f-]{36}\)$/s);
        assert.deepEqual(await homeVifs(bareUuid), []);
        assert.deepEqual(lab.snapshot(), initial);
        assert.equal(engine.state.size, 0);
    });

    it("destroys the VIF it made when vif-plug fails, leaving nothing behind", async () => {
        addFault(sim.stateDir, { match: "^vif-plug ", action: { kind: "xe-error", code: "INTERNAL_ERROR", params: ["xenopsd internal error: Device_not_connected"] } });
        const from = readCalls(sim.stateDir).length;
        try {
            const r = await engine.up(() => new ToolboxGateway("gw", args()));
            assert.equal(r.errors.length, 1);
            assert.match(r.errors[0].message, /could not hot-plug the home VIF ([0-9a-f-]{36}) into the toolbox VM .*Device_not_connected.*\(rolled back: VIF \1\)$/s);
            const vif = /rolled back: VIF ([0-9a-f-]{36})/.exec(r.errors[0].message)![1];
            // The failed plug changed nothing, so the call log does not count it as a write.
            const vifCalls = readCalls(sim.stateDir).slice(from).filter((c) => /^vif-(create|param-set|plug|unplug|destroy)$/.test(c.argv[0]));
            assert.deepEqual(vifCalls.map((c) => [c.argv[0], c.exitCode]), [["vif-create", 0], ["vif-param-set", 0], ["vif-plug", 1], ["vif-destroy", 0]]);
            assert.ok(writesSince(from).includes(`vif-destroy uuid=${vif}`));
        } finally {
            clearFaults(sim.stateDir);
        }
        assert.deepEqual(await homeVifs(toolboxUuid), []);
        assert.deepEqual(guestNic.events, [], "the guest never saw a NIC");
        assert.deepEqual(lab.snapshot(), initial);
        assert.equal(engine.state.size, 0);
    });

    it("creates the gateway by hot-plugging a tagged VIF with the derived MAC: NAT and DNS work, secrets stay out of plain state", async () => {
        const r = await engine.up(() => new ToolboxGateway("gw", args()));
        assert.deepEqual(r.errors, []);
        assert.deepEqual(r.ops.map((o) => o.op), ["create"]);
        const outs = gateway().outputs;
        assert.equal(outs.toolboxVmUuid, toolboxUuid);
        assert.equal(outs.mac, gatewayMac(LAB, homeNetwork));
        assert.equal(outs.vifOwned, true);
        assert.equal(outs.homeInterface, "tb-home0");
        assert.equal(outs.gatewayAddress, "192.168.32.1");
        assert.equal(outs.dnsAddress, "192.168.32.1");
        assert.equal(outs.natBackend, "nftables");
        assert.equal(outs.activeUpstreamInterface, "tb-up");
        assert.equal(outs.stateVersion, 1);
        assert.equal(gateway().id, outs.vifUuid);
        assert.deepEqual(await homeVifs(toolboxUuid), [outs.vifUuid]);
        const vif = (await xe.record("vif", outs.vifUuid, ["MAC", "currently-attached", "device", "other-config"]))!;
        assert.deepEqual(vif, { MAC: outs.mac, "currently-attached": "true", device: "1", "other-config": `vh-managed-by: virtual-hypervisor; vh-key: ${LAB}; vh-role: gateway-vif` });
        assert.deepEqual(guestNic.events, ["plugged"]);
        assert.equal(corpViaHome(0), "corp-ok\n");
        assert.deepEqual(resolveA(lab.homes[0].ns, "192.168.32.1", "vh0"), ["192.168.32.2"]);
        const plain = engine.plainState();
        assert.ok(!plain.includes(lab.toolbox.connection.privateKey.split("\n")[1]), "the toolbox key is not in plain state");
        assert.ok(!plain.includes(sim.connection.password), "the host password is not in plain state");
        assert.deepEqual(pwned(), []);
    });

    it("is unchanged by a second up and by a refresh without drift", async () => {
        const from = readCalls(sim.stateDir).length;
        assert.deepEqual((await engine.up(() => new ToolboxGateway("gw", args()))).ops.map((o) => o.op), ["same"]);
        const refreshed = await engine.refresh();
        assert.deepEqual([refreshed.ops.map((o) => o.op), refreshed.errors], [["same"], []]);
        assert.deepEqual(writesSince(from), [], "no writing xe call");
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
        assert.equal(corpViaHome(0), "corp-ok\n");
    });

    it("re-plugs a VIF unplugged behind its back, and configures the NIC that comes back", async () => {
        const hosts = [...HOSTS, { hostname: "vh1.lab", address: "192.168.32.3" }];
        const vif = gateway().id;
        await xe.call("vif-unplug", { uuid: vif });
        await waitFor(() => guestNic.events.length === 2, "the guest to lose the NIC");
        const refreshed = await engine.refresh();
        assert.deepEqual(refreshed.ops.map((o) => o.op), ["refresh-update"]);
        assert.equal(gateway().outputs.drift[0], `the home VIF ${vif} is not plugged into the toolbox`);
        const r = await engine.up(() => new ToolboxGateway("gw", args({ hosts })));
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["update"], []]);
        assert.equal(await xe.paramGet("vif", vif, "currently-attached"), "true");
        assert.deepEqual(guestNic.events, ["plugged", "unplugged", "plugged"]);
        assert.deepEqual(gateway().outputs.drift, []);
        assert.equal(corpViaHome(0), "corp-ok\n");
    });

    it("destroy unplugs and destroys exactly its VIF and restores the toolbox", async () => {
        const vif = gateway().id;
        const management = await xe.uuids("vif", { "vm-uuid": toolboxUuid, device: "0" });
        const from = readCalls(sim.stateDir).length;
        const r = await engine.destroy();
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["delete"], []]);
        assert.deepEqual(writesSince(from), [`vif-unplug uuid=${vif}`, `vif-destroy uuid=${vif}`]);
        assert.deepEqual(await xe.uuids("vif", { "vm-uuid": toolboxUuid }), management);
        assert.equal(await xe.paramGet("vif", management[0], "currently-attached"), "true");
        await waitFor(() => guestNic.events.length === 4, "the guest to lose the NIC");
        assert.deepEqual(lab.snapshot(), initial);
        assert.deepEqual(pwned(), []);
    });

    it("forgets the gateway on refresh once its VIF is gone", async () => {
        assert.deepEqual((await engine.up(() => new ToolboxGateway("gw", args()))).errors, []);
        const vif = gateway().id;
        await xe.call("vif-unplug", { uuid: vif });
        await xe.vif.destroy(vif);
        const refreshed = await engine.refresh();
        assert.deepEqual([refreshed.ops.map((o) => o.op), refreshed.errors], [["refresh-gone"], []]);
        assert.equal(engine.state.size, 0);
        await waitFor(() => guestNic.events.length === 6, "the guest to lose the NIC");
        // What the gateway left on the toolbox is still removable without the resource.
        const dir = `${lab.toolbox.stateRoot}/${LAB}`;
        assert.ok(fs.existsSync(dir));
        await removeGateway(getSession(lab.toolbox.connection), { lab: LAB, stateDir: dir });
        assert.deepEqual(lab.snapshot(), initial);
    });

    it("adopts the NIC of a toolbox that already has one on the home network, and leaves it on destroy", async () => {
        const seedArgs = args({ toolboxVm: seedUuid, lab: SEED_LAB, stateDir: `${lab.toolbox.stateRoot}/${SEED_LAB}` });
        const nic = await homeVifs(seedUuid);
        const r = await engine.up(() => new ToolboxGateway("seed", seedArgs));
        assert.deepEqual([r.ops.map((o) => o.op), r.errors], [["create"], []]);
        const outs = gateway().outputs;
        assert.deepEqual([outs.vifUuid, outs.vifOwned, outs.homeInterface], [nic[0], false, "tb-home1"]);
        assert.equal(corpViaHome(1), "corp-ok\n");
        const from = readCalls(sim.stateDir).length;
        const d = await engine.destroy();
        assert.deepEqual([d.ops.map((o) => o.op), d.errors], [["delete"], []]);
        assert.deepEqual(writesSince(from), [], "the NIC it did not make is neither unplugged nor destroyed");
        assert.deepEqual(await homeVifs(seedUuid), nic);
        assert.deepEqual(lab.snapshot(), initial);
    });
});

async function waitFor(ready: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}
