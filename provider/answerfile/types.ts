/**
 * The typed model of a XenServer / XCP-ng host-installer answer file: every element and attribute
 * of `doc/answerfile.txt` (xenserver/host-installer), the undocumented ones the parser reads, and
 * the XCP-ng extras. Field names are camelCase versions of the XML names; the XML spelling is in
 * each comment. `renderAnswerFile` writes the current spellings (`ipaddr`, `subnet`, `name-server`,
 * `sr-type`); `parseAnswerFile` also reads the deprecated ones, as the installer does.
 *
 * The model describes what a file says, not whether it is sensible: `validateAnswerFile` checks it,
 * optionally against a target installer (./profiles). A model that came from `parseAnswerFile` may
 * lack fields the types mark required (the file lacked the element); validation reports those.
 */

/** Every value a closed set may take, kept as arrays so validation can list them in messages. */
export const INSTALL_MODES = ["fresh", "reinstall", "upgrade", "restore"] as const;
export const SR_TYPES = ["lvm", "ext", "largeblock"] as const;
export const PROTOS = ["static", "dhcp", "none"] as const;
export const PROTOS_V6 = ["static", "dhcp", "autoconf", "none"] as const;
export const NTP_SOURCES = ["dhcp", "default", "manual", "none"] as const;
export const SOURCE_TYPES = ["local", "url", "nfs"] as const;
export const SCRIPT_TYPES = ["url", "nfs"] as const;
export const SCRIPT_STAGES = ["installation-start", "packages-installed", "filesystem-populated", "installation-complete"] as const;
export const ROOT_PASSWORD_TYPES = ["plaintext", "hash"] as const;
export const NETWORK_BACKENDS = ["bridge", "openvswitch", "vswitch"] as const;
export const BOOTLOADER_LOCATIONS = ["mbr", "partition"] as const;
export const BOOTLOADER_VARIANTS = ["grub2"] as const;
export const FS_TYPES = ["ext3", "ext4"] as const;
export const SERVICE_STATES = ["enabled", "disabled"] as const;
export const SSH_MODES = ["on", "off", "auto"] as const;

/**
 * What the installer does. `restore` renders the top-level `<restore>` element; the others render
 * `<installation mode="…">`.
 */
export type InstallMode = (typeof INSTALL_MODES)[number];
/** Local SR type. `largeblock` is the value XCP-ng 8.3 and XenServer 8 ship in their `large-block-capable-sr-type` feature file. */
export type SrType = (typeof SR_TYPES)[number];
export type Proto = (typeof PROTOS)[number];
export type ProtoV6 = (typeof PROTOS_V6)[number];
export type NtpSource = (typeof NTP_SOURCES)[number];
export type SourceType = (typeof SOURCE_TYPES)[number];
export type ScriptType = (typeof SCRIPT_TYPES)[number];
export type ScriptStage = (typeof SCRIPT_STAGES)[number];
export type RootPasswordType = (typeof ROOT_PASSWORD_TYPES)[number];
export type NetworkBackend = (typeof NETWORK_BACKENDS)[number];
export type BootloaderLocation = (typeof BOOTLOADER_LOCATIONS)[number];
export type BootloaderVariant = (typeof BOOTLOADER_VARIANTS)[number];
export type FsType = (typeof FS_TYPES)[number];
export type ServiceState = (typeof SERVICE_STATES)[number];
export type SshMode = (typeof SSH_MODES)[number];

/** `<primary-disk …>dev</primary-disk>`: the disk the host is installed on. */
export interface PrimaryDisk {
    /**
     * Device: `sda`, `/dev/sda`, `/dev/disk/by-id/…` or an RFC 4173 `iscsi:` spec. With `swraid`,
     * exactly two comma-separated devices (`sda,sdb`; the second mirrors the first, one may be
     * `missing`). On XCP-ng, the md device of a `raid` entry (`md127`).
     */
    device: string;
    /** `guest-storage` (deprecated `gueststorage`): put the rest of the disk into the local SR. @default true */
    guestStorage?: boolean;
    /** `sr-at-end`: SR partition at the end of the disk (XenRT's OEM layout). @default true */
    srAtEnd?: boolean;
    /** `preserve-first-partition`: keep a non-XenServer first partition. @default "if-utility" */
    preserveFirstPartition?: boolean | "if-utility";
    /** `swraid`: XenServer's software RAID 1 over the two devices of `device`. @default false */
    swraid?: boolean;
    /** `fs-type` of dom0's root filesystem (host-installer v11.0.12+). @default - ext4 on v11, ext3 before */
    fsType?: FsType;
}

