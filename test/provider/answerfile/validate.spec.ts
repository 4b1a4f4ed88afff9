import * as assert from "node:assert/strict";
import {
    AnswerFileValidationError, assertValidAnswerFile, seedAnswerFile, validateAnswerFile, type AnswerFile,
} from "../../../provider/answerfile";
import { RESTORE, SEED_STATIC_OPTIONS, UPGRADE, XCP_NG_83, XENSERVER_8_MAX } from "./models";

/** A valid static install to break one field at a time. */
function base(): AnswerFile {
    return seedAnswerFile(SEED_STATIC_OPTIONS);
}

interface Case {
    what: string;
    change(m: AnswerFile): void;
    path: string;
    message: string;
}

const v4 = (m: AnswerFile) => m.adminInterface!.ipv4!;
const STATIC_V6 = (m: AnswerFile) => {
    m.adminInterface!.protov6 = "static";
    m.adminInterface!.ipv6 = { address: "2001:db8::2", prefixLength: 64, gateway: "2001:db8::1" };
};

const CASES: Case[] = [
    { what: "a non-contiguous netmask", change: (m) => { v4(m).netmask = "255.0.255.0"; }, path: "adminInterface.ipv4.netmask", message: 'adminInterface.ipv4.netmask must be a contiguous IPv4 netmask such as 255.255.255.0, got "255.0.255.0"' },
    { what: "a netmask of 0.0.0.0", change: (m) => { v4(m).netmask = "0.0.0.0"; }, path: "adminInterface.ipv4.netmask", message: 'adminInterface.ipv4.netmask must be a contiguous IPv4 netmask such as 255.255.255.0, got "0.0.0.0"' },
    { what: "an IPv4 octet over 255", change: (m) => { v4(m).address = "192.168.32.256"; }, path: "adminInterface.ipv4.address", message: 'adminInterface.ipv4.address must be a dotted IPv4 address such as 192.168.32.2, got "192.168.32.256"' },
    { what: "an IPv6 address as the IPv4 gateway", change: (m) => { v4(m).gateway = "2001:db8::1"; }, path: "adminInterface.ipv4.gateway", message: 'adminInterface.ipv4.gateway must be a dotted IPv4 address such as 192.168.32.2, got "2001:db8::1"' },
    { what: "a gateway outside the subnet", change: (m) => { v4(m).gateway = "192.168.33.1"; }, path: "adminInterface.ipv4.gateway", message: 'adminInterface.ipv4.gateway must be inside the subnet of 192.168.32.2/24, got "192.168.33.1"' },
    { what: "the gateway equal to the address", change: (m) => { v4(m).gateway = "192.168.32.2"; }, path: "adminInterface.ipv4.gateway", message: 'adminInterface.ipv4.gateway must differ from adminInterface.ipv4.address, got "192.168.32.2"' },
    { what: "the subnet's network address as host address", change: (m) => { v4(m).address = "192.168.32.0"; }, path: "adminInterface.ipv4.address", message: 'adminInterface.ipv4.address must not be the network address of its subnet /24, got "192.168.32.0"' },
    { what: "the subnet's broadcast address as host address", change: (m) => { v4(m).address = "192.168.32.255"; }, path: "adminInterface.ipv4.address", message: 'adminInterface.ipv4.address must not be the broadcast address of its subnet /24, got "192.168.32.255"' },
    { what: "static without IPv4 settings", change: (m) => { delete m.adminInterface!.ipv4; }, path: "adminInterface.ipv4", message: 'adminInterface.ipv4 is required when adminInterface.proto is "static" (address, netmask and gateway), got nothing' },
    { what: "static without a gateway", change: (m) => { v4(m).gateway = undefined as unknown as string; }, path: "adminInterface.ipv4.gateway", message: 'adminInterface.ipv4.gateway is required when adminInterface.proto is "static", got nothing' },
    { what: "static with an empty address", change: (m) => { v4(m).address = ""; }, path: "adminInterface.ipv4.address", message: 'adminInterface.ipv4.address is required when adminInterface.proto is "static", got ""' },
    { what: "an unknown proto", change: (m) => { m.adminInterface!.proto = "manual" as never; }, path: "adminInterface.proto", message: 'adminInterface.proto must be one of "static", "dhcp", "none", got "manual"' },
    { what: "an unknown protov6", change: (m) => { m.adminInterface!.protov6 = "slaac" as never; }, path: "adminInterface.protov6", message: 'adminInterface.protov6 must be one of "static", "dhcp", "autoconf", "none", got "slaac"' },
    { what: "proto none without IPv6", change: (m) => { m.adminInterface = { name: "eth0", proto: "none" }; }, path: "adminInterface.protov6", message: 'adminInterface.protov6 must be "static", "dhcp" or "autoconf" when adminInterface.proto is "none" (the interface needs IPv4 or IPv6), got nothing' },
    { what: "protov6 static without IPv6 settings", change: (m) => { m.adminInterface!.protov6 = "static"; }, path: "adminInterface.ipv6", message: 'adminInterface.ipv6 is required when adminInterface.protov6 is "static" (address, prefixLength and gateway), got nothing' },
    { what: "an invalid IPv6 address", change: (m) => { STATIC_V6(m); m.adminInterface!.ipv6!.address = "2001:db8::zz"; }, path: "adminInterface.ipv6.address", message: 'adminInterface.ipv6.address must be an IPv6 address such as 2001:db8::2, got "2001:db8::zz"' },
    { what: "an IPv6 prefix over 128", change: (m) => { STATIC_V6(m); m.adminInterface!.ipv6!.prefixLength = 129; }, path: "adminInterface.ipv6.prefixLength", message: "adminInterface.ipv6.prefixLength must be an integer from 1 to 128, got 129" },
    { what: "protov6 static without gatewayv6", change: (m) => { STATIC_V6(m); m.adminInterface!.ipv6!.gateway = undefined as unknown as string; }, path: "adminInterface.ipv6.gateway", message: 'adminInterface.ipv6.gateway is required when adminInterface.protov6 is "static" (the installer needs <gatewayv6>), got nothing' },
    { what: "VLAN 0", change: (m) => { m.adminInterface!.vlan = 0; }, path: "adminInterface.vlan", message: "adminInterface.vlan must be an integer VLAN id from 1 to 4094, got 0" },
    { what: "VLAN 4095", change: (m) => { m.adminInterface!.vlan = 4095; }, path: "adminInterface.vlan", message: "adminInterface.vlan must be an integer VLAN id from 1 to 4094, got 4095" },
    { what: "a fractional VLAN", change: (m) => { m.adminInterface!.vlan = 1.5; }, path: "adminInterface.vlan", message: "adminInterface.vlan must be an integer VLAN id from 1 to 4094, got 1.5" },
    { what: "an interface without name or hwaddr", change: (m) => { m.adminInterface = { proto: "dhcp" }; }, path: "adminInterface", message: 'adminInterface must name the interface with "name" (e.g. "eth0") or "hwaddr" (a MAC address), got {"proto":"dhcp"}' },
    { what: "a malformed MAC address", change: (m) => { m.adminInterface = { hwaddr: "52:54:00:12:34", proto: "dhcp" }; }, path: "adminInterface.hwaddr", message: 'adminInterface.hwaddr must be a MAC address of six colon-separated hex pairs such as 52:54:00:12:34:56, got "52:54:00:12:34"' },
    { what: "an interface name longer than 15 characters", change: (m) => { m.adminInterface!.name = "eth-with-a-long-name"; }, path: "adminInterface.name", message: `adminInterface.name must be a network interface name of 1 to 15 letters, digits, '_', '.' or '-' such as eth0, got "eth-with-a-long-name"` },
    { what: "a host name with an underscore", change: (m) => { m.hostname = "bad_host"; }, path: "hostname", message: 'hostname must consist of dot-separated labels of letters, digits and inner hyphens, as an RFC 1123 host name such as vh0.lab, got "bad_host"' },
    { what: "a host name label starting with a hyphen", change: (m) => { m.hostname = "-vh0.lab"; }, path: "hostname", message: 'hostname must consist of dot-separated labels of letters, digits and inner hyphens, as an RFC 1123 host name such as vh0.lab, got "-vh0.lab"' },
    { what: "a host name with an empty label", change: (m) => { m.hostname = "vh0..lab"; }, path: "hostname", message: 'hostname must not have an empty label (leading, trailing or doubled dot), as an RFC 1123 host name such as vh0.lab, got "vh0..lab"' },
    { what: "a host name label of 64 characters", change: (m) => { m.hostname = `${"a".repeat(64)}.lab`; }, path: "hostname", message: `hostname must have labels of at most 63 characters, got one of 64, as an RFC 1123 host name such as vh0.lab, got "${"a".repeat(64)}.lab"` },
    { what: "a host name of 254 characters", change: (m) => { m.hostname = `${"a.".repeat(126)}ab`; }, path: "hostname", message: `hostname must be at most 253 characters long, got 254, as an RFC 1123 host name such as vh0.lab, got "${"a.".repeat(126)}ab"` },
    { what: "an empty host name", change: (m) => { m.hostname = ""; }, path: "hostname", message: 'hostname must not be empty, as an RFC 1123 host name such as vh0.lab, got ""' },
    { what: "a name server that is not an address", change: (m) => { m.nameServers = ["192.168.32.1", "dns.lab"]; }, path: "nameServers[1]", message: 'nameServers[1] must be an IPv4 or IPv6 address such as 192.168.32.1, got "dns.lab"' },
    { what: "NTP servers with source dhcp", change: (m) => { m.ntp = { source: "dhcp", servers: ["pool.ntp.org"] }; }, path: "ntp.servers", message: 'ntp.servers must be empty unless ntp.source is "manual" (the installer rejects <ntp-server> with source "dhcp"), got ["pool.ntp.org"]' },
    { what: "NTP servers with source none", change: (m) => { m.ntp = { source: "none", servers: ["10.0.0.1"] }; }, path: "ntp.servers", message: 'ntp.servers must be empty unless ntp.source is "manual" (the installer rejects <ntp-server> with source "none"), got ["10.0.0.1"]' },
    { what: "NTP source manual without servers", change: (m) => { m.ntp = { source: "manual" }; }, path: "ntp.servers", message: 'ntp.servers must list at least one server when ntp.source is "manual", got nothing' },
    { what: "an unknown NTP source", change: (m) => { m.ntp = { source: "gps" as never }; }, path: "ntp.source", message: 'ntp.source must be one of "dhcp", "default", "manual", "none", got "gps"' },
    { what: "an NTP server with a space", change: (m) => { m.ntp = { servers: ["ntp server"] }; }, path: "ntp.servers[0]", message: 'ntp.servers[0] must be a host name or an IP address such as pool.ntp.org, got "ntp server"' },
    { what: "a time zone that is not Region/City", change: (m) => { m.timezone = "Los Angeles"; }, path: "timezone", message: 'timezone must be a time zone of the form Region/City such as Europe/London or Etc/UTC, got "Los Angeles"' },
    { what: "a bare UTC time zone", change: (m) => { m.timezone = "UTC"; }, path: "timezone", message: 'timezone must be a time zone of the form Region/City such as Europe/London or Etc/UTC, got "UTC"' },
    { what: "an empty plaintext root password", change: (m) => { m.rootPassword = { type: "plaintext", value: "" }; }, path: "rootPassword.value", message: "rootPassword.value must be at least 6 characters long (host-installer's minimum), got a password of 0 characters" },
    { what: "a five-character root password", change: (m) => { m.rootPassword = { type: "plaintext", value: "s3cr3" }; }, path: "rootPassword.value", message: "rootPassword.value must be at least 6 characters long (host-installer's minimum), got a password of 5 characters" },
    { what: "a plaintext password with a trailing space", change: (m) => { m.rootPassword = { type: "plaintext", value: "hunter22 " }; }, path: "rootPassword.value", message: "rootPassword.value must not begin or end with whitespace in plaintext (the installer strips it; hash the password to keep it), got a password of 9 characters" },
    { what: "a plaintext password with a newline", change: (m) => { m.rootPassword = { type: "plaintext", value: "hunter\n22" }; }, path: "rootPassword.value", message: "rootPassword.value must not contain control characters such as tab or newline in plaintext, got a password of 9 characters" },
    { what: "an unknown root password type", change: (m) => { m.rootPassword = { type: "md5" as never, value: "x" }; }, path: "rootPassword.type", message: 'rootPassword.type must be one of "plaintext", "hash", got "md5"' },
    { what: "a yescrypt hash", change: (m) => { m.rootPassword = { type: "hash", value: "$y$j9T$abc$def" }; }, path: "rootPassword.value", message: 'rootPassword.value must be a SHA-512 ($6$…) or SHA-256 ($5$…) crypt(3) hash, or "!!" to set the password at first boot, got a value starting with "$y$"' },
    { what: "a plaintext value marked as hash", change: (m) => { m.rootPassword = { type: "hash", value: "hunter22" }; }, path: "rootPassword.value", message: 'rootPassword.value must be a SHA-512 ($6$…) or SHA-256 ($5$…) crypt(3) hash, or "!!" to set the password at first boot, got a value that is not a crypt hash' },
    { what: "a truncated SHA-512 hash", change: (m) => { m.rootPassword = { type: "hash", value: "$6$salt$abcdef" }; }, path: "rootPassword.value", message: "rootPassword.value must end with a 86-character hash in a $6$ crypt string, got a $6$ string ending in 6 characters" },
    { what: "an unknown mode", change: (m) => { m.mode = "install" as never; }, path: "mode", message: 'mode must be one of "fresh", "reinstall", "upgrade", "restore", got "install"' },
    { what: "an unknown sr-type", change: (m) => { m.srType = "zfs" as never; }, path: "srType", message: 'srType must be one of "lvm", "ext", "largeblock", got "zfs"' },
    { what: "a fresh install without a primary disk", change: (m) => { delete m.primaryDisk; }, path: "primaryDisk", message: 'primaryDisk is required in mode "fresh", got nothing' },
    { what: "a reinstall without an admin interface", change: (m) => { m.mode = "reinstall"; delete m.adminInterface; }, path: "adminInterface", message: 'adminInterface is required in mode "reinstall", got nothing' },
    { what: "an installation without sources", change: (m) => { m.sources = []; }, path: "sources", message: 'sources must list at least one source in mode "fresh" (e.g. { type: "local" } for the install disc), got []' },
    { what: "an upgrade without existing installation", change: (m) => { m.mode = "upgrade"; }, path: "existingInstallation", message: 'existingInstallation is required in mode "upgrade", got nothing' },
    { what: "an unknown source type", change: (m) => { m.sources = [{ type: "cdrom" as never }]; }, path: "sources[0].type", message: 'sources[0].type must be one of "local", "url", "nfs", got "cdrom"' },
    { what: "a url source without location", change: (m) => { m.sources = [{ type: "url" }]; }, path: "sources[0].location", message: 'sources[0].location is required for type "url", got nothing' },
    { what: "a url source that is not a URL", change: (m) => { m.sources = [{ type: "local" }, { type: "url", location: "repo.lab/xs" }]; }, path: "sources[1].location", message: 'sources[1].location must be an http://, https://, ftp://, file:/// or nfs://server:/path URL, got "repo.lab/xs"' },
    { what: "an nfs driver source without server:/path", change: (m) => { m.driverSources = [{ type: "nfs", location: "/srv/drivers" }]; }, path: "driverSources[0].location", message: 'driverSources[0].location must be an NFS location such as server:/path/, got "/srv/drivers"' },
    { what: "a primary disk named with a space", change: (m) => { m.primaryDisk!.device = "sd a"; }, path: "primaryDisk.device", message: 'primaryDisk.device must be a disk device such as sda, /dev/sda, /dev/disk/by-id/… or an iscsi: spec, got "sd a"' },
    { what: "two disks without swraid", change: (m) => { m.primaryDisk!.device = "sda,sdb"; }, path: "primaryDisk.device", message: 'primaryDisk.device must be a single disk unless primaryDisk.swraid is true, got "sda,sdb"' },
    { what: "swraid over one disk", change: (m) => { m.primaryDisk = { device: "sda", swraid: true }; }, path: "primaryDisk.device", message: 'primaryDisk.device must list exactly two comma-separated disks when primaryDisk.swraid is true, such as "sda,sdb", got "sda"' },
    { what: "swraid over three disks", change: (m) => { m.primaryDisk = { device: "sda,sdb,sdc", swraid: true }; }, path: "primaryDisk.device", message: 'primaryDisk.device must list exactly two comma-separated disks when primaryDisk.swraid is true, such as "sda,sdb", got "sda,sdb,sdc"' },
    { what: "swraid with both disks missing", change: (m) => { m.primaryDisk = { device: "missing,missing", swraid: true }; }, path: "primaryDisk.device", message: 'primaryDisk.device must have at most one "missing" disk in a software RAID, got "missing,missing"' },
    { what: "the primary disk repeated as a guest disk", change: (m) => { m.guestDisks = ["/dev/sda"]; }, path: "guestDisks[0]", message: 'guestDisks[0] must not repeat a disk already used by primaryDisk.device, got "/dev/sda"' },
    { what: "a guest disk listed twice", change: (m) => { m.guestDisks = ["sdb", "sdb"]; }, path: "guestDisks[1]", message: 'guestDisks[1] must not repeat a disk already used by guestDisks[0], got "sdb"' },
    { what: "an XCP-ng raid of one disk", change: (m) => { m.raid = [{ device: "md127", disks: ["sdb"] }]; }, path: "raid[0].disks", message: 'raid[0].disks must list at least two disks for a RAID 1 array, got ["sdb"]' },
    { what: "an unknown preserve-first-partition", change: (m) => { m.primaryDisk!.preserveFirstPartition = "maybe" as never; }, path: "primaryDisk.preserveFirstPartition", message: 'primaryDisk.preserveFirstPartition must be true, false or "if-utility", got "maybe"' },
    { what: "an unknown fs-type", change: (m) => { m.primaryDisk!.fsType = "xfs" as never; }, path: "primaryDisk.fsType", message: 'primaryDisk.fsType must be one of "ext3", "ext4", got "xfs"' },
    { what: "a keymap with a space", change: (m) => { m.keymap = "us intl"; }, path: "keymap", message: 'keymap must be a console keymap name such as us or de-latin1, got "us intl"' },
    { what: "an unknown script stage", change: (m) => { m.scripts![0].stage = "post-install" as never; }, path: "scripts[0].stage", message: 'scripts[0].stage must be one of "installation-start", "packages-installed", "filesystem-populated", "installation-complete", got "post-install"' },
    { what: "an unknown script type", change: (m) => { m.scripts![0].type = "http" as never; }, path: "scripts[0].type", message: 'scripts[0].type must be one of "url", "nfs", got "http"' },
    { what: "a script without location", change: (m) => { m.scripts![0].location = ""; }, path: "scripts[0].location", message: 'scripts[0].location is required, got ""' },
    { what: "the extlinux bootloader", change: (m) => { m.bootloader = { variant: "extlinux" as never }; }, path: "bootloader.variant", message: 'bootloader.variant must be one of "grub2", got "extlinux"' },
    { what: "an unknown bootloader location", change: (m) => { m.bootloader = { location: "disk" as never }; }, path: "bootloader.location", message: 'bootloader.location must be one of "mbr", "partition", got "disk"' },
    { what: "an unknown network backend", change: (m) => { m.networkBackend = "linuxbridge" as never; }, path: "networkBackend", message: 'networkBackend must be one of "bridge", "openvswitch", "vswitch", got "linuxbridge"' },
    { what: "a service listed twice", change: (m) => { m.services = [{ name: "sshd", state: "enabled" }, { name: "sshd", state: "disabled" }]; }, path: "services[1].name", message: 'services[1].name must not repeat a service (the installer rejects duplicates), got "sshd"' },
    { what: "an unknown service state", change: (m) => { m.services = [{ name: "sshd", state: "on" as never }]; }, path: "services[0].state", message: 'services[0].state must be one of "enabled", "disabled", got "on"' },
    { what: "an unknown ssh-mode", change: (m) => { m.sshMode = "yes" as never; }, path: "sshMode", message: 'sshMode must be one of "on", "off", "auto", got "yes"' },
    { what: "a control character in the host name", change: (m) => { m.hostname = "vh0\u0007"; }, path: "hostname", message: 'hostname must not contain U+0007 at index 3: XML 1.0 cannot carry it, got "vh0\\u0007"' },
];

