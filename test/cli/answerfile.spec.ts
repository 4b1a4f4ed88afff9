/**
 * `vh answerfile`, run as users run it: `node dist/cli/vh.js answerfile …` in a child process.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAnswerFile, seedAnswerFile, verifySha512Crypt } from "../../provider/answerfile";
import { minidomParse, textsOf } from "../provider/answerfile/minidom";
import { expectGolden, fixture, SEED_STATIC_OPTIONS } from "../provider/answerfile/models";
import { vh } from "./run";

const SEED_STATIC_ARGS = ["static", "-h", "vh0.lab", "-i", "192.168.32.2", "-m", "255.255.255.0", "-g", "192.168.32.1", "-p", "vhpass", "-n", "192.168.32.1"];

describe("vh answerfile", () => {
    let tmp: string;
    before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vh-answerfile-")); });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("prints the seed's dhcp answer file with a hashed default password and nothing on stderr", async () => {
        const r = await vh(["answerfile", "dhcp"]);
        assert.deepEqual([r.code, r.stderr], [0, ""]);
        const model = parseAnswerFile(r.stdout);
        assert.equal(model.rootPassword?.type, "hash");
        assert.equal(verifySha512Crypt("somepass", model.rootPassword!.value), true);
        assert.ok(!r.stdout.includes("somepass"), "no plaintext password in the output");
        assert.deepEqual({ ...model, rootPassword: undefined }, { ...seedAnswerFile(), rootPassword: undefined });
        assert.equal(minidomParse(r.stdout).top, "installation");
    });

    it("prints the seed's static example, byte-reproducible with --salt-context", async () => {
        const args = ["answerfile", ...SEED_STATIC_ARGS, "--salt-context", "lab/vh0"];
        const [a, b] = await Promise.all([vh(args), vh(args)]);
        assert.equal(a.code, 0, a.stderr);
        assert.equal(a.stdout, b.stdout);
        expectGolden("golden-cli-static.xml", a.stdout, assert.equal);
        const model = parseAnswerFile(a.stdout);
        assert.equal(verifySha512Crypt("vhpass", model.rootPassword!.value), true);
        assert.deepEqual({ ...model, rootPassword: undefined }, { ...seedAnswerFile(SEED_STATIC_OPTIONS), rootPassword: undefined });
    });

    it("writes the seed's plaintext password with --plaintext-password, and warns about it", async () => {
        const r = await vh(["answerfile", ...SEED_STATIC_ARGS, "--plaintext-password"]);
        assert.equal(r.code, 0);
        assert.equal(r.stdout, fixture("golden-seed-static.xml"));
        assert.equal(r.stderr, 'vh answerfile: warning: rootPassword is plaintext and lands readable in the ISO; use type "hash" (hashRootPassword), got type "plaintext"\n');
    });

    it("accepts long options and keeps every repeated -n", async () => {
        const long = await vh(["answerfile", "static", "--hostname", "vh0.lab", "--ip", "192.168.32.2", "--netmask", "255.255.255.0", "--gateway", "192.168.32.1",
            "--password", "vhpass", "--nameserver", "192.168.32.1", "--nameserver", "10.219.0.53", "-n", "2001:db8::53", "--salt-context", "x"]);
        const short = await vh(["answerfile", ...SEED_STATIC_ARGS, "-n", "10.219.0.53", "--nameserver=2001:db8::53", "--salt-context", "x"]);
        assert.equal(long.code, 0, long.stderr);
        assert.equal(long.stdout, short.stdout);
        assert.deepEqual(textsOf(minidomParse(long.stdout), "name-server"), ["192.168.32.1", "10.219.0.53", "2001:db8::53"]);
    });

    it("reads the password from --password-file or from stdin with --password-file -", async () => {
        const file = path.join(tmp, "pw");
        fs.writeFileSync(file, "fr0m-a-f1le\n");
        const fromFile = await vh(["answerfile", "dhcp", "--password-file", "pw"], { cwd: tmp });
        assert.equal(fromFile.code, 0, fromFile.stderr);
        assert.equal(verifySha512Crypt("fr0m-a-f1le", parseAnswerFile(fromFile.stdout).rootPassword!.value), true);
        const fromStdin = await vh(["answerfile", "dhcp", "--password-file", "-"], { input: "st<d>in&pass\r\n" });
        assert.equal(fromStdin.code, 0, fromStdin.stderr);
        assert.equal(verifySha512Crypt("st<d>in&pass", parseAnswerFile(fromStdin.stdout).rootPassword!.value), true);
    });

    it("escapes a hostile plaintext password so the output still parses", async () => {
        const hostile = `p<a>s&s"w'o]]>rd`;
        const r = await vh(["answerfile", "dhcp", "--plaintext-password", "--password", hostile]);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(textsOf(minidomParse(r.stdout), "root-password"), [hostile]);
    });

    describe("usage errors exit 2", () => {
        const cases: [string, string[], string][] = [
            ["static without netmask and gateway", ["static", "-i", "10.0.0.2"], "vh answerfile: static needs --netmask, --gateway (unlike the seed, which wrote empty elements)\n"],
            ["an unknown network configuration", ["manual"], 'vh answerfile: network configuration must be "dhcp" or "static", got "manual"\n'],
            ["no network configuration", ["-h", "vh0"], "vh answerfile: expected one network configuration, dhcp or static, got none\n"],
            ["two network configurations", ["dhcp", "static"], 'vh answerfile: expected one network configuration, dhcp or static, got "dhcp" "static"\n'],
            ["an unknown option", ["dhcp", "--bogus"], "vh answerfile: Unknown option '--bogus'"],
            ["-h without its host name", ["dhcp", "-h"], "vh answerfile: Option '-h, --hostname <value>' argument missing\n"],
            ["an unknown target", ["dhcp", "--target", "xenserver-6.5"], 'vh answerfile: --target must be one of xenserver-7.1, citrix-hypervisor-8.2, xenserver-8, xcp-ng-8.2, xcp-ng-8.3, xenserver-trunk, got "xenserver-6.5"\n'],
            ["both --password and --password-file", ["dhcp", "-p", "abcdefg", "--password-file", "x"], "vh answerfile: give the root password with --password or --password-file, not both\n"],
            ["--salt-context with --plaintext-password", ["dhcp", "--plaintext-password", "--salt-context", "x"], "vh answerfile: --salt-context has no effect with --plaintext-password\n"],
            ["a password file that does not exist", ["dhcp", "--password-file", "/nonexistent/pw"], 'vh answerfile: cannot read --password-file "/nonexistent/pw": ENOENT'],
        ];
        for (const [what, args, message] of cases) {
            it(`rejects ${what} and prints the usage`, async () => {
                const r = await vh(["answerfile", ...args]);
                assert.equal(r.code, 2);
                assert.equal(r.stdout, "");
                assert.ok(r.stderr.startsWith(message), r.stderr);
                assert.ok(r.stderr.includes("usage: vh answerfile dhcp|static [options]"));
            });
        }

        it("rejects invalid values with every validation message and without echoing the password", async () => {
            const r = await vh(["answerfile", "static", "-h", "bad_host", "-i", "192.168.32.2", "-m", "255.0.255.0", "-g", "10.0.0.1", "-p", "s3cr", "-n", "1.2.3"]);
            assert.equal(r.code, 2);
            assert.equal(r.stdout, "");
            assert.equal(r.stderr, [
                "vh answerfile: invalid answer file (4 errors):",
                "  - rootPassword.value must be at least 6 characters long (host-installer's minimum), got a password of 4 characters",
                '  - adminInterface.ipv4.netmask must be a contiguous IPv4 netmask such as 255.255.255.0, got "255.0.255.0"',
                '  - hostname must consist of dot-separated labels of letters, digits and inner hyphens, as an RFC 1123 host name such as vh0.lab, got "bad_host"',
                '  - nameServers[0] must be an IPv4 or IPv6 address such as 192.168.32.1, got "1.2.3"',
                "",
            ].join("\n"));
        });
    });

    it("prints its usage with --help and is listed by vh --help", async () => {
        const help = await vh(["answerfile", "--help"]);
        assert.equal(help.code, 0);
        assert.ok(help.stdout.startsWith("usage: vh answerfile dhcp|static [options]\n"));
        assert.ok(help.stdout.includes("-h, --hostname HOST"));
        const all = await vh(["--help"]);
        assert.match(all.stdout, /^ {2}answerfile +print an answer file for an unattended install/m);
    });

    it("checks the output against an installer with --target", async () => {
        const r = await vh(["answerfile", ...SEED_STATIC_ARGS, "--target", "xenserver-7.1"]);
        assert.deepEqual([r.code, r.stderr], [0, ""]);
        assert.equal(parseAnswerFile(r.stdout).hostname, "vh0.lab");
    });
});
