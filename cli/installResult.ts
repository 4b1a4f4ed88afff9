/**
 * What `vh install` reports, and the VM other-config key it leaves so `vh destroy` can find the
 * ISO reference the install made (the library may be a non-default directory).
 */

/** other-config key: the dom0 directory of the ISO library holding this machine's ISO reference. */
export const ISO_LIBRARY_KEY = "vh-iso-library";

/** The --json result of `vh install` (documented in docs/cli.md). */
export interface InstallSummary {
    command: string;
    host: string;
    name: string;
    uuid: string;
    powerState: string;
    adopted: boolean;
    mac: string;
    memoryGiB: number;
    vcpus: number;
    diskGiB: number;
    diskVdiUuid: string;
    firmware: string;
    network: { name: string; uuid: string };
    iso: { file: string; name: string; sha256: string; sizeBytes: number; uploaded: boolean; libraryDirectory: string; srUuid: string; vdiUuid: string };
    installSeconds: number;
    firstBootSeconds: number;
    nestedVirtKeys: string[];
    vncPort: number | null;
    console: string;
}

/** The human result. */
export function installText(s: InstallSummary): string {
    const how = s.adopted ? `was installed by an earlier run; reusing it (${s.powerState})` : `installed (${s.powerState})`;
    const rows: Array<[string, string]> = [
        ["uuid", s.uuid],
        ["network", `${s.network.name} (${s.network.uuid})`],
        ["MAC", s.mac],
        ["size", `${s.memoryGiB} GiB memory (pinned), ${s.vcpus} vCPUs, ${s.diskGiB} GiB disk, ${s.firmware}`],
        ["ISO", `${s.iso.name} ${s.iso.uploaded ? "uploaded and verified" : "was already on the host"} (${s.iso.libraryDirectory})`],
    ];
    if (!s.adopted) rows.push(["took", `install ${s.installSeconds.toFixed(1)} s, first boot ${s.firstBootSeconds.toFixed(1)} s`]);
    rows.push(s.powerState === "running" ? ["console", s.console] : ["start it", `xe vm-start uuid=${s.uuid}  (or install with --power-state running)`]);
    return [`${s.name} on ${s.host} ${how}`, ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(10)}${v}`)].join("\n");
}
