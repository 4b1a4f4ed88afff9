import * as assert from "node:assert";
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FatFormatError, FatImage } from "../../../sim/installer/fat";

/** Builds a FAT image with real tools (mtools, dosfstools) holding a few files with long names. */
function image(dir: string, name: string, make: (img: string) => void, big: Buffer): string {
    const img = path.join(dir, name);
    make(img);
    const src = path.join(dir, `${name}-files`);
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, "grub.cfg"), "set timeout=5\n");
    fs.writeFileSync(path.join(src, "big.bin"), big);
    execFileSync("mmd", ["-i", img, "::/EFI", "::/EFI/BOOT", "::/EFI/xenserver", "::/EFI/xenserver/a-long-directory-name"]);
    execFileSync("mcopy", ["-i", img, path.join(src, "grub.cfg"), "::/EFI/xenserver/grub.cfg"]);
    execFileSync("mcopy", ["-i", img, path.join(src, "big.bin"), "::/EFI/BOOT/BOOTX64.EFI"]);
    execFileSync("mcopy", ["-i", img, path.join(src, "grub.cfg"), "::/EFI/xenserver/a-long-directory-name/Mixed Case Long Name.cfg"]);
    return img;
}

describe("sim/installer/fat", function () {
    this.timeout(30_000);
    let dir: string;
    const big = crypto.randomBytes(300_000);

    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-fat-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: [string, 12 | 16 | 32, (img: string) => void][] = [
        ["efiboot-like 2.88 MB (mformat -f 2880)", 12, (img) => execFileSync("mformat", ["-i", img, "-N", "0", "-C", "-f", "2880", "-L", "16", "::."])],
        ["32 MiB (mkfs.fat -F 16)", 16, (img) => execFileSync("mkfs.fat", ["-F", "16", "-C", img, "32768"], { stdio: "ignore" })],
        ["64 MiB (mkfs.fat -F 32)", 32, (img) => execFileSync("mkfs.fat", ["-F", "32", "-C", img, "65536"], { stdio: "ignore" })],
    ];
    for (const [label, type, make] of cases) {
        it(`reads files by long and short names on a FAT${type} image: ${label}`, () => {
            const fat = new FatImage(fs.readFileSync(image(dir, `fat${type}.img`, make, big)), `fat${type}.img`);
            assert.strictEqual(fat.type, type);
            assert.strictEqual(fat.readFile("/EFI/xenserver/grub.cfg")?.toString(), "set timeout=5\n");
            assert.ok(fat.readFile("/efi/boot/bootx64.efi")?.equals(big), "a multi-cluster file, looked up case-insensitively");
            assert.strictEqual(fat.readFile("/EFI/xenserver/a-long-directory-name/mixed case long name.cfg")?.toString(), "set timeout=5\n");
            assert.strictEqual(fat.exists("/EFI/xenserver"), true);
            assert.strictEqual(fat.readFile("/EFI/xenserver"), undefined, "a directory is not a file");
            assert.strictEqual(fat.readFile("/EFI/missing.cfg"), undefined);
        });
    }

    it("refuses an image without a FAT boot sector, naming it", () => {
        assert.throws(() => new FatImage(Buffer.alloc(4096), "efiboot.img"), (err: Error) => err instanceof FatFormatError && /efiboot\.img is not a FAT file system/.test(err.message));
    });
});
