import * as assert from "node:assert/strict";
import { patchIsolinuxCfg } from "../../../provider/iso/isolinuxPatch";
import { installerArgs } from "../../../provider/iso/kernelArgs";
import { bootConfigs, Flavor } from "../../helpers/bootConfigs";

const ARGS = installerArgs("/answerfile.xml");
const ADDED = ARGS.join(" ");

/** The installer labels of each shipped isolinux.cfg, written down independently of the patcher. */
const INSTALLER_LABELS: Record<Flavor, string[]> = {
    "xenserver-7.1": ["install", "no-serial", "safe", "multipath"],
    "xenserver-8": ["install", "no-serial", "safe", "multipath", "common-criteria-prep"],
    "xcp-ng-8.3": ["install", "no-serial", "safe", "multipath", "install-alt"],
};

describe("provider/iso/isolinuxPatch", () => {
    for (const flavor of Object.keys(INSTALLER_LABELS) as Flavor[]) {
        it(`${flavor}: adds the arguments to the dom0 segment of every installer label and changes nothing else`, () => {
            const before = bootConfigs(flavor).isolinux;
            const result = patchIsolinuxCfg(before, { add: ARGS });
            assert.deepEqual(result.patched.map((e) => e.title), INSTALLER_LABELS[flavor]);
            assert.deepEqual(result.skipped.map((e) => e.title), ["shell", "memtest"]);
            const a = before.split("\n"), b = result.text.split("\n");
            assert.equal(b.length, a.length);
            const changed = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
            assert.equal(changed.length, INSTALLER_LABELS[flavor].length);
            for (const [x, y] of changed) {
                // "… --- /boot/vmlinuz <dom0 args> --- /install.img": ours go right before the second "---".
                const cut = x.lastIndexOf(" --- ");
                assert.equal(y, `${x.slice(0, cut)} ${ADDED}${x.slice(cut)}`);
            }
        });
    }

    it("replaces the arguments of an already patched file instead of adding them twice", () => {
        const once = patchIsolinuxCfg(bootConfigs("xenserver-8").isolinux, { add: ARGS }).text;
        assert.equal(patchIsolinuxCfg(once, { add: ARGS, removeExact: ARGS }).text, once);
    });

    it("replaces the seed's wholesale isolinux.cfg arguments (answerfile before install, atexit first)", () => {
        const seed = "DEFAULT install\nLABEL install\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz dom0_mem=1024M --- /boot/vmlinuz console=hvc0 atexit=poweroff answerfile=file:///answerfile.xml install --- /install.img\n";
        const result = patchIsolinuxCfg(seed, { add: installerArgs("/vh.xml") });
        assert.match(result.text, /\tAPPEND \/boot\/xen.gz dom0_mem=1024M --- \/boot\/vmlinuz console=hvc0 answerfile=file:\/\/\/vh.xml install atexit=poweroff --- \/install.img\n/);
    });

    it("patches a plain Linux entry's APPEND, with initrd= or an INITRD line, keywords in any case", () => {
        const text = [
            "default install", "label install", "  kernel /boot/vmlinuz", "  append initrd=/install.img console=ttyS0 quiet",
            "LABEL direct", "  LINUX /boot/vmlinuz", "  INITRD /install.img",
            "LABEL other", "  KERNEL /boot/vmlinuz", "  APPEND initrd=/other.img",
        ].join("\n");
        const result = patchIsolinuxCfg(text, { add: ARGS });
        assert.deepEqual(result.patched.map((e) => e.title), ["install", "direct"]);
        assert.deepEqual(result.skipped.map((e) => [e.title, e.reason]), [["other", "it does not load install.img as its initrd"]]);
        const lines = result.text.split("\n");
        assert.equal(lines[3], `  append initrd=/install.img console=ttyS0 quiet ${ADDED}`);
        assert.deepEqual(lines.slice(5, 8), ["  LINUX /boot/vmlinuz", `  APPEND ${ADDED}`, "  INITRD /install.img"]);
    });

    it("keeps CRLF line endings", () => {
        const text = bootConfigs("xcp-ng-8.3").isolinux.replace(/\n/g, "\r\n");
        const result = patchIsolinuxCfg(text, { add: ARGS });
        assert.equal(result.patched.length, 5);
        assert.ok(!/[^\r]\n/.test(result.text));
    });

    it("finds nothing to patch when every entry is a shell or memtest", () => {
        const text = "LABEL shell\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz --- /boot/vmlinuz bash-shell --- /install.img\nLABEL memtest\n\tLINUX /boot/memtest.bin\n";
        const result = patchIsolinuxCfg(text, { add: ARGS });
        assert.equal(result.patched.length, 0);
        assert.equal(result.text, text);
    });
});
