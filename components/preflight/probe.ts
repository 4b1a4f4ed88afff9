/**
 * The pre-flight's questions to the host, asked from the Pulumi program over a private SSH
 * connection (and private ones to its jump hosts) closed afterwards: a pooled one would keep the
 * program's process alive.
 * Read-only: xe *-list calls and a `df` of the ISO library directory, in one parallel round.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sh } from "../../provider/shell";
import { ConnectionArgs, parseDfAvailableBytes, resolveConnectionArgs, ResolvedConnectionArgs, SshSession } from "../../provider/ssh";
import { parseMap, XeClient, XeRecord } from "../../provider/xe";
import { DEFAULT_LIBRARY_SUBDIR } from "../../provider/resources/remasteredIso/args";
import { KEY_KEY, ROLE_KEY, tagFilter } from "../../provider/resources/common/tags";
import { UUID } from "../../provider/resources/common/validate";
import type { LabHostFacts, LocalIso } from "./assess";

const OURS = tagFilter();
/** Deadline of each pre-flight command: it reads, so it should be quick even on a busy host. */
const QUERY_TIMEOUT_MS = 60_000;

export interface ProbeRequest {
    /** The toolbox VM's uuid or name-label. */
    toolboxVm: string;
    /** An existing home network's uuid or name-label (undefined: the lab creates its own). */
    homeNetwork?: string;
    /** The ISO library directory in dom0. @default - "virtual-hypervisor/iso-library" under the login user's home */
    isoLibraryDirectory?: string;
}

/**
 * Private sessions for `resolved`: its own first, then its jump hosts' nearest first (the order to
 * close them in: a jump closed first would drop the tunnel under the session it carries). Chained
 * like the pool's, but outside it. Quiet: dial retries would otherwise be logged on the program's stderr.
 */
function privateSessions(resolved: ResolvedConnectionArgs): SshSession[] {
    const jumps = resolved.jump ? privateSessions(resolved.jump) : [];
    return [new SshSession(resolved, { log: () => undefined }, jumps[0]), ...jumps];
}

/** Opens private sessions, asks, closes them. */
export async function probeHost(connection: ConnectionArgs, request: ProbeRequest): Promise<LabHostFacts> {
    const sessions = privateSessions(resolveConnectionArgs(connection));
    try {
        return await gatherFacts(new XeClient(sessions[0]), request);
    } finally {
        for (const session of sessions) await session.close();
    }
}

/** Reads the facts through an xe client (exported for tests over any transport). */
export async function gatherFacts(xe: XeClient, request: ProbeRequest): Promise<LabHostFacts> {
    const byRef = (ref: string) => (UUID.test(ref) ? { uuid: ref } : { "name-label": ref });
    const [hosts, pools, srs, vms, disks, toolbox, networks, library] = await Promise.all([
        xe.list("host", {}, ["uuid", "memory-free"]),
        xe.list("pool", {}, ["uuid", "master", "default-SR"]),
        xe.list("sr", {}, ["uuid", "name-label", "physical-size", "physical-utilisation"]),
        xe.list("vm", { ...OURS, "is-control-domain": "false" }, ["uuid", "name-label", "power-state", "memory-static-max", "VCPUs-max", "other-config"]),
        xe.list("vdi", OURS, ["uuid", "virtual-size", "other-config"]),
        xe.list("vm", { ...byRef(request.toolboxVm), "is-a-template": "false", "is-control-domain": "false" }, ["uuid", "name-label", "power-state"]),
        request.homeNetwork === undefined ? Promise.resolve(undefined) : xe.list("network", byRef(request.homeNetwork), ["uuid", "name-label"]),
        libraryFree(xe, request.isoLibraryDirectory),
    ]);
    const pool = pools[0] ?? {};
    const host = hosts.find((h) => h.uuid === pool.master) ?? hosts[0] ?? {};
    const sr = srs.find((s) => s.uuid === pool["default-SR"]);
    return {
        target: xe.target,
        memoryFreeBytes: Number(host["memory-free"] ?? 0),
        defaultSr: sr && { uuid: sr.uuid, nameLabel: sr["name-label"], freeBytes: Number(sr["physical-size"]) - Number(sr["physical-utilisation"]) },
        isoLibrary: library,
        existing: existingHypervisors(vms, disks),
        toolbox: toolbox.map((t) => ({ uuid: t.uuid, nameLabel: t["name-label"], powerState: t["power-state"] })),
        homeNetworks: networks?.map((n) => ({ uuid: n.uuid, nameLabel: n["name-label"] })),
    };
}

/** Our hypervisor VMs keyed by their vh-key (the name-label they were created with), with their system disk's size. */
function existingHypervisors(vms: XeRecord[], disks: XeRecord[]): LabHostFacts["existing"] {
    const diskOf = new Map<string, number>();
    for (const d of disks) {
        const oc = parseMap(d["other-config"] ?? "");
        if (oc[ROLE_KEY] === "system-disk" && oc[KEY_KEY]) diskOf.set(oc[KEY_KEY], (diskOf.get(oc[KEY_KEY]) ?? 0) + Number(d["virtual-size"] ?? 0));
    }
    const existing: LabHostFacts["existing"] = {};
    for (const vm of vms) {
        const oc = parseMap(vm["other-config"] ?? "");
        if (oc[ROLE_KEY] !== "vm" || !oc[KEY_KEY]) continue;
        existing[oc[KEY_KEY]] = {
            powerState: vm["power-state"],
            memoryBytes: Number(vm["memory-static-max"] ?? 0),
            vcpus: Number(vm["VCPUs-max"] ?? 0),
            diskBytes: diskOf.get(oc[KEY_KEY]),
        };
    }
    return existing;
}

/**
 * Free space for the ISO library: `df` of the directory, or of its nearest existing parent when it
 * does not exist yet (RemasteredIso creates it). The default directory lives under $HOME.
 */
async function libraryFree(xe: XeClient, directory: string | undefined): Promise<{ directory: string; freeBytes: number }> {
    const dir = directory === undefined ? sh`"$HOME"/${DEFAULT_LIBRARY_SUBDIR}` : sh`${directory}`;
    const script = sh`d=${dir}; printf '%s\\n' "$d"; while [ ! -d "$d" ]; do d=$(dirname -- "$d"); done; df -Pk -- "$d"`;
    const result = await xe.runOrThrow(script, { timeoutMs: QUERY_TIMEOUT_MS, idempotent: true });
    // The directory's line, then df's output.
    const [resolved, ...df] = result.stdout.trim().split("\n");
    const freeBytes = parseDfAvailableBytes(df.join("\n"));
    if (freeBytes === undefined) throw new Error(`unexpected df output on ${xe.target}: ${JSON.stringify(result.stdout.slice(0, 200))}`);
    return { directory: resolved, freeBytes };
}

/** The source ISO on this machine: its size, or none when it is missing. */
export function localIso(file: string): LocalIso {
    const resolved = path.resolve(file);
    try {
        const st = fs.statSync(resolved);
        return st.isFile() ? { path: resolved, sizeBytes: st.size } : { path: resolved };
    } catch {
        return { path: resolved };
    }
}
