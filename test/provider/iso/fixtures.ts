/**
 * Shared inputs and checks of the provider/iso specs (not a spec itself).
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";

/** The seed's answer file (generate_answerfile.sh dhcp). */
export const ANSWER_FILE = `<?xml version="1.0"?>
<installation srtype="ext">
<primary-disk>sda</primary-disk>
<keymap>us</keymap>
<root-password>somepass</root-password>
<source type="local"></source>
<admin-interface name="eth0" proto="dhcp" />
<timezone>America/Los_Angeles</timezone>
<script stage="filesystem-populated" type="url">file:///postinst.sh</script>
</installation>
`;

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
