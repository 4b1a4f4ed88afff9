import * as assert from "node:assert/strict";
import { AnswerFileParseError, parseAnswerFile, renderAnswerFile, seedAnswerFile, validateAnswerFile, type AnswerFile } from "../../../provider/answerfile";
import { minidomParse, textsOf } from "./minidom";
import { fixture, RESTORE, SEED_STATIC_OPTIONS, UPGRADE, XCP_NG_83, XENSERVER_8_MAX } from "./models";

const wrap = (body: string, attrs = "") => `<?xml version="1.0"?>\n<installation${attrs}>\n${body}\n</installation>\n`;

function parseError(xml: string, message: string | RegExp): void {
    assert.throws(() => parseAnswerFile(xml), (err: unknown) => {
        assert.ok(err instanceof AnswerFileParseError, `expected AnswerFileParseError, got ${String(err)}`);
        if (typeof message === "string") assert.equal(err.message, message);
        else assert.match(err.message, message);
        return true;
    });
}

describe("parseAnswerFile", () => {
    describe("the seed's exact outputs", () => {
        it("reads the seed's dhcp file as the seed-defaults model", () => {
            assert.deepEqual(parseAnswerFile(fixture("seed-dhcp.xml")), seedAnswerFile());
        });

        it("reads the seed's static file, deprecated <ip>, <subnet-mask>, <nameserver> and srtype included", () => {
            assert.deepEqual(parseAnswerFile(fixture("seed-static.xml")), seedAnswerFile(SEED_STATIC_OPTIONS));
        });

        for (const name of ["seed-dhcp.xml", "seed-static.xml"]) {
            it(`round-trips ${name} through render and parse`, () => {
                const model = parseAnswerFile(fixture(name));
                assert.deepEqual(parseAnswerFile(renderAnswerFile(model)), model);
            });
        }
    });

    describe("round trip model → XML → model", () => {
        const cases: [string, AnswerFile][] = [
            ["golden-xenserver-8-max.xml", XENSERVER_8_MAX],
            ["golden-xcp-ng-8.3.xml", XCP_NG_83],
        ];
        for (const [file, model] of cases) {
            it(`parses ${file} back into its model`, () => {
                assert.deepEqual(parseAnswerFile(fixture(file)), model);
            });
        }
        const models: [string, AnswerFile][] = [["upgrade", UPGRADE], ["restore", RESTORE], ["seed static", seedAnswerFile(SEED_STATIC_OPTIONS)]];
        for (const [name, model] of models) {
            it(`is the identity for the ${name} model`, () => {
                assert.deepEqual(parseAnswerFile(renderAnswerFile(model)), model);
            });
        }
    });

    it("accepts every deprecated spelling the installer accepts", () => {
        const xml = wrap(`
<primary-disk gueststorage="no">sda</primary-disk>
<admin-interface name="eth0" proto="static"><ip>10.0.0.2</ip><subnet-mask>255.0.0.0</subnet-mask><gateway>10.0.0.1</gateway></admin-interface>
<nameserver>10.0.0.53</nameserver>
<ntp-servers>ntp.example</ntp-servers>
<post-install-script type="NFS">server:/post.sh</post-install-script>
<install-failed-script>http://x.example/failed.sh</install-failed-script>
<source type="local"/>`, ` srtype="lvm"`);
        assert.deepEqual(parseAnswerFile(xml), {
            srType: "lvm",
            primaryDisk: { device: "sda", guestStorage: false },
            adminInterface: { name: "eth0", proto: "static", ipv4: { address: "10.0.0.2", netmask: "255.0.0.0", gateway: "10.0.0.1" } },
            nameServers: ["10.0.0.53"],
            ntp: { servers: ["ntp.example"] },
            postInstallScript: { type: "nfs", location: "server:/post.sh" },
            installFailedScript: { location: "http://x.example/failed.sh" },
            sources: [{ type: "local" }],
        });
    });

    describe("reads a file the way host-installer does", () => {
        it("lists <name-server>s before <nameserver>s, as xmlunwrap's per-tag lookup does", () => {
            const m = parseAnswerFile(wrap("<nameserver>1.1.1.1</nameserver><name-server>2.2.2.2</name-server><nameserver>3.3.3.3</nameserver>"));
            assert.deepEqual(m.nameServers, ["2.2.2.2", "1.1.1.1", "3.3.3.3"]);
        });

        it("prefers sr-type over srtype when both are present", () => {
            assert.equal(parseAnswerFile(wrap("", ` srtype="lvm" sr-type="ext"`)).srType, "ext");
        });

        it("finds elements anywhere below the top element and takes the first where it reads one", () => {
            const m = parseAnswerFile(wrap("<wrapper><guest-disk>sdc</guest-disk><hostname>inner</hostname></wrapper><hostname>outer</hostname><primary-disk>sda</primary-disk><primary-disk>sdb</primary-disk>"));
            assert.deepEqual(m.guestDisks, ["sdc"]);
            assert.equal(m.hostname, "inner");
            assert.equal(m.primaryDisk?.device, "sda");
        });

        it("joins an element's own text, strips it, decodes references and skips comments and CDATA, as minidom does", () => {
            const xml = wrap("<hostname>\n  h&#233;te<!-- note -->&#x2d;1  \n</hostname><keymap><![CDATA[us]]></keymap><timezone>Etc/&lt;UTC&gt;</timezone>");
            const m = parseAnswerFile(xml);
            assert.equal(m.hostname, "héte-1");
            assert.equal(m.keymap, "", "the installer's text reading ignores CDATA sections, so it sees an empty keymap");
            assert.equal(m.timezone, "Etc/<UTC>");
            const doc = minidomParse(xml);
            assert.deepEqual([textsOf(doc, "hostname"), textsOf(doc, "keymap"), textsOf(doc, "timezone")], [[m.hostname], [m.keymap], [m.timezone]]);
        });

        it("reads boolean attributes as true only for true/yes, in any case", () => {
            const m = parseAnswerFile(wrap(`<primary-disk guest-storage="YES" sr-at-end="maybe" swraid="False" preserve-first-partition="no">sda</primary-disk>`));
            assert.deepEqual(m.primaryDisk, { device: "sda", guestStorage: true, srAtEnd: false, swraid: false, preserveFirstPartition: false });
        });

        it("reads <ui-confirmation-prompt>false</ui-confirmation-prompt> as true, like Python's bool(text)", () => {
            assert.equal(parseAnswerFile(wrap("<ui-confirmation-prompt>false</ui-confirmation-prompt>")).uiConfirmationPrompt, true);
            assert.equal(parseAnswerFile(wrap("<ui-confirmation-prompt></ui-confirmation-prompt>")).uiConfirmationPrompt, false);
        });

        it("defaults a <root-password> without type to plaintext", () => {
            assert.deepEqual(parseAnswerFile(wrap("<root-password>x</root-password>")).rootPassword, { type: "plaintext", value: "x" });
        });

        it("reads a top-level <upgrade> as an installation with the mode attribute (default fresh)", () => {
            const m = parseAnswerFile(`<upgrade mode="upgrade"><existing-installation fs-type="ext4">sda</existing-installation></upgrade>`);
            assert.deepEqual(m, { mode: "upgrade", existingInstallation: { device: "sda", fsType: "ext4" } });
        });

        it("lowercases script stages and types, as the installer does", () => {
            const m = parseAnswerFile(wrap(`<script stage="Filesystem-Populated" type="URL">file:///x.sh</script>`));
            assert.deepEqual(m.scripts, [{ stage: "filesystem-populated", type: "url", location: "file:///x.sh" }]);
        });

        it("splits <ipv6> into address and prefix length and keeps an unsplittable one whole", () => {
            const ok = parseAnswerFile(wrap(`<admin-interface name="eth0" proto="none" protov6="static"><ipv6>2001:db8::2/64</ipv6><gatewayv6>2001:db8::1</gatewayv6></admin-interface>`));
            assert.deepEqual(ok.adminInterface?.ipv6, { address: "2001:db8::2", prefixLength: 64, gateway: "2001:db8::1" });
            const bad = parseAnswerFile(wrap(`<admin-interface name="eth0" proto="none" protov6="static"><ipv6>2001:db8::2</ipv6></admin-interface>`));
            assert.equal(bad.adminInterface?.ipv6?.address, "2001:db8::2");
            assert.equal(bad.adminInterface?.ipv6?.prefixLength, undefined);
        });

        it("keeps values outside the closed sets as written, for validation to name", () => {
            const m = parseAnswerFile(wrap(`<admin-interface name="eth0" proto="bogus" vlan="ten"/><source type="cdrom"/>`));
            assert.equal(m.adminInterface?.proto, "bogus");
            assert.equal(m.adminInterface?.vlan, "ten");
            const messages = validateAnswerFile(m).errors.map((e) => e.message);
            assert.ok(messages.includes(`adminInterface.proto must be one of "static", "dhcp", "none", got "bogus"`), messages.join("\n"));
            assert.ok(messages.includes(`adminInterface.vlan must be an integer VLAN id from 1 to 4094, got "ten"`), messages.join("\n"));
            assert.ok(messages.includes(`sources[0].type must be one of "local", "url", "nfs", got "cdrom"`), messages.join("\n"));
        });
    });

    describe("errors", () => {
        it("rejects malformed XML with the parser's position", () => {
            parseError("<installation><hostname>x</installation>", /^answer file is not well-formed XML: Expected closing tag 'hostname' .* \(line 1, column \d+\)$/);
        });

        it("rejects a bare ampersand, as the seed's unescaped output could contain", () => {
            parseError(wrap("<root-password>a&b</root-password>"), /^answer file is not well-formed XML: .*line 3/);
        });

        it("rejects a top element the installer does not know", () => {
            parseError("<answers><hostname>x</hostname></answers>", "not an answer file: the top element must be <installation>, <upgrade> or <restore>, got <answers>");
        });

        it("rejects two top elements", () => {
            parseError("<installation/><restore/>", "answer file must have exactly one top element, found 2: <installation>, <restore>");
        });

        it("rejects a DOCTYPE (no entity definitions)", () => {
            parseError(`<?xml version="1.0"?>\n<!DOCTYPE installation [<!ENTITY x "y">]>\n<installation>&x;</installation>`, /DOCTYPE declaration .* on line 2$/);
        });

        it("rejects HTML entities XML does not define", () => {
            parseError(wrap("<hostname>a&nbsp;b</hostname>"), `answer file uses the undefined entity reference "&nbsp;" on line 3: only &amp; &lt; &gt; &quot; &apos; and numeric references are defined in XML`);
        });

        it("rejects mode=\"restore\" on <installation>, which the installer calls an unknown mode", () => {
            parseError(wrap("", ` mode="restore"`), /^<installation mode="restore"> is not a mode the installer knows/);
        });

        it("rejects two <ntp> elements and two deprecated script elements", () => {
            parseError(wrap(`<ntp source="dhcp"/><ntp source="none"/>`), "answer file has 2 <ntp> elements: the installer accepts zero or one");
            parseError(wrap(`<post-install-script>file:///a</post-install-script><post-install-script>file:///b</post-install-script>`), "answer file has 2 <post-install-script> elements: the installer ignores them all unless there is exactly one");
        });
    });
});
