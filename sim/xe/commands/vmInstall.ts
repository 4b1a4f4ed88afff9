/**
 * vm-install, vm-clone, vm-uninstall and vm-destroy (cli_operations.ml vm_install,
 * vm_install_real, vm_clone_aux, vm_uninstall_common, vm_destroy).
 */
import { vdiDestroy } from "../../api/storage";
import { vmClone, vmDestroy, vmProvision } from "../../api/vmCreate";
import { assertOperationValid } from "../../api/vmOps";
import { shutdownVm } from "../../lifecycle/power";
import type { Ctx } from "../context";
import { ApiError, CliFailure } from "../errors";
import { filterRecords } from "../filter";
import { VM_CLASS } from "../fields/vm";
import { bindAll } from "../generic";
import { doVmOp } from "../select";
import type { Ref } from "../../model/types";
import type { ImplTable } from "./types";

function findTemplate(c: Ctx): Ref {
    if (c.has("template-uuid")) {
        const ref = c.findByUuid("vm", c.req("template-uuid"));
        if (!ref) throw new CliFailure("Cannot find template");
        return ref;
    }
    const byName = (name: string): Ref => {
        let recs = bindAll(c, VM_CLASS);
        for (const [k, v] of [["name-label", name], ["is-a-template", "true"], ["is-control-domain", "false"]] as const) recs = filterRecords(c, recs, k, v);
        if (recs.length === 0) throw new CliFailure("No templates matched");
        if (recs.length > 1) throw new CliFailure("More than one matching template found");
        return recs[0].ref;
    };
    if (c.has("template-name-label") || c.has("template-name")) return byName(c.param("template-name-label") ?? c.req("template-name"));
    if (c.has("template")) return c.findByUuid("vm", c.req("template")) ?? byName(c.req("template"));
    throw new CliFailure("Template must be specified by parameter 'template-uuid', 'template-name', 'template-name-label' or 'template'");
}

function installSr(c: Ctx): Ref | null {
    let sr: Ref | null = c.has("sr-uuid") ? c.byUuid("sr", c.req("sr-uuid")) : null;
    if (c.has("sr-name-label")) {
        const matches = c.all("sr").filter(([, s]) => s.name_label === c.req("sr-name-label")).map(([r]) => r);
        if (matches.length === 0) throw new CliFailure("No SR with that name-label found");
        if (sr) {
            if (!matches.includes(sr)) throw new CliFailure("SR specified via sr-uuid doesn't have the name specified via sr-name-label");
        } else if (matches.length > 1) {
            throw new CliFailure("Multiple SRs with that name-label found");
        } else {
            sr = matches[0];
        }
    }
    return sr;
}

function vmInstall(c: Ctx): void {
    const template = findTemplate(c);
    if (!c.db.vm[template].is_a_template) throw new CliFailure("Can only install from templates");
    const name = c.req("new-name-label");
    const tpl = c.db.vm[template];
    if (tpl.is_a_snapshot && (c.has("sr-name-label") || c.has("sr-uuid"))) {
        throw new CliFailure("Do not use the sr-name-label or sr-uuid argument when installing from a snapshot. By default, it will install each new disk on the same SR as the corresponding snapshot disks.");
    }
    const sr = installSr(c);
    const defaultSr = c.db.pool[c.poolRef()].default_SR;
    let srUuid = "";
    if (sr) srUuid = c.db.sr[sr].uuid;
    else if (c.exists("sr", defaultSr)) srUuid = c.db.sr[defaultSr].uuid;
    else if ("disks" in tpl.other_config) {
        throw new CliFailure("Failed to find a valid default SR for the Pool. Please provide an sr-name-label or sr-uuid parameter.");
    }
    // VM.copy to the SR when one was named, else VM.clone; the simulator copies the same way.
    const vm = vmClone(c, template, name);
    try {
        const rec = c.db.vm[vm];
        rec.name_description = "Installed via xe CLI";
        rec.suspend_SR = sr ?? tpl.suspend_SR;
        const wantsVendorDevice = /field="has-vendor-device" value="true"/.test(tpl.recommendations);
        rec.has_vendor_device = wantsVendorDevice;
        vmProvision(c, vm, srUuid);
        if (c.has("copy-bios-strings-from")) c.byUuid("host", c.req("copy-bios-strings-from"));
        c.printer.print({ kind: "list", items: [rec.uuid] });
    } catch (err) {
        try {
            vmDestroy(c, vm);
        } catch {
            /* best effort, as xapi does */
        }
        throw err;
    }
}

