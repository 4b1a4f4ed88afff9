import * as assert from "node:assert/strict";
import {
    seedAnswerFile, TARGET_PROFILE_IDS, TARGET_PROFILES, targetProfileForProduct, validateAnswerFile,
    type AnswerFile, type ProfileSupport, type TargetProfileId,
} from "../../../provider/answerfile";
import { SEED_STATIC_OPTIONS, XCP_NG_83, XENSERVER_8_MAX } from "./models";

/** A valid hashed seed install, so the plaintext warning does not blur the profile checks. */
function base(): AnswerFile {
    return { ...seedAnswerFile(SEED_STATIC_OPTIONS), rootPassword: { type: "hash", value: XCP_NG_83.rootPassword!.value } };
}

function issues(model: AnswerFile, target: TargetProfileId) {
    const { errors, warnings } = validateAnswerFile(model, { target });
    return { errors: errors.map((e) => e.message), warnings: warnings.map((w) => w.message) };
}

/** One model change per feature, with the field the profile check must name and its severity. */
const FEATURES: { feature: keyof ProfileSupport; change(m: AnswerFile): void; path: string; severity: "error" | "warning" }[] = [
    { feature: "vlan", change: (m) => { m.adminInterface!.vlan = 32; }, path: "adminInterface.vlan", severity: "error" },
    { feature: "swraid", change: (m) => { m.primaryDisk = { device: "sda,sdb", swraid: true }; }, path: "primaryDisk.swraid", severity: "error" },
    { feature: "xcpRaid", change: (m) => { m.raid = [{ device: "md127", disks: ["sda", "sdb"] }]; m.primaryDisk = { device: "md127" }; }, path: "raid", severity: "error" },
    { feature: "largeBlockSr", change: (m) => { m.srType = "largeblock"; }, path: "srType", severity: "error" },
    { feature: "packagesInstalledStage", change: (m) => { m.scripts!.push({ stage: "packages-installed", type: "url", location: "file:///pkgs.sh" }); }, path: "scripts[1].stage", severity: "error" },
    { feature: "ntpSource", change: (m) => { m.ntp = { source: "none" }; }, path: "ntp.source", severity: "warning" },
    { feature: "services", change: (m) => { m.services = [{ name: "sshd", state: "disabled" }]; }, path: "services", severity: "warning" },
    { feature: "sshMode", change: (m) => { m.sshMode = "off"; }, path: "sshMode", severity: "warning" },
    { feature: "fsType", change: (m) => { m.primaryDisk!.fsType = "ext4"; }, path: "primaryDisk.fsType", severity: "warning" },
    { feature: "networkBackend", change: (m) => { m.networkBackend = "bridge"; }, path: "networkBackend", severity: "warning" },
    { feature: "netinstallGpgCheck", change: (m) => { m.netinstallGpgCheck = false; }, path: "netinstallGpgCheck", severity: "warning" },
    { feature: "yumGpgCheck", change: (m) => { m.sources = [{ type: "url", location: "https://repo.example/", gpgCheck: false }]; }, path: "sources[0].gpgCheck", severity: "warning" },
];

