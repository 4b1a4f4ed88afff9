/**
 * planBoot's decision table on stand-in installer ISOs built by real xorriso/GRUB/mtools, remastered
 * the way our provider does it (prefix-form overlay in install.img, arguments after /vmlinuz).
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planBoot } from "../../../sim/installer";
import type { BootPlan, BootRequest, InstalledSystem } from "../../../sim/installer/types";
import { PRODUCTS } from "../../../sim/products";
import { STATE_DIR_ENV } from "../../../sim/settings";
import { buildInstallerIso, DHCP_ANSWERFILE, InstallerIsoOptions, STATIC_ANSWERFILE } from "./installerIso";

const GiB = 1024 ** 3;

describe("sim/installer planBoot", function () {
    this.timeout(60_000);
    let dir: string;
    const isos = new Map<string, string>();
    const iso = (name: string, options: Omit<InstallerIsoOptions, "out"> = {}) => {
        const existing = isos.get(name);
        if (existing) return existing;
        const file = buildInstallerIso({ out: path.join(dir, `${name}.iso`), ...options });
        isos.set(name, file);
        return file;
    };
    const request = (cdIsoPath: string | null, overrides: Partial<BootRequest> = {}): BootRequest => ({
        vmUuid: "4d3c2b1a-0000-4000-8000-000000000001",
        bootOrder: "dc",
        firmware: "bios",
        cdIsoPath,
        disk: { blank: true, sizeBytes: 80 * GiB },
        nics: ["eth0"],
        macs: ["da:7e:e2:00:00:01"],
        product: PRODUCTS["xenserver-8.4"],
        installSeconds: 2,
        firstBootSeconds: 1,
        now: 1_700_000_000_000,
        ...overrides,
    });
    const expectKind = <K extends BootPlan["kind"]>(plan: BootPlan, kind: K): Extract<BootPlan, { kind: K }> => {
        assert.strictEqual(plan.kind, kind, `expected ${kind}, got ${plan.kind}:\n${plan.log.join("\n")}`);
        return plan as Extract<BootPlan, { kind: K }>;
    };
    const withAnswerfile = (edit: (xml: string) => string, base = STATIC_ANSWERFILE) => edit(base);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-plan-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("installs from a good unattended ISO under BIOS and UEFI, then powers off (atexit=poweroff)", () => {
        for (const firmware of ["bios", "uefi"] as const) {
            const plan = expectKind(planBoot(request(iso("good"), { firmware })), "install");
            assert.strictEqual(plan.durationMs, 2000);
            assert.strictEqual(plan.atexit, "poweroff");
            assert.deepStrictEqual({ ...plan.system }, {
                hostname: "vh0.lab", address: "192.168.32.2", netmask: "255.255.255.0", gateway: "192.168.32.1",
                nameServers: ["192.168.32.1"], productVersion: "8.4.0", firstBootHalts: true, firstBootDone: false,
                firstBootRepeats: false, installedAt: 1_700_000_002_000,
            } satisfies InstalledSystem);
            const config = firmware === "bios" ? /entry "install" of \/boot\/isolinux\/isolinux\.cfg/ : /entry "install" of \/boot\/efiboot\.img:\/EFI\/xenserver\/grub\.cfg/;
            assert.match(plan.log.join("\n"), config);
        }
    });

    it("installs a DHCP answer file with management address \"dhcp\" and the default atexit=reboot", () => {
        const plan = expectKind(planBoot(request(iso("dhcp", { answerfile: DHCP_ANSWERFILE, args: "answerfile=file:///answerfile.xml install" }))), "install");
        assert.strictEqual(plan.atexit, "reboot");
        assert.strictEqual(plan.system.address, "dhcp");
        assert.strictEqual(plan.system.hostname, "localhost.localdomain");
        assert.match(plan.log.join("\n"), /atexit=reboot \(the default\)/);
    });

    for (const compression of ["gzip", "bzip2", "zstd", "xz"] as const) {
        it(`reads the answer file from a ${compression} install.img with a prefix-form overlay`, () => {
            const plan = expectKind(planBoot(request(iso(`c-${compression}`, { compression }))), "install");
            assert.match(plan.log.join("\n"), new RegExp(`segments none@0 \\+ ${compression}@512 \\+ gzip@\\d+`));
        });
    }

    it("stalls in the interactive installer when the kernel has no answerfile= argument", () => {
        const plan = expectKind(planBoot(request(iso("no-args", { args: null }))), "stall");
        assert.match(plan.reason, /no answerfile=.*interactive installer waits at its keymap screen/);
    });

    it("drops back to interactive mode without `install` on 7.1 but installs on 8.4", () => {
        const file = iso("no-install", { args: "atexit=poweroff answerfile=file:///answerfile.xml" });
        const old = expectKind(planBoot(request(file, { product: PRODUCTS["xenserver-7.1"] })), "stall");
        assert.ok(old.log.includes("installer: No operation specified for answerfile - dropping back to interactive mode."), old.log.join("\n"));
        assert.match(old.reason, /host-installer 10\.0\.6 needs the `install` argument/);
        expectKind(planBoot(request(file, { product: PRODUCTS["xenserver-8.4"] })), "install");
    });

    it("shows an error dialog that waits forever when the answer file is not in the initrd", () => {
        const plan = expectKind(planBoot(request(iso("no-answerfile", { answerfile: null }))), "stall");
        assert.match(plan.reason, /"Error occurred" dialog waits for Enter: Unable to fetch file:\/\/\/answerfile\.xml: no such file in the installer's initrd/);
    });

    it("fails at once with rt_answerfile= (no UI) when the answer file is missing, then runs atexit", () => {
        const plan = expectKind(planBoot(request(iso("rt-missing", { answerfile: null, args: "atexit=poweroff rt_answerfile=file:///answerfile.xml install" }))), "install-failed");
        assert.strictEqual(plan.durationMs, 0);
        assert.strictEqual(plan.atexit, "poweroff");
        assert.match(plan.reason, /Unable to fetch/);
    });

    it("stalls on an answer file that is not well-formed XML", () => {
        const plan = expectKind(planBoot(request(iso("bad-xml", { answerfile: STATIC_ANSWERFILE.replace("</admin-interface>", "") }))), "stall");
        assert.match(plan.reason, /Answerfile is incorrectly formatted\./);
    });

    it("fails the install (dialog closes after its timer) for a static interface without <gateway>", () => {
        const plan = expectKind(planBoot(request(iso("no-gateway", { answerfile: withAnswerfile((x) => x.replace("<gateway>192.168.32.1</gateway>\n", "")) }))), "install-failed");
        assert.strictEqual(plan.reason, "Missing mandatory element gateway");
        assert.strictEqual(plan.durationMs, 100 + 2000, "5 % of the install, then the error dialog's timer capped at the install time");
        assert.strictEqual(plan.atexit, "poweroff");
        assert.ok(plan.log.includes("installer: INSTALL FAILED."));
    });

    it("rejects <ntp-server> with <ntp source=\"dhcp\"> on 8.4 but ignores <ntp> on 7.1", () => {
        const file = iso("ntp", { answerfile: withAnswerfile((x) => x.replace("</installation>", '<ntp source="dhcp"/>\n<ntp-server>pool.ntp.org</ntp-server>\n</installation>'), DHCP_ANSWERFILE) });
        const current = expectKind(planBoot(request(file)), "install-failed");
        assert.strictEqual(current.reason, '<ntp-server> and <ntp-servers> elements are only valid when using <ntp source="manual" />');
        expectKind(planBoot(request(file, { product: PRODUCTS["xenserver-7.1"] })), "install");
    });

    it("fails when the VM has no disk: parse-time on 8.4, at partitioning on 7.1", () => {
        const current = expectKind(planBoot(request(iso("good"), { disk: null })), "install-failed");
        assert.strictEqual(current.reason, "Primary disk /dev/sda is missing");
        const old = expectKind(planBoot(request(iso("good"), { disk: null, product: PRODUCTS["xenserver-7.1"] })), "install-failed");
        assert.strictEqual(old.reason, "The disk /dev/sda could not be found.");
        assert.strictEqual(old.durationMs, 200 + 2000);
    });

    it("fails on a disk below the product's minimum (46 GiB)", () => {
        const plan = expectKind(planBoot(request(iso("good"), { disk: { blank: true, sizeBytes: 20 * GiB } })), "install-failed");
        assert.strictEqual(plan.reason, "The disk /dev/sda is smaller than 46GB.");
    });

    it("under UEFI, ignores a patch of only the ISO's grub.cfg: GRUB reads the copy in efiboot.img", () => {
        const isoOnly = iso("grub-iso-only", { patch: { isolinux: false, grub: true, grubEfiboot: false } });
        const plan = expectKind(planBoot(request(isoOnly, { firmware: "uefi" })), "stall");
        assert.match(plan.reason, /interactive installer/);
        assert.match(plan.log.join("\n"), /the ISO's own \/EFI\/xenserver\/grub\.cfg would boot something else .*answerfile=file:\/\/\/answerfile\.xml.*but GRUB never reads it/);
        const copyOnly = iso("grub-efiboot-only", { patch: { isolinux: false, grub: false, grubEfiboot: true } });
        expectKind(planBoot(request(copyOnly, { firmware: "uefi" })), "install");
        expectKind(planBoot(request(copyOnly, { firmware: "bios" })), "stall");
    });

    it("waits at the isolinux prompt forever with PROMPT 1 and TIMEOUT 0", () => {
        const file = iso("timeout0", { edit: (c) => ({ isolinux: c.isolinux.replace("TIMEOUT 50", "TIMEOUT 0") }) });
        const plan = expectKind(planBoot(request(file)), "stall");
        assert.match(plan.reason, /PROMPT 1 with TIMEOUT 0, so the boot: prompt waits for a person forever/);
    });

    it("waits in the GRUB menu forever with set timeout=-1", () => {
        const file = iso("grub-timeout", { edit: (c) => ({ grubEfiboot: c.grubEfiboot.replace("set timeout=5", "set timeout=-1") }) });
        const plan = expectKind(planBoot(request(file, { firmware: "uefi" })), "stall");
        assert.match(plan.reason, /sets timeout=-1, so the menu waits for a key forever/);
    });

    it("asks for confirmation (stall) when the answer file has <ui-confirmation-prompt>", () => {
        const file = iso("confirm", { answerfile: withAnswerfile((x) => x.replace("</installation>", "<ui-confirmation-prompt>false</ui-confirmation-prompt>\n</installation>")) });
        assert.match(expectKind(planBoot(request(file)), "stall").reason, /asks a person to confirm/);
    });

    it("fails late when the post-install script is not in the initrd", () => {
        const plan = expectKind(planBoot(request(iso("no-scripts", { seedScripts: false }))), "install-failed");
        assert.strictEqual(plan.reason, "Unable to fetch script file:///postinst.sh (no such file in the installer's initrd)");
        assert.strictEqual(plan.durationMs, 1800 + 2000);
    });

    it("records a first-boot step that never disables itself as repeating", () => {
        const postinst = "#!/bin/sh\ncp /fb.sh $1/usr/local/bin/fb.sh\nprintf '[Service]\\nExecStart=/bin/bash /usr/local/bin/fb.sh\\n' > $1/etc/systemd/system/fb.service\nsystemctl --root=$1 enable fb.service\n";
        const file = iso("repeats", {
            seedScripts: false,
            overlay: [{ path: "/postinst.sh", data: Buffer.from(postinst) }, { path: "/fb.sh", data: Buffer.from("#!/bin/sh\nsystemctl poweroff\n") }],
        });
        const plan = expectKind(planBoot(request(file)), "install");
        assert.strictEqual(plan.system.firstBootHalts, true);
        assert.strictEqual(plan.system.firstBootRepeats, true);
    });

    it("boots an installed disk: the halting first-boot step once, then the host runs", () => {
        const system: InstalledSystem = {
            hostname: "vh0.lab", address: "192.168.32.2", nameServers: [], productVersion: "8.4.0",
            firstBootHalts: true, firstBootDone: false, installedAt: 1,
        };
        const disk = (s: InstalledSystem) => ({ blank: false as const, sizeBytes: 80 * GiB, system: s });
        const first = expectKind(planBoot(request(null, { bootOrder: "cd", disk: disk(system) })), "first-boot");
        assert.deepStrictEqual([first.durationMs, first.halts], [1000, true]);
        expectKind(planBoot(request(iso("good"), { bootOrder: "cd", disk: disk({ ...system, firstBootDone: true }) })), "run");
        expectKind(planBoot(request(null, { disk: disk({ ...system, firstBootHalts: false }) })), "run");
        expectKind(planBoot(request(null, { disk: disk({ ...system, firstBootDone: true, firstBootRepeats: true }) })), "first-boot");
    });

    it("installs again when the CD comes first (order dc) even on an installed disk", () => {
        const system: InstalledSystem = { hostname: "old", nameServers: [], productVersion: "8.4.0", firstBootHalts: true, firstBootDone: true, installedAt: 1 };
        const plan = expectKind(planBoot(request(iso("good"), { disk: { blank: false, sizeBytes: 80 * GiB, system } })), "install");
        assert.strictEqual(plan.system.hostname, "vh0.lab");
    });

    it("skips a blank disk to boot the CD with order cd", () => {
        const plan = expectKind(planBoot(request(iso("good"), { bootOrder: "cd" })), "install");
        assert.match(plan.log.join("\n"), /c: Boot failed: not a bootable disk/);
    });

    it("finds no bootable device with a blank disk, an empty CD drive and network boot", () => {
        const plan = expectKind(planBoot(request(null, { bootOrder: "cdn" })), "no-bootable-device");
        assert.deepStrictEqual(plan.log.slice(1), [
            "c: Boot failed: not a bootable disk (the disk was never installed); trying the next device",
            "d: the CD drive is empty (or absent); trying the next device",
            "n: network boot (iPXE) gets no DHCP offer on the simulated network; trying the next device",
            "SeaBIOS: No bootable device.",
        ]);
    });

    it("caches the unpacked initrd in the state directory and rereads it when the ISO changes", () => {
        const stateDir = fs.mkdtempSync(path.join(dir, "state-"));
        const file = path.join(dir, "cached.iso");
        fs.copyFileSync(iso("good"), file);
        const previous = process.env[STATE_DIR_ENV];
        process.env[STATE_DIR_ENV] = stateDir;
        try {
            expectKind(planBoot(request(file)), "install");
            const cacheDir = path.join(stateDir, "cache", "initrd");
            const [cacheFile] = fs.readdirSync(cacheDir);
            const record = JSON.parse(fs.readFileSync(path.join(cacheDir, cacheFile), "utf8"));
            assert.ok(record.files.includes("answerfile.xml") && record.contents["answerfile.xml"], "names and the answer file are cached");
            // Prove the cache is what the next boot reads: break the cached copy of the answer file.
            record.contents["answerfile.xml"] = Buffer.from("<installation>").toString("base64");
            fs.writeFileSync(path.join(cacheDir, cacheFile), JSON.stringify(record));
            assert.match(expectKind(planBoot(request(file)), "stall").reason, /incorrectly formatted/);
            const later = new Date(Date.now() + 60_000);
            fs.utimesSync(file, later, later); // a changed ISO is a new cache key
            expectKind(planBoot(request(file)), "install");
        } finally {
            if (previous === undefined) delete process.env[STATE_DIR_ENV];
            else process.env[STATE_DIR_ENV] = previous;
        }
    });

    it("skips a CD whose file is not an ISO 9660 image", () => {
        const junk = path.join(dir, "junk.iso");
        fs.writeFileSync(junk, Buffer.alloc(64 * 1024, 7));
        const plan = expectKind(planBoot(request(junk)), "no-bootable-device");
        assert.match(plan.log.join("\n"), /d: Boot failed: could not read from CDROM \(not an ISO 9660 image: .*junk\.iso has no volume descriptor "CD001" at sector 16\)/);
    });
});
