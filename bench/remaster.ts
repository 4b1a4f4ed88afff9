/**
 * `npm run bench remaster`: our remaster (the default "grow" layout of a file, and the "replay"
 * layout a stream has) against `cp` of the same ISO and against the seed's method
 * (create_customxs_iso.sh: 7z extract everything, unpack and repack install.img with cpio + bzip2
 * under fakeroot, rebuild the ISO with genisoimage), side by side on one ~700 MB stand-in with a
 * realistic ~200 MiB (raw) bzip2 install.img. Every figure includes an fsync of the output.
 * Targets: ≤ 2.5× `cp`, ≥ 5× faster than the seed.
 *
 * Needs, beyond the project's tools: p7zip-full, genisoimage, fakeroot (for the seed's method).
 * The stand-in is cached in .bench/remaster/ (a re-run skips building it).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RemasterLayout, remasterIso } from "../provider/iso";
import { buildStandinIso, installImg } from "../test/helpers/standinIso";
import { REPO_ROOT } from "../test/helpers/paths";
import type { OverlayFile } from "../provider/iso/initramfs";
import type { Benchmark } from "./index";

const DIR = path.join(REPO_ROOT, ".bench", "remaster");
const ISO_MIB = 700;
const INSTALL_IMG_RAW_MIB = 200;
const ANSWER_FILE = "<?xml version=\"1.0\"?>\n<installation srtype=\"ext\"><primary-disk>sda</primary-disk><keymap>us</keymap>" +
    "<root-password>somepass</root-password><source type=\"local\"/><admin-interface name=\"eth0\" proto=\"dhcp\"/>" +
    "<timezone>America/Los_Angeles</timezone><script stage=\"filesystem-populated\" type=\"url\">file:///postinst.sh</script></installation>\n";

/** Real binaries from /usr (compressible like an installer's root file system), about `mib` MiB. */
function realisticRootfs(mib: number): OverlayFile[] {
    const files: OverlayFile[] = [{ path: "init", data: Buffer.from("#!/bin/sh\nexec /sbin/init\n"), mode: 0o755 }];
    let total = 0;
    const walk = (dir: string) => {
        for (const name of fs.readdirSync(dir).sort()) {
            if (total >= mib * 1024 * 1024) return;
            const full = path.join(dir, name);
            const st = fs.lstatSync(full);
            if (st.isDirectory()) walk(full);
            else if (st.isFile() && st.size < 32 * 1024 * 1024) {
                files.push({ path: full.slice(1), data: fs.readFileSync(full), mode: 0o755 });
                total += st.size;
            }
        }
    };
    for (const dir of ["/usr/lib/x86_64-linux-gnu", "/usr/bin", "/usr/lib"]) walk(dir);
    return files;
}

function standin(): string {
    const iso = path.join(DIR, `standin-${ISO_MIB}.iso`);
    if (fs.existsSync(iso)) return iso;
    fs.mkdirSync(DIR, { recursive: true });
    const image = installImg(realisticRootfs(INSTALL_IMG_RAW_MIB), "bzip2");
    const fillerMiB = Math.max(0, ISO_MIB - Math.round(image.length / 1048576) - 8);
    buildStandinIso({ out: `${iso}.tmp`, flavor: "xcp-ng-8.3", installImg: image, fillerMiB });
    fs.renameSync(`${iso}.tmp`, iso);
    return iso;
}

