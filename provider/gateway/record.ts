/**
 * The record we keep on the toolbox (<stateDir>/state.json): the prior state of everything we
 * change, written before the first change, and what was applied. remove() restores from it, so it
 * survives re-applies unchanged and is deleted last.
 */
import { GatewayStepError } from "./errors";
import type { GatewayPaths } from "./plan";
import type { NatBackend } from "./spec";
import type { Toolbox } from "./toolbox";

export const RECORD_FORMAT = 1;

export interface PriorState {
    /** /proc/sys/net/ipv4/ip_forward before the first lab on this toolbox changed it. */
    ipForward: string;
    /** The gateway address was already on the home interface. */
    homeAddressPresent: boolean;
    /** The home interface was already administratively up. */
    homeLinkUp: boolean;
    /** `nft list tables` ("family name"), so remove() can drop tables Shorewall created. */
    nftTables: string[];
    /** The parent of the state directory existed (else remove() removes it when empty). */
    parentExisted: boolean;
}

export interface AppliedState {
    natBackend: NatBackend;
    serviceManager: "systemd" | "direct";
    homeMac: string;
    homeInterface: string;
    upstreamInterface: string;
    upstreamDns: string[];
    /** "192.168.32.1/24". */
    gatewayCidr: string;
    hostCount: number;
}

export interface GatewayRecord {
    format: number;
    lab: string;
    prior: PriorState;
    applied?: AppliedState;
}

export async function readRecord(toolbox: Toolbox, paths: GatewayPaths): Promise<GatewayRecord | undefined> {
    const text = await toolbox.readFile(paths.state);
    if (text === undefined) return undefined;
    try {
        const record = JSON.parse(text) as GatewayRecord;
        if (typeof record !== "object" || !record || typeof record.prior !== "object") throw new Error("no prior state in it");
        return record;
    } catch (err) {
        throw new GatewayStepError(`read the gateway record ${paths.state}`, toolbox.target, `cat -- ${paths.state}`, 0,
            `it is not a record written by virtual-hypervisor (${(err as Error).message}); move it away to start afresh`, { cause: err });
    }
}

export async function writeRecord(toolbox: Toolbox, paths: GatewayPaths, record: GatewayRecord): Promise<boolean> {
    return toolbox.syncFile(paths.state, JSON.stringify(record, null, 2) + "\n");
}

/** Records of other labs next to ours (state directories that share our parent). */
export async function siblingRecords(toolbox: Toolbox, paths: GatewayPaths): Promise<GatewayRecord[]> {
    const r = await toolbox.script('for f in "$1"/*/state.json; do [ "$f" = "$2" ] || [ ! -f "$f" ] || echo "$f"; done', [paths.parent, paths.state]);
    const records: GatewayRecord[] = [];
    for (const file of r.stdout.split("\n").filter(Boolean)) {
        try {
            const rec = JSON.parse((await toolbox.readFile(file)) ?? "") as GatewayRecord;
            if (rec && typeof rec.prior === "object" && typeof rec.lab === "string") records.push(rec);
        } catch {
            // not one of ours
        }
    }
    return records;
}
