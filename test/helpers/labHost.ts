/**
 * Everything a Lab needs to run for real in tests: a simulated XenServer host (`vh sim`), a
 * stand-in installer ISO, a toolbox VM on that host with PV drivers (so the gateway's VIF can be
 * hot-plugged), and the toolbox itself as a network-namespace lab (test/helpers/netns.ts) with a
 * real sshd, reachable from this process.
 *
 * The simulator cannot give a VM a kernel, so this helper plays the toolbox's guest kernel: when a
 * VIF on a lab's home network is attached to the running toolbox VM, the toolbox namespace gains a
 * NIC with that VIF's MAC, wired to that lab's home namespace (a "hypervisor-side" client); when
 * the VIF goes, the NIC goes. Each lab (prefix) gets its own home slot.
 *
 * Requirements: root, and what netns.ts, simHost.ts and standinIso.ts need.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LabToolboxArgs } from "../../components";
import { parseCidr } from "../../provider/gateway";
import { closeAll, ConnectionArgs } from "../../provider/ssh";
import { XeClient } from "../../provider/xe";
import { markGuestPvDrivers } from "../../sim";
import { loadDb } from "../../sim/model/store";
import { natLabSkipReason, NatLab, startNatLab } from "./netns";
import { SimHost, SimHostOptions, startSimHost } from "./simHost";
import { buildStandinIso } from "./standinIso";

export const TOOLBOX_VM = "toolbox";

export interface HomeSlot {
    /** The lab's prefix: its home network is "<prefix>-home" unless `network` names another. */
    prefix: string;
    /** @default "192.168.32.0/24" */
    cidr?: string;
    /** name-label of the home network to watch. @default "<prefix>-home" */
    network?: string;
}

export interface LabHost {
    sim: SimHost;
    xe: XeClient;
    /** The host connection as `virtual-hypervisor:*` stack config. */
    config: Record<string, string>;
    connection: ConnectionArgs;
    sourceIso: string;
    net: NatLab;
    toolboxUuid: string;
    /** LabArgs.toolbox for the lab with this prefix. */
    toolbox(prefix: string): LabToolboxArgs;
    /** The home namespace of the lab with this prefix (its client sits at .250 of the CIDR). */
    homeNs(prefix: string): string;
    /** The ISO library directory the tests use (a temp dir). */
    isoLibrary: string;
    /** Guest-side NIC events ("<prefix> plugged", "<prefix> unplugged") and watcher failures. */
    events: string[];
    errors: Error[];
    stop(): Promise<void>;
}

export function labHostSkipReason(): string | undefined {
    return natLabSkipReason();
}

export async function startLabHost(slots: HomeSlot[], simOptions: SimHostOptions = {}): Promise<LabHost> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-labhost-"));
    const sourceIso = buildStandinIso({ out: path.join(tmp, "xenserver-8.iso"), flavor: "xenserver-8" });
    const isoLibrary = path.join(tmp, "iso-library");
    const sim = await startSimHost({ installSeconds: 0.5, firstBootSeconds: 0.3, ...simOptions });
    const c = sim.connection;
    const connection: ConnectionArgs = { host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey };
    const xe = XeClient.connect(connection);
    const net = await startNatLab({
        homes: slots.map((s, i) => {
            const cidr = parseCidr(s.cidr ?? "192.168.32.0/24")!;
            const base = cidr.network.split(".").slice(0, 3).join(".");
            // A placeholder MAC: the real one is the VIF's, known once the lab plugs it.
            return { mac: `02:00:00:00:00:${(i + 16).toString(16)}`, deferred: true, address: `${base}.250/${cidr.prefix}`, gateway: `${base}.1` };
        }),
    });
    const vm = await xe.vm.install({ template: "Debian Bookworm 12", nameLabel: TOOLBOX_VM });
    const management = (await xe.uuids("network", { bridge: "xenbr0" }))[0];
    await xe.vif.create({ vmUuid: vm, networkUuid: management, device: 0 });
    await xe.vm.start(vm);
    markGuestPvDrivers(sim.stateDir, vm, { ipv4: { 0: net.toolbox.address } });

    const events: string[] = [];
    const errors: Error[] = [];
    const plugged = new Map<number, string>();
    const poll = () => {
        const db = loadDb(sim.stateDir);
        if (!db) return;
        const toolboxRef = Object.keys(db.vm).find((r) => db.vm[r].uuid === vm);
        const running = toolboxRef !== undefined && db.vm[toolboxRef].power_state === "running";
        slots.forEach((slot, i) => {
            const name = slot.network ?? `${slot.prefix}-home`;
            const vif = running
                ? Object.values(db.vif).find((v) => v.VM === toolboxRef && v.currently_attached && db.network[v.network]?.name_label === name)
                : undefined;
            const now = vif?.MAC.toLowerCase();
            const was = plugged.get(i);
            if (now === was) return;
            if (was !== undefined) {
                net.exec(net.ns.toolbox, ["ip", "link", "delete", net.homes[i].toolboxInterface]);
                plugged.delete(i);
                events.push(`${slot.prefix} unplugged`);
            }
            if (now !== undefined) {
                net.homes[i].mac = now;
                net.addHomeLink(i);
                plugged.set(i, now);
                events.push(`${slot.prefix} plugged`);
            }
        });
    };
    const timer = setInterval(() => {
        try {
            poll();
        } catch (err) {
            errors.push(err as Error);
        }
    }, 50);

    const slotOf = (prefix: string) => {
        const i = slots.findIndex((s) => s.prefix === prefix);
        if (i < 0) throw new Error(`no home slot for the lab prefix ${prefix}; have ${slots.map((s) => s.prefix).join(", ")}`);
        return i;
    };
    return {
        sim, xe, connection, sourceIso, net, toolboxUuid: vm, isoLibrary, events, errors,
        config: {
            "virtual-hypervisor:host": c.host, "virtual-hypervisor:port": String(c.port), "virtual-hypervisor:user": c.user,
            "virtual-hypervisor:password": c.password, "virtual-hypervisor:hostKey": c.hostKey,
        },
        toolbox: (prefix) => ({ vm: TOOLBOX_VM, ssh: net.toolbox.connection, stateDir: `${net.toolbox.stateRoot}/${prefix}` }),
        homeNs: (prefix) => net.homes[slotOf(prefix)].ns,
        stop: async () => {
            clearInterval(timer);
            await closeAll();
            await net.destroy();
            await sim.stop();
            fs.rmSync(tmp, { recursive: true, force: true });
        },
    };
}
