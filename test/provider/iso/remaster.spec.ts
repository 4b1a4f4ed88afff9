/**
 * The remaster end to end on stand-in ISOs built here with the real tools (xorriso, syslinux,
 * GRUB, mtools), in both layouts: boot records, volume id, Joliet, every config copy, the
 * prefix-form install.img, and for "grow" the source kept in place. Reproducibility, streaming and
 * idempotence are in remaster.runs.spec.ts, booting the result in boot.spec.ts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emptyNewc, readInitramfs } from "../../../provider/iso/initramfs";
import { RemasterLayout, RemasterProgress, remasterIso } from "../../../provider/iso/index";
import { DATA_DIR } from "../../../provider/iso/scripts";
import { Flavor } from "../../helpers/bootConfigs";
import { bootRecordReport, buildStandinIso, readEfibootFile, readIsoFile } from "../../helpers/standinIso";
import { ADDED_ARGS, ANSWER_FILE, assertBootRecordsPointAtFiles, changedLines, treeListing, volumeDescriptors, volumeId } from "./fixtures";

/** Installer entries per config copy, counted by hand from the shipped files. */
const INSTALLER_ENTRIES: Record<Flavor, { isolinux: number; grub: number; extraGrub: string[] }> = {
    "xenserver-7.1": { isolinux: 4, grub: 4, extraGrub: [] },
    "xenserver-8": { isolinux: 5, grub: 5, extraGrub: ["/EFI/xenserver/grub-usb.cfg"] },
    "xcp-ng-8.3": { isolinux: 5, grub: 5, extraGrub: [] },
};
const MAGIC = { gzip: "1f8b", bzip2: "425a68", zstd: "28b52ffd" } as const;

