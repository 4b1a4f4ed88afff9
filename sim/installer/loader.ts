/**
 * What a bootloader decided to load, shared by the isolinux and GRUB readers.
 */

/** A file to load and the arguments it gets. Paths are on the boot medium. */
export interface LoadedImage {
    path: string;
    args: string[];
}

export interface KernelChoice {
    /** The menu entry used: an isolinux LABEL, a GRUB menuentry title, or the DEFAULT command line. */
    entry: string;
    /** Xen, when the entry boots a multiboot hypervisor (mboot.c32, multiboot2, xen_hypervisor). */
    hypervisor?: LoadedImage;
    /** The (dom0) Linux kernel and its command line; absent for other kinds of images. */
    kernel?: LoadedImage;
    /** Initrd files in load order (the kernel unpacks them in that order). */
    initrds: string[];
    /** Set when the entry loads something the simulator does not model (memtest, a chainloader, …). */
    other?: string;
}

export type LoaderDecision =
    | { kind: "boot"; choice: KernelChoice; log: string[] }
    /** The bootloader waits for a person (a prompt or menu without timeout, an error). */
    | { kind: "wait"; reason: string; log: string[] };
