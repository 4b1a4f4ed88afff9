/**
 * Shared inputs and checks of the provider/iso specs (not a spec itself).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import { inspectIso } from "../../../provider/iso/isoImage";

/** The seed's answer file (generate_answerfile.sh dhcp). */
export { DHCP_ANSWERFILE as ANSWER_FILE } from "../../sim/installer/installerIso";

/** What a default remaster adds to every installer entry. */
export const ADDED_ARGS = "answerfile=file:///answerfile.xml install atexit=poweroff";

export function sha256(file: string): string {
    return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Lines that differ between two versions of a config; fails if the line count changed. */
export function changedLines(before: string, after: string): Array<[string, string]> {
    const a = before.split("\n"), b = after.split("\n");
    if (a.length !== b.length) throw new Error(`the patch added or removed lines: ${a.length} before, ${b.length} after`);
    return a.map((l, i): [string, string] => [l, b[i]]).filter(([x, y]) => x !== y);
}

/** The volume id, as `xorriso -pvd_info` reports it. */
export function volumeId(iso: string): string | undefined {
    const out = execFileSync("xorriso", ["-indev", iso, "-pvd_info"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /Volume Id\s*:\s*(.*)/.exec(out)?.[1];
}

/** Volume descriptor types, with the escape sequences of supplementary ones (Joliet: "2 %/E"). */
export function volumeDescriptors(iso: string): string[] {
    const fd = fs.openSync(iso, "r");
    const out: string[] = [];
    try {
        const s = Buffer.alloc(2048);
        for (let lba = 16; fs.readSync(fd, s, 0, 2048, lba * 2048) === 2048 && s.toString("latin1", 1, 6) === "CD001"; lba++) {
            out.push(s[0] === 2 ? `2 ${s.toString("latin1", 88, 91)}` : String(s[0]));
            if (s[0] === 255) break;
        }
    } finally {
        fs.closeSync(fd);
    }
    return out;
}

/** Every node of the ISO tree as "<perms> <owner> <group> <path>" (sizes and dates left out), sorted. */
export function treeListing(iso: string): string[] {
    const out = execFileSync("xorriso", ["-indev", iso, "-find", "/", "-exec", "lsdl", "--"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
    return out.split("\n").filter(Boolean).map((l) => {
        const [perms, , owner, group] = l.split(/\s+/);
        return `${perms} ${owner} ${group} ${/'(.*)'$/.exec(l)?.[1]}`;
    }).sort();
}

/** The numbers of the boot records that say where things are, from xorriso's report (512-byte sectors for MBR/GPT, 2048-byte blocks for El Torito). */
export interface BootRecordNumbers {
    imageSectors: number;
    /** El Torito boot image LBAs, by entry number. */
    elTorito: Record<number, number>;
    /** MBR partitions: [start sector, sectors], by number. */
    mbr: Record<number, [number, number]>;
    /** GPT: first and last usable sector, and the backup header's sector. */
    gptRange: [number, number, number];
    /** GPT partitions: [start sector, sectors], by number. */
    gpt: Record<number, [number, number]>;
}

export function bootRecordNumbers(iso: string): BootRecordNumbers {
    const out = execFileSync("xorriso", ["-indev", iso, "-report_el_torito", "plain", "-report_system_area", "plain"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const numbers: BootRecordNumbers = { imageSectors: 0, elTorito: {}, mbr: {}, gptRange: [0, 0, 0], gpt: {} };
    for (const line of out.split("\n")) {
        let m: RegExpExecArray | null;
        if ((m = /^ISO image size\/512\s*:\s*(\d+)/.exec(line))) numbers.imageSectors = Number(m[1]);
        else if ((m = /^El Torito boot img\s*:\s*(\d+)\s.*\s(\d+)$/.exec(line))) numbers.elTorito[Number(m[1])] = Number(m[2]);
        else if ((m = /^MBR partition\s*:\s*(\d+)\s+\S+\s+\S+\s+(\d+)\s+(\d+)$/.exec(line))) numbers.mbr[Number(m[1])] = [Number(m[2]), Number(m[3])];
        else if ((m = /^GPT lba range\s*:\s*(\d+)\s+(\d+)\s+(\d+)$/.exec(line))) numbers.gptRange = [Number(m[1]), Number(m[2]), Number(m[3])];
        else if ((m = /^GPT start and size\s*:\s*(\d+)\s+(\d+)\s+(\d+)$/.exec(line))) numbers.gpt[Number(m[1])] = [Number(m[2]), Number(m[3])];
    }
    return numbers;
}

/**
 * Throws unless the boot records point at the files as they are now: El Torito at isolinux.bin
 * and efiboot.img, the isohybrid MBR and the GPT over the whole image and at efiboot.img.
 */
export async function assertBootRecordsPointAtFiles(iso: string): Promise<void> {
    const files = new Map((await inspectIso(iso)).files.map((f) => [f.path, f.extents[0]]));
    const [isolinux, efiboot] = [files.get("/boot/isolinux/isolinux.bin")!, files.get("/boot/efiboot.img")!];
    const n = bootRecordNumbers(iso);
    const sectors = fs.statSync(iso).size / 512;
    assert.equal(n.imageSectors, sectors);
    assert.deepEqual(n.elTorito, { 1: isolinux.lba, 2: efiboot.lba });
    assert.deepEqual(n.mbr, { 1: [0, sectors], 2: [efiboot.lba * 4, efiboot.blocks * 4] });
    assert.equal(n.gptRange[2], sectors - 1, "the backup GPT header is the image's last sector");
    assert.deepEqual(n.gpt, { 1: [0, n.gptRange[1]], 2: [efiboot.lba * 4, efiboot.blocks * 4] });
}
