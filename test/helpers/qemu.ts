/**
 * Boots ISOs in qemu for the remaster's end-to-end tests: BIOS (SeaBIOS → isolinux → mboot.c32 →
 * Xen → dom0) and UEFI (OVMF → GRUB multiboot2 → Xen → dom0), always under TCG (`-accel tcg`):
 * nested KVM hangs on this kind of machine (feasibility §2.2).
 *
 * The guest is a stand-in installer: Debian's Xen 4.17 and Linux kernel (fetched with
 * `apt-get download` + `dpkg -x` into a cache directory, nothing installed) and an install.img
 * holding busybox-static and an /init that prints its kernel command line and the answer file it
 * finds, then powers off. Requires (Debian): qemu-system-x86 ovmf busybox-static, apt sources.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultCacheDir } from "../../provider/iso/contentHash";
import type { OverlayFile } from "../../provider/iso/initramfs";

export interface BootArtifacts {
    /** Xen hypervisor (multiboot, gzip'd ELF), for /boot/xen.gz. */
    xen: string;
    /** Linux kernel with Xen dom0 and hvc console built in, for /boot/vmlinuz. */
    kernel: string;
}

/**
 * Debian's Xen and kernel, downloaded once into `cacheDir` (`$VH_BOOT_CACHE`, else
 * `<user cache>/virtual-hypervisor/boot-test`). The kernel is the one `linux-image-amd64` depends on.
 */
