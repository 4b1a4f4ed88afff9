/**
 * Requirements: root, /usr/sbin/sshd and ssh-keygen (test/helpers/sshd.ts). Runs against a real
 * OpenSSH sshd on loopback; nothing here touches the network configuration.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GatewayPrivilegeError, GatewayStepError } from "../../../provider/gateway";
import { Toolbox } from "../../../provider/gateway/toolbox";
import { closeAll, getSession } from "../../../provider/ssh";
import { Sshd, sshdSkipReason, startSshd } from "../../helpers/sshd";
import { HOSTILE_VALUES } from "../xe/hostileValues";

describe("provider/gateway/toolbox (real sshd)", function () {
    this.timeout(30_000);
    let sshd: Sshd;
    let dir: string;
    const root = () => getSession({ host: sshd.host, port: sshd.port, user: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey });

    before(async function () {
        if (sshdSkipReason()) this.skip();
        sshd = await startSshd();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-gw-toolbox-"));
    });
    after(async () => {
        await closeAll();
        await sshd?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("refuses a login that is neither root nor allowed passwordless sudo, saying what to do", async () => {
        const user = getSession({ host: sshd.host, port: sshd.port, user: sshd.users.password.user, password: sshd.users.password.password, hostKey: sshd.hostKey });
        await assert.rejects(Toolbox.open(user), (err: unknown) => {
            assert.ok(err instanceof GatewayPrivilegeError);
            assert.match(err.message, new RegExp(`^toolbox gateway: ${sshd.users.password.user}@127\\.0\\.0\\.1:\\d+ logs in as ${sshd.users.password.user}, which is not root and cannot use sudo without a password \\(.+\\); log in as root, or allow ${sshd.users.password.user} passwordless sudo$`));
            assert.ok(!err.message.includes(sshd.users.password.password));
            return true;
        });
    });

    it(`writes file contents through stdin byte for byte, and reads them back (${HOSTILE_VALUES.length} hostile values)`, async () => {
        const toolbox = await Toolbox.open(root());
        const file = path.join(dir, "content");
        const markers = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("vh-pwned-"));
        const already = markers();
        for (const value of HOSTILE_VALUES) {
            assert.equal(await toolbox.syncFile(file, `${value}\n`), true);
            assert.equal(fs.readFileSync(file, "utf8"), `${value}\n`);
            assert.equal(await toolbox.readFile(file), `${value}\n`);
        }
        assert.equal(await toolbox.syncFile(file, `${HOSTILE_VALUES.at(-1)}\n`), false, "an identical file is not rewritten");
        assert.deepEqual(markers(), already);
        assert.equal(await toolbox.readFile(path.join(dir, "missing")), undefined);
    });

    it("passes values to scripts as quoted arguments, never as script text", async () => {
        const toolbox = await Toolbox.open(root());
        for (const value of HOSTILE_VALUES.filter((v) => v.length < 200)) {
            const r = await toolbox.script('printf "%s" "$1"', [value]);
            assert.equal(r.stdout, value);
        }
    });

    it("names the step, the toolbox, the command and its stderr when a step fails", async () => {
        const toolbox = await Toolbox.open(root());
        await assert.rejects(toolbox.mustExec("load the NAT rules", ["ls", "/nonexistent-vh-dir"]), (err: unknown) => {
            assert.ok(err instanceof GatewayStepError);
            assert.equal(err.step, "load the NAT rules");
            assert.match(err.message, /^toolbox gateway: could not load the NAT rules on root@127\.0\.0\.1:\d+: ls \/nonexistent-vh-dir exited with 2\nls: cannot access '\/nonexistent-vh-dir': No such file or directory$/);
            return true;
        });
    });
});