describe("validateAnswerFile", () => {
    it("accepts the seed's static and dhcp models and the golden models", () => {
        for (const m of [base(), seedAnswerFile(), XENSERVER_8_MAX, XCP_NG_83, UPGRADE, RESTORE]) {
            assert.deepEqual(validateAnswerFile(m).errors, []);
        }
    });

    describe(`rejects ${CASES.length} invalid inputs, naming the field, the rule and the value`, () => {
        for (const c of CASES) {
            it(`rejects ${c.what}`, () => {
                const m = base();
                c.change(m);
                const { ok, errors } = validateAnswerFile(m);
                assert.equal(ok, false);
                assert.ok(
                    errors.some((e) => e.severity === "error" && e.path === c.path && e.message === c.message),
                    `expected ${JSON.stringify(c.message)} at ${c.path}, got:\n${errors.map((e) => `${e.path}: ${e.message}`).join("\n")}`,
                );
            });
        }
    });

    it("reports every problem at once", () => {
        const m = base();
        m.hostname = "bad_host";
        v4(m).netmask = "255.0.255.0";
        m.nameServers = ["x"];
        m.rootPassword = { type: "plaintext", value: "abc" };
        assert.deepEqual(validateAnswerFile(m).errors.map((e) => e.path).sort(), ["adminInterface.ipv4.netmask", "hostname", "nameServers[0]", "rootPassword.value"]);
    });

    it("never quotes the root password in a message", () => {
        const secrets = ["hunter22 ", "abc", "hunter\n22", "hunter22\u0001x"];
        for (const value of secrets) {
            const { errors, warnings } = validateAnswerFile({ ...base(), rootPassword: { type: "plaintext", value } });
            assert.ok(errors.length > 0);
            for (const issue of [...errors, ...warnings]) assert.ok(!issue.message.includes(value.trim()), issue.message);
        }
    });

    it("masks secrets in values it quotes: ignored passwords and credentials in repository URLs", () => {
        const upgrade = validateAnswerFile({ ...UPGRADE, rootPassword: { type: "plaintext", value: "hunter22" } });
        assert.equal(upgrade.warnings[0].message, 'rootPassword is ignored by the installer in mode "upgrade" (an upgrade keeps the existing host\'s configuration), got a root password');
        assert.ok(upgrade.warnings.every((w) => !w.message.includes("hunter22")));
        const url = validateAnswerFile({ ...base(), sources: [{ type: "url", location: "ftp://admin:hunter22@repo.lab/xs 8/" }] });
        assert.deepEqual(url.errors.map((e) => e.message), ['sources[0].location must be an http://, https://, ftp://, file:/// or nfs://server:/path URL, got "ftp://admin:***@repo.lab/xs 8/"']);
        const restore = validateAnswerFile({ ...RESTORE, sources: [{ type: "url", location: "https://u:p4ss@repo.lab/" }] });
        assert.ok(restore.warnings[0].message.endsWith('got [{"type":"url","location":"https://u:***@repo.lab/"}]'), restore.warnings[0].message);
    });

    it("skips plaintext-only rules when the password will be hashed, but keeps the length rule", () => {
        const spaced = { ...base(), rootPassword: { type: "plaintext" as const, value: " hunter 22\t" } };
        assert.deepEqual(validateAnswerFile(spaced, { rootPasswordWillBeHashed: true }).errors, []);
        assert.deepEqual(validateAnswerFile(spaced, { rootPasswordWillBeHashed: true }).warnings, []);
        const short = { ...base(), rootPassword: { type: "plaintext" as const, value: "abc" } };
        assert.deepEqual(validateAnswerFile(short, { rootPasswordWillBeHashed: true }).errors.map((e) => e.path), ["rootPassword.value"]);
    });

    describe("warnings", () => {
        const warningsOf = (m: AnswerFile) => validateAnswerFile(m).warnings.map((w) => w.message);

        it("warns that a plaintext password lands readable in the ISO", () => {
            assert.deepEqual(warningsOf(base()), ['rootPassword is plaintext and lands readable in the ISO; use type "hash" (hashRootPassword), got type "plaintext"']);
        });

        it("warns about fields the installer ignores for the chosen proto or mode", () => {
            const dhcp = { ...base(), adminInterface: { name: "eth0", proto: "dhcp" as const, ipv4: { address: "10.0.0.2", netmask: "255.0.0.0", gateway: "10.0.0.1" } } };
            assert.ok(warningsOf(dhcp).includes('adminInterface.ipv4 is ignored by the installer when adminInterface.proto is "dhcp", got {"address":"10.0.0.2","netmask":"255.0.0.0","gateway":"10.0.0.1"}'));
            const upgrade = { ...UPGRADE, hostname: "vh0" };
            assert.deepEqual(warningsOf(upgrade), ['hostname is ignored by the installer in mode "upgrade" (an upgrade keeps the existing host\'s configuration), got "vh0"']);
            const restore = { ...RESTORE, sources: [{ type: "local" as const }] };
            assert.deepEqual(warningsOf(restore), ['sources is ignored by the installer in mode "restore" (a restore only reads backupDisk, driverSources, scripts and uiConfirmationPrompt), got [{"type":"local"}]']);
        });

        it("warns about a deferred password, weak hashes, deprecated scripts, unknown zones and repeated name servers", () => {
            const m: AnswerFile = {
                ...base(),
                rootPassword: { type: "hash", value: "!!" },
                postInstallScript: { location: "file:///postinst.sh" },
                timezone: "Mars/Olympus_Mons",
                nameServers: ["192.168.32.1", "192.168.32.1"],
            };
            assert.deepEqual(warningsOf(m), [
                'rootPassword.value defers the root password to first boot: the host has no root login until someone sets it on its console, got "!!"',
                'nameServers[1] repeats an earlier name server, got "192.168.32.1"',
                "timezone is not a time zone this machine's tz database knows; the installer may not either, got \"Mars/Olympus_Mons\"",
                'postInstallScript is deprecated; use scripts with stage "filesystem-populated", got "file:///postinst.sh"',
            ]);
            assert.deepEqual(warningsOf({ ...base(), rootPassword: { type: "hash", value: "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/" } }), [
                "rootPassword.value uses a weak crypt scheme (MD5 or DES); prefer SHA-512 ($6$), got a $1$ hash",
            ]);
        });
    });

    describe("assertValidAnswerFile", () => {
        it("throws AnswerFileValidationError listing every error", () => {
            const m = base();
            m.hostname = "bad_host";
            v4(m).gateway = "10.0.0.1";
            assert.throws(() => assertValidAnswerFile(m), (err: unknown) => {
                assert.ok(err instanceof AnswerFileValidationError);
                assert.equal(err.errors.length, 2);
                assert.equal(err.message, [
                    "invalid answer file (2 errors):",
                    '- adminInterface.ipv4.gateway must be inside the subnet of 192.168.32.2/24, got "10.0.0.1"',
                    '- hostname must consist of dot-separated labels of letters, digits and inner hyphens, as an RFC 1123 host name such as vh0.lab, got "bad_host"',
                ].join("\n"));
                return true;
            });
        });

        it("returns the warnings of a valid file", () => {
            assert.equal(assertValidAnswerFile(base()).length, 1);
        });
    });
});
