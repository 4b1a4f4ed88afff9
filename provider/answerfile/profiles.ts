/**
 * Target profiles: which answer-file elements each installer version reads. An installer reads
 * only the tags it knows and silently skips the rest, so an element written for a newer
 * installer is not an error by itself; what matters is what the old installer then does.
 *
 * Severity rule (decided per element from the host-installer history, seed-and-installer.md §5.3):
 * - error: the install would fail, or the host would differ from what the file asks in a way that
 *   breaks the lab: the management interface untagged (vlan), a disk layout the installer cannot
 *   find (swraid, XCP-ng raid), a rejected sr-type value, a script that never runs;
 * - warning: the installer ignores a setting and keeps its own default (ntp source, services,
 *   ssh-mode, fs-type, network-backend, XCP-ng gpg-check switches).
 */
import type { Issues } from "./issues";
import type { AnswerFile } from "./types";

export const TARGET_PROFILE_IDS = ["xenserver-7.1", "citrix-hypervisor-8.2", "xenserver-8", "xcp-ng-8.2", "xcp-ng-8.3", "xenserver-trunk"] as const;
export type TargetProfileId = (typeof TARGET_PROFILE_IDS)[number];

/** Elements and values that only some installers read. */
export interface ProfileSupport {
    /** `admin-interface vlan=` (host-installer 10.1.0). */
    vlan: boolean;
    /** `<service>` (10.3.1). */
    services: boolean;
    /** `<ntp source=…>` (10.10.7; XCP-ng 8.3). */
    ntpSource: boolean;
    /** `primary-disk swraid=` (10.10.32 on the XenServer 8 line, v11.0.30 on trunk). */
    swraid: boolean;
    /** `fs-type=` on primary-disk / existing-installation (v11.0.12). */
    fsType: boolean;
    /** `<ssh-mode>` (v11.0.30). */
    sshMode: boolean;
    /** Script stage `packages-installed` (v11). */
    packagesInstalledStage: boolean;
    /** `sr-type="largeblock"` from the large-block-capable-sr-type feature (10.10.15; XCP-ng 8.3). */
    largeBlockSr: boolean;
    /** `<network-backend>` is still read (dropped in v11.0.30: always openvswitch). */
    networkBackend: boolean;
    /** XCP-ng `<raid device=…><disk>…` (XCP-ng 7.5+). */
    xcpRaid: boolean;
    /** XCP-ng 8.0–8.2 `netinstall-gpg-check=`. */
    netinstallGpgCheck: boolean;
    /** XCP-ng 8.3 `repo-gpgcheck=` / `gpgcheck=` on installation and sources. */
    yumGpgCheck: boolean;
}

export interface TargetProfile {
    id: TargetProfileId;
    /** Product whose install ISO carries this installer. */
    product: string;
    /** The installer and version the profile describes. */
    installer: string;
    /** Local SR type when the file names none. */
    defaultSrType: "lvm" | "ext";
    supports: ProfileSupport;
}

const NONE: ProfileSupport = {
    vlan: false, services: false, ntpSource: false, swraid: false, fsType: false, sshMode: false,
    packagesInstalledStage: false, largeBlockSr: false, networkBackend: true, xcpRaid: false, netinstallGpgCheck: false, yumGpgCheck: false,
};

export const TARGET_PROFILES: Record<TargetProfileId, TargetProfile> = {
    "xenserver-7.1": {
        id: "xenserver-7.1", product: "XenServer 7.1", installer: "host-installer 10.0.x", defaultSrType: "lvm",
        supports: { ...NONE },
    },
    "citrix-hypervisor-8.2": {
        id: "citrix-hypervisor-8.2", product: "Citrix Hypervisor 8.2", installer: "host-installer 10.7.x", defaultSrType: "lvm",
        supports: { ...NONE, vlan: true, services: true },
    },
    "xenserver-8": {
        id: "xenserver-8", product: "XenServer 8", installer: "host-installer 10.10.x (release/xs8, 10.10.32 or later)", defaultSrType: "lvm",
        supports: { ...NONE, vlan: true, services: true, ntpSource: true, swraid: true, largeBlockSr: true },
    },
    "xcp-ng-8.2": {
        id: "xcp-ng-8.2", product: "XCP-ng 8.2", installer: "xcp-ng/host-installer 8.2.1 (on host-installer 10.7.x)", defaultSrType: "lvm",
        supports: { ...NONE, vlan: true, services: true, xcpRaid: true, netinstallGpgCheck: true },
    },
    "xcp-ng-8.3": {
        id: "xcp-ng-8.3", product: "XCP-ng 8.3", installer: "xcp-ng/host-installer 10.10.x-8.3", defaultSrType: "ext",
        supports: { ...NONE, vlan: true, services: true, ntpSource: true, largeBlockSr: true, xcpRaid: true, yumGpgCheck: true },
    },
    "xenserver-trunk": {
        id: "xenserver-trunk", product: "XenServer trunk (\"XS 9\", unreleased)", installer: "host-installer v11.1.x", defaultSrType: "lvm",
        supports: { ...NONE, vlan: true, services: true, ntpSource: true, swraid: true, fsType: true, sshMode: true, packagesInstalledStage: true, largeBlockSr: true, networkBackend: false },
    },
};

/**
 * The profile for a product as its ISO or `xe host-param-get param-name=software-version` names
 * it (brand "XenServer" / "Citrix Hypervisor" / "XCP-ng", version "8.4.0"); undefined when no
 * profile describes it.
 */