describe("provider/iso/remaster", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-remaster-spec-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const flavor of Object.keys(INSTALLER_ENTRIES) as Flavor[]) {
        for (const compression of ["gzip", "bzip2", "zstd"] as const) {
            for (const layout of ["grow", "replay"] as RemasterLayout[]) describe(`${flavor} with a ${compression} install.img, ${layout} layout`, () => {
                let src: string, out: string, tmp: string;
                const events: RemasterProgress[] = [];
                before(async () => {
                    src = path.join(dir, `${flavor}-${compression}.iso`);
                    if (!fs.existsSync(src)) buildStandinIso({ out: src, flavor, compression, volumeId: `Stand-in ${flavor}` });
                    out = path.join(dir, `${flavor}-${compression}-${layout}.iso`);
                    tmp = fs.mkdtempSync(path.join(dir, "tmp-"));
                    // The layout is left to its default ("grow") for remasterIso, and asked for otherwise.
                    const result = await remasterIso({
                        sourceIso: src, output: out, answerFile: ANSWER_FILE, tmpDir: tmp, cacheDir: dir, onProgress: (e) => events.push(e),
                        ...(layout === "grow" ? {} : { layout }),
                    });
                    assert.equal(result.layout, layout);
                });

                if (layout === "grow") {
                    it("keeps every byte of the source in place after the first 64 KiB, and appends one session with the changed files", () => {
                        const [a, b] = [fs.readFileSync(src), fs.readFileSync(out)];
                        assert.ok(b.subarray(65536, a.length).equals(a.subarray(65536)), "the source's blocks are untouched");
                        // The trade-off: the new session holds the new install.img, efiboot.img, the configs and a new tree,
                        // while the old ones stay behind as dead space.
                        const grown = b.length - a.length;
                        const installImg = readIsoFile(out, "/install.img").length;
                        assert.ok(grown >= installImg + 2880 * 1024 && grown <= installImg + 2880 * 1024 + 2 * 1024 * 1024, `grew by ${grown} bytes`);
                    });
                }

                it("keeps the El Torito and system-area boot records, apart from block addresses", () => {
                    assert.equal(bootRecordReport(out), bootRecordReport(src));
                    assert.match(bootRecordReport(out), /El Torito boot img : 1 BIOS y none.*\nEl Torito boot img : 2 UEFI y none/);
                });

                it("points every boot record at the new files: El Torito at isolinux.bin and efiboot.img, MBR and GPT over the whole image and at efiboot.img", async () => {
                    await assertBootRecordsPointAtFiles(out);
                });

                it("keeps the volume id and the Joliet tree", () => {
                    assert.equal(volumeId(out), `Stand-in ${flavor}`);
                    assert.deepEqual(volumeDescriptors(out), volumeDescriptors(src));
                    assert.ok(volumeDescriptors(out).includes("2 %/E"), "a Joliet descriptor");
                });

                it("keeps every file's name, owner and mode: nothing added or removed", () => {
                    assert.deepEqual(treeListing(out), treeListing(src));
                });

                it("adds the arguments to every installer entry in every config copy, and changes nothing else", () => {
                    const expected = INSTALLER_ENTRIES[flavor];
                    const isolinux = changedLines(readIsoFile(src, "/boot/isolinux/isolinux.cfg").toString(), readIsoFile(out, "/boot/isolinux/isolinux.cfg").toString());
                    assert.equal(isolinux.length, expected.isolinux);
                    for (const [x, y] of isolinux) {
                        const cut = x.lastIndexOf(" --- ");
                        assert.equal(y, `${x.slice(0, cut)} ${ADDED_ARGS}${x.slice(cut)}`);
                    }
                    const grubCopies: Array<[string, (iso: string) => Buffer]> = [
                        ["/EFI/xenserver/grub.cfg", (iso) => readIsoFile(iso, "/EFI/xenserver/grub.cfg")],
                        ["efiboot.img:/EFI/xenserver/grub.cfg", (iso) => readEfibootFile(iso, "/EFI/xenserver/grub.cfg")],
                        ...expected.extraGrub.map((p): [string, (iso: string) => Buffer] => [p, (iso) => readIsoFile(iso, p)]),
                    ];
                    for (const [name, read] of grubCopies) {
                        const grub = changedLines(read(src).toString(), read(out).toString());
                        assert.equal(grub.length, expected.grub, name);
                        for (const [x, y] of grub) {
                            assert.match(x, /^\s+module2 \/boot\/(alt\/)?vmlinuz .*console=/, name);
                            assert.equal(y, `${x} ${ADDED_ARGS}`, name);
                        }
                    }
                });

                it("builds install.img in the prefix form: empty newc, the original untouched, a gzip'd root-owned overlay", () => {
                    const original = readIsoFile(src, "/install.img");
                    const image = readIsoFile(out, "/install.img");
                    assert.ok(image.subarray(0, 512).equals(emptyNewc()));
                    assert.ok(image.subarray(512, 512 + original.length).equals(original));
                    const { segments, files } = readInitramfs(image);
                    assert.deepEqual(segments.map((s) => s.compression), ["none", compression, "gzip"]);
                    assert.deepEqual(segments[0].entries, []);
                    const overlay = Object.fromEntries(segments[2].entries.map((e) => [e.name, e]));
                    assert.deepEqual(Object.keys(overlay).sort(), [".vh-remaster.json", "answerfile.xml", "firstboot.sh", "postinst.sh"]);
                    assert.equal(files["answerfile.xml"].data.toString(), ANSWER_FILE);
                    assert.equal(files["answerfile.xml"].mode, 0o100600);
                    for (const script of ["postinst.sh", "firstboot.sh"]) {
                        assert.ok(files[script].data.equals(fs.readFileSync(path.join(DATA_DIR, script))), script);
                        assert.equal(files[script].mode, 0o100755, script);
                    }
                    for (const e of segments[2].entries) assert.deepEqual([e.uid, e.gid], [0, 0], e.name);
                    assert.ok(files.init, "the original installer files are still there");
                });

                it("logs the magic of the original install.img and each step", () => {
                    const steps = events.map((e) => e.step);
                    for (const step of ["inspect", "install.img", "patch", "write", "done"]) assert.ok(steps.includes(step as RemasterProgress["step"]), step);
                    const line = events.find((e) => e.step === "install.img")!.message;
                    assert.match(line, new RegExp(`base magic ${MAGIC[compression]} \\(${compression}\\)`));
                });

                it("leaves no temporary files", () => {
                    assert.deepEqual(fs.readdirSync(tmp), []);
                    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes(".partial-")), []);
                });
            });
        }
    }
});
