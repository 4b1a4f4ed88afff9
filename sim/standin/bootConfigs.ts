/**
 * Boot configurations in the shapes real installer ISOs ship, for building stand-in ISOs.
 *
 * - "xenserver-7.1": xenserver/host-installer `bootloader/isolinux.cfg` and `grub.cfg` at tag 10.0.0
 *   (seed-and-installer.md §2.3, §7.2): no SERIAL line, `xencons=hvc`, dom0_mem=1024M,max:1024M.
 * - "xenserver-8": host-installer branch release/xs8: `SERIAL 0 115200`, dom0_mem=max:8192M, a
 *   `common-criteria-prep` label (in a GRUB `submenu "advanced-options"`), and an
 *   EFI/xenserver/grub-usb.cfg that is grub.cfg plus `search --file --set /install.img`
 *   (bootloader/grub-usb.patch, installed next to grub.cfg by the Makefile).
 * - "xcp-ng-8.3": xcp-ng/create-install-image `templates/iso/8.3`: an `install-alt` label booting
 *   /boot/alt/vmlinuz with `kernel-alt`, memtest as `LINUX /boot/memtest.bin` and GRUB
 *   `chainloader /boot/memtest.efi`.
 *
 * The copy of grub.cfg inside boot/efiboot.img is the ISO's grub.cfg plus `search --file --set
 * /install.img` after `set timeout=5`, as create-install-image's grub-efiboot-cfg.patch makes it:
 * GRUB on a UEFI CD boot is loaded from the FAT image with its prefix there, reads that copy first,
 * and the search line moves its root to the ISO so /boot/xen.gz and /install.img are found. No
 * public source shows XenServer's own efiboot.img; the stand-ins use the same scheme for every flavor.
 *
 * Shapes are kept exactly (tabs, blank lines, order); only DEFAULT and the timeouts are options.
 * With the defaults, the generated texts were diffed equal to host-installer 10.0.0 (faf4682) and
 * release/xs8 (05720e0) bootloader/isolinux.cfg, grub.cfg and grub.cfg + grub-usb.patch, and to
 * create-install-image (90f3a7d) templates/iso/8.3 isolinux.cfg and grub.cfg.
 */

export type Flavor = "xenserver-7.1" | "xenserver-8" | "xcp-ng-8.3";

export interface BootConfigs {
    isolinux: string;
    /** EFI/xenserver/grub.cfg on the ISO. */
    grub: string;
    /** The copy of grub.cfg inside boot/efiboot.img. */
    grubEfiboot: string;
    /** Further GRUB configs on the ISO by path, e.g. { "EFI/xenserver/grub-usb.cfg": … } for XenServer 8. @default {} */
    extraGrub?: Record<string, string>;
}

export interface BootConfigOptions {
    /** The isolinux DEFAULT label. @default "install" (the Xen installer entry, as shipped) */
    defaultLabel?: string;
    /** Menu timeout in seconds (isolinux TIMEOUT is in tenths). @default 5 (as shipped) */
    timeoutSeconds?: number;
    /**
     * isolinux TOTALTIMEOUT in seconds: a deadline that input cannot cancel ("serial port glitches",
     * syslinux's documentation). Boot tests set it because stray bytes on an emulated serial line
     * otherwise leave isolinux waiting at its prompt. @default 0 (none, as shipped)
     */
    totalTimeoutSeconds?: number;
}

const XEN = {
    "xenserver-7.1": "dom0_max_vcpus=1-2 dom0_mem=1024M,max:1024M",
    "xenserver-8": "dom0_max_vcpus=1-16 dom0_mem=max:8192M",
    "xcp-ng-8.3": "dom0_max_vcpus=1-16 dom0_mem=max:8192M",
} as const;
const SERIAL_XEN = "com1=115200,8n1 console=com1,vga";
const SAFE_XEN = "nosmp noreboot noirqbalance no-mce no-bootscrub no-numa no-hap no-mmcfg";
const SAFE_XEN_TAIL = "max_cstate=0 nmi=ignore allow_unsafe com1=115200,8n1 console=com1,vga vga=keep";