describe("target profiles", () => {
    it("accepts the seed's answer file on every profile without a version issue", () => {
        for (const target of TARGET_PROFILE_IDS) assert.deepEqual(issues(base(), target), { errors: [], warnings: [] }, target);
    });

    it("accepts the maximal XenServer 8 file on xenserver-8 and the XCP-ng 8.3 file on xcp-ng-8.3 without any issue", () => {
        assert.deepEqual(issues(XENSERVER_8_MAX, "xenserver-8"), { errors: [], warnings: [] });
        assert.deepEqual(issues(XCP_NG_83, "xcp-ng-8.3"), { errors: [], warnings: [] });
    });

    describe("feature matrix: each profile reports exactly the features its installer lacks", () => {
        for (const f of FEATURES) {
            for (const target of TARGET_PROFILE_IDS) {
                const supported = TARGET_PROFILES[target].supports[f.feature];
                it(`${f.feature} on ${target}: ${supported ? "accepted" : `reported as ${f.severity}`}`, () => {
                    const m = base();
                    f.change(m);
                    const generic = validateAnswerFile(m);
                    const { errors, warnings } = validateAnswerFile(m, { target });
                    const added = [...errors, ...warnings].filter((i) => !generic.errors.some((g) => g.message === i.message) && !generic.warnings.some((g) => g.message === i.message));
                    if (supported) assert.deepEqual(added, []);
                    else assert.deepEqual(added.map((i) => [i.severity, i.path]), [[f.severity, f.path]]);
                });
            }
        }
    });

    it("explains the consequence and names the installer version", () => {
        const m = base();
        m.adminInterface!.vlan = 32;
        assert.deepEqual(issues(m, "xenserver-7.1").errors, [
            "adminInterface.vlan is not supported by XenServer 7.1 (host-installer 10.0.x): the installer ignores it and brings the management interface up untagged, so the host would be unreachable, got 32",
        ]);
        const ntp = { ...base(), ntp: { source: "dhcp" as const } };
        assert.deepEqual(issues(ntp, "citrix-hypervisor-8.2").warnings, [
            'ntp.source is not supported by Citrix Hypervisor 8.2 (host-installer 10.7.x): the installer ignores <ntp> and configures NTP from the ntp.servers list only, got "dhcp"',
        ]);
    });

    it("does not warn about <ntp source=\"manual\"> with servers on old installers, which behave the same", () => {
        const m = { ...base(), ntp: { source: "manual" as const, servers: ["pool.ntp.org"] } };
        assert.deepEqual(issues(m, "xenserver-7.1"), { errors: [], warnings: [] });
    });

    it("reports XCP-ng elements on XenServer and XenServer's swraid on XCP-ng", () => {
        const onXs = issues(XCP_NG_83, "xenserver-8");
        assert.deepEqual(onXs.errors, [
            "raid is not supported by XenServer 8 (host-installer 10.10.x (release/xs8, 10.10.32 or later)): only XCP-ng's installer builds <raid> arrays, so the md device would not exist, got [{\"device\":\"md127\",\"disks\":[\"sda\",\"sdb\"]}]",
        ]);
        assert.equal(onXs.warnings.length, 4, onXs.warnings.join("\n"));
        assert.deepEqual(issues(XENSERVER_8_MAX, "xcp-ng-8.3").errors, [
            'primaryDisk.swraid is not supported by XCP-ng 8.3 (xcp-ng/host-installer 10.10.x-8.3): the installer ignores swraid and looks for one disk named after the whole list, then fails with "Primary disk … is missing", got true',
        ]);
    });

    it("reports an unknown target", () => {
        const { errors } = validateAnswerFile(base(), { target: "xenserver-6.5" as TargetProfileId });
        assert.deepEqual(errors.map((e) => e.message), [`target must be one of ${TARGET_PROFILE_IDS.map((t) => JSON.stringify(t)).join(", ")}, got "xenserver-6.5"`]);
    });

    it("documents each profile with its product and installer version", () => {
        for (const id of TARGET_PROFILE_IDS) {
            const p = TARGET_PROFILES[id];
            assert.equal(p.id, id);
            assert.match(p.installer, /host-installer (v?\d+\.\d+|8\.2\.1)/);
        }
        assert.equal(TARGET_PROFILES["xcp-ng-8.3"].defaultSrType, "ext");
        assert.equal(TARGET_PROFILES["xenserver-8"].defaultSrType, "lvm");
    });

    it("maps products to profiles", () => {
        assert.equal(targetProfileForProduct("XenServer", "7.1.0"), "xenserver-7.1");
        assert.equal(targetProfileForProduct("Citrix Hypervisor", "8.2.1"), "citrix-hypervisor-8.2");
        assert.equal(targetProfileForProduct("XenServer", "8.4.0"), "xenserver-8");
        assert.equal(targetProfileForProduct("XCP-ng", "8.2.1"), "xcp-ng-8.2");
        assert.equal(targetProfileForProduct("XCP-ng", "8.3.0"), "xcp-ng-8.3");
        assert.equal(targetProfileForProduct("XenServer", "6.5.0"), undefined);
        assert.equal(targetProfileForProduct("Proxmox", "8.3"), undefined);
    });
});
