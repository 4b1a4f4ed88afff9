/**
 * `vh console`: the seed blog's console recipe (VNC port from xenstore, `vncviewer -via`, an
 * `ssh -L` tunnel) for VMs on a simulated host, running, installing and halted.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { consoleLines } from "../../../cli/commands/console";
import { closeAll } from "../../../provider/ssh";
import { XeClient } from "../../../provider/xe";
import { SimHost, startSimHost } from "../../helpers/simHost";
import { documentedJson, json, simFlags, vh, vhInProcess } from "../run";

describe("vh console", function () {
    this.timeout(60_000);
    let sim: SimHost;
    let xe: XeClient;
    let tmp: string;
    let key: string[];

    /** A VM from "Other install media", started unless halted is asked for. */
    async function vm(name: string, start = true): Promise<string> {
        const uuid = await xe.vm.install({ template: "Other install media", nameLabel: name });
        if (start) await xe.vm.start(uuid);
        return uuid;
    }

    before(async () => {
        sim = await startSimHost();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-cli-console-"));
        key = simFlags(sim, "key", tmp);
        const c = sim.connection;
        xe = XeClient.connect({ host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey });
    });
    after(async () => {
        await closeAll();
        await sim.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("writes the blog's vncviewer -via line (port − 5900) for SSH on port 22, else only the tunnel", () => {
        assert.deepEqual(consoleLines({ host: "10.219.10.25", port: 22, user: "root" }, 5902, 3), {
            vncviewer: "vncviewer -via root@10.219.10.25 localhost:2",
            sshTunnel: "ssh -N -L 5901:localhost:5902 root@10.219.10.25",
            viewer: "vncviewer localhost:1",
        });
        assert.deepEqual(consoleLines({ host: "xs", port: 2222, user: "admin" }, 5903, 4).vncviewer, null);
        assert.equal(consoleLines({ host: "xs", port: 2222, user: "admin" }, 5903, 4).sshTunnel, "ssh -N -L 5901:localhost:5903 -p 2222 admin@xs");
        assert.equal(consoleLines({ host: "xs", port: 22, user: "root", jump: "ops@bastion" }, null, 7).sshTunnel, "ssh -N -L 5901:/var/run/xen/vnc-7 -J ops@bastion root@xs",
            "qemu-upstream's VNC socket, through the jump host");
    });

    it("prints the VNC port xenstore holds for the running VM, and the commands to reach it", async () => {
        const uuid = await vm("run.lab");
        const domid = await xe.paramGet("vm", uuid, "dom-id");
        const port = Number(await xe.xenstoreRead(`/local/domain/${domid}/console/vnc-port`));
        const r = await vh(["console", sim.connection.host, "run.lab", ...key]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, [
            `run.lab is running as domain ${domid} on root@127.0.0.1:${sim.connection.port}; its console is VNC on port ${port} in dom0.`,
            "Open an SSH tunnel, then point a VNC viewer at it:",
            `  ssh -N -L 5901:localhost:${port} -p ${sim.connection.port} root@127.0.0.1`,
            "  vncviewer localhost:1",
            "",
        ].join("\n"));
        const j = json(await vh(["console", sim.connection.host, "run.lab", ...key, "--json"]));
        assert.deepEqual(Object.keys(j), Object.keys(documentedJson("console")));
        assert.deepEqual(j, {
            command: "console", host: `root@127.0.0.1:${sim.connection.port}`, name: "run.lab", uuid, nameLabel: "run.lab", powerState: "running",
            domid: Number(domid), vncPort: port, vncviewer: null, sshTunnel: `ssh -N -L 5901:localhost:${port} -p ${sim.connection.port} root@127.0.0.1`,
            viewer: "vncviewer localhost:1",
        });
    });

    it("finds a VM that is still installing by its step name", async () => {
        await vm("inst.lab - booted from iso (Step 2 of 3)");
        const r = await vh(["console", sim.connection.host, "inst.lab", ...key]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^inst\.lab - booted from iso \(Step 2 of 3\) is running as domain \d+/);
    });

    it("says a halted or missing VM has no console (exit 1), and how to start it", async () => {
        const uuid = await vm("off.lab", false);
        const off = await vh(["console", sim.connection.host, "off.lab", ...key]);
        assert.equal(off.code, 1);
        assert.equal(off.stderr, `vh console: off.lab is halted, so it has no console\n  Start it first: xe vm-start uuid=${uuid}\n`);
        const none = await vh(["console", sim.connection.host, "ghost.lab", ...key]);
        assert.equal(none.code, 1);
        assert.match(none.stderr, /^vh console: there is no VM named "ghost\.lab" on root@127\.0\.0\.1:\d+\n {2}Looked for the name-labels "ghost\.lab", "ghost\.lab - created \(Step 1 of 3\)"/);
        const usage = await vhInProcess(["console", "onlyhost"]);
        assert.equal(usage.code, 2);
        assert.match(usage.stderr, /^vh console: expected XENSERVER MACHINE_NAME, got "onlyhost"\n\nusage: vh console/);
    });
});