export function targetProfileForProduct(brand: string, productVersion: string): TargetProfileId | undefined {
    const [major, minor] = productVersion.split(".").map(Number);
    const b = brand.toLowerCase();
    if (b === "xcp-ng") return major === 8 && minor === 2 ? "xcp-ng-8.2" : major === 8 && minor === 3 ? "xcp-ng-8.3" : undefined;
    if (b === "citrix hypervisor") return major === 8 && minor === 2 ? "citrix-hypervisor-8.2" : undefined;
    if (b === "xenserver") return major === 7 && minor === 1 ? "xenserver-7.1" : major === 8 ? "xenserver-8" : undefined;
    return undefined;
}

interface Use { path: string; value: unknown }

interface FeatureRule {
    feature: keyof ProfileSupport;
    severity: "error" | "warning";
    /** What the installer does instead, in user terms. */
    consequence: string;
    uses(m: AnswerFile): Use[];
}

const defined = (path: string, value: unknown): Use[] => (value === undefined ? [] : [{ path, value }]);

const RULES: FeatureRule[] = [
    {
        feature: "vlan", severity: "error",
        consequence: "the installer ignores it and brings the management interface up untagged, so the host would be unreachable",
        uses: (m) => defined("adminInterface.vlan", m.adminInterface?.vlan),
    },
    {
        feature: "swraid", severity: "error",
        consequence: 'the installer ignores swraid and looks for one disk named after the whole list, then fails with "Primary disk … is missing"',
        uses: (m) => (m.primaryDisk?.swraid ? [{ path: "primaryDisk.swraid", value: true }] : []),
    },
    {
        feature: "xcpRaid", severity: "error",
        consequence: "only XCP-ng's installer builds <raid> arrays, so the md device would not exist",
        uses: (m) => defined("raid", m.raid),
    },
    {
        feature: "largeBlockSr", severity: "error",
        consequence: 'the installer rejects the sr-type value ("Unexpected key")',
        uses: (m) => (m.srType === "largeblock" ? [{ path: "srType", value: m.srType }] : []),
    },
    {
        feature: "packagesInstalledStage", severity: "error",
        consequence: "the installer has no such stage, so the script would never run",
        uses: (m) => (m.scripts ?? []).flatMap((s, i) => (s.stage === "packages-installed" ? [{ path: `scripts[${i}].stage`, value: s.stage }] : [])),
    },
    {
        feature: "ntpSource", severity: "warning",
        consequence: "the installer ignores <ntp> and configures NTP from the ntp.servers list only",
        // source="manual" with servers means what the old installers do anyway.
        uses: (m) => (m.ntp?.source !== undefined && !(m.ntp.source === "manual" && (m.ntp.servers ?? []).length > 0) ? [{ path: "ntp.source", value: m.ntp.source }] : []),
    },
    {
        feature: "services", severity: "warning",
        consequence: "the installer ignores <service> and keeps the product's service defaults",
        uses: (m) => defined("services", m.services),
    },
    {
        feature: "sshMode", severity: "warning",
        consequence: "the installer ignores <ssh-mode> and keeps the product's SSH default",
        uses: (m) => defined("sshMode", m.sshMode),
    },
    {
        feature: "fsType", severity: "warning",
        consequence: "the installer ignores fs-type and formats dom0's root with its default",
        uses: (m) => [...defined("primaryDisk.fsType", m.primaryDisk?.fsType), ...defined("existingInstallation.fsType", m.existingInstallation?.fsType)],
    },
    {
        feature: "networkBackend", severity: "warning",
        consequence: "the installer no longer reads <network-backend> and always uses openvswitch",
        uses: (m) => defined("networkBackend", m.networkBackend),
    },
    {
        feature: "netinstallGpgCheck", severity: "warning",
        consequence: "only XCP-ng 8.0–8.2 read netinstall-gpg-check; this installer ignores it",
        uses: (m) => defined("netinstallGpgCheck", m.netinstallGpgCheck),
    },
    {
        feature: "yumGpgCheck", severity: "warning",
        consequence: "only XCP-ng 8.3 reads repo-gpgcheck/gpgcheck; this installer ignores them",
        uses: (m) => [
            ...defined("repoGpgCheck", m.repoGpgCheck),
            ...defined("gpgCheck", m.gpgCheck),
            ...(m.sources ?? []).flatMap((s, i) => [...defined(`sources[${i}].repoGpgCheck`, s.repoGpgCheck), ...defined(`sources[${i}].gpgCheck`, s.gpgCheck)]),
        ],
    },
];

/** Adds to `issues` what the target installer would not read. Unknown profile ids are reported as an error on "target". */
export function checkTargetProfile(issues: Issues, model: AnswerFile, target: TargetProfileId): void {
    const profile = Object.hasOwn(TARGET_PROFILES, target) ? TARGET_PROFILES[target] : undefined;
    if (!profile) {
        issues.error("target", `must be one of ${TARGET_PROFILE_IDS.map((id) => JSON.stringify(id)).join(", ")}`, target);
        return;
    }
    for (const rule of RULES) {
        if (profile.supports[rule.feature]) continue;
        for (const use of rule.uses(model)) {
            const text = `is not supported by ${profile.product} (${profile.installer}): ${rule.consequence}`;
            if (rule.severity === "error") issues.error(use.path, text, use.value);
            else issues.warn(use.path, text, use.value);
        }
    }
}