export function bootArtifacts(cacheDir = process.env.VH_BOOT_CACHE ?? path.join(defaultCacheDir(), "boot-test")): BootArtifacts {
    const xen = path.join(cacheDir, "xen-4.17-amd64.gz");
    const kernel = path.join(cacheDir, "vmlinuz");
    if (fs.existsSync(xen) && fs.existsSync(kernel)) return { xen, kernel };
    fs.mkdirSync(cacheDir, { recursive: true });
    const work = fs.mkdtempSync(path.join(cacheDir, "download-"));
    try {
        const depends = execFileSync("apt-cache", ["depends", "linux-image-amd64"], { encoding: "utf8" });
        const kernelPackage = /Depends:\s*(linux-image-\S+-amd64)/.exec(depends)?.[1];
        if (!kernelPackage) throw new Error(`cannot tell which kernel linux-image-amd64 depends on; apt-cache said:\n${depends}`);
        execFileSync("apt-get", ["download", "-q", "xen-hypervisor-4.17-amd64", kernelPackage], { cwd: work, stdio: ["ignore", "ignore", "pipe"] });
        for (const deb of fs.readdirSync(work).filter((f) => f.endsWith(".deb"))) {
            execFileSync("dpkg", ["-x", path.join(work, deb), path.join(work, "root")]);
        }
        const boot = path.join(work, "root", "boot");
        const vmlinuz = fs.readdirSync(boot).find((f) => f.startsWith("vmlinuz-"));
        if (!vmlinuz || !fs.existsSync(path.join(boot, "xen-4.17-amd64.gz"))) throw new Error(`downloaded packages lack boot/vmlinuz-* or boot/xen-4.17-amd64.gz: ${fs.readdirSync(boot).join(", ")}`);
        fs.copyFileSync(path.join(boot, vmlinuz), `${kernel}.tmp`);
        fs.copyFileSync(path.join(boot, "xen-4.17-amd64.gz"), `${xen}.tmp`);
        fs.renameSync(`${kernel}.tmp`, kernel);
        fs.renameSync(`${xen}.tmp`, xen);
        return { xen, kernel };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/**
 * /init of the stand-in installer. It reads `answerfile=file://…` from its command line like the
 * real installer, and prints (to /dev/hvc0 when it runs as Xen's dom0, else the console):
 * `VH-CMDLINE: …`, `VH-HYPERVISOR: xen`, the answer file base64-encoded (serial consoles mangle
 * control characters; base64 lets the test compare bytes), the scripts it finds, then `VH-DONE`.
 */
export const STANDIN_INIT = `#!/bin/busybox sh
bb=/bin/busybox
$bb mkdir -p /proc /sys /dev
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
if [ -c /dev/hvc0 ]; then exec >/dev/hvc0 2>&1; else exec >/dev/console 2>&1; fi
cmdline=$($bb cat /proc/cmdline)
echo "VH-CMDLINE: $cmdline"
echo "VH-HYPERVISOR: $($bb cat /sys/hypervisor/type 2>/dev/null || echo none)"
answerfile=
for arg in $cmdline; do
    case "$arg" in answerfile=file://*) answerfile=\${arg#answerfile=file://} ;; esac
done
if [ -n "$answerfile" ] && [ -f "$answerfile" ]; then
    echo "VH-ANSWERFILE: $answerfile $($bb base64 -w 0 "$answerfile")"
else
    echo "VH-NO-ANSWERFILE"
fi
for f in /postinst.sh /firstboot.sh; do
    [ -f "$f" ] && echo "VH-SCRIPT: $f $($bb stat -c '%a %u:%g' "$f")"
done
echo "VH-DONE"
$bb poweroff -f
`;

/** Files of the stand-in installer's install.img: busybox-static and STANDIN_INIT. */
export function standinRootfs(): OverlayFile[] {
    return [
        { path: "bin/busybox", data: fs.readFileSync("/bin/busybox"), mode: 0o755 },
        { path: "init", data: Buffer.from(STANDIN_INIT), mode: 0o755 },
    ];
}

export interface BootOptions {
    iso: string;
    firmware: "bios" | "uefi";
    /** Guest RAM. @default 768 */
    memoryMiB?: number;
    /** Deadline for the whole boot; qemu is killed when it passes. @default 120000 */
    timeoutMs?: number;
}

export interface BootResult {
    /** Everything the guest wrote to its serial port (firmware, bootloader, Xen, dom0). */
    log: string;
    durationMs: number;
    /** True when the deadline passed before the guest printed VH-DONE. */
    timedOut: boolean;
}

const OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
const OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";

/**
 * Boots the ISO from a virtual CD and collects the serial log until the stand-in prints VH-DONE
 * (then qemu is stopped: the guest is powering off) or the deadline passes.
 */
export function bootIso(options: BootOptions): Promise<BootResult> {
    const started = Date.now();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vh-qemu-"));
    const args = ["-accel", "tcg", "-nographic", "-serial", "stdio", "-monitor", "none", "-no-reboot", "-net", "none",
        "-m", String(options.memoryMiB ?? 768), "-cdrom", options.iso, "-boot", "d"];
    if (options.firmware === "uefi") {
        const vars = path.join(work, "OVMF_VARS.fd");
        fs.copyFileSync(OVMF_VARS, vars);
        args.push("-drive", `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`, "-drive", `if=pflash,format=raw,file=${vars}`);
    }
    const child = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    return new Promise((resolve, reject) => {
        let timedOut = false;
        const finish = () => {
            clearTimeout(timer);
            fs.rmSync(work, { recursive: true, force: true });
            resolve({ log, durationMs: Date.now() - started, timedOut });
        };
        const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, options.timeoutMs ?? 120_000);
        const onData = (chunk: Buffer) => {
            log += chunk.toString("latin1");
            // The guest is done once it has printed everything; waiting for the powered-off VM adds nothing.
            if (/VH-DONE/.test(log)) child.kill("SIGKILL");
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("error", (err) => { clearTimeout(timer); fs.rmSync(work, { recursive: true, force: true }); reject(err); });
        child.on("close", finish);
    });
}

/** The last lines of a serial log, escape sequences removed, for failure messages. */
export function serialTail(log: string, lines = 40): string {
    // eslint-disable-next-line no-control-regex
    const clean = log.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1bc/g, "").replace(/\r/g, "");
    return clean.split("\n").filter((l) => l.trim()).slice(-lines).join("\n");
}
