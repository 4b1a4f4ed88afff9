/**
 * NAT backends. nftables: one table of ours (vh_<lab>), loaded atomically from our file; what nft
 * listed right after loading is kept so drift (a flushed or edited table) is visible. Shorewall:
 * compiled from our directory into our directory and run with VARDIR in our directory.
 */
import { GatewayStepError } from "./errors";
import { parseForwardDropChains } from "./parse";
import type { GatewayPaths } from "./plan";
import { nftTableName } from "./spec";
import type { Toolbox } from "./toolbox";

export interface NatStatus {
    ok: boolean;
    /** What is wrong, in user terms. */
    problem?: string;
}

// ---- nftables -------------------------------------------------------------------------------

async function listTable(toolbox: Toolbox, table: string): Promise<string | undefined> {
    const r = await toolbox.exec(["nft", "list", "table", "ip", table]);
    return r.exitCode === 0 ? r.stdout : undefined;
}

/** Loads our table unless it is present and exactly as we left it; says whether it loaded. */
export async function applyNft(toolbox: Toolbox, lab: string, paths: GatewayPaths, fileChanged: boolean): Promise<boolean> {
    const table = nftTableName(lab);
    if (!fileChanged && (await inspectNft(toolbox, lab, paths)).ok) return false;
    await toolbox.mustExec(`load the NAT rules (nft table ip ${table})`, ["nft", "-f", paths.nft]);
    const listing = await listTable(toolbox, table);
    if (listing === undefined) {
        throw new GatewayStepError(`load the NAT rules (nft table ip ${table})`, toolbox.target, `nft -f ${paths.nft}`, 0, "nft succeeded but the table is not there");
    }
    await toolbox.writeFile(paths.nftApplied, listing);
    return true;
}

export async function inspectNft(toolbox: Toolbox, lab: string, paths: GatewayPaths): Promise<NatStatus> {
    const table = nftTableName(lab);
    const current = await listTable(toolbox, table);
    if (current === undefined) return { ok: false, problem: `the nft table ip ${table} is missing` };
    if (current !== (await toolbox.readFile(paths.nftApplied))) return { ok: false, problem: `the nft table ip ${table} differs from what was loaded` };
    return { ok: true };
}

/** Warnings about other firewalls on the toolbox that would drop the lab's forwarded traffic. */
export async function forwardWarnings(toolbox: Toolbox, lab: string, homeInterface: string, upstreamInterface: string): Promise<string[]> {
    const r = await toolbox.exec(["nft", "list", "ruleset"]);
    if (r.exitCode !== 0) return [];
    const own = `ip ${nftTableName(lab)} `;
    return parseForwardDropChains(r.stdout).filter((c) => !c.startsWith(own)).map((c) =>
        `another firewall on ${toolbox.target} drops forwarded packets by default (nft chain ${c}): traffic from the home network ` +
        `may be blocked there whatever the lab's own table allows; let ${homeInterface} → ${upstreamInterface} and the replies through it`);
}

export async function removeNft(toolbox: Toolbox, lab: string): Promise<boolean> {
    const table = nftTableName(lab);
    if ((await listTable(toolbox, table)) === undefined) return false;
    await toolbox.mustExec(`delete the nft table ip ${table}`, ["nft", "delete", "table", "ip", table]);
    return true;
}

// ---- Shorewall ------------------------------------------------------------------------------

const RUN_FIREWALL = 'VARDIR="$1"; export VARDIR; exec "$2" "$3"';

async function firewallStatus(toolbox: Toolbox, paths: GatewayPaths): Promise<number> {
    return (await toolbox.script(RUN_FIREWALL, [paths.shorewallVar, paths.shorewallScript, "status"])).exitCode ?? -1;
}

/** Refuses to take over a toolbox whose own Shorewall (from /etc/shorewall) is running. */
export async function assertNoForeignShorewall(toolbox: Toolbox, shorewall: string): Promise<void> {
    const r = await toolbox.exec([shorewall, "status"]);
    if (r.exitCode === 0) {
        throw new GatewayStepError("use Shorewall for NAT", toolbox.target, "shorewall status", 0,
            "Shorewall already runs on this toolbox with its own configuration, and a second one would replace it; " +
            "use natBackend \"nftables\" (a table of its own beside the existing firewall)");
    }
}

/** Compiles (when the configuration changed) and starts or restarts our Shorewall. */
export async function applyShorewall(toolbox: Toolbox, paths: GatewayPaths, shorewall: string, configChanged: boolean): Promise<boolean> {
    const compiled = (await toolbox.exec(["test", "-x", paths.shorewallScript])).exitCode === 0;
    if (configChanged || !compiled) {
        await toolbox.mustExec("compile the Shorewall configuration", [shorewall, "compile", paths.shorewallDir, paths.shorewallScript], { timeoutMs: 120_000 });
    }
    const running = (await firewallStatus(toolbox, paths)) === 0;
    if (running && compiled && !configChanged) return false;
    await toolbox.mustExec("create Shorewall's state directory", ["mkdir", "-p", "-m", "0700", paths.shorewallVar]);
    await toolbox.mustScript(`${running ? "restart" : "start"} Shorewall`, RUN_FIREWALL,
        [paths.shorewallVar, paths.shorewallScript, running ? "restart" : "start"], { timeoutMs: 120_000 });
    return true;
}

export async function inspectShorewall(toolbox: Toolbox, paths: GatewayPaths): Promise<NatStatus> {
    const status = await firewallStatus(toolbox, paths);
    return status === 0 ? { ok: true } : { ok: false, problem: `Shorewall is not running (status exit code ${status})` };
}

/** iptables-nft's tables, which Shorewall creates and `clear` leaves behind empty. */
const IPTABLES_TABLES = ["filter", "nat", "mangle", "raw", "security"];

/** Clears our Shorewall and drops the (now empty) iptables tables that did not exist before. */
export async function removeShorewall(toolbox: Toolbox, paths: GatewayPaths, priorTables: readonly string[]): Promise<string[]> {
    const done: string[] = [];
    if ((await toolbox.exec(["test", "-x", paths.shorewallScript])).exitCode === 0) {
        await toolbox.mustScript("clear Shorewall", RUN_FIREWALL, [paths.shorewallVar, paths.shorewallScript, "clear"], { timeoutMs: 120_000 });
        done.push("Shorewall rules");
    }
    for (const name of IPTABLES_TABLES) {
        if (priorTables.includes(`ip ${name}`)) continue;
        const listing = await listTable(toolbox, name);
        if (listing === undefined) continue;
        // Only an empty table (chains without rules) is ours to drop; rules mean someone else uses it.
        const rules = listing.split("\n").map((l) => l.trim()).filter((l) => l && !/^(table |chain |type |policy |\}|#)/.test(l));
        if (rules.length) continue;
        await toolbox.mustExec(`delete the empty nft table ip ${name} left by Shorewall`, ["nft", "delete", "table", "ip", name]);
        done.push(`table ip ${name}`);
    }
    return done;
}
