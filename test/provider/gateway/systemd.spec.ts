/**
 * Requirements: systemd-analyze (package systemd). This machine does not run systemd, so the
 * units are verified offline, with the executables they name present.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { renderDnsUnit, renderNetUnit } from "../../../provider/gateway/systemd";
import { samplePlan } from "./planFixture";

function which(tool: string): string {
    return spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
}

describe("provider/gateway/systemd", function () {
    let dir: string;
    before(function () {
        if (!which("systemd-analyze")) this.skip();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-gw-units-"));
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    const verify = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        const r = spawnSync("systemd-analyze", ["verify", "--man=no", file], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.doesNotMatch(r.stderr, new RegExp(`${name.replace(/\./g, "\\.")}:\\d+:`), r.stderr);
    };
    const tools = () => ({ ip: which("ip"), nft: which("nft"), dnsmasq: which("dnsmasq"), sysctl: which("sysctl") || "/sbin/sysctl" });

    it("renders a dnsmasq unit that systemd-analyze verifies, in the foreground with our config, reloadable", () => {
        const text = renderDnsUnit(samplePlan({ stateDir: dir, tools: tools() }));
        assert.match(text, new RegExp(`^ExecStart=${tools().dnsmasq} --keep-in-foreground --conf-file=${dir}/dnsmasq.conf$`, "m"));
        assert.match(text, /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
        assert.match(text, /^Wants=vh-lab-1-net\.service$/m);
        verify("vh-lab-1-dns.service", text);
    });

    it("renders a boot unit that replays address, link, forwarding and NAT (nftables and Shorewall)", () => {
        const nft = renderNetUnit(samplePlan({ stateDir: dir, tools: tools() }));
        assert.deepEqual(nft.split("\n").filter((l) => l.startsWith("ExecStart=")), [
            `ExecStart=${tools().ip} address replace 192.168.32.1/24 dev eth1`,
            `ExecStart=${tools().ip} link set dev eth1 up`,
            `ExecStart=${tools().sysctl} -w net.ipv4.ip_forward=1`,
            `ExecStart=${tools().nft} -f ${dir}/nftables.nft`,
        ]);
        verify("vh-lab-1-net.service", nft);
        fs.mkdirSync(path.join(dir, "shorewall"));
        fs.writeFileSync(path.join(dir, "shorewall", "firewall"), "#!/bin/sh\n", { mode: 0o755 });
        const sw = renderNetUnit(samplePlan({ stateDir: dir, tools: tools(), natBackend: "shorewall" }));
        assert.match(sw, new RegExp(`^Environment=VARDIR=${dir}/shorewall/var\nExecStart=${dir}/shorewall/firewall start$`, "m"));
        verify("vh-lab-1-net.service", sw);
    });
});
