/**
 * What a VM looks like now (read, update, adopt): name, power state, memory, vCPUs, its NIC's MAC,
 * its system disk, and while it runs its domid and VNC port (xenstore console/vnc-port: absent for
 * qemu-upstream guests, which serve VNC on a socket; xe-cli.md §4).
 */
import { isXeNotFound, parseMap, XeClient, XeError } from "../../xe";

export interface VmObservation {
    uuid: string;
    nameLabel: string;
    powerState: string;
    memoryBytes: number;
    vcpus: number;
    domid: number;
    /** MAC of VIF 0. */
    mac?: string;
    diskVdiUuid?: string;
    vncPort: number | null;
    otherConfig: Record<string, string>;
}

/** The VNC TCP port of a running domain, or null (qemu-upstream serves VNC on a socket instead). */
export async function vncPortOf(xe: XeClient, powerState: string, domid: number): Promise<number | null> {
    if (powerState !== "running" || !(domid > 0)) return null;
    try {
        const port = Number(await xe.xenstoreRead(`/local/domain/${domid}/console/vnc-port`));
        return Number.isInteger(port) ? port : null;
    } catch (err) {
        if (err instanceof XeError && err.code === "XENSTORE_PATH_NOT_FOUND") return null;
        throw err;
    }
}

export async function observeVm(xe: XeClient, uuid: string): Promise<VmObservation | undefined> {
    const notFound = (err: unknown) => {
        if (isXeNotFound(err)) return [];
        throw err;
    };
    const [vms, vifs, vbds] = await Promise.all([
        xe.list("vm", { uuid }, ["uuid", "name-label", "power-state", "memory-static-max", "VCPUs-max", "dom-id", "other-config"]).catch(notFound),
        xe.list("vif", { "vm-uuid": uuid }, ["uuid", "MAC", "device"]).catch(notFound),
        xe.list("vbd", { "vm-uuid": uuid }, ["uuid", "vdi-uuid", "userdevice", "type"]).catch(notFound),
    ]);
    const vm = vms[0];
    if (!vm) return undefined;
    const powerState = vm["power-state"];
    const domid = Number(vm["dom-id"]);
    const vncPort = await vncPortOf(xe, powerState, domid);
    return {
        uuid,
        nameLabel: vm["name-label"],
        powerState,
        memoryBytes: Number(vm["memory-static-max"]),
        vcpus: Number(vm["VCPUs-max"]),
        domid,
        mac: vifs.find((v) => v.device === "0")?.MAC?.toLowerCase(),
        diskVdiUuid: vbds.find((b) => b.type === "Disk" && b.userdevice === "0")?.["vdi-uuid"],
        vncPort,
        otherConfig: parseMap(vm["other-config"] ?? ""),
    };
}
