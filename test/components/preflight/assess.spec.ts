/**
 * The pre-flight's judgement on recorded host facts: what an existing lab already holds is not
 * counted again, the need / have / short table, the time estimate, and the problems that stop a lab.
 */
import * as assert from "node:assert/strict";
import { planLab } from "../../../components/plan";
import { assessLab, formatReport, GiB, ISO_MARGIN_BYTES, LabHostFacts } from "../../../components/preflight/assess";
import { startFootprintBytes } from "../../../provider/resources/nestedHypervisor/preflight";

const plan = planLab("lab", {
    sourceIso: "/isos/xs.iso", rootPassword: "x", toolbox: { vm: "toolbox", ssh: { host: "10.0.0.9" } }, count: 3,
    hypervisorDefaults: { memoryGiB: 8, diskGiB: 100 }, hypervisors: [{}, { memoryGiB: 12 }], maxParallelInstalls: 2, estimatedInstallMinutes: 25,
}, "alice");
const iso = { path: "/isos/xs.iso", sizeBytes: 900 * 1024 * 1024 };

function facts(extra: Partial<LabHostFacts> = {}): LabHostFacts {
    return {
        target: "root@xs:22", memoryFreeBytes: 64 * GiB, defaultSr: { uuid: "sr", nameLabel: "Local storage", freeBytes: 1024 * GiB },
        isoLibrary: { directory: "/root/virtual-hypervisor/iso-library", freeBytes: 10 * GiB }, existing: {},
        toolbox: [{ uuid: "tb-uuid", nameLabel: "toolbox", powerState: "running" }], ...extra,
    };
}

describe("components/preflight/assess", () => {
    it("counts a new lab in full: pinned memory with Xen's overhead, disks, one ISO per hypervisor, rounds of installs", () => {
        const r = assessLab(plan, facts(), iso);
        assert.equal(r.fits, true);
        assert.equal(r.toolboxVmUuid, "tb-uuid");
        assert.deepEqual(r.rows.map((x) => [x.needBytes, x.shortBytes]), [
            [2 * startFootprintBytes(8, 2) + startFootprintBytes(12, 2), 0], [300 * GiB, 0], [3 * (iso.sizeBytes + ISO_MARGIN_BYTES), 0],
        ]);
        assert.deepEqual(r.time, { installs: 3, parallel: 2, rounds: 2, minutes: 50 });
        assert.deepEqual([r.cost.hypervisors, r.cost.memoryGiB, r.cost.vcpus, r.cost.diskGiB], [3, 28, 6, 300]);
    });

    it("credits what the lab's hypervisors already hold: only growth and new ones count", () => {
        const r = assessLab(plan, facts({
            existing: {
                "alice-vh0": { powerState: "running", memoryBytes: 8 * GiB, vcpus: 2, diskBytes: 100 * GiB },
                "alice-vh1": { powerState: "running", memoryBytes: 8 * GiB, vcpus: 2, diskBytes: 100 * GiB },
                "bob-vh0": { powerState: "running", memoryBytes: 64 * GiB, vcpus: 2 },
            },
        }), iso);
        const grow = startFootprintBytes(12, 2) - startFootprintBytes(8, 2);
        assert.deepEqual(r.rows.map((x) => x.needBytes), [grow + startFootprintBytes(8, 2), 100 * GiB, iso.sizeBytes + ISO_MARGIN_BYTES]);
        assert.deepEqual(r.time, { installs: 1, parallel: 2, rounds: 1, minutes: 25 });
        // A halted hypervisor holds no memory: starting it again needs all of it.
        const halted = assessLab(plan, facts({ existing: { "alice-vh0": { powerState: "halted", memoryBytes: 8 * GiB, vcpus: 2, diskBytes: 100 * GiB } } }), iso);
        assert.equal(halted.rows[0].needBytes, 2 * startFootprintBytes(8, 2) + startFootprintBytes(12, 2));
    });

    it("fails with a need / have / short table and every reason", () => {
        const r = assessLab(plan, facts({
            memoryFreeBytes: 20 * GiB, defaultSr: undefined, isoLibrary: { directory: "/srv/isos", freeBytes: GiB },
            toolbox: [{ uuid: "a", nameLabel: "toolbox", powerState: "halted" }],
        }), { path: "/isos/none.iso" });
        assert.equal(r.fits, false);
        assert.equal(formatReport(r), [
            "                                             need      have      short",
            "  pinned memory (3 hypervisors, 3 new)   28.2 GiB  20.0 GiB   8.23 GiB",
            "  disks on the default SR (none set)    300.0 GiB       0 B  300.0 GiB",
            "  ISO space in /srv/isos (3 new ISOs)   192.0 MiB  1.00 GiB          -",
            "  time: 3 installs, 2 at once: 2 rounds ≈ 50 min",
        ].join("\n"));
        assert.deepEqual(r.problems, [
            "pinned memory (3 hypervisors, 3 new): 8.23 GiB short",
            "disks on the default SR (none set): 300.0 GiB short",
            "the pool has no default SR for the hypervisors' disks; set one: xe pool-param-set uuid=<pool> default-SR=<sr uuid>",
            'sourceIso: no file at "/isos/none.iso" on this machine',
            "toolbox.vm: the toolbox VM toolbox (a) is halted; start it: xe vm-start uuid=a",
        ]);
    });

    it("names an ambiguous toolbox and a missing or ambiguous existing home network", () => {
        const existingHome = planLab("lab", { sourceIso: "/x", rootPassword: "x", toolbox: { vm: "toolbox", ssh: { host: "h" } }, count: 0, home: { network: "home" } }, "a");
        const two = [{ uuid: "1", nameLabel: "toolbox", powerState: "running" }, { uuid: "2", nameLabel: "toolbox", powerState: "running" }];
        assert.deepEqual(assessLab(existingHome, facts({ toolbox: two, homeNetworks: [] }), iso).problems, [
            'toolbox.vm: 2 VMs are named "toolbox" on root@xs:22 (1, 2); give the toolbox\'s uuid',
            'home.network: no network named or with uuid "home" on root@xs:22',
        ]);
        const found = assessLab(existingHome, facts({ homeNetworks: [{ uuid: "n1", nameLabel: "home" }] }), iso);
        assert.deepEqual([found.fits, found.homeNetworkUuid, found.time.minutes], [true, "n1", 0]);
        assert.match(formatReport(found), /\n {2}time: nothing to install$/);
    });
});
