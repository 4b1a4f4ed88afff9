import * as assert from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseSimArgs, SIM_USAGE } from "../../cli/commands/sim";
import { UsageError } from "../../cli/exit";
import { startSimHost } from "../helpers/simHost";
import { vh } from "./run";

/** The connection record's fields as SIM_USAGE (and so docs/cli.md) lists them: {"host","port",…}. */
function documentedInfoFields(): string[] {
    const listed = /^ {2}\{("\w+"(?:,"\w+")*)\}$/m.exec(SIM_USAGE);
    if (!listed) throw new Error("SIM_USAGE lists no connection record fields");
    return JSON.parse(`[${listed[1]}]`) as string[];
}

describe("vh sim", function () {
    this.timeout(30_000);

    it("parses its options, resolving the state dir and the product alias", () => {
        assert.deepStrictEqual(parseSimArgs(["--state-dir", "st", "--port=2222", "--host", "0.0.0.0", "--product-version", "7.1", "--install-seconds", "0.5", "--first-boot-seconds=3"], "/work"), {
            stateDir: "/work/st", port: 2222, host: "0.0.0.0", settings: { product: "xenserver-7.1", installSeconds: 0.5, firstBootSeconds: 3 },
        });
        assert.deepStrictEqual(parseSimArgs(["--state-dir", "/s"], "/"), { stateDir: "/s", port: 0, host: "127.0.0.1", settings: {} });
    });

    it("rejects bad options with a message naming the option, the rule and the value", () => {
        const bad: [string[], RegExp][] = [
            [[], /--state-dir is required/],
            [["--state-dir"], /--state-dir needs a value/],
            [["--state-dir", "s", "--bogus"], /unknown option "--bogus"/],
            [["--state-dir", "s", "--port", "70000"], /--port must be an integer from 0 to 65535, got "70000"/],
            [["--state-dir", "s", "--install-seconds", "soon"], /--install-seconds must be a number from 0 to 86400, got "soon"/],
            [["--state-dir", "s", "--product-version", "9.9"], /--product-version: product version must be one of .*got "9\.9"/],
        ];
        for (const [argv, message] of bad) assert.throws(() => parseSimArgs(argv, "/"), (err: Error) => err instanceof UsageError && message.test(err.message));
    });

    it("prints its usage for --help and exits 2 with the usage on a bad option", async () => {
        const help = await vh(["sim", "--help"]);
        assert.strictEqual(help.code, 0);
        assert.strictEqual(help.stdout, SIM_USAGE);
        const bad = await vh(["sim", "--state-dir", "x", "--port", "-1"]);
        assert.strictEqual(bad.code, 2);
        assert.match(bad.stderr, /^vh sim: --port must be an integer from 0 to 65535, got "-1"\n\nusage: vh sim --state-dir DIR/);
        assert.match((await vh(["--help"])).stdout, /\n {2}sim +run a simulated XenServer host/);
    });

    it("refuses to reopen a state directory as another product (exit 2)", async () => {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-simcli-"));
        try {
            const host = await startSimHost({ stateDir, product: "8.4" });
            await host.stop();
            const r = await vh(["sim", "--state-dir", stateDir, "--product-version", "7.1"]);
            assert.strictEqual(r.code, 2);
            assert.strictEqual(r.stdout, "", "no connection line is printed");
            assert.match(r.stderr, /impersonates xenserver-8\.4, not xenserver-7\.1/);
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });

    it("prints exactly one JSON line with the connection record first, and logs to stderr", async () => {
        const host = await startSimHost({ product: "xcp-ng-8.3", installSeconds: 3 });
        try {
            assert.deepStrictEqual(Object.keys(host.info), documentedInfoFields());
            assert.strictEqual(host.connection.user, "root");
            assert.strictEqual(host.connection.privateKeyPath, path.join(host.stateDir, "ssh", "id_ed25519"));
            assert.strictEqual(fs.statSync(host.connection.privateKeyPath).mode & 0o777, 0o600);
            assert.match(host.stderr(), /host xenserver-sim: xcp-ng-8\.3, installs take 3 s, first boots 1 s/);
            assert.ok(!host.stderr().includes(host.connection.password), "the password never appears in the log");
        } finally {
            await host.stop();
        }
        assert.strictEqual(host.stdout(), "", "nothing on stdout after the connection line, up to the exit");
    });
});
