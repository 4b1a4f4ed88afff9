/** Stack config → LabArgs: single keys, the structured lab:lab object, secrets and types. */
import * as assert from "node:assert/strict";
import { labArgsFromConfig, LabConfigError } from "../../components/config";

const required = {
    "lab:sourceIso": "/isos/xs.iso",
    "lab:rootPassword": "pw-123456",
    "lab:toolbox": JSON.stringify({ vm: "toolbox", ssh: { host: "10.0.0.9", hostKey: "SHA256:x" }, natBackend: "shorewall" }),
};

describe("components/config", () => {
    it("maps lab:* keys onto LabArgs: home fields, numbers, booleans, lists, the toolbox's secret key", () => {
        const args = labArgsFromConfig({
            ...required, "lab:cidr": "10.1.0.0/24", "lab:gateway": "10.1.0.254", "lab:homeNetwork": "home", "lab:count": "3",
            "lab:allowHalt": "true", "lab:kernelArgs": JSON.stringify(["console=ttyS0"]), "lab:toolboxPrivateKey": "KEY",
            "lab:hypervisors": JSON.stringify([{ name: "m", memoryGiB: 16 }]), "virtual-hypervisor:host": "ignored here", "other:key": "x",
        });
        assert.deepEqual(args, {
            sourceIso: "/isos/xs.iso", rootPassword: "pw-123456", count: 3, allowHalt: true, kernelArgs: ["console=ttyS0"],
            hypervisors: [{ name: "m", memoryGiB: 16 }],
            toolbox: { vm: "toolbox", ssh: { host: "10.0.0.9", hostKey: "SHA256:x", privateKey: "KEY" }, natBackend: "shorewall" },
            home: { cidr: "10.1.0.0/24", gateway: "10.1.0.254", network: "home" },
        });
    });

    it("takes a structured lab:lab object, with single keys winning", () => {
        const args = labArgsFromConfig({
            "lab:lab": JSON.stringify({ sourceIso: "/a.iso", rootPassword: "pw", toolbox: { vm: "t", ssh: { host: "h" } }, count: 2, cidr: "10.9.0.0/24", maxParallelInstalls: 4 }),
            "lab:count": "5",
        });
        assert.deepEqual(args, {
            sourceIso: "/a.iso", rootPassword: "pw", count: 5, maxParallelInstalls: 4,
            toolbox: { vm: "t", ssh: { host: "h" } }, home: { cidr: "10.9.0.0/24" },
        });
    });

    it("names missing required keys and never shows a secret value", () => {
        assert.throws(() => labArgsFromConfig({ "lab:rootPassword": JSON.stringify({ secret: "s3cr3t-value" }), "lab:allowHalt": "yes" }), (err: unknown) => {
            assert.ok(err instanceof LabConfigError);
            assert.deepEqual(err.problems, [
                'lab:allowHalt must be true or false, got "yes"',
                "lab:sourceIso is required: path of the installer ISO on the machine running Pulumi (required)",
                "lab:toolbox is required: { vm, ssh: { host, port, user, hostKey }, natBackend, upstreamInterface, upstreamDns, stateDir, serviceManager } (required)",
            ]);
            return true;
        });
        assert.throws(() => labArgsFromConfig({ ...required, "lab:toolboxPassword": "12" as never, "lab:lab": JSON.stringify({ rootPassword: 42 }) }), (err: unknown) => {
            assert.ok(err instanceof LabConfigError);
            assert.deepEqual(err.problems, ["lab:rootPassword must be a string, got a value of another type"]);
            assert.ok(!err.message.includes("42"));
            return true;
        });
    });
});
