import * as assert from "node:assert";
import { AnswerfileError, InstallTarget, loadAnswerfile, parseAnswers, parseScripts, parseSetup } from "../../../sim/installer/answerfile";
import { installerFeatures } from "../../../sim/installer/versions";
import { PRODUCTS } from "../../../sim/products";
import { DHCP_ANSWERFILE, STATIC_ANSWERFILE } from "./installerIso";

const GiB = 1024 ** 3;
const target: InstallTarget = { disks: new Map([["/dev/sda", 80 * GiB]]), installedDisks: new Set(), nics: ["eth0", "eth1"], macs: ["aa:bb:cc:00:00:01", "aa:bb:cc:00:00:02"] };
const xs84 = installerFeatures(PRODUCTS["xenserver-8.4"]);
const xs71 = installerFeatures(PRODUCTS["xenserver-7.1"]);
const parse = (xml: string, features = xs84, t = target) => parseAnswers(loadAnswerfile(xml).root, t, features);
const rejects = (xml: string, message: string, features = xs84, t = target) =>
    assert.throws(() => parse(xml, features, t), (err: Error) => err instanceof AnswerfileError && err.message === message);
const edit = (from: string, to: string, base = STATIC_ANSWERFILE) => {
    assert.ok(base.includes(from), `fixture contains ${from}`);
    return base.replace(from, to);
};

