import * as assert from "node:assert";
import { chooseIsolinuxEntry, parseIsolinuxCfg } from "../../../sim/installer/isolinux";
import { bootConfigs } from "../../helpers/bootConfigs";

const choose = (text: string, include?: (f: string) => string | undefined) => chooseIsolinuxEntry(parseIsolinuxCfg(text, include), "/boot/isolinux/isolinux.cfg");

describe("sim/installer/isolinux", () => {
    it("boots DEFAULT after the timeout and splits an mboot.c32 APPEND into Xen, dom0 and initrd", () => {
        const d = choose(bootConfigs("xenserver-7.1").isolinux.replace("console=tty0 ---", "console=tty0 answerfile='file:///a b.xml' install ---"));
        assert.strictEqual(d.kind, "boot");
        if (d.kind !== "boot") return;
        assert.deepStrictEqual(d.choice, {
            entry: "install",
            hypervisor: { path: "/boot/xen.gz", args: ["dom0_max_vcpus=1-2", "dom0_mem=1024M,max:1024M", "com1=115200,8n1", "console=com1,vga"] },
            kernel: { path: "/boot/vmlinuz", args: ["xencons=hvc", "console=hvc0", "console=tty0", "answerfile=file:///a b.xml", "install"] },
            initrds: ["/install.img"],
        });
        assert.deepStrictEqual(d.log, ['isolinux: boot: prompt times out after 5.0 s and boots "install"']);
    });

    it("waits forever with PROMPT 1 and TIMEOUT 0, or without DEFAULT", () => {
        assert.strictEqual(choose("DEFAULT install\nPROMPT 1\nTIMEOUT 0\nLABEL install\n  KERNEL vmlinuz\n").kind, "wait");
        const none = choose("PROMPT 0\nLABEL install\n  KERNEL vmlinuz\n");
        assert.ok(none.kind === "wait" && /has no DEFAULT/.test(none.reason));
    });

    it("boots at once with PROMPT 0 even with TIMEOUT 0; TOTALTIMEOUT ends an endless prompt", () => {
        assert.strictEqual(choose("DEFAULT a\nPROMPT 0\nTIMEOUT 0\nLABEL a\n  LINUX /vmlinuz\n  APPEND initrd=/i.img\n").kind, "boot");
        assert.strictEqual(choose("DEFAULT a\nPROMPT 1\nTIMEOUT 0\nTOTALTIMEOUT 300\nLABEL a\n  LINUX /vmlinuz\n  APPEND initrd=/i.img\n").kind, "boot");
    });

    it("takes initrd= (comma-separated) and the INITRD keyword for plain Linux entries, ONTIMEOUT over DEFAULT", () => {
        const d = choose("DEFAULT a\nONTIMEOUT b\nPROMPT 1\nTIMEOUT 10\nLABEL a\n  LINUX /a\nLABEL b\n  KERNEL /boot/vmlinuz\n  INITRD /one.img\n  APPEND quiet initrd=/two.img,/three.img answerfile=file:///x\n");
        assert.ok(d.kind === "boot");
        if (d.kind !== "boot") return;
        assert.strictEqual(d.choice.entry, "b");
        assert.deepStrictEqual(d.choice.initrds, ["/one.img", "/two.img", "/three.img"]);
        assert.deepStrictEqual(d.choice.kernel?.args, ["BOOT_IMAGE=/boot/vmlinuz", "quiet", "initrd=/two.img,/three.img", "answerfile=file:///x"]);
    });

    it("uses the menu's MENU DEFAULT with UI menu.c32, reads INCLUDE files, and treats an unknown DEFAULT as a kernel", () => {
        const d = choose("UI menu.c32\nTIMEOUT 30\nINCLUDE more.cfg\n", (f) => (f === "more.cfg" ? "LABEL a\n  KERNEL a.c32\nLABEL b\n  MENU DEFAULT\n  LINUX /k\n  APPEND initrd=/i\n" : undefined));
        assert.ok(d.kind === "boot" && d.choice.entry === "b");
        const k = choose("DEFAULT /boot/vmlinuz initrd=/install.img answerfile=file:///a install\nPROMPT 0\n");
        assert.ok(k.kind === "boot" && k.choice.kernel?.path === "/boot/vmlinuz" && k.choice.initrds[0] === "/install.img");
        const menu0 = choose("UI menu.c32\nTIMEOUT 0\nLABEL a\n  LINUX /k\n");
        assert.ok(menu0.kind === "wait" && /TIMEOUT 0/.test(menu0.reason));
    });

    it("reports COM32 modules other than mboot.c32 (and memtest) as images it does not model", () => {
        const d = choose("DEFAULT hdt\nPROMPT 0\nLABEL hdt\n  KERNEL hdt.c32\n");
        assert.ok(d.kind === "boot" && d.choice.other === "hdt.c32 (COM32 image)");
        const m = choose(bootConfigs("xenserver-7.1", { defaultLabel: "memtest" }).isolinux);
        assert.ok(m.kind === "boot" && m.choice.kernel?.path === "memtest" && m.choice.initrds.length === 0);
    });
});
