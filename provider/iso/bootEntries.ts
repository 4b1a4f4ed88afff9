/**
 * What the boot-config patchers report, shared by the isolinux and GRUB patchers.
 *
 * An *installer entry* is a boot entry that starts a kernel with the installer ramdisk
 * (`install.img`, under any directory) as its initrd, directly or as the dom0 of Xen, and that is
 * not a shell, rescue or memtest entry (see kernelArgs.nonInstallerReason). Only installer entries
 * are patched; everything else in the file is left byte-for-byte as it was.
 */

export interface BootEntry {
    /** LABEL (isolinux) or menuentry title (GRUB); submenu titles are prefixed ("advanced-options > …"). */
    title: string;
    /** 1-based line of the edited (or inspected) kernel command line. */
    line: number;
    /** The kernel that receives the arguments, e.g. "/boot/vmlinuz". */
    kernel: string;
}

export interface SkippedEntry extends BootEntry {
    /** Why the entry was not patched, in user terms. */
    reason: string;
}

export interface PatchResult {
    /** The new file text. */
    text: string;
    /** Installer entries, in file order, each given the arguments. */
    patched: BootEntry[];
    /** Entries left alone (shell, rescue, memtest, or not loading install.img), with the reason. */
    skipped: SkippedEntry[];
}

/** True when a path names the installer ramdisk ("/install.img", "install.img", "/x/install.img"). */
export function isInstallImg(path: string): boolean {
    return /(^|\/)install\.img$/i.test(path);
}

/** The line-ending style of a text, kept when a patcher rewrites lines. */
export function splitLines(text: string): { lines: string[]; eol: string } {
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    return { lines: text.split(eol), eol };
}
