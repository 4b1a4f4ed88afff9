/**
 * The remastered ISO boots the way the installer really boots, under qemu TCG:
 *   BIOS: SeaBIOS → isolinux → mboot.c32 → Xen → dom0 (DEFAULT install, the shipped Xen entry)
 *   UEFI: OVMF → GRUB (from the El Torito FAT image, reading its grub.cfg copy) → multiboot2 → Xen → dom0
 * with Debian's Xen 4.17 and kernel and a busybox /init standing in for the installer. The dom0
 * must see our arguments on its command line and find the answer file (byte for byte) and the
 * scripts in its ramdisk; the unmodified ISO, booted the same way, must fail the same checks.
 * Both layouts boot, side by side: "grow" (remasterIso's default: the source plus an added
 * session) and "replay" as streamed (what the RemasteredIso resource uploads).
 * install.img is gzip'd: the case where a plain appended overlay is lost (BIOS) or breaks the
 * boot (UEFI), so passing proves the prefix form.
 *
 * Requirements: qemu-system-x86 ovmf busybox-static, and apt sources for `apt-get download`.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { remasterIso, remasterIsoStream } from "../../../provider/iso/index";
import { bootConfigs, Flavor } from "../../helpers/bootConfigs";
import { bootArtifacts, bootIso, BootResult, serialTail, standinRootfs } from "../../helpers/qemu";
import { buildStandinIso, readIsoFile } from "../../helpers/standinIso";
import { ADDED_ARGS, ANSWER_FILE } from "./fixtures";

/** Throws unless the log shows the stand-in installer, run as Xen's dom0, got the unattended setup. */
function assertUnattendedInstallerBooted(boot: BootResult, firmware: "bios" | "uefi", installImgSize: number): void {
    const log = boot.log.replace(/\r/g, "");
    assert.ok(!boot.timedOut, "the guest printed VH-DONE before the deadline");
    assert.match(log, /\(XEN\) Xen version 4\.17/, "Xen ran");
    assert.match(log, firmware === "bios" ? /\(XEN\) Bootloader: ISOLINUX/ : /\(XEN\) Bootloader: GRUB/, "Xen was loaded by the expected bootloader");
    // The bootloader handed Xen install.img as it is on the ISO (a gunzipped first member would be another size).
    const ramdisk = /\(XEN\)\s+Init\. ramdisk: ([0-9a-f]+)->([0-9a-f]+)/.exec(log);
    assert.ok(ramdisk, "Xen reported the dom0 ramdisk");
    assert.equal(parseInt(ramdisk[2], 16) - parseInt(ramdisk[1], 16), installImgSize, "dom0 ramdisk size = install.img size (Xen prints start->end)");
    assert.match(log, /VH-HYPERVISOR: xen\n/, "the installer ran as a Xen domain");
    assert.match(log, new RegExp(`VH-CMDLINE: console=hvc0 console=tty0 ${ADDED_ARGS}\n`), "dom0 kernel command line");
    const answer = /VH-ANSWERFILE: (\S+) (\S*)\n/.exec(log);
    assert.ok(answer, "the installer found the answer file named by answerfile=");
    assert.equal(answer[1], "/answerfile.xml");
    assert.equal(Buffer.from(answer[2], "base64").toString(), ANSWER_FILE);
    assert.match(log, /VH-SCRIPT: \/postinst\.sh 755 0:0\n/);
    assert.match(log, /VH-SCRIPT: \/firstboot\.sh 755 0:0\n/);
}

/** Boots and runs `check`, adding the serial log's tail to any failure. */
function checkWithLog(boot: BootResult, check: () => void): void {
    try {
        check();
    } catch (err) {
        (err as Error).message += `\n--- serial log tail (${(boot.durationMs / 1000).toFixed(1)} s) ---\n${serialTail(boot.log)}`;
        throw err;
    }
}

describe("provider/iso remaster: booting the result in qemu (TCG)", function () {
    this.timeout(300_000);
    let dir: string;
    before(function () {
        this.timeout(120_000); // first run downloads Xen and the kernel
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-boot-"));
        bootArtifacts();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: Array<{ firmware: "bios" | "uefi"; flavor: Flavor; path: string }> = [
        { firmware: "bios", flavor: "xenserver-8", path: "isolinux → mboot.c32 → Xen → dom0" },
        { firmware: "uefi", flavor: "xcp-ng-8.3", path: "OVMF → GRUB multiboot2 → Xen → dom0" },
    ];
    for (const { firmware, flavor, path: bootPath } of cases) {
        it(`${firmware.toUpperCase()} (${flavor}): ${bootPath} sees the answer file; the unmodified ISO does not`, async () => {
            const { kernel, xen } = bootArtifacts();
            // Shipped configs, only the menu timeout shortened (5 s → 1 s) and a TOTALTIMEOUT so stray bytes on the emulated
            // serial line cannot hold isolinux at its prompt: the default entry is the shipped Xen installer entry.
            const src = buildStandinIso({
                out: path.join(dir, `${flavor}.iso`), flavor, compression: "gzip", kernel, xen, rootfs: standinRootfs(),
                configs: bootConfigs(flavor, { timeoutSeconds: 1, totalTimeoutSeconds: 8 }),
            });
            const grown = path.join(dir, `${flavor}-grown.iso`), streamed = path.join(dir, `${flavor}-streamed.iso`);
            assert.equal((await remasterIso({ sourceIso: src, output: grown, answerFile: ANSWER_FILE, cacheDir: dir })).layout, "grow");
            const { stream, result } = await remasterIsoStream({ sourceIso: src, answerFile: ANSWER_FILE, cacheDir: dir });
            await pipeline(stream, fs.createWriteStream(streamed));
            assert.equal((await result).layout, "replay");
            const [bootGrown, bootStreamed, original] = await Promise.all([
                bootIso({ iso: grown, firmware, timeoutMs: 150_000 }),
                bootIso({ iso: streamed, firmware, timeoutMs: 150_000 }),
                bootIso({ iso: src, firmware, timeoutMs: 150_000 }),
            ]);
            const seconds = (b: BootResult) => `${(b.durationMs / 1000).toFixed(1)} s`;
            console.log(`      boot times: grown ${seconds(bootGrown)}, streamed ${seconds(bootStreamed)}, unmodified ${seconds(original)} (in parallel)`);
            checkWithLog(bootGrown, () => assertUnattendedInstallerBooted(bootGrown, firmware, readIsoFile(grown, "/install.img").length));
            checkWithLog(bootStreamed, () => assertUnattendedInstallerBooted(bootStreamed, firmware, readIsoFile(streamed, "/install.img").length));
            checkWithLog(original, () => {
                assert.match(original.log, /VH-NO-ANSWERFILE/, "the unmodified installer booted and found no answer file");
                assert.throws(() => assertUnattendedInstallerBooted(original, firmware, readIsoFile(src, "/install.img").length), assert.AssertionError);
            });
        });
    }
});
