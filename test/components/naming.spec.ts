/** Child names (Pulumi) and host-side names (prefix): the documented pure functions. */
import * as assert from "node:assert/strict";
import { childName, defaultHypervisorName, homeNetworkName, hypervisorHostNames, prefixFromStack } from "../../components/naming";

describe("components/naming", () => {
    it("names children after the component, hypervisors by their own name", () => {
        assert.equal(childName("lab", "home"), "lab-home");
        assert.equal(childName("lab", "gateway"), "lab-gateway");
        assert.equal(childName("lab", "iso", "vh0"), "lab-vh0-iso");
        assert.equal(childName("lab", "hypervisor", "pool-master"), "lab-pool-master");
        assert.throws(() => childName("lab", "hypervisor"), /^Error: childName: the hypervisor role names one hypervisor; pass its name$/);
    });

    it("derives every host-side name and host name from the prefix", () => {
        assert.deepEqual(hypervisorHostNames("alice", "vh0", "lab"), { nameLabel: "alice-vh0", hostname: "alice-vh0.lab" });
        assert.deepEqual(hypervisorHostNames("bob", "spare", "lab.example.com"), { nameLabel: "bob-spare", hostname: "bob-spare.lab.example.com" });
        assert.equal(homeNetworkName("alice"), "alice-home");
        assert.deepEqual([0, 1, 10].map(defaultHypervisorName), ["vh0", "vh1", "vh10"]);
    });

    it("turns a stack name into a prefix", () => {
        assert.equal(prefixFromStack("alice"), "alice");
        assert.equal(prefixFromStack("Alice.Dev_2"), "alice-dev-2");
        assert.equal(prefixFromStack("--x--"), "x");
        assert.equal(prefixFromStack("a".repeat(40)), "a".repeat(32));
        assert.equal(prefixFromStack("___"), "");
    });
});
