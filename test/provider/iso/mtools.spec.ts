import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MtoolsError } from "../../../provider/iso/errors";
import { listFatFiles, readFatFile, writeFatFile } from "../../../provider/iso/mtools";

describe("provider/iso/mtools", () => {
    let dir: string, image: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-mtools-"));
        image = path.join(dir, "efiboot.img");
        // The shape of an installer's El Torito EFI image (create-install-image's mformat line).
        execFileSync("mformat", ["-i", image, "-N", "0", "-C", "-f", "2880", "-L", "16", "::."]);
        execFileSync("mmd", ["-i", image, "::/EFI", "::/EFI/BOOT", "::/EFI/xenserver"]);
        fs.writeFileSync(path.join(dir, "grub.cfg"), "set timeout=5\n");
        execFileSync("mcopy", ["-i", image, path.join(dir, "grub.cfg"), "::/EFI/xenserver/grub.cfg"]);
        execFileSync("mcopy", ["-i", image, path.join(dir, "grub.cfg"), "::/EFI/BOOT/BOOTX64.EFI"]);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists the files (not the directories) with their long names", async () => {
        assert.deepEqual((await listFatFiles(image)).sort(), ["/EFI/BOOT/BOOTX64.EFI", "/EFI/xenserver/grub.cfg"]);
    });

    it("reads a file byte for byte, trailing newline included", async () => {
        assert.equal((await readFatFile(image, "/EFI/xenserver/grub.cfg")).toString(), "set timeout=5\n");
    });

    it("replaces a file with a bigger one, and the same source with the same mtime gives the same image bytes", async () => {
        const source = path.join(dir, "new.cfg");
        fs.writeFileSync(source, "x".repeat(100_000) + "\n");
        fs.utimesSync(source, 1577836800, 1577836800);
        const copy = path.join(dir, "copy.img");
        fs.copyFileSync(image, copy);
        await writeFatFile(image, "/EFI/xenserver/grub.cfg", source);
        await new Promise((r) => setTimeout(r, 2100)); // FAT times have 2 s steps: a later copy must not differ
        await writeFatFile(copy, "/EFI/xenserver/grub.cfg", source);
        assert.equal((await readFatFile(image, "/EFI/xenserver/grub.cfg")).length, 100_001);
        assert.ok(fs.readFileSync(image).equals(fs.readFileSync(copy)));
    }).timeout(10_000);

    it("raises an MtoolsError naming the command and mtools' complaint", async () => {
        await assert.rejects(readFatFile(image, "/EFI/missing.cfg"), (err: unknown) => {
            assert.ok(err instanceof MtoolsError);
            assert.deepEqual(err.command, ["mtype", "-i", image, "::/EFI/missing.cfg"]);
            assert.match(err.message, /^mtype failed to read \/EFI\/missing\.cfg in .*efiboot\.img: mtype -i .* ::\/EFI\/missing\.cfg \(exit code 1\)\n.*not found/s);
            return true;
        });
    });
});
