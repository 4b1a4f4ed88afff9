/**
 * The plan: a resolved GatewaySpec joined with what was discovered on the toolbox (interface
 * names, resolvers, tool paths), plus the files under the state directory. Everything the
 * renderers and the remote steps need, in one plain object.
 */
import type { Ipv4Cidr } from "./ipv4";
import type { GatewayHost, NatBackend } from "./spec";

export interface ToolPaths {
    ip: string;
    nft?: string;
    dnsmasq: string;
    sysctl?: string;
    shorewall?: string;
}

export interface GatewayPlan {
    lab: string;
    stateDir: string;
    natBackend: NatBackend;
    /** Resolved service manager ("auto" decided by discovery). */
    serviceManager: "systemd" | "direct";
    homeMac: string;
    homeInterface: string;
    upstreamInterface: string;
    upstreamDns: string[];
    gateway: Ipv4Cidr;
    hosts: GatewayHost[];
    tools: ToolPaths;
    /** User dnsmasq drops privileges to, when its compiled-in default ("dnsmasq") does not exist. @default - dnsmasq's default */
    dnsmasqUser?: string;
}

/** Files we keep under the state directory. */
export interface GatewayPaths {
    dir: string;
    /** The directory holding `dir` (and the state directories of other labs on the toolbox). */
    parent: string;
    /** The record of prior state and of what was applied (state.json). */
    state: string;
    dnsmasqConf: string;
    hosts: string;
    pid: string;
    /** dnsmasq's own log (startup and hosts-file loading only; queries are not logged). */
    dnsmasqLog: string;
    nft: string;
    /** `nft list table` right after we loaded it: what inspect compares with. */
    nftApplied: string;
    shorewallDir: string;
    shorewallScript: string;
    shorewallVar: string;
    dnsUnit: string;
    netUnit: string;
}

export function gatewayPaths(stateDir: string, lab: string): GatewayPaths {
    const d = stateDir;
    return {
        dir: d,
        parent: d.slice(0, d.lastIndexOf("/")) || "/",
        state: `${d}/state.json`,
        dnsmasqConf: `${d}/dnsmasq.conf`,
        hosts: `${d}/hosts`,
        pid: `${d}/dnsmasq.pid`,
        dnsmasqLog: `${d}/dnsmasq.log`,
        nft: `${d}/nftables.nft`,
        nftApplied: `${d}/nftables.applied`,
        shorewallDir: `${d}/shorewall`,
        shorewallScript: `${d}/shorewall/firewall`,
        shorewallVar: `${d}/shorewall/var`,
        dnsUnit: `${d}/vh-${lab}-dns.service`,
        netUnit: `${d}/vh-${lab}-net.service`,
    };
}
