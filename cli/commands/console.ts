/**
 * `vh console XENSERVER MACHINE_NAME`: the seed blog's console recipe done for you: the VNC port
 * of the running VM from xenstore (`/local/domain/<domid>/console/vnc-port`), then the
 * `vncviewer -via root@HOST localhost:N` line (N = port − 5900) and the equivalent `ssh -L` tunnel.
 * qemu-upstream guests may serve VNC on a socket instead; then only the tunnel works.
 */
import { parseArgs } from "node:util";
import { vncPortOf } from "../../provider/resources/nestedHypervisor/observe";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, ConnectionFlags, openHost, parseHostSpec } from "../connection";
import { CliError } from "../errors";
import { EXIT } from "../exit";
import { machineNames, machineVms, MachineVm } from "../lookup";
import { expectPositionals, usageErrors } from "../options";
import { createOutput } from "../output";
import type { CliIO, Command } from "./types";

export const CONSOLE_USAGE = `usage: vh console XENSERVER MACHINE_NAME [options]

Print how to open the graphical console (VNC) of the running VM MACHINE_NAME (also while it
installs, under its "MACHINE_NAME - … (Step n of 3)" name) from this machine: its VNC port in
dom0 (from xenstore), the seed blog's \`vncviewer -via root@XENSERVER localhost:N\` line and an
\`ssh -L\` tunnel for any VNC viewer.

options:
      --json                   print the result as one JSON object on stdout
      --help                   show this help

${CONNECTION_USAGE}

Exit status: 0 printed, 1 no such VM or it is not running, 2 wrong arguments, 3 cannot connect
or log in.
`;

const OPTIONS = { ...CONNECTION_OPTIONS, json: { type: "boolean" } } as const;

/** The local port the tunnel listens on: VNC display :1. */
const LOCAL_VNC_PORT = 5901;

export interface ConsoleLines {
    /** `vncviewer -via user@host localhost:N`, when VNC is on a TCP port and ssh on port 22 without a jump. */
    vncviewer: string | null;
    /** `ssh -N -L 5901:<where> … user@host`. */
    sshTunnel: string;
    /** What to run once the tunnel is up. */
    viewer: string;
}

/** The console commands for a VM whose VNC is on `vncPort` (or the socket of `domid`). */
export function consoleLines(target: { host: string; port: number; user: string; jump?: string }, vncPort: number | null, domid: number): ConsoleLines {
    const where = vncPort !== null && vncPort >= 5900 ? `localhost:${vncPort}` : `/var/run/xen/vnc-${domid}`;
    const portFlag = target.port === 22 ? "" : ` -p ${target.port}`;
    const jumpFlag = target.jump ? ` -J ${target.jump}` : "";
    return {
        // vncviewer -via hands the gateway to ssh as a bare host name: no port, no jump.
        vncviewer: where.startsWith("localhost:") && target.port === 22 && !target.jump ? `vncviewer -via ${target.user}@${target.host} localhost:${vncPort! - 5900}` : null,
        sshTunnel: `ssh -N -L ${LOCAL_VNC_PORT}:${where}${portFlag}${jumpFlag} ${target.user}@${target.host}`,
        viewer: `vncviewer localhost:${LOCAL_VNC_PORT - 5900}`,
    };
}

function pick(vms: MachineVm[], name: string, target: string): MachineVm {
    if (!vms.length) {
        throw new CliError(`there is no VM named ${JSON.stringify(name)} on ${target}`, {
            detail: `Looked for the name-labels ${machineNames(name).map((n) => JSON.stringify(n)).join(", ")}.`,
        });
    }
    const running = vms.filter((v) => v.powerState === "running");
    if (running.length > 1) {
        throw new CliError(`${running.length} running VMs belong to ${name} on ${target}`, { detail: running.map((v) => `${v.uuid} "${v.nameLabel}"`).join("\n") });
    }
    if (running.length === 1) return running[0];
    const vm = vms[0];
    throw new CliError(`${vm.nameLabel} is ${vm.powerState}, so it has no console`, { detail: `Start it first: xe vm-start uuid=${vm.uuid}` });
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    const [hostArg, name] = expectPositionals(positionals, ["XENSERVER", "MACHINE_NAME"]);
    const out = createOutput(io, "console", values.json === true);
    try {
        const host = await openHost(hostArg, values, io, out.log, "XENSERVER");
        const vm = pick(await machineVms(host.xe, name), name, host.target);
        const vncPort = await vncPortOf(host.xe, vm.powerState, vm.domid);
        const lines = consoleLines({ host: host.args.host, port: host.args.port ?? 22, user: host.args.user ?? "root", jump: jumpOf(values) }, vncPort, vm.domid);
        const where = vncPort !== null ? `VNC on port ${vncPort} in dom0` : `VNC on the socket /var/run/xen/vnc-${vm.domid} in dom0`;
        out.text([
            `${vm.nameLabel} is running as domain ${vm.domid} on ${host.target}; its console is ${where}.`,
            ...(lines.vncviewer ? [`  ${lines.vncviewer}`, "or with any VNC viewer, through an SSH tunnel:"] : ["Open an SSH tunnel, then point a VNC viewer at it:"]),
            `  ${lines.sshTunnel}`,
            `  ${lines.viewer}`,
        ].join("\n"));
        out.result({
            command: "console", host: host.target, name, uuid: vm.uuid, nameLabel: vm.nameLabel, powerState: vm.powerState, domid: vm.domid,
            vncPort, ...lines,
        });
        return EXIT.OK;
    } finally {
        out.close();
    }
}

function jumpOf(flags: ConnectionFlags): string | undefined {
    if (flags.jump === undefined) return undefined;
    const j = parseHostSpec(flags.jump, "--jump", true);
    return `${j.user ? `${j.user}@` : ""}${j.host}${j.port && j.port !== 22 ? `:${j.port}` : ""}`;
}

export const consoleCommand: Command = {
    name: "console",
    summary: "show how to open a VM's VNC console (vncviewer -via / ssh -L)",
    usage: CONSOLE_USAGE,
    run,
};
