import * as assert from "node:assert/strict";
import { checkInputs } from "../../../../provider/resources/toolboxGateway/check";
import { UNKNOWN } from "../../../../provider/resources/common/unknown";
import { HOSTILE_VALUES } from "../../xe/hostileValues";

const NET = "3fa9c1d2-5b6e-4a7f-8c9d-0e1f2a3b4c5d";
/** Stack config naming the XenServer host, as the provider host passes it. */
const config = { get: (k: string) => ({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "pw-123456", "virtual-hypervisor:hostKey": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } as Record<string, string>)[k] };
const TOOLBOX = { host: "10.219.10.30", user: "root", password: "s3cret-toolbox-pw", hostKey: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU" };

describe("provider/resources/toolboxGateway/check", () => {
    const valid = { lab: "lab1", toolboxVm: "toolbox", homeNetwork: NET, toolbox: TOOLBOX, hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }] };

    it("accepts valid inputs and writes out every default", () => {
        const { inputs, failures } = checkInputs(valid, config);
        assert.deepEqual(failures, []);
        assert.equal(inputs.gatewayCidr, "192.168.32.1/24");
        assert.equal(inputs.natBackend, "nftables");
        assert.equal(inputs.serviceManager, "auto");
        assert.equal(inputs.stateDir, "/etc/virtual-hypervisor/lab1");
        assert.deepEqual(checkInputs({ ...valid, hosts: undefined }, config).inputs.hosts, []);
        assert.equal(checkInputs({ ...valid, stateDir: "/srv/vh/" }, config).inputs.stateDir, "/srv/vh");
    });

    it("reports every problem at once, with the input's name, and never a secret", () => {
        const { failures } = checkInputs({
            lab: "Lab 1", toolboxVm: "", homeNetwork: "home", gatewayCidr: "192.168.32.1", natBackend: "pf",
            toolbox: { ...TOOLBOX, port: 70000, hostKey: "not-a-key" }, hosts: [{ hostname: "vh0;reboot", address: "10.0.0.1" }],
        }, config);
        assert.deepEqual(failures.map((f) => f.property), [
            "toolboxVm", "homeNetwork", "lab", "gatewayCidr", "hosts[0].hostname", "natBackend", "toolbox", "toolbox",
        ]);
        assert.equal(failures[1].reason, 'homeNetwork must be the uuid of the home network, like "3fa9c1d2-…", got "home"');
        assert.match(failures[6].reason, /^toolbox: port must be an integer from 1 to 65535, got 70000$/);
        for (const f of failures) assert.ok(!f.reason.includes(TOOLBOX.password), f.reason);
    });

    it("checks the XenServer host like every resource: the connection argument, else the stack config", () => {
        assert.deepEqual(checkInputs(valid, { get: () => undefined }).failures.map((f) => f.property), ["connection"]);
        assert.match(checkInputs(valid, { get: () => undefined }).failures[0].reason, /no XenServer host to connect to/);
        const given = checkInputs({ ...valid, connection: { host: "xs2", port: 0, password: "pw-123456" } }, { get: () => undefined }).failures;
        assert.deepEqual(given.map((f) => f.reason), ["connection.port must be an integer from 1 to 65535, got 0"]);
    });

    it("requires lab, toolboxVm, homeNetwork and toolbox", () => {
        assert.deepEqual(checkInputs({}, config).failures.map((f) => f.reason), ["lab is required", "toolboxVm is required", "homeNetwork is required", "toolbox is required"]);
    });

    it(`rejects hostile host names (${HOSTILE_VALUES.length} values)`, () => {
        for (const hostname of HOSTILE_VALUES) {
            const { failures } = checkInputs({ ...valid, hosts: [{ hostname, address: "192.168.32.2" }] }, config);
            assert.deepEqual(failures.map((f) => f.property), ["hosts[0].hostname"], JSON.stringify(hostname.slice(0, 40)));
        }
    });

    it("accepts a hostile but valid toolbox VM name-label (it is quoted, not validated away)", () => {
        for (const name of HOSTILE_VALUES.filter((v) => v.trim() !== "")) assert.deepEqual(checkInputs({ ...valid, toolboxVm: name }, config).failures, [], name.slice(0, 40));
        assert.deepEqual(checkInputs({ ...valid, toolboxVm: "two\nlines" }, config).failures.map((f) => f.property), ["toolboxVm"]);
    });

    it("tolerates values that are unknown during preview, anywhere in the inputs", () => {
        const { failures, inputs } = checkInputs({
            lab: UNKNOWN, toolboxVm: UNKNOWN, homeNetwork: UNKNOWN, gatewayCidr: UNKNOWN, natBackend: UNKNOWN, stateDir: UNKNOWN,
            toolbox: { ...TOOLBOX, host: UNKNOWN }, connection: UNKNOWN, upstreamDns: [UNKNOWN], hosts: [{ hostname: UNKNOWN, address: UNKNOWN }, UNKNOWN],
        }, config);
        assert.deepEqual(failures, []);
        assert.equal(inputs.stateDir, UNKNOWN);
        assert.equal(checkInputs({ ...valid, lab: UNKNOWN }, config).inputs.stateDir, undefined, "no default state directory without a known lab");
    });
});
