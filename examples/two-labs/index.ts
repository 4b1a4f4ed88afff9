/**
 * Two labs side by side on one XenServer host and one toolbox: "blue" with two nested
 * hypervisors on 192.168.32.0/24 and "green" with one bigger hypervisor on 192.168.33.0/24. The
 * prefixes keep every name on the host apart (blue-home, blue-vh0, green-home, green-vh0, …); the
 * toolbox gets one NIC, one NAT and one DNS proxy per lab. Each lab checks in its pre-flight that
 * it fits what the host has left.
 *
 * Config: as examples/single-vh (virtual-hypervisor:* for the host; sourceIso, rootPassword,
 * toolboxVm, toolboxHost, toolboxHostKey, toolboxPrivateKey for the labs).
 */
import * as pulumi from "@pulumi/pulumi";
import { Lab, LabArgs } from "virtual-hypervisor";

const config = new pulumi.Config();

const toolboxSsh = pulumi.output({
    host: config.require("toolboxHost"),
    port: config.getNumber("toolboxPort") ?? 22,
    user: config.get("toolboxUser") ?? "root",
    hostKey: config.require("toolboxHostKey"),
    privateKey: config.requireSecret("toolboxPrivateKey"),
});
const stateRoot = config.get("toolboxStateRoot");

function labArgs(prefix: string, extra: Partial<LabArgs>): LabArgs {
    return {
        prefix,
        sourceIso: config.require("sourceIso"),
        rootPassword: config.requireSecret("rootPassword"),
        toolbox: { vm: config.require("toolboxVm"), ssh: toolboxSsh, stateDir: stateRoot ? `${stateRoot}/${prefix}` : undefined },
        hypervisorDefaults: { memoryGiB: 4, diskGiB: 46 },
        // Both labs install at once; each keeps to its own limit on the host.
        maxParallelInstalls: 2,
        isoLibrary: config.get("isoLibraryDirectory") ? { directory: config.get("isoLibraryDirectory") } : undefined,
        ...extra,
    };
}

const blue = new Lab("blue", labArgs("blue", { count: 2, home: { cidr: "192.168.32.0/24" } }));
// Green waits for blue's gateway only: the toolbox takes one new NIC at a time (two VIFs created
// at once on one VM both pick the same free device number); the installs still run side by side.
const green = new Lab("green", labArgs("green", { hypervisors: [{ memoryGiB: 6 }], home: { cidr: "192.168.33.0/24" } }), { dependsOn: [blue.gateway] });

export const blueHypervisors = blue.hypervisors;
export const greenHypervisors = green.hypervisors;
export const hostMemoryGiB = pulumi.all([blue.cost, green.cost]).apply(([b, g]) => b.memoryGiB + g.memoryGiB);