/** `<raid device="md127"><disk>sda</disk><disk>sdb</disk></raid>`: an XCP-ng software RAID 1. */
export interface RaidArray {
    /** The md device to create, then name in `primaryDisk.device`. */
    device: string;
    /** Member disks. */
    disks: string[];
}

/** Static IPv4 settings of the management interface (`<ipaddr>`, `<subnet>`, `<gateway>`). */
export interface Ipv4Config {
    /** `<ipaddr>` (deprecated `<ip>`), e.g. "192.168.32.2". */
    address: string;
    /** `<subnet>` (deprecated `<subnet-mask>`), a dotted netmask such as "255.255.255.0". */
    netmask: string;
    /** `<gateway>`, inside the subnet. */
    gateway: string;
}

/** Static IPv6 settings (`<ipv6>address/prefix</ipv6>`, `<gatewayv6>`). */
export interface Ipv6Config {
    address: string;
    /** Prefix length, 1–128. */
    prefixLength: number;
    gateway: string;
}

/** `<admin-interface …>`: the management interface. */
export interface AdminInterface {
    /** `name`: interface name in the installer, e.g. "eth0". One of `name` or `hwaddr` is required. */
    name?: string;
    /** `hwaddr`: MAC address, e.g. "52:54:00:12:34:56". */
    hwaddr?: string;
    /** `proto`: IPv4 configuration method. */
    proto: Proto;
    /** Required when `proto` is "static". */
    ipv4?: Ipv4Config;
    /** `protov6`. @default "none" */
    protov6?: ProtoV6;
    /** Required when `protov6` is "static". */
    ipv6?: Ipv6Config;
    /** `vlan`: tagged VLAN of the management interface, 1–4094 (host-installer 10.1+). @default - untagged */
    vlan?: number;
}

/** `<root-password type="…">`. */
export interface RootPassword {
    /** "hash" takes a crypt(3) string (`$6$…`) or `!!` (set the password at first boot). */
    type: RootPasswordType;
    value: string;
}

/** `<ntp source="…"/>` plus `<ntp-server>` elements. */
export interface NtpConfig {
    /**
     * `<ntp source>` (host-installer 10.10.7+). Leave it out for the old form, where `servers`
     * alone mean "manual". @default - "manual" with servers, "dhcp" with a DHCP interface, else "default"
     */
    source?: NtpSource;
    /** `<ntp-server>` (deprecated `<ntp-servers>`) names or addresses; only with source "manual". */
    servers?: string[];
}

/** `<source type="…">repo</source>` and `<driver-source …>`. */
export interface Source {
    type: SourceType;
    /** Repository: `http(s)://…`, `ftp://…`, `file:///…`, `nfs://server:/path/`, or `server:/path/` for nfs. Ignored for "local". */
    location?: string;
    /** XCP-ng 8.3 `repo-gpgcheck` override for this source. @default - the installation-wide setting */
    repoGpgCheck?: boolean;
    /** XCP-ng 8.3 `gpgcheck` override for this source. @default - the installation-wide setting */
    gpgCheck?: boolean;
}

/** `<script stage="…" type="…">url</script>`. */
export interface Script {
    stage: ScriptStage;
    type: ScriptType;
    /** URL of the script (`file:///postinst.sh` for a file in the installer's ramdisk). */
    location: string;
}

/** The deprecated `<post-install-script>` / `<install-failed-script>` (stage is implied). */
export interface LegacyScript {
    /** @default "url" */
    type?: ScriptType;
    location: string;
}

