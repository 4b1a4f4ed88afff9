/** XenNetwork check() and diff(): pure. */
import * as assert from "node:assert/strict";
import { checkNetwork } from "../../../../provider/resources/xenNetwork/check";
import { diffNetwork } from "../../../../provider/resources/xenNetwork/diff";

const config = { get: (k: string) => ({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "pw-123456", "virtual-hypervisor:hostKey": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } as Record<string, string>)[k] };

describe("xenNetwork/check and diff", () => {
    it("applies defaults and reports every broken rule", () => {
        assert.deepEqual(checkNetwork({ nameLabel: "home" }, config), { inputs: { nameLabel: "home", description: "", mtu: 1500 }, failures: [] });
        assert.deepEqual(checkNetwork({ nameLabel: "a\nb", mtu: 65536, description: 7 }, config).failures, [
            { property: "nameLabel", reason: 'nameLabel must be one line without NUL characters, got "a\\nb"' },
            { property: "description", reason: "description must be a string, got 7" },
            { property: "mtu", reason: "mtu must be an integer from 68 to 9216 bytes, got 65536" },
        ]);
    });

    it("updates name, description and MTU in place; another host replaces, deleting first", () => {
        const olds = { nameLabel: "home", description: "", mtu: 1500, connection: { host: "xs1" }, uuid: "u", bridge: "xapi1", stateVersion: 1 };
        const news = { nameLabel: "home", description: "", mtu: 1500 };
        assert.deepEqual(diffNetwork(olds, news, config), { changes: false, replaces: [], deleteBeforeReplace: true });
        assert.deepEqual(diffNetwork(olds, { ...news, mtu: 9000 }, config), { changes: true, replaces: [], deleteBeforeReplace: true });
        assert.deepEqual(diffNetwork(olds, { ...news, connection: { host: "xs2" } }, config), { changes: true, replaces: ["connection"], deleteBeforeReplace: true });
    });
});