function isolinux(flavor: Flavor, options: Required<BootConfigOptions>): string {
    const xen = XEN[flavor];
    const hvc = flavor === "xenserver-7.1" ? "xencons=hvc console=hvc0 console=tty0" : "console=hvc0 console=tty0";
    const safe = flavor === "xenserver-7.1" ? `${SAFE_XEN} iommu=off ${SAFE_XEN_TAIL}` : `${SAFE_XEN} ${SAFE_XEN_TAIL}`;
    const label = (name: string, xenArgs: string, dom0: string, kernel = "/boot/vmlinuz") =>
        `LABEL ${name}\n\tKERNEL mboot.c32\n\tAPPEND /boot/xen.gz ${xen} ${xenArgs} --- ${kernel} ${dom0} --- /install.img\n`;
    const head = `${flavor === "xenserver-7.1" ? "" : "SERIAL 0 115200\n"}DEFAULT ${options.defaultLabel}\nPROMPT 1\nTIMEOUT ${options.timeoutSeconds * 10}\n${options.totalTimeoutSeconds ? `TOTALTIMEOUT ${options.totalTimeoutSeconds * 10}\n` : ""}DISPLAY pg_main\nF1 pg_main\nF2 pg_help\n\n`;
    const common = label("install", SERIAL_XEN, hvc) + label("no-serial", "console=vga", "console=tty0")
        + label("safe", safe, hvc) + label("multipath", SERIAL_XEN, `${hvc} device_mapper_multipath=enabled`);
    const shell = label("shell", SERIAL_XEN, `${hvc} bash-shell`);
    if (flavor === "xenserver-7.1") return `${head}${common}${shell}\nLABEL memtest\n\tKERNEL memtest\n`;
    if (flavor === "xenserver-8") {
        return `${head}${common}${shell}${label("common-criteria-prep", SERIAL_XEN, `${hvc} cc-preparations`)}\nLABEL memtest\n\tKERNEL memtest\n`;
    }
    return `${head}${common}${label("install-alt", SERIAL_XEN, `${hvc} kernel-alt`, "/boot/alt/vmlinuz")}\n${shell}\nLABEL memtest\n\tLINUX /boot/memtest.bin\n`;
}

function grub(flavor: Flavor, options: Required<BootConfigOptions>, searchInstallImg: boolean): string {
    const xen = XEN[flavor];
    const hvc = flavor === "xenserver-7.1" ? "xencons=hvc console=hvc0 console=tty0" : "console=hvc0 console=tty0";
    const safe = flavor === "xenserver-7.1" ? `${SAFE_XEN} iommu=off ${SAFE_XEN_TAIL}` : `${SAFE_XEN} ${SAFE_XEN_TAIL}`;
    const entry = (title: string, xenArgs: string, dom0: string, kernel = "/boot/vmlinuz", indent = "") =>
        `${indent}menuentry "${title}" {\n${indent}    multiboot2 /boot/xen.gz ${xen} ${xenArgs}\n${indent}    module2 ${kernel} ${dom0}\n${indent}    module2 /install.img\n${indent}}\n`;
    const head = [
        'set default="0"', "", "function load_video {", "  insmod efi_gop", "  insmod efi_uga", "  insmod video_bochs",
        "  insmod video_cirrus", "  insmod all_video", "}", "", "load_video", "set gfxpayload=keep", "insmod gzio",
        "insmod part_gpt", "insmod ext2", "", `set timeout=${options.timeoutSeconds}`,
        ...(searchInstallImg ? ["search --file --set /install.img"] : []), "", "",
    ].join("\n");
    const entries = [
        entry("install", SERIAL_XEN, hvc),
        entry("no-serial", "console=vga", "console=tty0"),
        entry("safe", safe, hvc),
        entry("multipath", SERIAL_XEN, `${hvc} device_mapper_multipath=enabled`),
    ];
    if (flavor === "xcp-ng-8.3") {
        entries.push(entry("install with alternate/debug kernel (kernel-alt)", SERIAL_XEN, `${hvc} kernel-alt`, "/boot/alt/vmlinuz"));
    }
    entries.push(entry("shell", SERIAL_XEN, `${hvc} bash-shell`));
    if (flavor === "xenserver-8") {
        entries.push(`submenu "advanced-options" {\n${entry("common-criteria-prep", SERIAL_XEN, `${hvc} cc-preparations`, "/boot/vmlinuz", "    ")}}\n`);
    }
    if (flavor === "xcp-ng-8.3") entries.push('menuentry "memtest" {\n    chainloader /boot/memtest.efi\n}\n');
    // The 7.1 file ends with a blank line.
    return head + entries.join("\n") + (flavor === "xenserver-7.1" ? "\n" : "");
}

export function bootConfigs(flavor: Flavor, options: BootConfigOptions = {}): BootConfigs {
    const resolved = { defaultLabel: options.defaultLabel ?? "install", timeoutSeconds: options.timeoutSeconds ?? 5, totalTimeoutSeconds: options.totalTimeoutSeconds ?? 0 };
    return {
        isolinux: isolinux(flavor, resolved),
        grub: grub(flavor, resolved, false),
        grubEfiboot: grub(flavor, resolved, true),
        extraGrub: flavor === "xenserver-8" ? { "EFI/xenserver/grub-usb.cfg": grub(flavor, resolved, true) } : {},
    };
}
