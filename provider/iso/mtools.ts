/**
 * The one place mtools runs: reading and replacing files inside the FAT El Torito EFI image
 * (boot/efiboot.img), which holds the grub.cfg that GRUB reads first on a UEFI CD boot. mtools
 * works on the image file directly, so no loop mount and no root are needed.
 */
import * as fs from "node:fs";
import { MtoolsError } from "./errors";
import { formatCommand } from "./xorriso";

// mtools refuses some valid-but-unusual FAT geometries unless told not to check.
const MTOOLS_ENV = { MTOOLS_SKIP_CHECK: "1" };

async function mtools(tool: "mdir" | "mtype" | "mcopy", args: string[], what: string, env: Record<string, string> = {}): Promise<Buffer> {
    const { execa } = await import("execa");
    const command = [tool, ...args];
    const result = await execa(tool, args, { env: { ...MTOOLS_ENV, ...env }, reject: false, encoding: "buffer", stripFinalNewline: false, stdin: "ignore" });
    if (result.failed) {
        const stderr = Buffer.from(result.stderr ?? "").toString().trim();
        const how = (result as { code?: string }).code === "ENOENT" ? `${tool} is not installed (Debian package: mtools)`
            : result.exitCode === undefined ? "could not run it" : `exit code ${result.exitCode}`;
        throw new MtoolsError(`${tool} failed to ${what}: ${formatCommand(command)} (${how})${stderr ? `\n${stderr}` : ""}`, command, stderr, { cause: result });
    }
    return Buffer.from(result.stdout);
}

/** Every file in the FAT image, as "/EFI/xenserver/grub.cfg" (directories are left out). */
export async function listFatFiles(image: string): Promise<string[]> {
    const out = await mtools("mdir", ["-/", "-b", "-i", image, "::/"], `list the files in ${image}`);
    return out.toString("utf8").split("\n").map((l) => l.trim())
        .filter((l) => l.startsWith("::/") && !l.endsWith("/"))
        .map((l) => l.slice(2));
}

/** The bytes of one file in the FAT image. */
export async function readFatFile(image: string, file: string): Promise<Buffer> {
    return mtools("mtype", ["-i", image, `::${file}`], `read ${file} in ${image}`);
}

/**
 * Replaces one file in the FAT image. The directory entry takes the source file's mtime (`-m`),
 * which the caller pins, so the same input always gives the same image bytes.
 */
export async function writeFatFile(image: string, file: string, source: string): Promise<void> {
    if (!fs.existsSync(source)) throw new MtoolsError(`cannot copy into ${image}: source ${source} does not exist`, [], "");
    await mtools("mcopy", ["-o", "-m", "-i", image, source, `::${file}`], `replace ${file} in ${image}`);
}
