/**
 * Boot configurations in the shapes real installer ISOs ship, for building stand-in ISOs.
 *
 * The XenServer 7.1 texts follow host-installer's bootloader/isolinux.cfg and grub.cfg at tag 10.0.0
 * (seed-and-installer.md §7.2). The XenServer 8 and XCP-ng 8.3 shapes add what those releases add:
 * `SERIAL` at the top, larger dom0 memory, an `install-alt` entry, memtest as `LINUX`, a GRUB
 * submenu, and (XCP-ng) the `search --file --set /install.img` line in the efiboot.img copy.
 *
 * `console` selects where the test can read output: "serial" rewrites the consoles so Xen and dom0
 * print on com1/hvc0, which the qemu boot tests capture.
 */

export type Flavor = "xenserver-7.1" | "xenserver-8" | "xcp-ng-8.3";

export interface BootConfigs {
    isolinux: string;
    /** EFI/xenserver/grub.cfg on the ISO. */
    grub: string;
    /** The copy of grub.cfg inside boot/efiboot.img. */
    grubEfiboot: string;
}

const XS71_XEN = "dom0_max_vcpus=1-2 dom0_mem=1024M,max:1024M";
const XS8_XEN = "dom0_max_vcpus=1-16 dom0_mem=max:8192M";

function isolinux(flavor: Flavor, xen: string, defaultLabel: string): string {
    const serial = flavor === "xenserver-7.1" ? "" : "SERIAL 0 115200\n";
    const mboot = (extraXen: string, dom0: string) =>
        `\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz ${xen}${extraXen} --- /boot/vmlinuz ${dom0} --- /install.img\n`;
    const entries = [
        `LABEL install\n${mboot(" com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0")}`,
        `LABEL no-serial\n${mboot(" console=vga", "console=tty0")}`,
        `LABEL safe\n${mboot(" nosmp noreboot noirqbalance no-mce no-bootscrub no-numa no-hap no-mmcfg iommu=off max_cstate=0 nmi=ignore allow_unsafe com1=115200,8n1 console=com1,vga vga=keep", "xencons=hvc console=hvc0 console=tty0")}`,
        `LABEL multipath\n${mboot(" com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0 device_mapper_multipath=enabled")}`,
        `LABEL shell\n${mboot(" com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0 bash-shell")}`,
    ];
    if (flavor !== "xenserver-7.1") {
        entries.splice(1, 0, `LABEL install-alt\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz ${xen} com1=115200,8n1 console=com1,vga --- /boot/alt/vmlinuz console=hvc0 console=tty0 --- /install.img\n`);
    }
    const memtest = flavor === "xenserver-7.1" ? "LABEL memtest\n\tKERNEL memtest\n" : "LABEL memtest\n\tLINUX /boot/memtest.bin\n";
    return `${serial}DEFAULT ${defaultLabel}\nPROMPT 1\nTIMEOUT 50\nDISPLAY pg_main\nF1 pg_main\nF2 pg_help\n\n${entries.join("")}\n${memtest}`;
}

function grub(flavor: Flavor, xen: string, efiboot: boolean): string {
    const head = [
        ...(flavor === "xenserver-7.1" ? [] : ["serial --unit=0 --speed=115200", "terminal_input serial console", "terminal_output serial console"]),
        ...(efiboot && flavor === "xcp-ng-8.3" ? ["search --file --set /install.img"] : []),
        'set default="0"',
        "set timeout=5",
        "insmod gzio",
    ].join("\n");
    const entry = (title: string, extraXen: string, dom0: string, kernel = "/boot/vmlinuz", indent = "") =>
        `${indent}menuentry "${title}" {\n${indent}    multiboot2 /boot/xen.gz ${xen}${extraXen}\n${indent}    module2 ${kernel} ${dom0}\n${indent}    module2 /install.img\n${indent}}\n`;
    const entries = [
        entry("install", " com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0"),
        entry("no-serial", " console=vga", "console=tty0"),
        entry("safe", " nosmp noreboot noirqbalance com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0"),
        entry("shell", " com1=115200,8n1 console=com1,vga", "xencons=hvc console=hvc0 console=tty0 bash-shell"),
    ];
    if (flavor !== "xenserver-7.1") {
        entries.push(`submenu "Alternate kernel" {\n${entry("install-alt", " com1=115200,8n1 console=com1,vga", "console=hvc0 console=tty0", "/boot/alt/vmlinuz", "    ")}}\n`);
        entries.push(`menuentry "memtest" {\n    linux /boot/memtest.bin\n}\n`);
    }
    return `${head}\n\n${entries.join("")}`;
}

export function bootConfigs(flavor: Flavor, options: { defaultLabel?: string } = {}): BootConfigs {
    const xen = flavor === "xenserver-7.1" ? XS71_XEN : XS8_XEN;
    return {
        isolinux: isolinux(flavor, xen, options.defaultLabel ?? "install"),
        grub: grub(flavor, xen, false),
        grubEfiboot: grub(flavor, xen, true),
    };
}
