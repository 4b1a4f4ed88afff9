/**
 * Models behind the golden answer files in test/fixtures/answerfile/, and helpers to read those
 * fixtures. The hashes were produced by `openssl passwd -6 -salt SALT PASSWORD` (crypt.spec.ts
 * checks our implementation gives the same).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AnswerFile } from "../../../provider/answerfile";
import { REPO_ROOT } from "../../helpers/paths";

export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "answerfile");

export function fixture(name: string): string {
    return fs.readFileSync(path.join(FIXTURES, name), "utf8");
}

/** Writes the fixture instead of comparing when UPDATE_GOLDEN=1 (then review the diff by eye). */
export function expectGolden(name: string, actual: string, equal: (a: string, b: string) => void): void {
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(path.join(FIXTURES, name), actual);
    equal(actual, fixture(name));
}

/** The seed's static example: `static -h vh0.lab -i 192.168.32.2 -m 255.255.255.0 -g 192.168.32.1 -p vhpass -n 192.168.32.1`. */
export const SEED_STATIC_OPTIONS = {
    network: "static" as const,
    hostname: "vh0.lab",
    ip: "192.168.32.2",
    netmask: "255.255.255.0",
    gateway: "192.168.32.1",
    password: "vhpass",
    nameServers: ["192.168.32.1"],
};

/** `openssl passwd -6 -salt goldensalt golden-password` */
export const GOLDEN_HASH = "$6$goldensalt$dNS7eWRutkLm1hZsH8neo00YAbA/xNAOGSAdYkatXE.Tn/T5lMMCcKJyEOiPFK23acdxyKAlxFgUs5qRaFLsZ1";
/** `openssl passwd -6 -salt xcpngsalt xcp-ng-password` */
export const XCPNG_HASH = "$6$xcpngsalt$GgS9IZwI/NQ9Ris.xqh253AQCnB7kEGYmqFFd0ExZUI2SO1OYpApWrq22u.L/n1j8wtBNkeH9jx4xhPGLnKDI0";

/** Everything a XenServer 8 installer (host-installer 10.10.32+) reads, in one fresh install. */
export const XENSERVER_8_MAX: AnswerFile = {
    mode: "fresh",
    srType: "ext",
    primaryDisk: { device: "sda,sdb", guestStorage: true, srAtEnd: true, preserveFirstPartition: "if-utility", swraid: true },
    guestDisks: ["sdc", "/dev/disk/by-id/nvme-Lab_Disk_01"],
    keymap: "de-latin1",
    rootPassword: { type: "hash", value: GOLDEN_HASH },
    sources: [
        { type: "local" },
        { type: "url", location: "http://repo.lab.example/xs8/extras/" },
        { type: "nfs", location: "nfs.lab.example:/srv/packs/" },
    ],
    driverSources: [{ type: "url", location: "https://drivers.lab.example/igb/" }],
    adminInterface: {
        hwaddr: "52:54:00:12:34:56",
        proto: "static",
        ipv4: { address: "192.168.32.2", netmask: "255.255.255.0", gateway: "192.168.32.1" },
        protov6: "static",
        ipv6: { address: "2001:db8:32::2", prefixLength: 64, gateway: "fe80::1" },
        vlan: 32,
    },
    timezone: "Europe/Berlin",
    ntp: { source: "manual", servers: ["0.pool.ntp.org", "192.168.32.1"] },
    scripts: [
        { stage: "installation-start", type: "url", location: "http://repo.lab.example/hooks/start.sh" },
        { stage: "filesystem-populated", type: "url", location: "file:///postinst.sh" },
        { stage: "installation-complete", type: "nfs", location: "nfs.lab.example:/srv/hooks/done.sh" },
    ],
    hostname: "vh0.lab.example",
    nameServers: ["192.168.32.1", "2001:db8:32::1"],
    networkBackend: "openvswitch",
    bootloader: { location: "mbr", writeBootEntry: false, variant: "grub2" },
    services: [{ name: "sshd", state: "enabled" }, { name: "snmpd", state: "disabled" }],
    uiConfirmationPrompt: false,
};

/** An XCP-ng 8.3 install on an XCP-ng software RAID, IPv4 DHCP + SLAAC, NTP from DHCP, gpg switches. */
export const XCP_NG_83: AnswerFile = {
    srType: "ext",
    repoGpgCheck: false,
    gpgCheck: true,
    raid: [{ device: "md127", disks: ["sda", "sdb"] }],
    primaryDisk: { device: "md127", guestStorage: true },
    keymap: "fr",
    rootPassword: { type: "hash", value: XCPNG_HASH },
    sources: [
        { type: "local" },
        { type: "url", location: "https://updates.xcp-ng.org/8/8.3/base/x86_64/", repoGpgCheck: true, gpgCheck: true },
    ],
    adminInterface: { name: "eth0", proto: "dhcp", protov6: "autoconf" },
    timezone: "Europe/Paris",
    ntp: { source: "dhcp" },
    scripts: [{ stage: "filesystem-populated", type: "url", location: "file:///postinst.sh" }],
    hostname: "xcp0.lab.example",
    nameServers: ["192.168.32.1"],
    services: [{ name: "sshd", state: "enabled" }],
};

/** An upgrade and a restore, for the mode tests. */
export const UPGRADE: AnswerFile = {
    mode: "upgrade",
    existingInstallation: { device: "sda" },
    sources: [{ type: "local" }],
    scripts: [{ stage: "installation-complete", type: "url", location: "http://repo.lab.example/hooks/done.sh" }],
};

export const RESTORE: AnswerFile = {
    mode: "restore",
    backupDisk: "/dev/sda",
    uiConfirmationPrompt: true,
};
