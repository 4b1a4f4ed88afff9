/**
 * Removing a VM with everything it owns: hard shutdown when it runs, then its VBDs, VIFs and the
 * VM record, then the disks it owned (VBD other-config `owner`, as vm-uninstall decides) plus any
 * disks named by the caller. Every step is tried, whatever failed before; the report says what was
 * removed and what could not be. Objects already gone count as removed.
 */
import { isXeNotFound, parseMap, XeClient } from "../../xe";
import { asError, CleanupReport } from "../common/errors";

export async function removeVm(xe: XeClient, vmUuid: string | undefined, extraVdis: readonly string[] = []): Promise<CleanupReport> {
    const report: CleanupReport = { done: [], failed: [] };
    const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
        try {
            await fn();
            report.done.push(what);
        } catch (err) {
            if (isXeNotFound(err)) return;
            report.failed.push(new Error(`could not remove ${what}: ${asError(err).message}`, { cause: err }));
        }
    };
    const disks = new Set(extraVdis);
    if (vmUuid) {
        let vm: Record<string, string> | undefined;
        try {
            vm = await xe.record("vm", vmUuid, ["uuid", "power-state"]);
        } catch (err) {
            if (!isXeNotFound(err)) report.failed.push(new Error(`could not look up VM ${vmUuid}: ${asError(err).message}`, { cause: err }));
        }
        if (vm) {
            if (vm["power-state"] !== "halted") await step(`power of VM ${vmUuid} (hard shutdown)`, () => xe.vm.hardShutdown(vmUuid));
            const [vbds, vifs] = await Promise.all([
                xe.list("vbd", { "vm-uuid": vmUuid }, ["uuid", "vdi-uuid", "type", "other-config"]).catch((err) => { report.failed.push(asError(err)); return []; }),
                xe.list("vif", { "vm-uuid": vmUuid }, ["uuid"]).catch((err) => { report.failed.push(asError(err)); return []; }),
            ]);
            for (const vbd of vbds) {
                const owned = parseMap(vbd["other-config"] ?? "").owner !== undefined;
                if (vbd.type === "Disk" && owned && /^[0-9a-f-]{36}$/.test(vbd["vdi-uuid"] ?? "")) disks.add(vbd["vdi-uuid"]);
            }
            await Promise.all([
                ...vbds.map((v) => step(`VBD ${v.uuid}`, () => xe.vbd.destroy(v.uuid))),
                ...vifs.map((v) => step(`VIF ${v.uuid}`, () => xe.vif.destroy(v.uuid))),
            ]);
            await step(`VM ${vmUuid}`, () => xe.vm.destroy(vmUuid));
        }
    }
    await Promise.all([...disks].map((d) => step(`disk ${d}`, () => xe.vdi.destroy(d))));
    return report;
}