function vmUninstallTargets(c: Ctx): { lines: string[]; vms: Ref[]; vdis: Ref[] } {
    const selected = doVmOp(c, (vm) => vm.ref);
    const snapshots = selected.flatMap((vm) => c.all("vm").filter(([, v]) => v.snapshot_of === vm).map(([r]) => r));
    const lines: string[] = [];
    const vdis: Ref[] = [];
    for (const vm of [...selected, ...snapshots]) {
        const rec = c.db.vm[vm];
        lines.push(`VM : ${rec.uuid} (${rec.name_label})`);
        for (const [, vbd] of c.all("vbd")) {
            if (vbd.VM !== vm || !("owner" in vbd.other_config) || !c.exists("vdi", vbd.VDI)) continue;
            const vdi = c.db.vdi[vbd.VDI];
            const users = c.all("vbd").filter(([, b]) => b.VDI === vbd.VDI).length;
            lines.push(`VDI: ${vdi.uuid} (${vdi.name_label}) ${users > 1 ? " ** WARNING: disk is shared by other VMs" : ""}`);
            vdis.push(vbd.VDI);
        }
        if (c.exists("vdi", rec.suspend_VDI)) {
            const vdi = c.db.vdi[rec.suspend_VDI];
            lines.push(`VDI: ${vdi.uuid} (${vdi.name_label}) `);
            vdis.push(rec.suspend_VDI);
        }
    }
    return { lines, vms: [...selected, ...snapshots], vdis };
}

function destroyAll(c: Ctx, vms: Ref[], vdis: Ref[]): void {
    for (const vm of vms) {
        if (!c.exists("vm", vm)) continue;
        if (c.db.vm[vm].power_state !== "halted") shutdownVm(c, vm, true);
        vmDestroy(c, vm);
    }
    for (const vdi of vdis) if (c.exists("vdi", vdi)) vdiDestroy(c, vdi);
}

export const VM_INSTALL_COMMANDS: ImplTable = {
    "vm-install": { writes: true, run: vmInstall },
    "vm-clone": {
        writes: true,
        run(c) {
            const name = c.req("new-name-label");
            const made = doVmOp(c, (vm) => vmClone(c, vm.ref, name), { includeTemplates: true, ignore: ["new-name-label", "new-name-description", "ignore-vdi-uuids"] });
            if (c.has("new-name-description")) c.db.vm[made[0]].name_description = c.req("new-name-description");
            c.printer.print({ kind: "list", items: made.map((r) => c.db.vm[r].uuid) });
        },
    },
    "vm-destroy": {
        writes: true,
        run(c) {
            const vm = c.byUuid("vm", c.req("uuid"));
            if (c.db.vm[vm].is_control_domain) throw new ApiError("OPERATION_NOT_ALLOWED", ["You cannot destroy a control domain via the CLI"]);
            vmDestroy(c, vm);
        },
    },
    "vm-uninstall": {
        writes: true,
        session(s, params) {
            const force = params.some(([k, v]) => k === "force" && ["true", "t", "yes", "y", "1"].includes(v.toLowerCase()));
            const plan = s.withState(force, (c) => {
                const t = vmUninstallTargets(c);
                c.printer.printLine("The following items are about to be destroyed");
                for (const line of t.lines) c.printer.printLine(line);
                if (force) {
                    destroyAll(c, t.vms, t.vdis);
                    c.printer.printLine("All objects destroyed");
                }
                return t;
            });
            if (force) return;
            s.withState(false, (c) => c.printer.printLine("Type 'yes' to continue"));
            const answer = s.readLine();
            s.withState(answer.trim().toLowerCase() === "yes", (c) => {
                if (answer.trim().toLowerCase() !== "yes") {
                    c.printer.printLine(`Aborted (you typed: '${answer}')`);
                    return;
                }
                destroyAll(c, plan.vms, plan.vdis);
                c.printer.printLine("All objects destroyed");
            });
        },
    },
};

export { assertOperationValid };
