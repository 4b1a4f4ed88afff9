/**
 * SR, PBD and VDI operations (xapi_sr.ml, xapi_pbd.ml, xapi_vdi.ml) with the ISO SR backend the
 * simulator really implements: sm's ISOSR in legacy mode, whose `location` is a directory of the
 * (real) dom0 filesystem and whose *.iso / *.img files become VDIs named after the file.
 * Other SR types are accepted but keep no data.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Ctx } from "../xe/context";
import { ApiError } from "../xe/errors";
import { newRef, newUuid } from "../model/ids";
import type { PbdRec, Ref, SrRec, StrMap, VdiRec } from "../model/types";

/** sm errors surface as SR_BACKEND_FAILURE_<code> [""; description; stderr] (XE_SR_ERRORCODES.xml). */
export function backendFailure(code: number, description: string, opterr?: string): ApiError {
    return new ApiError(`SR_BACKEND_FAILURE_${code}`, ["", opterr ? `${description} [opterr=${opterr}]` : description, ""]);
}

const ISO_NAME = /\.(iso|img)$/i;
const UUID_NAME = /^([0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12})\.(iso|img)$/i;

export function pbdsOf(c: Ctx, sr: Ref): Array<[Ref, PbdRec]> {
    return c.all("pbd").filter(([, p]) => p.SR === sr);
}

/** ISOSR.load / attach: where the ISOs are, or the backend error a real host raises. */
function isoDirectory(dc: StrMap): string {
    if (!("location" in dc)) throw backendFailure(94, "The request is missing the location parameter");
    const location = dc.location;
    if ("legacy_mode" in dc) {
        if (!fs.existsSync(location)) throw backendFailure(226, "Invalid local path");
        return location;
    }
    // Without legacy_mode ISOSR mounts the location over NFS or SMB, which a simulated dom0 cannot.
    throw backendFailure(222, "Could not mount the directory specified in Device Configuration", `simulated host cannot mount ${location}`);
}

/** The directory (device-config location) of the SR's first PBD, or null. */
export function srDirectory(c: Ctx, sr: Ref): string | null {
    const pbd = pbdsOf(c, sr)[0];
    return pbd ? pbd[1].device_config.location ?? null : null;
}

function listImages(dir: string): string[] {
    return fs.readdirSync(dir).filter((name) => ISO_NAME.test(name) && !fs.statSync(path.join(dir, name)).isDirectory()).sort();
}

function fsSize(dir: string): { size: number; used: number } {
    try {
        const s = fs.statfsSync(dir);
        return { size: s.blocks * s.bsize, used: (s.blocks - s.bfree) * s.bsize };
    } catch {
        return { size: 0, used: 0 };
    }
}

/** ISOSR.scan: add a VDI per new image file, drop VDIs whose file vanished, keep the rest. */
export function scanIsoSr(c: Ctx, sr: Ref): void {
    const rec = c.get("sr", sr);
    const dc = pbdsOf(c, sr)[0]?.[1].device_config;
    if (!dc) throw new ApiError("SR_HAS_NO_PBDS", [sr]);
    const dir = dc.location;
    if (rec.other_config.xenserver_tools_sr === "true" && !fs.existsSync(dir)) return;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw backendFailure(47, "The SR is not available", `no such directory ${dir}`);
    const images = listImages(dir);
    const existing = c.all("vdi").filter(([, v]) => v.SR === sr);
    for (const [ref, vdi] of existing) if (!images.includes(vdi.location)) delete c.db.vdi[ref];
    for (const name of images) {
        const size = fs.statSync(path.join(dir, name)).size;
        const found = existing.find(([ref, v]) => v.location === name && ref in c.db.vdi);
        if (found) {
            found[1].virtual_size = size;
            found[1].physical_utilisation = size;
            continue;
        }
        const m = UUID_NAME.exec(name);
        const vdi: VdiRec = {
            uuid: m && !c.findByUuid("vdi", m[1].toLowerCase()) ? m[1].toLowerCase() : newUuid(),
            name_label: name, name_description: "", SR: sr, virtual_size: size, physical_utilisation: size, type: "user",
            sharable: false, read_only: true, location: name, managed: true, missing: false, other_config: {},
            xenstore_data: {}, sm_config: {}, on_boot: "persist", allow_caching: false, tags: [], installed: null,
        };
        c.db.vdi[newRef()] = vdi;
    }
    rec.physical_size = fsSize(dir).size;
    c.invalidate();
}

export interface SrCreateArgs {
    host: Ref;
    nameLabel: string;
    type: string;
    contentType: string;
    shared: boolean;
    physicalSize: number;
    deviceConfig: StrMap;
    smConfig: StrMap;
}

/** SR.create: create, attach (plug the PBD) and scan; on failure nothing is left behind. */
export function srCreate(c: Ctx, a: SrCreateArgs): Ref {
    const known = ["iso", "lvm", "ext", "nfs", "udev", "file", "lvmoiscsi", "lvmohba", "smb", "dummy", "zfs", "xfs", "btrfs", "largeblock"];
    if (!known.includes(a.type)) throw new ApiError("SR_UNKNOWN_DRIVER", [a.type]);
    if (a.type === "iso") isoDirectory(a.deviceConfig);
    const ref = newRef();
    const sr: SrRec = {
        uuid: newUuid(), name_label: a.nameLabel, name_description: "", type: a.type, content_type: a.contentType,
        shared: a.shared, physical_size: a.physicalSize, other_config: {}, sm_config: { ...a.smConfig }, tags: [],
    };
    c.db.sr[ref] = sr;
    c.db.pbd[newRef()] = { uuid: newUuid(), host: a.host, SR: ref, device_config: { ...a.deviceConfig }, currently_attached: true, other_config: {} };
    c.invalidate();
    if (a.type === "iso") scanIsoSr(c, ref);
    return ref;
}

