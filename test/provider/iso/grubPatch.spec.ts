import * as assert from "node:assert/strict";
import { patchGrubCfg } from "../../../provider/iso/grubPatch";
import { installerArgs } from "../../../provider/iso/kernelArgs";
import { bootConfigs, Flavor } from "../../helpers/bootConfigs";

const ARGS = installerArgs("/answerfile.xml", ["sshpassword=lab"]);
const ADDED = ARGS.join(" ");

/** The installer menuentries of each shipped grub.cfg, written down independently of the patcher. */
const INSTALLER_ENTRIES: Record<Flavor, string[]> = {
    "xenserver-7.1": ["install", "no-serial", "safe", "multipath"],
    "xenserver-8": ["install", "no-serial", "safe", "multipath", "advanced-options > common-criteria-prep"],
    "xcp-ng-8.3": ["install", "no-serial", "safe", "multipath", "install with alternate/debug kernel (kernel-alt)"],
};

/** XenServer trunk (host-installer master): UEFI only, xen_hypervisor/xen_module, memtest as linux. */
const TRUNK = `set default="0"
set timeout=5

menuentry "install" {
    xen_hypervisor /boot/xen.efi dom0_max_vcpus=1-16 dom0_mem=max:8192M com1=115200,8n1 console=com1,vga
    xen_module /boot/vmlinuz console=hvc0 console=tty0
    xen_module /install.img
}

menuentry "memtest" {
    linux /boot/memtest86+x64.efi
}

menuentry "shell" {
    xen_hypervisor /boot/xen.efi dom0_max_vcpus=1-16 dom0_mem=max:8192M com1=115200,8n1 console=com1,vga
    xen_module /boot/vmlinuz console=hvc0 console=tty0 bash-shell
    xen_module /install.img
}
`;

function changedLines(before: string, after: string): Array<[string, string]> {
    const a = before.split("\n"), b = after.split("\n");
    assert.equal(b.length, a.length);
    return a.map((line, i): [string, string] => [line, b[i]]).filter(([x, y]) => x !== y);
}

describe("provider/iso/grubPatch", () => {
    for (const flavor of Object.keys(INSTALLER_ENTRIES) as Flavor[]) {
        for (const copy of ["grub", "grubEfiboot"] as const) {
            it(`${flavor} ${copy === "grub" ? "ISO grub.cfg" : "efiboot.img copy"}: adds the arguments to each installer's dom0 module2 line only`, () => {
                const before = bootConfigs(flavor)[copy];
                const result = patchGrubCfg(before, { add: ARGS });
                assert.deepEqual(result.patched.map((e) => e.title), INSTALLER_ENTRIES[flavor]);
                assert.ok(result.skipped.some((e) => e.title === "shell" && /bash-shell/.test(e.reason)));
                const changed = changedLines(before, result.text);
                assert.equal(changed.length, INSTALLER_ENTRIES[flavor].length);
                for (const [x, y] of changed) {
                    assert.match(x, /^\s*module2 \/boot\/(alt\/)?vmlinuz /);
                    assert.equal(y, `${x} ${ADDED}`);
                }
            });
        }
    }

    it("patches XenServer trunk's xen_hypervisor/xen_module entries and leaves memtest and shell alone", () => {
        const result = patchGrubCfg(TRUNK, { add: ARGS });
        assert.deepEqual(result.patched.map((e) => [e.title, e.kernel, e.line]), [["install", "/boot/vmlinuz", 6]]);
        assert.deepEqual(result.skipped.map((e) => e.title), ["memtest", "shell"]);
        assert.deepEqual(changedLines(TRUNK, result.text), [["    xen_module /boot/vmlinuz console=hvc0 console=tty0", `    xen_module /boot/vmlinuz console=hvc0 console=tty0 ${ADDED}`]]);
    });

    it("patches linux/initrd entries and keeps --options in front of the path", () => {
        const text = [
            'menuentry "install" --class os {', "\tlinux /boot/vmlinuz console=ttyS0", "\tinitrd /install.img", "}",
            'menuentry "xen" {', "  multiboot2 /boot/xen.gz", "  module2 --nounzip /boot/vmlinuz ro", "  module2 --nounzip /install.img", "}",
            'menuentry "other" {', "  linux /boot/vmlinuz", "  initrd /boot/other.img", "}",
        ].join("\n");
        const result = patchGrubCfg(text, { add: ARGS });
        assert.deepEqual(result.patched.map((e) => e.title), ["install", "xen"]);
        assert.deepEqual(result.skipped.map((e) => e.title), ["other"]);
        const lines = result.text.split("\n");
        assert.equal(lines[1], `\tlinux /boot/vmlinuz console=ttyS0 ${ADDED}`);
        assert.equal(lines[6], `  module2 --nounzip /boot/vmlinuz ro ${ADDED}`);
    });

    it("replaces the arguments of an already patched file instead of adding them twice", () => {
        const once = patchGrubCfg(bootConfigs("xenserver-8").grub, { add: ARGS }).text;
        assert.equal(patchGrubCfg(once, { add: ARGS, removeExact: ARGS }).text, once);
        const changedExtra = patchGrubCfg(once, { add: installerArgs("/answerfile.xml"), removeExact: ARGS }).text;
        assert.equal(changedExtra, patchGrubCfg(bootConfigs("xenserver-8").grub, { add: installerArgs("/answerfile.xml") }).text);
    });

    it("does not count a commented-out or unbalanced block as an entry", () => {
        const text = '# menuentry "install" {\n#    module2 /boot/vmlinuz\n#}\nset timeout=5\n';
        assert.deepEqual(patchGrubCfg(text, { add: ARGS }), { text, patched: [], skipped: [] });
    });
});