function fsyncFile(file: string): void {
    const fd = fs.openSync(file, "r");
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

async function timed(run: () => Promise<string> | string): Promise<number> {
    const started = process.hrtime.bigint();
    const out = await run();
    fsyncFile(out);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    fs.rmSync(out, { force: true });
    return seconds;
}

/** The seed's create_customxs_iso.sh steps, with the same tools and options. */
function seedRemaster(iso: string, target: string): string {
    const work = fs.mkdtempSync(path.join(DIR, "seed-"));
    try {
        const isoRoot = path.join(work, "iso"), initrd = path.join(work, "initrd");
        fs.mkdirSync(initrd);
        execFileSync("7z", ["x", iso, `-o${isoRoot}`], { stdio: "ignore" });
        execFileSync("chmod", ["-R", "u+w", isoRoot]);
        const answer = path.join(work, "answers.xml");
        fs.writeFileSync(answer, ANSWER_FILE);
        const script = [
            "set -eu", `cd "${initrd}"`, `bzip2 -dc "${isoRoot}/install.img" | cpio -idum --quiet`,
            `cat "${answer}" > ./answerfile.xml`, `cp "${REPO_ROOT}/data/postinst.sh" "${REPO_ROOT}/data/firstboot.sh" ./`,
            `find . | cpio --create --format=newc --quiet | bzip2 -zc -9 > "${isoRoot}/install.img"`,
        ].join("\n");
        execFileSync("fakeroot", ["bash"], { input: script, stdio: ["pipe", "ignore", "inherit"] });
        fs.writeFileSync(path.join(work, "sortlist"), "/boot 1000\n");
        execFileSync("genisoimage", ["-quiet", "-joliet", "-joliet-long", "-r", "-b", "boot/isolinux/isolinux.bin", "-c", "boot/isolinux/boot.cat",
            "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", "-sort", path.join(work, "sortlist"),
            "-V", "My Custom XenServer ISO", "-o", target, isoRoot], { stdio: ["ignore", "ignore", "pipe"] });
        return target;
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} s (runs: ${xs.map((x) => x.toFixed(2)).join(" ")})`;

async function run(): Promise<string> {
    const builtAt = Date.now();
    const iso = standin();
    const setup = (Date.now() - builtAt) / 1000;
    const size = fs.statSync(iso).size;
    const out = path.join(DIR, "out.iso");
    const cacheDir = fs.mkdtempSync(path.join(DIR, "cache-"));
    const sizes: Partial<Record<RemasterLayout, number>> = {};
    const fallbacks: string[] = [];
    const remaster = (layout: RemasterLayout) => () => remasterIso({
        sourceIso: iso, output: out, answerFile: ANSWER_FILE, cacheDir, tmpDir: DIR, layout,
        onProgress: (e) => { if (/^Growing a full copy/.test(e.message)) fallbacks.push(e.message); },
    }).then((r) => { sizes[layout] = r.size; return out; });
    const ours = remaster("grow");
    try {
        fs.readFileSync(iso); // warm the page cache once, so every method starts alike
        const firstRun = await timed(ours); // includes hashing the source for the content hash (then cached)
        const cp: number[] = [], grow: number[] = [], replay: number[] = [], seed: number[] = [], floor: number[] = [];
        // xorriso's own copy of the image with our options and nothing else: the floor of the replay layout.
        const xorrisoOnly = () => {
            const fd = fs.openSync(out, "w");
            try {
                execFileSync("xorriso", ["-indev", iso, "-outdev", "stdio:/dev/fd/1", "-boot_image", "any", "replay", "-padding", "included",
                    "-stdio_sync", "off", "-joliet", "on", "-compliance", "joliet_long_names"], { stdio: ["ignore", fd, "ignore"] });
            } finally {
                fs.closeSync(fd);
            }
            return out;
        };
        for (let i = 0; i < 5; i++) { // interleaved, so a burst of load elsewhere hits all alike
            cp.push(await timed(() => { execFileSync("cp", [iso, out]); return out; }));
            grow.push(await timed(ours));
            replay.push(await timed(remaster("replay")));
            floor.push(await timed(xorrisoOnly));
        }
        for (let i = 0; i < 2; i++) seed.push(await timed(() => seedRemaster(iso, out)));
        const [c, r, s] = [median(cp), median(grow), median(seed)];
        const mib = (bytes = 0) => `${(bytes / 1048576).toFixed(0)} MiB`;
        return [
            `stand-in: ${mib(size)} ISO, bzip2 install.img of ${INSTALL_IMG_RAW_MIB} MiB raw (setup ${setup.toFixed(1)} s); page cache warm; each figure includes fsync of the output`,
            `cp:                         ${fmt(cp)}`,
            `vh remaster (grow, default for files): ${fmt(grow)}  (${(size / 1048576 / r).toFixed(0)} MiB/s of source)`,
            `vh remaster, first run:     ${firstRun.toFixed(2)} s (also hashes the source ISO for the content hash; cached afterwards)`,
            `vh remaster (replay, as streamed): ${fmt(replay)}  (${(median(replay) / c).toFixed(2)}x cp)`,
            `xorriso replay copy alone:  ${fmt(floor)}  (the floor of the replay layout: ${(median(floor) / c).toFixed(2)}x cp)`,
            `output size: source ${mib(size)}, grow ${mib(sizes.grow)} (+${mib((sizes.grow ?? 0) - size)}: the old install.img stays as dead space), replay ${mib(sizes.replay)}`,
            `grow fast path taken:       ${fallbacks.length ? `NO, fell back ${fallbacks.length} times: ${fallbacks[0]}` : "yes, every run"}`,
            `seed (7z+fakeroot+genisoimage): ${fmt(seed)}`,
            `ratio remaster / cp:        ${(r / c).toFixed(2)}x  (target <= 2.5x: ${r / c <= 2.5 ? "met" : "MISSED"})`,
            `speed-up over the seed:     ${(s / r).toFixed(1)}x  (target >= 5x: ${s / r >= 5 ? "met" : "MISSED"})`,
        ].join("\n");
    } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
        fs.rmSync(out, { force: true });
    }
}

export const remasterBenchmark: Benchmark = { name: "remaster", run };