/** `<bootloader location="…" write-boot-entry="…">grub2</bootloader>`. */
export interface Bootloader {
    /** @default "mbr" */
    location?: BootloaderLocation;
    /** Write a UEFI boot-manager entry (host-installer 10.0+). @default true */
    writeBootEntry?: boolean;
    /** Element text; only "grub2" (or nothing) is accepted since XenServer 7.0. @default - none */
    variant?: BootloaderVariant;
}

/** `<existing-installation fs-type="…">dev</existing-installation>` (upgrade). */
export interface ExistingInstallation {
    device: string;
    /** @default - the installer's default */
    fsType?: FsType;
}

/** `<service name="…" state="…"/>` (host-installer 10.3.1+). */
export interface Service {
    name: string;
    state: ServiceState;
}

/** A whole answer file. Only `mode`-relevant fields are read by the installer; see validateAnswerFile. */
export interface AnswerFile {
    /** @default "fresh" (the `mode` attribute is left out) */
    mode?: InstallMode;
    /** `sr-type` (deprecated `srtype`) on `<installation>`. @default - "lvm" (XCP-ng 8.3: "ext") */
    srType?: SrType;
    /** XCP-ng 8.0–8.2 `netinstall-gpg-check` on `<installation>`. @default true */
    netinstallGpgCheck?: boolean;
    /** XCP-ng 8.3 `repo-gpgcheck` on `<installation>`. @default true */
    repoGpgCheck?: boolean;
    /** XCP-ng 8.3 `gpgcheck` on `<installation>`. @default true */
    gpgCheck?: boolean;
    /** Upgrade: `<existing-installation>`. */
    existingInstallation?: ExistingInstallation;
    /** Restore: `<backup-disk>`. @default - the only backup found */
    backupDisk?: string;
    /** XCP-ng: `<raid>` arrays to build before installing. */
    raid?: RaidArray[];
    /** Fresh install / reinstall: `<primary-disk>`. */
    primaryDisk?: PrimaryDisk;
    /** `<guest-disks><guest-disk>…`: more disks for the local SR. @default - none */
    guestDisks?: string[];
    /** `<keymap>`. @default "us" */
    keymap?: string;
    /** `<root-password>`. @default - type "hash", "!!": no password until someone sets one at first boot */
    rootPassword?: RootPassword;
    /** `<source>`s: at least one for installation modes. */
    sources?: Source[];
    /** `<driver-source>`s. @default - none */
    driverSources?: Source[];
    /** Fresh install / reinstall: `<admin-interface>`. */
    adminInterface?: AdminInterface;
    /** `<timezone>`, Region/City. @default "Etc/UTC" */
    timezone?: string;
    /** `<ntp>` and `<ntp-server>`s. @default - see NtpConfig.source */
    ntp?: NtpConfig;
    /** `<script>`s. @default - none */
    scripts?: Script[];
    /** Deprecated `<post-install-script>` (stage filesystem-populated). */
    postInstallScript?: LegacyScript;
    /** Deprecated `<install-failed-script>` (stage installation-complete). */
    installFailedScript?: LegacyScript;
    /** `<hostname>`. @default "localhost.localdomain" */
    hostname?: string;
    /** `<name-server>`s (deprecated `<nameserver>`). @default - none (or from DHCP) */
    nameServers?: string[];
    /** `<network-backend>`; no longer read by host-installer v11.0.30+. @default "openvswitch" */
    networkBackend?: NetworkBackend;
    /** `<bootloader>`. @default - grub2 in the MBR with a UEFI boot entry */
    bootloader?: Bootloader;
    /** `<service>`s to enable or disable. @default - the product's defaults */
    services?: Service[];
    /** `<ssh-mode>` (host-installer v11.0.30+). @default - the product's default */
    sshMode?: SshMode;
    /**
     * `<ui-confirmation-prompt>`: ask before formatting disks. The installer takes any non-empty
     * text as true, so false renders as an empty element. @default false
     */
    uiConfirmationPrompt?: boolean;
}
