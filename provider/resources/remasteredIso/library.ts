/**
 * The ISO library SR: an ISO SR over a dom0 directory (`type=iso`, `legacy_mode=true`: used in
 * place, nothing mounted), attached to the pool master (sr-create needs host-uuid in pools,
 * seed-and-installer.md §2.4.2), tagged as ours. An SR someone else made for the directory is used
 * as is and never forgotten; ours is forgotten when its last ISO is gone.
 */
import { parseMap, XeClient } from "../../xe";
import { isOurs, ownershipTags } from "../common/tags";

export interface LibrarySr {
    uuid: string;
    /** Made by virtual-hypervisor (tagged): forgotten when empty. */
    ours: boolean;
    /** Made by this call. */
    created: boolean;
}

type FoundSr = LibrarySr & { pbds: Array<{ uuid: string; attached: boolean }> };

/** The ISO SR whose PBD serves `directory`, if any (the one with the lowest uuid when several do). */
export async function findLibrarySr(xe: XeClient, directory: string): Promise<FoundSr | undefined> {
    return (await findLibrarySrs(xe, directory))[0];
}

/** Every ISO SR whose PBD serves `directory`, lowest uuid first. */
export async function findLibrarySrs(xe: XeClient, directory: string): Promise<FoundSr[]> {
    const [srs, pbds] = await Promise.all([
        xe.list("sr", { type: "iso" }, ["uuid", "other-config"]),
        xe.list("pbd", {}, ["uuid", "sr-uuid", "device-config", "currently-attached"]),
    ]);
    const found: FoundSr[] = [];
    for (const sr of srs) {
        const own = pbds.filter((p) => p["sr-uuid"] === sr.uuid);
        if (own.some((p) => parseMap(p["device-config"] ?? "").location === directory)) {
            found.push({ uuid: sr.uuid, ours: isOurs(sr["other-config"]), created: false, pbds: own.map((p) => ({ uuid: p.uuid, attached: p["currently-attached"] === "true" })) });
        }
    }
    return found.sort((a, b) => a.uuid.localeCompare(b.uuid));
}

/** The library SR for `directory` (which must exist): found (and plugged), or created and tagged. */
export async function ensureLibrarySr(xe: XeClient, nameLabel: string, directory: string): Promise<LibrarySr> {
    const found = await findLibrarySr(xe, directory);
    if (found) {
        for (const pbd of found.pbds.filter((p) => !p.attached)) await xe.pbd.plug(pbd.uuid);
        return { uuid: found.uuid, ours: found.ours, created: false };
    }
    const master = (await xe.list("pool", {}, ["master"]))[0]?.master;
    const uuid = await xe.sr.createIso({ nameLabel, location: directory, hostUuid: master, nameDescription: "ISOs remastered by virtual-hypervisor" });
    try {
        await xe.paramSet("sr", uuid, { "other-config": ownershipTags(directory, "iso-library") });
    } catch (err) {
        await forgetSr(xe, uuid).catch(() => undefined);
        throw err;
    }
    // Two processes (two `vh install` runs) may both have found no SR and made one each. Every
    // process keeps the lowest uuid, which no process forgets, and forgets its own if it lost.
    const winner = (await findLibrarySrs(xe, directory))[0];
    if (winner && winner.uuid !== uuid) {
        await forgetSr(xe, uuid);
        for (const pbd of winner.pbds.filter((p) => !p.attached)) await xe.pbd.plug(pbd.uuid);
        return { uuid: winner.uuid, ours: winner.ours, created: false };
    }
    return { uuid, ours: true, created: true };
}

/** The uuid of the ISO's VDI in the SR, if the SR lists it. */
export async function findIsoVdi(xe: XeClient, srUuid: string, isoName: string): Promise<string | undefined> {
    return (await xe.uuids("vdi", { "sr-uuid": srUuid, "name-label": isoName }))[0];
}

/** Unplugs every PBD of the SR and forgets it (the directory's content stays). */
export async function forgetSr(xe: XeClient, srUuid: string): Promise<void> {
    const pbds = await xe.list("pbd", { "sr-uuid": srUuid }, ["uuid", "currently-attached"]);
    for (const pbd of pbds.filter((p) => p["currently-attached"] === "true")) await xe.pbd.unplug(pbd.uuid);
    await xe.sr.forget(srUuid);
}

/** Forgets the SR if it is ours and lists no ISO any more; resolves with whether it did. */
export async function forgetLibraryIfEmpty(xe: XeClient, srUuid: string): Promise<boolean> {
    const sr = await xe.record("sr", srUuid, ["uuid", "other-config"]);
    if (!sr || !isOurs(sr["other-config"])) return false;
    if ((await xe.sr.vdiUuids(srUuid)).length) return false;
    await forgetSr(xe, srUuid);
    return true;
}
