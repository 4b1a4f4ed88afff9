/**
 * How a user reaches a hypervisor of the lab: the home network is private, so SSH goes through
 * the toolbox as jump host. Pure.
 */
import type { ConnectionArgs } from "../provider/ssh";
import { shellQuote } from "../provider/shell";

/** "user@host" or "user@host:port" as `ssh -J` takes it. */
export function jumpSpec(toolbox: Pick<ConnectionArgs, "host" | "port" | "user">): string {
    const port = toolbox.port ?? 22;
    const host = toolbox.host.includes(":") ? `[${toolbox.host}]` : toolbox.host;
    return `${toolbox.user ?? "root"}@${host}${port === 22 ? "" : `:${port}`}`;
}

/** `ssh -J root@toolbox root@192.168.32.2`: a shell command, every value quoted when it needs it. */
export function sshCommand(toolbox: Pick<ConnectionArgs, "host" | "port" | "user">, address: string): string {
    const jump = jumpSpec(toolbox);
    const word = (w: string) => (/^[A-Za-z0-9_.@:[\]-]+$/.test(w) ? w : shellQuote(w, "ssh argument"));
    return `ssh -J ${word(jump)} ${word(`root@${address}`)}`;
}
