/**
 * Requirements: dnsmasq, nft and unshare (the nft check runs in a throwaway network namespace).
 * The rendered files are checked by the real tools, not only by comparing text.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderDnsmasqConf, renderHosts, renderNftRuleset } from "../../../provider/gateway/render";
import { samplePlan } from "./planFixture";

describe("provider/gateway/render", () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-gw-render-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("renders a dnsmasq configuration that dnsmasq accepts: gateway address only, upstream servers, our hosts file, no DHCP", function () {
        if (spawnSync("sh", ["-c", "command -v dnsmasq"]).status !== 0) this.skip();
        const plan = samplePlan({ stateDir: dir });
        const conf = renderDnsmasqConf(plan);
        const lines = conf.split("\n").filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(lines, [
            "listen-address=192.168.32.1", "bind-interfaces", "no-dhcp-interface=eth1", "no-resolv", "server=10.219.0.53", "server=10.219.0.54",
            "no-hosts", `addn-hosts=${dir}/hosts`, "domain-needed", `pid-file=${dir}/dnsmasq.pid`, `log-facility=${dir}/dnsmasq.log`,
        ]);
        assert.ok(!lines.some((l) => l.startsWith("dhcp-")), "no DHCP option");
        fs.writeFileSync(path.join(dir, "dnsmasq.conf"), conf);
        const r = spawnSync("dnsmasq", ["--test", `--conf-file=${dir}/dnsmasq.conf`], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /syntax check OK/);
        assert.match(renderDnsmasqConf(samplePlan({ dnsmasqUser: "nobody" })), /^user=nobody$/m);
    });

    it("renders the hosts file with each hypervisor's full and short name", () => {
        const body = renderHosts(samplePlan()).split("\n").filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(body, ["192.168.32.2 vh0.lab vh0", "192.168.32.3 vh1.lab vh1"]);
    });

    it("renders an nft table of the lab's own that nft accepts: masquerade home→upstream, forwarding limited to home→upstream and replies", function () {
        if (spawnSync("sh", ["-c", "command -v nft && command -v unshare"]).status !== 0 || process.getuid?.() !== 0) this.skip();
        const text = renderNftRuleset(samplePlan());
        assert.match(text, /^add table ip vh_lab_1\ndelete table ip vh_lab_1\ntable ip vh_lab_1 \{$/m);
        assert.match(text, /ip saddr 192\.168\.32\.0\/24 oifname "eth0" masquerade/);
        assert.match(text, /iifname "eth1" oifname "eth0" ip saddr 192\.168\.32\.0\/24 accept\n\t\toifname "eth1" ct state established,related accept\n\t\tiifname "eth1" drop\n\t\toifname "eth1" drop/);
        // The forward chain must not drop the toolbox's unrelated traffic.
        assert.match(text, /type filter hook forward priority filter; policy accept;/);
        const file = path.join(dir, "nftables.nft");
        fs.writeFileSync(file, text);
        const r = spawnSync("unshare", ["--net", "nft", "-c", "-f", file], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
    });
});
