/**
 * planLab(): defaults, allocation, the count/list rules and every validation message (all
 * problems reported at once, each naming the argument, the rule and the value).
 */
import * as assert from "node:assert/strict";
import { LabArgs } from "../../components/args";
import { LabValidationError } from "../../components/errors";
import { planLab } from "../../components/plan";

const base: LabArgs = { sourceIso: "/isos/xs.iso", rootPassword: "x", toolbox: { vm: "toolbox", ssh: { host: "10.0.0.9" } } };

function problems(args: Partial<LabArgs>, stack = "alice", ignore: string[] = []): string[] {
    try {
        planLab("lab", { ...base, ...args } as LabArgs, stack, ignore);
    } catch (err) {
        assert.ok(err instanceof LabValidationError);
        return [...err.problems];
    }
    return [];
}

describe("components/plan", () => {
    it("plans the seed's lab by default: 192.168.32.0/24, gateway .1, hypervisors from .2 on, prefix = stack", () => {
        const plan = planLab("lab", { ...base, count: 2 }, "alice");
        assert.deepEqual([plan.prefix, plan.domain, plan.cidr.networkCidr, plan.gateway, plan.gatewayCidr, plan.home], [
            "alice", "lab", "192.168.32.0/24", "192.168.32.1", "192.168.32.1/24", { existing: undefined, nameLabel: "alice-home", mtu: 1500 },
        ]);
        assert.deepEqual(plan.hypervisors, [
            { index: 0, name: "vh0", nameLabel: "alice-vh0", hostname: "alice-vh0.lab", address: "192.168.32.2", memoryGiB: 8, vcpus: 2, diskGiB: 100 },
            { index: 1, name: "vh1", nameLabel: "alice-vh1", hostname: "alice-vh1.lab", address: "192.168.32.3", memoryGiB: 8, vcpus: 2, diskGiB: 100 },
        ]);
        assert.deepEqual([plan.maxParallelInstalls, plan.estimatedInstallMinutes, plan.firmware, plan.toolboxVm], [2, 30, "bios", "toolbox"]);
    });

    it("lets a list describe the first hypervisors and count add default ones after them", () => {
        const plan = planLab("lab", {
            ...base, count: 3, prefix: "team-a", domain: "example.test", home: { cidr: "10.20.0.0/16", gateway: "10.20.255.254" },
            hypervisorDefaults: { memoryGiB: 6, vcpus: 4, diskGiB: 80 },
            hypervisors: [{ name: "master", address: "10.20.0.10", memoryGiB: 16 }, { diskGiB: 200 }],
        }, "ignored");
        assert.deepEqual(plan.hypervisors.map((h) => [h.name, h.nameLabel, h.hostname, h.address, h.memoryGiB, h.vcpus, h.diskGiB]), [
            ["master", "team-a-master", "team-a-master.example.test", "10.20.0.10", 16, 4, 80],
            ["vh1", "team-a-vh1", "team-a-vh1.example.test", "10.20.0.1", 6, 4, 200],
            ["vh2", "team-a-vh2", "team-a-vh2.example.test", "10.20.0.2", 6, 4, 80],
        ]);
        assert.equal(plan.gatewayCidr, "10.20.255.254/16");
    });

    it("accepts a lab of no hypervisors (count 0) and uses an existing home network by name", () => {
        const plan = planLab("lab", { ...base, count: 0, home: { network: "home" } }, "dev");
        assert.deepEqual([plan.hypervisors, plan.home], [[], { existing: "home", nameLabel: "home", mtu: 1500 }]);
    });

    it("turns the stack name into a prefix, and says so when it cannot", () => {
        assert.equal(planLab("lab", { ...base, count: 1 }, "Alice.Dev").prefix, "alice-dev");
        assert.deepEqual(problems({ count: 1 }, "___"), ['prefix: the stack name "___" gives no valid prefix (""); set prefix to 1–32 lower-case letters, digits and inner dashes']);
    });

    it("maps the ignoreChanges it understands onto the children", () => {
        const plan = planLab("lab", { ...base, count: 1 }, "alice", ["rootPassword", "sourceIso", "vcpus", "connection"]);
        assert.deepEqual(plan.ignore, { isos: ["answerFile", "sourceIso"], hypervisors: ["vcpus"], all: ["connection"] });
    });

    it("reports every problem at once", () => {
        assert.deepEqual(problems({
            prefix: "-x-", domain: "bad domain", home: { cidr: "192.168.32.5/24", mtu: 20 },
            hypervisorDefaults: { memoryGiB: 4.0001, vcpus: 0, firmware: "efi" as never },
            hypervisors: [{ name: "VH0" }, { name: "a".repeat(60) }, 5 as never], maxParallelInstalls: 0, estimatedInstallMinutes: -1,
            kernelArgs: "quiet" as never, toolbox: { vm: "", ssh: undefined as never, natBackend: "pf" as never },
            sourceIso: undefined as never, rootPassword: undefined as never,
        }), [
            'prefix must be 1–32 lower-case letters, digits and inner dashes (it starts every VM name-label and host name of the lab), got "-x-"',
            'domain must be a DNS name (labels of letters, digits and inner dashes, joined by dots), like "lab", got "bad domain"',
            'home.cidr must be the network address, "192.168.32.0/24", got "192.168.32.5/24"',
            "hypervisorDefaults.vcpus must be a whole number from 1 to 64, got 0",
            "hypervisorDefaults.memoryGiB must be a whole number of MiB (a multiple of 1/1024), got 4.0001",
            'hypervisorDefaults.firmware must be "bios" or "uefi", got "efi"',
            "hypervisors[2] must be an object { name, address, memoryGiB, vcpus, diskGiB } (every field optional), got 5",
            'hypervisors[0].name must be a DNS label: lower-case letters, digits and inner dashes, at most 63 characters, got "VH0"',
            `hypervisors[1].name: the host name label "invalid-${"a".repeat(60)}" (prefix-name) must be at most 63 characters, got 68`,
            'toolbox.vm must be a non-empty string on one line, got ""',
            "toolbox.ssh is required: how to reach the toolbox over SSH ({ host, user, privateKey | password, hostKey })",
            'toolbox.natBackend must be one of "nftables", "shorewall", got "pf"',
            "sourceIso is required: the path of the XenServer installer ISO on this machine",
            "rootPassword is required (a secret: pulumi config set --secret lab:rootPassword …)",
            "maxParallelInstalls must be a whole number from 1 to 64, got 0",
            "estimatedInstallMinutes must be a number from 0 to 10080 minutes, got -1",
            'kernelArgs must be a list of strings, got "quiet"',
        ]);
    });

    it("rejects a network too small for the lab, naming who gets no address", () => {
        assert.deepEqual(problems({ count: 3, home: { cidr: "10.0.0.0/30" } }), [
            "home.cidr 10.0.0.0/30 has 2 host addresses, too few for 3 hypervisors and the gateway: no address left for hypervisors[1] (vh1), hypervisors[2] (vh2)",
        ]);
        assert.deepEqual(problems({ count: 1, home: { cidr: "10.0.0.0/31" } }), [
            'home.cidr must be an IPv4 network with a prefix length from 8 to 30, like "192.168.32.0/24", got "10.0.0.0/31"',
        ]);
    });

    it("requires count or hypervisors, and a toolbox", () => {
        assert.deepEqual(problems({ toolbox: undefined as never }), [
            'count or hypervisors is required: how many nested hypervisors the lab has (count: 3), or each one (hypervisors: [{ name: "vh0" }, …])',
            'toolbox is required: { vm: "<uuid or name-label of the toolbox VM>", ssh: { host, user, privateKey | password, hostKey } }, got undefined',
        ]);
    });
});
