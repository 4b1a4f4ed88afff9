/**
 * `xe help` (cli_frontend.ml rio_help): per-command 4-field records, or the usage banner with the
 * standard (or, with --all, every) command names wrapped at 74 columns.
 */
import { CommandSpec, commandNames, lookupCommand } from "./cmdtable";
import type { Printer } from "./printer";

const VM_SELECTORS_INFO = " VMs can be specified by filtering the full list of VMs on the values of zero or more fields. For example, specifying 'uuid=<some_uuid>' will select only the VM with that uuid, and 'power-state=halted' will select only VMs whose 'power-state' field is equal to 'halted'. The special pseudo-field 'vm' matches either of name-label or uuid. Where multiple VMs are matching, the option '--multiple' must be specified to perform the operation. The full list of fields that can be matched can be obtained by the command 'xe vm-list params=all'. If no parameters to select VMs are given, the operation will be performed on all VMs.";
const VM_SELECTORS_INFO_LEGACY = " The simplest way to select the VM on which the operation is to be performed is by supplying the argument 'vm=<name or uuid>'. VMs can also be specified by filtering the full list of VMs on the values of fields. For example, specifying 'power-state=halted' will select all VMs whose power-state field is equal to 'halted'. Where multiple VMs are matching, the option '--multiple' must be specified to perform the operation. The full list of fields that can be matched can be obtained by the command 'xe vm-list params=all'. If no parameters to select VMs are given, the operation will be performed on all VMs.";

function makeList(items: string[]): string[] {
    const lines: string[] = [];
    let cur = `    ${items[0] ?? ""}`;
    for (const cmd of items.slice(1)) {
        if (cur.length + cmd.length > 74) {
            lines.push(cur);
            cur = `    ${cmd}`;
        } else {
            cur = `${cur}, ${cmd}`;
        }
    }
    lines.push(cur);
    return lines;
}

export function help(printer: Printer, params: Array<[string, string]>, gen: number): void {
    const skip = ["server", "username", "password", "port", "minimal", "all"];
    const asked = params.filter(([k]) => !skip.includes(k)).map(([k]) => k);
    if (asked.length) {
        for (const name of asked) {
            const found = lookupCommand(name, gen);
            if (found.kind === "unknown") {
                printer.print({ kind: "list", items: [`Unknown command '${name}'`] });
                continue;
            }
            const spec: CommandSpec = found.kind === "command" ? found.command : { reqd: [], optn: [], help: "(not implemented by the simulated host)", flags: [] };
            const vmSel = spec.flags.includes("Vm_selectors");
            printer.print({
                kind: "table",
                records: [[
                    ["command name        ", name],
                    ["reqd params     ", spec.reqd.join(", ")],
                    ["optional params ", [...spec.optn, ...(vmSel ? ["<vm-selectors>"] : [])].join(", ")],
                    ["description     ", spec.help + (vmSel ? (gen === 0 ? VM_SELECTORS_INFO_LEGACY : VM_SELECTORS_INFO) : "")],
                ]],
            });
        }
        return;
    }
    const { all, standard } = commandNames(gen);
    const header = "Usage: xe <command> [-s server] [-pw passwd] [-p port] [-u user] [-pwf password-file]\n  [command specific arguments]\n\n";
    const everything = params.some(([k, v]) => k === "all" && v === "true");
    if (everything) {
        if (printer.minimal) return printer.print({ kind: "list", items: all });
        const hostCmds = all.filter((n) => n.startsWith("host-"));
        const vmCmds = all.filter((n) => n.startsWith("vm-"));
        const other = all.filter((n) => !n.startsWith("host-") && !n.startsWith("vm-"));
        printer.print({ kind: "list", items: [`${header}To get help on a specific command: xe help <command>\n\nFull command list\n-----------------`] });
        for (const group of [hostCmds, [""], vmCmds, [""], other]) printer.print({ kind: "list", items: makeList(group) });
        return;
    }
    if (printer.minimal) return printer.print({ kind: "list", items: standard });
    printer.print({
        kind: "list",
        items: [`${header}To get help on a specific command: xe help <command>\nTo get a full listing of commands: xe help --all\n\nCommon command list\n-------------------`],
    });
    printer.print({ kind: "list", items: makeList(standard) });
}
