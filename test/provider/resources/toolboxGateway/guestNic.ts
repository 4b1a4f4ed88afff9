/**
 * Plays the toolbox's guest kernel for the ToolboxGateway tests: when the simulated XenServer
 * host hot-plugs a VIF with a given MAC into a running VM, the guest sees a new NIC; when the VIF
 * is unplugged (or destroyed, or the VM stops), the NIC disappears. The watcher polls the
 * simulator's state (as a test process that owns the state directory may) and calls back on each
 * change, so the toolbox network namespace gains and loses a veth exactly as a guest would.
 */
import { loadDb } from "../../../../sim/model/store";

export interface GuestNicWatcher {
    /** "plugged" / "unplugged", in the order they happened. */
    readonly events: string[];
    /** Failures of the callbacks (the watcher keeps running). */
    readonly errors: Error[];
    stop(): void;
}

export interface GuestNicOptions {
    /** Simulator state directory. */
    stateDir: string;
    /** MAC of the VIF to watch (any case). */
    mac: string;
    onPlug(): void;
    onUnplug(): void;
    /** Poll interval. @default 50 */
    pollMs?: number;
}

/** Whether a VIF with `mac` is attached to a running VM in the simulator's state right now. */
export function nicPresent(stateDir: string, mac: string): boolean {
    const db = loadDb(stateDir);
    if (!db) return false;
    return Object.values(db.vif).some((v) => v.MAC.toLowerCase() === mac.toLowerCase() && v.currently_attached && db.vm[v.VM]?.power_state === "running");
}

export function watchGuestNic(options: GuestNicOptions): GuestNicWatcher {
    const events: string[] = [];
    const errors: Error[] = [];
    let present = nicPresent(options.stateDir, options.mac);
    const timer = setInterval(() => {
        let now: boolean;
        try {
            now = nicPresent(options.stateDir, options.mac);
        } catch (err) {
            errors.push(err as Error);
            return;
        }
        if (now === present) return;
        present = now;
        events.push(now ? "plugged" : "unplugged");
        try {
            if (now) options.onPlug();
            else options.onUnplug();
        } catch (err) {
            errors.push(err as Error);
        }
    }, options.pollMs ?? 50);
    return { events, errors, stop: () => clearInterval(timer) };
}
