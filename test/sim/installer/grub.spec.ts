import * as assert from "node:assert";
import { chooseGrubEntry, grubPath, parseGrubCfg, tokenizeGrub } from "../../../sim/installer/grub";
import { bootConfigs } from "../../helpers/bootConfigs";

const choose = (text: string) => chooseGrubEntry(parseGrubCfg(text), "grub.cfg");

describe("sim/installer/grub", () => {
    it("tokenizes like a shell: quotes, escapes, comments, ; and braces", () => {
        assert.deepStrictEqual(tokenizeGrub('set default="0" # comment\nmenuentry "a b" --class x { linux /k a\\ b; initrd /i }\n'), [
            ["set", "default=0"], ["menuentry", "a b", "--class", "x", "{"], ["linux", "/k", "a b"], ["initrd", "/i"], ["}"],
        ]);
    });

    it("boots entry 0 of the shipped XenServer config after its timeout: multiboot2 Xen, dom0 module, initrd", () => {
        const d = choose(bootConfigs("xenserver-8").grubEfiboot);
        assert.ok(d.kind === "boot");
        if (d.kind !== "boot") return;
        assert.strictEqual(d.choice.entry, "install");
        assert.strictEqual(d.choice.hypervisor?.path, "/boot/xen.gz");
        assert.deepStrictEqual(d.choice.kernel, { path: "/boot/vmlinuz", args: ["console=hvc0", "console=tty0"] });
        assert.deepStrictEqual(d.choice.initrds, ["/install.img"]);
    });

    it("skips function bodies and selects defaults by index, title, --id and submenu path", () => {
        const cfg = [
            "function load_video {", '  menuentry "not an entry" { linux /no }', "}", "set timeout=5",
            'menuentry "first" { linux /first }',
            'submenu "advanced-options" {', '  menuentry "inner" --id deep { xen_hypervisor /boot/xen.efi a=1', "    xen_module /boot/vmlinuz x=y", "    xen_module /install.img }", "}",
            'menuentry "third" --id third-id { linux ($root)/k3 ; initrd /i3 /i4 }',
        ].join("\n");
        const pick = (def: string) => {
            const d = choose(`set default="${def}"\n${cfg}`);
            return d.kind === "boot" ? d.choice : undefined;
        };
        assert.strictEqual(pick("0")?.entry, "first");
        assert.deepStrictEqual(pick("1>0"), { entry: "inner", initrds: ["/install.img"], hypervisor: { path: "/boot/xen.efi", args: ["a=1"] }, kernel: { path: "/boot/vmlinuz", args: ["x=y"] } });
        assert.deepStrictEqual(pick("third"), { entry: "third", initrds: ["/i3", "/i4"], kernel: { path: "/k3", args: ["BOOT_IMAGE=($root)/k3"] } });
        assert.strictEqual(pick("third-id")?.entry, "third");
        assert.strictEqual(pick("7")?.entry, "first", "an unknown default falls back to entry 0");
    });

    it("waits forever with timeout=-1 or no timeout, boots at once with timeout=0", () => {
        const entry = 'menuentry "a" { linux /k }\n';
        const minus = choose(`set timeout=-1\n${entry}`);
        assert.ok(minus.kind === "wait" && /timeout=-1/.test(minus.reason));
        const unset = choose(entry);
        assert.ok(unset.kind === "wait" && /never sets timeout/.test(unset.reason));
        assert.strictEqual(choose(`set timeout=0\n${entry}`).kind, "boot");
        const empty = choose("set timeout=5\n");
        assert.ok(empty.kind === "wait" && /no menu entries/.test(empty.reason));
    });

    it("reports chainloader entries as not modelled and strips device prefixes from paths", () => {
        const d = choose(bootConfigs("xcp-ng-8.3").grub.replace('set default="0"', 'set default="memtest"'));
        assert.ok(d.kind === "boot" && d.choice.other === "chainloader /boot/memtest.efi");
        assert.strictEqual(grubPath("(hd0,msdos1)/boot/xen.gz"), "/boot/xen.gz");
    });
});
