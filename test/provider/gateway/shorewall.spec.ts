/**
 * Requirements: root, shorewall, unshare, and everything test/helpers/netns.ts needs.
 * Shorewall runs inside the toolbox namespace, where /etc/shorewall and /var/lib/shorewall are
 * bind mounts of empty temp dirs (the feasibility report's `unshare -m` technique): the tests also
 * prove that our Shorewall backend reads and writes neither.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyGateway, GatewayStepError, inspectGateway, removeGateway } from "../../../provider/gateway";
import { renderShorewallFiles } from "../../../provider/gateway/shorewall";
import { sh } from "../../../provider/shell";
import { closeAll, getSession } from "../../../provider/ssh";
import { httpGet, natLabSkipReason, NatLab, pings, resolveA, startNatLab } from "../../helpers/netns";
import { samplePlan } from "./planFixture";

const MAC = "02:5a:00:00:00:05";

function shorewallSkipReason(): string | undefined {
    return natLabSkipReason() ?? (spawnSync("sh", ["-c", "command -v shorewall"]).status === 0 ? undefined : "Shorewall tests need shorewall");
}

describe("provider/gateway Shorewall backend", function () {
    this.timeout(90_000);

    it("renders a configuration Shorewall compiles, reading only our directory", function () {
        if (shorewallSkipReason()) this.skip();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-gw-sw-"));
        try {
            const plan = samplePlan({ stateDir: dir, natBackend: "shorewall" });
            const files = renderShorewallFiles(plan);
            assert.deepEqual(Object.keys(files).sort(), ["interfaces", "policy", "rules", "shorewall.conf", "snat", "zones"]);
            assert.match(files["shorewall.conf"], new RegExp(`^CONFIG_PATH="${dir}/shorewall/:\\$\\{SHAREDIR\\}/shorewall/"$`, "m"));
            assert.match(files["shorewall.conf"], /^IP_FORWARDING=Keep$/m);
            assert.match(files.snat, /^MASQUERADE\t192\.168\.32\.0\/24\teth0$/m);
            assert.match(files.policy, /^net\thome\tDROP$/m);
            fs.mkdirSync(path.join(dir, "shorewall"));
            for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, "shorewall", name), content);
            for (const d of ["etc", "var"]) fs.mkdirSync(path.join(dir, d));
            // A throwaway network and mount namespace: Shorewall probes capabilities by creating tables.
            const r = spawnSync("unshare", ["--net", "--mount", "sh", "-c",
                'mount --bind "$1/etc" /etc/shorewall && mount --bind "$1/var" /var/lib/shorewall && ip link add eth0 type veth peer name eth1 && shorewall check "$1/shorewall"',
                "sh", dir], { encoding: "utf8" });
            assert.equal(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout, /Shorewall configuration verified/);
            assert.deepEqual([fs.readdirSync(path.join(dir, "etc")), fs.readdirSync(path.join(dir, "var"))], [[], []]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("in network namespaces", () => {
        let lab: NatLab;
        let home: string;
        const session = () => getSession(lab.toolbox.connection);
        const spec = (extra = {}) => ({
            lab: "sw", homeMac: MAC, natBackend: "shorewall" as const, stateDir: `${lab.toolbox.stateRoot}/sw`,
            hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }], ...extra,
        });
        let initial: ReturnType<NatLab["snapshot"]>;
        let machineShorewall: string[];

        before(async function () {
            if (shorewallSkipReason()) this.skip();
            machineShorewall = [...fs.readdirSync("/etc/shorewall"), ...fs.readdirSync("/var/lib/shorewall")];
            lab = await startNatLab({ homes: [{ mac: MAC }] });
            home = lab.homes[0].ns;
            initial = lab.snapshot();
        });
        after(async () => {
            if (lab) await removeGateway(session(), { lab: "sw", stateDir: `${lab.toolbox.stateRoot}/sw` }).catch(() => undefined);
            await closeAll();
            await lab?.destroy();
        });

        it("NATs home to corp and answers DNS, with Shorewall as the toolbox's firewall", async () => {
            const result = await applyGateway(session(), spec());
            assert.deepEqual(result.changed, [
                `state directory ${lab.toolbox.stateRoot}/sw`, "dnsmasq.conf", "hosts list", "Shorewall configuration", "address 192.168.32.1/24 on tb-home0",
                "tb-home0 up", "IPv4 forwarding on", "NAT (Shorewall started)", "DNS proxy started",
            ]);
            assert.equal(httpGet(home, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
            assert.deepEqual(lab.httpClients(), [lab.toolbox.address]);
            assert.deepEqual(resolveA(home, "192.168.32.1", "vh0"), ["192.168.32.2"]);
            assert.deepEqual(resolveA(home, "192.168.32.1", `files.corp.test`), [lab.corp.server]);
            // The policy keeps the toolbox reachable from upstream: our SSH session still works.
            assert.equal((await session().runOrThrow(sh`echo still-here`)).stdout, "still-here\n");
        });

        it("keeps corp out of the home network, even with a route to it", () => {
            lab.exec(lab.ns.corp, ["ip", "route", "add", "192.168.32.0/24", "via", lab.toolbox.address]);
            try {
                assert.ok(!pings(lab.ns.corp, "192.168.32.2"));
            } finally {
                lab.exec(lab.ns.corp, ["ip", "route", "del", "192.168.32.0/24"]);
            }
        });

        it("changes nothing when applied again, and inspect finds no drift", async () => {
            assert.deepEqual((await applyGateway(session(), spec())).changed, []);
            assert.deepEqual((await inspectGateway(session(), spec())).drift, []);
        });

        it("refuses a second lab with Shorewall on the same toolbox, before changing anything", async () => {
            const other = { ...spec(), lab: "sw2", stateDir: `${lab.toolbox.stateRoot}/sw2` };
            await assert.rejects(applyGateway(session(), other), (err: unknown) => {
                assert.ok(err instanceof GatewayStepError);
                assert.match(err.message, /lab sw already runs Shorewall on this toolbox, and Shorewall is one firewall per host; use natBackend "nftables" for lab sw2/);
                return true;
            });
            assert.ok(!fs.existsSync(`${lab.toolbox.stateRoot}/sw2`));
        });

        it("reports Shorewall stopped as drift", async () => {
            const r = await session().run(sh`VARDIR=${lab.toolbox.stateRoot}/sw/shorewall/var ${lab.toolbox.stateRoot}/sw/shorewall/firewall clear`);
            assert.equal(r.exitCode, 0, r.stderr);
            const drift = (await inspectGateway(session(), spec())).drift;
            assert.deepEqual(drift.map((d) => d.item), ["NAT"]);
            assert.match(drift[0].actual, /^Shorewall is not running \(status exit code 3\)$/);
            assert.deepEqual((await applyGateway(session(), spec())).changed, ["NAT (Shorewall started)"]);
        });

        it("remove restores the toolbox, and nothing was written to /etc/shorewall or /var/lib/shorewall", async () => {
            const result = await removeGateway(session(), { lab: "sw", stateDir: `${lab.toolbox.stateRoot}/sw` });
            assert.ok(result.removed.includes("Shorewall rules"), result.summary);
            assert.deepEqual(lab.snapshot(), initial);
            assert.deepEqual([fs.readdirSync(lab.toolbox.shorewallEtc), fs.readdirSync(lab.toolbox.shorewallVar)], [[], []]);
            assert.deepEqual([...fs.readdirSync("/etc/shorewall"), ...fs.readdirSync("/var/lib/shorewall")], machineShorewall);
        });

        it("refuses to take over a toolbox whose own Shorewall runs", async () => {
            // The toolbox's own configuration, in what it sees as /etc/shorewall.
            const etc = lab.toolbox.shorewallEtc;
            const own = renderShorewallFiles(samplePlan({ stateDir: "/nonexistent", homeInterface: "tb-home0", upstreamInterface: "tb-up" }));
            for (const [name, content] of Object.entries(own)) fs.writeFileSync(path.join(etc, name), name === "shorewall.conf" ? "STARTUP_ENABLED=Yes\nIP_FORWARDING=Keep\nLOG_MARTIANS=Keep\n" : content);
            try {
                assert.equal((await session().run(sh`shorewall start`, { timeoutMs: 60_000 })).exitCode, 0);
                await assert.rejects(applyGateway(session(), spec()), /Shorewall already runs on this toolbox with its own configuration/);
                assert.ok(!fs.existsSync(`${lab.toolbox.stateRoot}/sw`));
            } finally {
                await session().run(sh`shorewall clear; nft flush ruleset`, { timeoutMs: 60_000 });
                for (const d of [etc, lab.toolbox.shorewallVar]) for (const f of fs.readdirSync(d)) fs.rmSync(path.join(d, f), { recursive: true });
            }
        });

        it("switches a lab between nftables and Shorewall, taking the old NAT down first", async () => {
            const nft = await applyGateway(session(), spec({ natBackend: "nftables" }));
            assert.ok(nft.changed.includes("NAT (nft table loaded)"), nft.summary);
            const sw = await applyGateway(session(), spec());
            assert.ok(sw.changed.includes("nftables NAT removed (backend is now shorewall)"), sw.summary);
            assert.ok(!lab.snapshot().ruleset.includes("vh_sw"));
            assert.equal(httpGet(home, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
            const back = await applyGateway(session(), spec({ natBackend: "nftables" }));
            assert.ok(back.changed.includes("shorewall NAT removed (backend is now nftables)"), back.summary);
            assert.equal(httpGet(home, `http://${lab.corp.server}:${lab.corp.httpPort}/`).stdout, "corp-ok\n");
            await removeGateway(session(), { lab: "sw", stateDir: `${lab.toolbox.stateRoot}/sw` });
            assert.deepEqual(lab.snapshot(), initial);
        });
    });
});
