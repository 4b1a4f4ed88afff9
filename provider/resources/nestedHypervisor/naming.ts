/**
 * Names and identities on the host: the seed's name-label state machine (the progress signal of
 * _xs_vm_starter.sh, seed-and-installer.md §2.4.2), the disk's name, the derived MAC, and the
 * console command shown as an output.
 */
import { macFromSeed } from "../common/mac";

export type InstallStep = "created" | "booted" | "firstBoot";

const STEP_SUFFIX: Record<InstallStep, string> = {
    created: "created (Step 1 of 3)",
    booted: "booted from iso (Step 2 of 3)",
    firstBoot: "first boot (Step 3 of 3)",
};

/** "<name> - created (Step 1 of 3)" and so on, exactly as the seed wrote them. */
export function progressName(nameLabel: string, step: InstallStep): string {
    return `${nameLabel} - ${STEP_SUFFIX[step]}`;
}

/** The step a name-label shows for this VM name, if it is one of the progress names. */
export function stepOf(label: string, nameLabel: string): InstallStep | undefined {
    return (Object.keys(STEP_SUFFIX) as InstallStep[]).find((s) => label === progressName(nameLabel, s));
}

/** name-label of the system disk. */
export function diskName(nameLabel: string): string {
    return `${nameLabel} system disk`;
}

/**
 * A MAC derived from the VM's name (locally administered, unicast): the same name always gets the
 * same MAC, so a gateway's static DHCP lease can be written before the VM exists.
 */
export function deriveMac(nameLabel: string): string {
    return macFromSeed(`virtual-hypervisor/nested-hypervisor\0${nameLabel}`);
}

export const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** "02:AB:…" → "02:ab:…"; xapi prints MACs in lower case. */
export function normaliseMac(mac: string): string {
    return mac.trim().toLowerCase().replace(/-/g, ":");
}

/** Whether a MAC is unicast (bit 0 of the first byte clear): a VIF cannot use a multicast MAC. */
export function isUnicastMac(mac: string): boolean {
    return (parseInt(mac.slice(0, 2), 16) & 1) === 0;
}

export interface ConsoleTarget {
    host: string;
    port?: number;
    user?: string;
}

/**
 * How to reach the VM's console from your machine: the seed blog's `vncviewer -via` form and an
 * `ssh -L` equivalent. qemu-upstream guests (CH 8.x and later) may serve VNC on a socket instead
 * of a TCP port; then only the ssh form works, forwarding to /var/run/xen/vnc-<domid>.
 */
export function consoleCommand(target: ConsoleTarget, state: { powerState: string; vncPort: number | null; domid?: number; uuid: string }): string {
    const user = target.user ?? "root";
    const sshPort = target.port ?? 22;
    const portFlag = sshPort === 22 ? "" : ` -p ${sshPort}`;
    if (state.powerState !== "running") return `the VM is ${state.powerState}; start it (xe vm-start uuid=${state.uuid}) to get a console`;
    if (state.vncPort !== null && state.vncPort >= 5900) {
        const tunnel = `ssh -N -L 5901:localhost:${state.vncPort}${portFlag} ${user}@${target.host}, then vncviewer localhost:1`;
        // vncviewer -via hands the gateway to ssh as a host name: it cannot carry a port.
        return sshPort === 22 ? `vncviewer -via ${user}@${target.host} localhost:${state.vncPort - 5900}  # or: ${tunnel}` : tunnel;
    }
    const socket = state.domid !== undefined && state.domid >= 0 ? `/var/run/xen/vnc-${state.domid}` : "/var/run/xen/vnc-<domid>";
    return `ssh -N -L 5901:${socket}${portFlag} ${user}@${target.host}, then vncviewer localhost:1`;
}
