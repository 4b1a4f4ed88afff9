import * as assert from "node:assert/strict";
import { SEED_DEFAULTS, seedAnswerFile, validateAnswerFile } from "../../../provider/answerfile";

describe("seedAnswerFile", () => {
    it("holds the seed's defaults: ext SR on sda, us keymap, somepass, install disc, eth0 DHCP, Los Angeles, postinst.sh", () => {
        assert.deepEqual(seedAnswerFile(), {
            srType: "ext",
            primaryDisk: { device: "sda" },
            keymap: "us",
            rootPassword: { type: "plaintext", value: "somepass" },
            sources: [{ type: "local" }],
            adminInterface: { name: "eth0", proto: "dhcp" },
            timezone: "America/Los_Angeles",
            scripts: [{ stage: "filesystem-populated", type: "url", location: "file:///postinst.sh" }],
        });
        assert.equal(SEED_DEFAULTS.rootPassword, "somepass");
    });

    it("keeps every name server, unlike the seed which kept the last -n", () => {
        assert.deepEqual(seedAnswerFile({ nameServers: ["10.0.0.1", "10.0.0.2", "10.0.0.3"] }).nameServers, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    });

    it("builds a static interface from ip, netmask and gateway, and leaves missing ones for validation to name", () => {
        const m = seedAnswerFile({ network: "static", ip: "10.0.0.2" });
        assert.deepEqual(validateAnswerFile(m).errors.map((e) => e.path), ["adminInterface.ipv4.netmask", "adminInterface.ipv4.gateway"]);
    });

    it("returns a fresh object each time, so callers may change it", () => {
        const a = seedAnswerFile();
        a.sources!.push({ type: "url", location: "http://x.example/" });
        assert.deepEqual(seedAnswerFile().sources, [{ type: "local" }]);
    });
});