export function srScan(c: Ctx, sr: Ref): void {
    const rec = c.get("sr", sr);
    if (!pbdsOf(c, sr).some(([, p]) => p.currently_attached)) throw new ApiError("SR_HAS_NO_PBDS", [sr]);
    if (rec.type === "iso") scanIsoSr(c, sr);
}

function dropSr(c: Ctx, sr: Ref): void {
    for (const [ref] of c.all("vdi").filter(([, v]) => v.SR === sr)) delete c.db.vdi[ref];
    for (const [ref] of pbdsOf(c, sr)) delete c.db.pbd[ref];
    delete c.db.sr[sr];
    c.invalidate();
}

/** SR.forget: every PBD must be unplugged (SR_HAS_PBD); the records go, the data stays. */
export function srForget(c: Ctx, sr: Ref): void {
    c.get("sr", sr);
    if (pbdsOf(c, sr).some(([, p]) => p.currently_attached)) throw new ApiError("SR_HAS_PBD", [sr]);
    dropSr(c, sr);
}

/** SR.destroy: like forget, but sm needs a PBD to run the destroy through. */
export function srDestroy(c: Ctx, sr: Ref): void {
    c.get("sr", sr);
    const pbds = pbdsOf(c, sr);
    if (pbds.some(([, p]) => p.currently_attached)) throw new ApiError("SR_HAS_PBD", [sr]);
    if (pbds.length === 0) throw new ApiError("SR_HAS_NO_PBDS", [sr]);
    dropSr(c, sr);
}

/**
 * PBD.unplug (xapi_pbd.ml unplug, checked at xen-api e2ee48d688 and v25.6.0): a no-op when not
 * attached; otherwise get_active_vdis_by_pbd collects the VDI of every VBD that is
 * currently_attached (or reserved) and not empty, of VMs resident on the PBD's host, whose VDI is
 * in this SR, and raises VDI_IN_USE with those VDI refs (one per VBD) as the parameters.
 */
export function pbdUnplug(c: Ctx, pbd: Ref): void {
    const rec = c.get("pbd", pbd);
    if (!rec.currently_attached) return;
    const active: Ref[] = [];
    for (const [vmRef, vm] of c.all("vm")) {
        if (vm.resident_on !== rec.host) continue;
        for (const [, vbd] of c.all("vbd")) {
            if (vbd.VM !== vmRef || !vbd.currently_attached || vbd.empty) continue;
            if (c.exists("vdi", vbd.VDI) && c.db.vdi[vbd.VDI].SR === rec.SR) active.push(vbd.VDI);
        }
    }
    if (active.length) throw new ApiError("VDI_IN_USE", active);
    rec.currently_attached = false;
}

export function pbdPlug(c: Ctx, pbd: Ref): void {
    const rec = c.get("pbd", pbd);
    if (rec.currently_attached) return;
    const sr = c.get("sr", rec.SR);
    if (sr.type === "iso" && sr.other_config.xenserver_tools_sr !== "true") isoDirectory(rec.device_config);
    rec.currently_attached = true;
    if (sr.type === "iso") scanIsoSr(c, rec.SR);
}

export function vdiCreate(c: Ctx, a: { sr: Ref; nameLabel: string; nameDescription: string; size: number; type: string; sharable: boolean; smConfig: StrMap; tags: string[] }): Ref {
    const sr = c.get("sr", a.sr);
    if (!pbdsOf(c, a.sr).some(([, p]) => p.currently_attached)) throw new ApiError("SR_HAS_NO_PBDS", [a.sr]);
    if (sr.type === "iso" || sr.type === "udev") throw new ApiError("SR_OPERATION_NOT_SUPPORTED", [a.sr]);
    const used = c.all("vdi").filter(([, v]) => v.SR === a.sr).reduce((n, [, v]) => n + v.physical_utilisation, 0);
    // Local SRs are thick-provisioned LVM or thin ext: either way a VDI that cannot fit fails.
    if (sr.physical_size > 0 && used + a.size > sr.physical_size) {
        throw backendFailure(44, "There is insufficient space", `Insufficient space: requested ${a.size}, free ${sr.physical_size - used}`);
    }
    const ref = newRef();
    const uuid = newUuid();
    c.db.vdi[ref] = {
        uuid, name_label: a.nameLabel, name_description: a.nameDescription, SR: a.sr, virtual_size: a.size,
        physical_utilisation: sr.type === "lvm" ? a.size : 0, type: a.type, sharable: a.sharable, read_only: false,
        location: uuid, managed: true, missing: false, other_config: {}, xenstore_data: {}, sm_config: { ...a.smConfig },
        on_boot: "persist", allow_caching: false, tags: [...a.tags], installed: null,
    };
    c.invalidate();
    return ref;
}

export function vdiDestroy(c: Ctx, vdi: Ref): void {
    const rec = c.get("vdi", vdi);
    const attached = c.all("vbd").filter(([, b]) => b.VDI === vdi && b.currently_attached);
    if (attached.length) throw new ApiError("VDI_IN_USE", [vdi, "destroy"]);
    const sr = c.db.sr[rec.SR];
    if (sr && sr.type === "iso") throw new ApiError("SR_OPERATION_NOT_SUPPORTED", [rec.SR]);
    delete c.db.vdi[vdi];
    c.invalidate();
}
