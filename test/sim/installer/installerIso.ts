/**
 * Builds unattended-install stand-in ISOs for the simulated installer's tests the way a remaster
 * does: the answer file and seed scripts go into a prefix-form overlay appended to install.img
 * (empty newc + untouched base + gzip overlay), and the installer arguments are inserted after
 * /vmlinuz in the boot configs (XCP-ng's `s@/vmlinuz@/vmlinuz <args>@`). Real xorriso, GRUB and
 * mtools build the image (test/helpers/standinIso.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildOverlay, emptyNewc, OverlayFile } from "../../../provider/iso/initramfs";
import { BootConfigs, bootConfigs, Flavor } from "../../helpers/bootConfigs";
import { REPO_ROOT } from "../../helpers/paths";
import { buildStandinIso, installImg } from "../../helpers/standinIso";

export const SEED_ARGS = "atexit=poweroff answerfile=file:///answerfile.xml install";

export const seedFile = (name: string) => fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "seed", name));

/** The seed's generate_answerfile.sh output for `static -h vh0.lab -i … -p vhpass -n 192.168.32.1`. */
export const STATIC_ANSWERFILE = `<?xml version="1.0"?>
<installation srtype="ext">
<primary-disk>sda</primary-disk>
<keymap>us</keymap>
<root-password>vhpass</root-password>
<source type="local"></source>
<admin-interface name="eth0" proto="static">
<ip>192.168.32.2</ip>
<subnet-mask>255.255.255.0</subnet-mask>
<gateway>192.168.32.1</gateway>
</admin-interface>
<timezone>America/Los_Angeles</timezone>
<script stage="filesystem-populated" type="url">file:///postinst.sh</script>
<hostname>vh0.lab</hostname>
<nameserver>192.168.32.1</nameserver>
</installation>
`;

/** The seed's dhcp answer file (data/answerfile.xml). */
export const DHCP_ANSWERFILE = `<?xml version="1.0"?>
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

export interface InstallerIsoOptions {
    out: string;
    /** @default "xenserver-8" */
    flavor?: Flavor;
    /** Compression of the base install.img. @default "bzip2" */
    compression?: "gzip" | "bzip2" | "zstd" | "xz";
    /** Text of /answerfile.xml in the overlay; null leaves it out. @default STATIC_ANSWERFILE */
    answerfile?: string | null;
    /** Put the seed's postinst.sh and firstboot.sh at / in the overlay. @default true */
    seedScripts?: boolean;
    /** More overlay files. @default none */
    overlay?: OverlayFile[];
    /** Arguments inserted after /vmlinuz; null leaves the configs as shipped. @default SEED_ARGS */
    args?: string | null;
    /** Which configs get `args`. @default all three */
    patch?: { isolinux?: boolean; grub?: boolean; grubEfiboot?: boolean };
    /** Last-minute edits of the (patched) configs. @default none */
    edit?: (configs: BootConfigs) => Partial<BootConfigs>;
}

export function buildInstallerIso(options: InstallerIsoOptions): string {
    const flavor = options.flavor ?? "xenserver-8";
    const base: OverlayFile[] = [
        { path: "init", data: Buffer.from("#!/bin/sh\necho stand-in installer\n"), mode: 0o755 },
        { path: "opt/xensource/installer/init", data: Buffer.from("#!/usr/bin/env python\n# stand-in\n"), mode: 0o755 },
        { path: "opt/xensource/installer/preinit", data: Buffer.from("#!/bin/bash\n# stand-in\n"), mode: 0o755 },
    ];
    const overlay: OverlayFile[] = [...(options.overlay ?? [])];
    const answerfile = options.answerfile === undefined ? STATIC_ANSWERFILE : options.answerfile;
    if (answerfile !== null) overlay.push({ path: "/answerfile.xml", data: Buffer.from(answerfile) });
    if (options.seedScripts ?? true) {
        overlay.push({ path: "/postinst.sh", data: seedFile("postinst.sh"), mode: 0o755 }, { path: "/firstboot.sh", data: seedFile("firstboot.sh"), mode: 0o755 });
    }
    const image = Buffer.concat([emptyNewc(), installImg(base, options.compression ?? "bzip2"), ...(overlay.length ? [buildOverlay(overlay, 0)] : [])]);
    const shipped = bootConfigs(flavor);
    const args = options.args === undefined ? SEED_ARGS : options.args;
    const patch = { isolinux: true, grub: true, grubEfiboot: true, ...options.patch };
    const add = (text: string, on: boolean | undefined) => (args !== null && on ? text.replace(/\/vmlinuz /g, `/vmlinuz ${args} `) : text);
    const configs: BootConfigs = {
        ...shipped,
        isolinux: add(shipped.isolinux, patch.isolinux),
        grub: add(shipped.grub, patch.grub),
        grubEfiboot: add(shipped.grubEfiboot, patch.grubEfiboot),
    };
    return buildStandinIso({ out: options.out, flavor, installImg: image, configs: { ...configs, ...options.edit?.(configs) } });
}
