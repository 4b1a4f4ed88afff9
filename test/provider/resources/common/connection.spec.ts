/** Which host and credentials a resource uses: argument, config, state. */
import * as assert from "node:assert/strict";
import { connectionFailures, connectionFromConfig, effectiveConnection, hostIdentity, storedConnection } from "../../../../provider/resources/common/connection";

const cfg = (values: Record<string, string>) => ({ get: (k: string) => values[k] });
const KEY = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe("common/connection", () => {
    it("reads the stack config keys", () => {
        assert.deepEqual(connectionFromConfig(cfg({
            "virtual-hypervisor:host": "xs1", "virtual-hypervisor:port": "2222", "virtual-hypervisor:user": "admin", "virtual-hypervisor:privateKey": "KEY",
            "virtual-hypervisor:passphrase": "pp", "virtual-hypervisor:hostKey": KEY, "virtual-hypervisor:insecureSkipHostKeyCheck": "true",
        })), { host: "xs1", port: 2222, user: "admin", privateKey: "KEY", passphrase: "pp", hostKey: KEY, insecureSkipHostKeyCheck: true });
        assert.equal(connectionFromConfig(cfg({})), undefined);
    });

    it("prefers the argument, else the config, and says what to set when neither is there", () => {
        const config = cfg({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "pw" });
        assert.equal(effectiveConnection({ host: "xs2", password: "x" }, config, "R").host, "xs2");
        assert.equal(effectiveConnection(undefined, config, "R").host, "xs1");
        assert.throws(() => effectiveConnection(undefined, cfg({}), "XenNetwork home"), /^MissingHostConnectionError: XenNetwork home: no XenServer host to connect to: set the connection argument, or the stack config virtual-hypervisor:host/);
    });

    it("reaches the stored host after the config moved on, with the config's credentials when it is the same host", () => {
        const stored = { host: "xs1", port: 22, password: "old", hostKey: KEY };
        assert.deepEqual(storedConnection(stored, cfg({ "virtual-hypervisor:host": "xs9", "virtual-hypervisor:password": "other" }), "R"), stored);
        assert.equal(storedConnection(stored, cfg({ "virtual-hypervisor:host": "xs1", "virtual-hypervisor:password": "rotated" }), "R").password, "rotated");
        assert.equal(hostIdentity({ host: "XS1" }), "xs1:22");
    });

    it("validates the argument or the config, never quoting secrets", () => {
        const problems = connectionFailures({ host: "bad host", port: 0, password: "hunter2-secret" }, undefined).map((f) => f.reason);
        assert.ok(problems.some((p) => /^connection\.host must be a host name or IP address, got "bad host"$/.test(p)), problems.join("\n"));
        assert.ok(problems.some((p) => /^connection\.port must be an integer from 1 to 65535, got 0$/.test(p)));
        assert.ok(problems.every((p) => !p.includes("hunter2-secret")));
        assert.match(connectionFailures(undefined, cfg({ "virtual-hypervisor:host": "xs1" }))[0].reason, /^stack config virtual-hypervisor:\*: one of password, privateKey or agent must be set$/);
    });
});
