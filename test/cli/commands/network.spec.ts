/**
 * `vh network create|destroy`, run as users run it (child processes) against a simulated host,
 * through its own SSH front and through a real OpenSSH sshd.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeAll } from "../../../provider/ssh";
import { parseMap, XeClient } from "../../../provider/xe";
import { SIM_BIN } from "../../helpers/paths";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { sshdSkipReason, startSshd } from "../../helpers/sshd";
import { documentedJson, json, simFlags, vh, vhInProcess } from "../run";

describe("vh network", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let xe: XeClient;
    let tmp: string;
    let flags: string[];

    before(async () => {
        sim = await startSimHost();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-net-"));
        flags = simFlags(sim, "password", tmp);
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
    });
    after(async () => {
        await closeAll();
        await sim.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("rejects wrong arguments with the usage and exit 2", async () => {
        const r = await vh(["network", "create", "onlyhost"]);
        assert.equal(r.code, 2, "the executable exits 2 too");
        const cases: Array<[string[], RegExp]> = [
            [["network"], /^vh network: expected create or destroy after `vh network`, got nothing\n\nusage: vh network create HOST NAME/],
            [["network", "remove", "h", "n"], /^vh network: expected create or destroy after `vh network`, got "remove"/],
            [["network", "create", "h"], /^vh network: expected HOST NAME, got "h"\n/],
            [["network", "create", "h", "n", "--mtu", "9999"], /^vh network: --mtu must be an integer from 68 to 9216, got "9999"/],
            [["network", "destroy", "h", "n", "--mtu", "1500"], /^vh network: --mtu and --description only apply to `vh network create`/],
            [["network", "create", "h", "n", "--bogus"], /^vh network: Unknown option '--bogus'/],
        ];
        for (const [args, message] of cases) {
            const r = await vhInProcess(args);
            assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
            assert.match(r.stderr, message);
        }
    });

    it("creates a tagged network like `xe network-create name-label=home`, and reuses it on a second run, saying so", async () => {
        const first = await vh(["network", "create", sim.connection.host, "home", ...flags, "--mtu", "9000", "--json"]);
        assert.equal(first.code, 0, first.stderr);
        const made = json(first);
        assert.deepEqual(Object.keys(made), Object.keys(documentedJson("network create")));
        assert.deepEqual({ ...made, uuid: undefined, bridge: undefined }, {
            command: "network create", host: `root@127.0.0.1:${sim.connection.port}`, name: "home", uuid: undefined, bridge: undefined, created: true, reused: false,
        });
        const rec = await xe.record("network", made.uuid, ["name-label", "MTU", "bridge", "other-config"]);
        assert.equal(rec?.["name-label"], "home");
        assert.equal(rec?.MTU, "9000");
        assert.equal(rec?.bridge, made.bridge);
        assert.deepEqual(parseMap(rec?.["other-config"] ?? ""), { "vh-managed-by": "virtual-hypervisor", "vh-key": "home", "vh-role": "network" });

        const again = await vh(["network", "create", sim.connection.host, "home", ...flags]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.stdout, `Network home already exists on root@127.0.0.1:${sim.connection.port} (made by virtual-hypervisor): reusing it\n  uuid:   ${made.uuid}\n  bridge: ${made.bridge}\n`);
        assert.deepEqual(await xe.uuids("network", { "name-label": "home" }), [made.uuid], "no second network");
    });

    it("leaves a network it did not make alone, both ways (exit 1)", async () => {
        const foreign = await xe.network.create({ nameLabel: "corp" });
        const create = await vh(["network", "create", sim.connection.host, "corp", ...flags]);
        assert.equal(create.code, 1);
        assert.equal(create.stderr, `vh network: a network named "corp" that virtual-hypervisor did not make already exists on root@127.0.0.1:${sim.connection.port}\n` +
            `  It is ${foreign}. vh install can use it as it is; or choose another NAME.\n`);
        const destroy = await vh(["network", "destroy", sim.connection.host, "corp", ...flags]);
        assert.equal(destroy.code, 1);
        assert.match(destroy.stderr, /^vh network: the network named "corp" on .* was not made by virtual-hypervisor; not destroying it\n/);
        assert.deepEqual(await xe.uuids("network", { "name-label": "corp" }), [foreign]);
        await xe.network.destroy(foreign);
    });

    it("refuses to destroy a network a VM uses, naming the VM; destroys it once free; then has nothing to do", async () => {
        const made = json(await vh(["network", "create", sim.connection.host, "lab2", ...flags, "--json"]));
        const vm = await xe.vm.install({ template: "Other install media", nameLabel: "user-vm" });
        const vif = await xe.vif.create({ vmUuid: vm, networkUuid: made.uuid, device: 0 });
        const busy = await vh(["network", "destroy", sim.connection.host, "lab2", ...flags, "--json"]);
        assert.equal(busy.code, 1);
        assert.match(busy.stderr, /^vh network: network lab2 on root@127\.0\.0\.1:\d+ is still in use\n {2}network lab2 is still used by: vm user-vm \(VIF 0, /);
        assert.deepEqual(json(busy).error.exitCode, 1, "--json prints an error document");
        await xe.vif.destroy(vif);
        await xe.vm.destroy(vm);
        const gone = await vh(["network", "destroy", sim.connection.host, "lab2", ...flags, "--json"]);
        assert.equal(gone.code, 0, gone.stderr);
        assert.deepEqual(Object.keys(json(gone)), Object.keys(documentedJson("network destroy")));
        assert.deepEqual(json(gone), { command: "network destroy", host: `root@127.0.0.1:${sim.connection.port}`, name: "lab2", destroyed: [made.uuid], found: true });
        const none = await vh(["network", "destroy", sim.connection.host, "lab2", ...flags]);
        assert.equal(none.code, 0, none.stderr);
        assert.match(none.stdout, /^No network named lab2 made by virtual-hypervisor on .*: nothing to destroy\n$/);
    });

    it("works the same through a real OpenSSH sshd in front of the simulator", async function () {
        const reason = sshdSkipReason();
        if (reason) this.skip();
        const sshd = await startSshd({ path: [SIM_BIN], env: { XE_SIM_STATE: sim.stateDir } });
        try {
            const key = sshd.users.key;
            const args = ["127.0.0.1", "viasshd", "--port", String(sshd.port), "--user", key.user, "--identity", key.privateKeyPath, "--host-key", sshd.hostKeyLine];
            const created = await vh(["network", "create", ...args]);
            assert.equal(created.code, 0, created.stderr);
            assert.match(created.stdout, new RegExp(`^Created network viasshd on ${key.user}@127\\.0\\.0\\.1:${sshd.port}\\n`));
            assert.equal((await xe.uuids("network", { "name-label": "viasshd" })).length, 1, "the simulated host has it");
            const destroyed = await vh(["network", "destroy", ...args]);
            assert.equal(destroyed.code, 0, destroyed.stderr);
            assert.deepEqual(await xe.uuids("network", { "name-label": "viasshd" }), []);
        } finally {
            await sshd.stop();
        }
    });
});