describe("sim/installer/answerfile", () => {
    it("reads the seed's static answer file with its legacy element names", () => {
        const a = parse(STATIC_ANSWERFILE);
        if (a.mode === "upgrade") return assert.fail("a fresh install");
        assert.deepStrictEqual(
            { disk: a.primaryDisk, sr: a.srType, admin: a.admin, host: a.hostname, dns: a.nameServers, tz: a.timezone, pw: a.passwordType, src: a.sources },
            {
                disk: "/dev/sda", sr: "ext", admin: { name: "eth0", hwaddr: "aa:bb:cc:00:00:01", proto: "static", ip: "192.168.32.2", netmask: "255.255.255.0", gateway: "192.168.32.1" },
                host: "vh0.lab", dns: ["192.168.32.1"], tz: "America/Los_Angeles", pw: "plaintext", src: [{ media: "local", address: "Install disc" }],
            },
        );
        assert.deepStrictEqual(parseScripts(loadAnswerfile(STATIC_ANSWERFILE).root), [{ stage: "filesystem-populated", url: "file:///postinst.sh", element: "script" }]);
    });

    it("accepts the current element names and an interface chosen by MAC", () => {
        const xml = edit('<admin-interface name="eth0" proto="static">\n<ip>192.168.32.2</ip>\n<subnet-mask>255.255.255.0</subnet-mask>',
            '<admin-interface hwaddr="AA:BB:CC:00:00:02" proto="static">\n<ipaddr>10.0.0.2</ipaddr>\n<subnet>255.0.0.0</subnet>');
        const a = parse(xml);
        assert.ok(a.mode !== "upgrade" && a.admin.name === "eth1" && a.admin.ip === "10.0.0.2");
    });

    it("refuses malformed XML, a wrong root element, and names what is wrong", () => {
        assert.throws(() => loadAnswerfile("<installation><primary-disk>sda</installation>"), /^AnswerfileError: Answerfile is incorrectly formatted\. \(Expected closing tag 'primary-disk'/);
        assert.throws(() => loadAnswerfile("<installation/><installation/>"), /incorrectly formatted\. \(junk after the document element/);
        assert.throws(() => loadAnswerfile("<installation>&nbsp;</installation>"), /incorrectly formatted\. \(undefined entity &nbsp;\)/);
        assert.throws(() => loadAnswerfile("<install/>"), /Unexpected top level element \(<install>;/);
        assert.strictEqual(loadAnswerfile("<restore/>").operation, "restore");
    });

    it("applies the installer's rules with its messages", () => {
        rejects(edit("<primary-disk>sda</primary-disk>\n", ""), "Missing mandatory element primary-disk");
        rejects(edit("<gateway>192.168.32.1</gateway>\n", ""), "Missing mandatory element gateway");
        rejects(edit("<ip>192.168.32.2</ip>", "<ip></ip>"), "AssertionError (a static <admin-interface> with an empty <ip>/<ipaddr> or <subnet-mask>/<subnet>)");
        rejects(edit('proto="static"', 'proto="none"'), "<admin-interface> tag must have IPv4 or IPv6 defined.");
        rejects(edit('name="eth0" proto="static"', 'proto="static"'), "<admin-interface> tag must have one of 'name' or 'hwaddr'");
        rejects(edit('proto="static"', 'proto="none" protov6="static"'), "Missing mandatory element ipv6");
        rejects(edit('proto="static"', 'proto="static" vlan="4095"'), "Invalid value for vlan attribute specified.");
        rejects(edit('<installation srtype="ext">', '<installation srtype="xfs">'), "Unexpected key xfs for attribute (<installation sr-type=…> accepts lvm, ext)");
        rejects(edit("<root-password>", '<root-password type="md5">'), "Unexpected key md5 for attribute (<root-password type=…> accepts plaintext, hash)");
        rejects(edit('<source type="local"></source>', '<source type="cdrom"/>'), "Invalid type for <source> media specified.");
        rejects(edit('<source type="local"></source>\n', ""), "Missing mandatory element source");
        rejects(edit('<installation srtype="ext">', '<installation mode="weird">'), "Unknown mode, weird");
        rejects(edit("</installation>", "<bootloader>extlinux</bootloader></installation>"), "Unsupported bootloader 'extlinux'");
        rejects(edit("</installation>", '<service name="sshd" state="on"/></installation>'), "Invalid state for service sshd: on");
        rejects(edit('<installation srtype="ext">', '<installation mode="upgrade">') + "", "Missing mandatory element existing-installation");
        rejects(edit("</installation>", "<existing-installation>sda</existing-installation></installation>", edit('<installation srtype="ext">', '<installation mode="upgrade">')),
            "Could not locate the installation specified to be reinstalled.");
    });

    it("checks disks at parse time from v10.10.38 only", () => {
        const noDisk: InstallTarget = { ...target, disks: new Map() };
        rejects(STATIC_ANSWERFILE, "Primary disk /dev/sda is missing", xs84, noDisk);
        rejects(edit("</installation>", "<guest-disk>sdb</guest-disk></installation>"), "Guest disk /dev/sdb is missing");
        assert.doesNotThrow(() => parse(STATIC_ANSWERFILE, xs71, noDisk));
    });

    it("knows <ntp> only on installers that have it", () => {
        const withNtp = (ntp: string) => edit("</installation>", `${ntp}</installation>`, DHCP_ANSWERFILE);
        rejects(withNtp('<ntp source="dhcp"/><ntp-server>pool.ntp.org</ntp-server>'), '<ntp-server> and <ntp-servers> elements are only valid when using <ntp source="manual" />');
        rejects(withNtp('<ntp source="ntpd"/>'), "Expected <ntp> source to be one of (dhcp, default, manual, none)");
        rejects(withNtp("<ntp/>"), "Missing mandatory attribute source");
        rejects(withNtp('<ntp source="none"/><ntp source="dhcp"/>'), "Expected zero or one <ntp> elements but found 2");
        const manual = parse(withNtp("<ntp-server>pool.ntp.org</ntp-server>"));
        assert.ok(manual.mode !== "upgrade" && manual.ntpMethod === "manual");
        const old = parse(withNtp('<ntp source="dhcp"/><ntp-server>pool.ntp.org</ntp-server>'), xs71);
        assert.ok(old.mode !== "upgrade" && old.ntpMethod === undefined && old.ntpServers[0] === "pool.ntp.org");
    });

    it("accepts an admin interface the VM lacks on 10.x (the installed host then has none)", () => {
        const a = parse(edit('name="eth0"', 'name="eth7"'));
        assert.ok(a.mode !== "upgrade" && a.adminMissing === "eth7");
    });

    it("reads scripts (new and deprecated forms) and the setup elements", () => {
        const root = loadAnswerfile(`<installation>
            <script stage="Installation-Start" type="url">file:///a.sh</script>
            <script stage="filesystem-populated" type="nfs">server:/p/b.sh</script>
            <post-install-script>file:///c.sh</post-install-script>
            <install-failed-script type="url">file:///d.sh</install-failed-script>
            <driver-source type="url">http://drivers/</driver-source>
            <ui-confirmation-prompt>false</ui-confirmation-prompt>
        </installation>`).root;
        assert.deepStrictEqual(parseScripts(root), [
            { stage: "installation-start", url: "file:///a.sh", element: "script" },
            { stage: "filesystem-populated", url: "nfs://server:/p/b.sh", element: "script" },
            { stage: "filesystem-populated", url: "file:///c.sh", element: "post-install-script" },
            { stage: "installation-complete", url: "file:///d.sh", element: "install-failed-script" },
        ]);
        assert.deepStrictEqual(parseSetup(root), { uiConfirmationPrompt: true, driverSources: [{ media: "url", address: "http://drivers/" }] });
        assert.throws(() => parseScripts(loadAnswerfile('<installation><script type="url">x</script></installation>').root), /Missing mandatory attribute stage/);
    });
});
