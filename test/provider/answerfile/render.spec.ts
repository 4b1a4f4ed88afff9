import * as assert from "node:assert/strict";
import { AnswerFileRenderError, parseAnswerFile, renderAnswerFile, seedAnswerFile, type AnswerFile } from "../../../provider/answerfile";
import { minidomParse, textsOf } from "./minidom";
import { expectGolden, RESTORE, SEED_STATIC_OPTIONS, UPGRADE, XCP_NG_83, XENSERVER_8_MAX } from "./models";

describe("renderAnswerFile", () => {
    describe("golden files", () => {
        it("renders the seed's dhcp answer file with the current element names", () => {
            expectGolden("golden-seed-dhcp.xml", renderAnswerFile(seedAnswerFile()), assert.equal);
        });

        it("renders the seed's static answer file with the current element names", () => {
            expectGolden("golden-seed-static.xml", renderAnswerFile(seedAnswerFile(SEED_STATIC_OPTIONS)), assert.equal);
        });

        it("renders a maximal XenServer 8 answer file", () => {
            expectGolden("golden-xenserver-8-max.xml", renderAnswerFile(XENSERVER_8_MAX), assert.equal);
        });

        it("renders an XCP-ng 8.3 answer file with a <raid> array and gpg-check switches", () => {
            expectGolden("golden-xcp-ng-8.3.xml", renderAnswerFile(XCP_NG_83), assert.equal);
        });
    });

    it("renders the same bytes for the same model (ISOs are content-addressed)", () => {
        assert.equal(renderAnswerFile(structuredClone(XENSERVER_8_MAX)), renderAnswerFile(XENSERVER_8_MAX));
    });

    it("renders mode restore as a top-level <restore> element and upgrade as a mode attribute", () => {
        const restore = minidomParse(renderAnswerFile(RESTORE));
        assert.equal(restore.top, "restore");
        assert.deepEqual(textsOf(restore, "backup-disk"), ["/dev/sda"]);
        const upgrade = minidomParse(renderAnswerFile(UPGRADE));
        assert.equal(upgrade.top, "installation");
        assert.equal(upgrade.attrs.mode, "upgrade");
        assert.deepEqual(textsOf(upgrade, "existing-installation"), ["sda"]);
    });

    it("renders uiConfirmationPrompt false as an empty element, which the installer's bool(text) reads as false", () => {
        const off = minidomParse(renderAnswerFile({ ...RESTORE, uiConfirmationPrompt: false }));
        assert.deepEqual(textsOf(off, "ui-confirmation-prompt"), [""]);
        const on = minidomParse(renderAnswerFile(RESTORE));
        assert.deepEqual(textsOf(on, "ui-confirmation-prompt"), ["true"]);
    });

    describe("escaping", () => {
        const hostile = [
            `a<b&c"d'e]]>f`,
            "</root-password><root-password type=\"hash\">!!",
            "pässwörd ünïcødé 😀 日本語",
            "&amp; &lt; &#65; literally",
            "<![CDATA[x]]> <!-- not a comment -->",
        ];

        for (const value of hostile) {
            it(`keeps the root password ${JSON.stringify(value)} intact for minidom and for parseAnswerFile`, () => {
                const model: AnswerFile = { ...seedAnswerFile(), rootPassword: { type: "plaintext", value } };
                const xml = renderAnswerFile(model);
                const doc = minidomParse(xml);
                assert.deepEqual(textsOf(doc, "root-password"), [value]);
                assert.equal(doc.elements.filter((e) => e.tag === "root-password").length, 1);
                assert.deepEqual(parseAnswerFile(xml).rootPassword, { type: "plaintext", value });
            });
        }

        it("escapes quotes, ampersands and angle brackets in attribute values", () => {
            const model: AnswerFile = {
                ...seedAnswerFile(),
                adminInterface: { name: `e"t<h>&'0`, proto: "dhcp" },
                services: [{ name: `a"b&c<d>'e`, state: "enabled" }],
            };
            const xml = renderAnswerFile(model);
            const doc = minidomParse(xml);
            assert.equal(doc.elements.find((e) => e.tag === "admin-interface")?.attrs.name, `e"t<h>&'0`);
            assert.equal(doc.elements.find((e) => e.tag === "service")?.attrs.name, `a"b&c<d>'e`);
            assert.deepEqual(parseAnswerFile(xml), model);
        });

        it("keeps unicode host names, scripts and sources as UTF-8 text", () => {
            const model: AnswerFile = {
                ...seedAnswerFile(),
                hostname: "hôte-ñ",
                scripts: [{ stage: "filesystem-populated", type: "url", location: "http://repo.example/ßcript?a=1&b=2" }],
            };
            const xml = renderAnswerFile(model);
            assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
            assert.ok(xml.includes("a=1&amp;b=2"));
            const doc = minidomParse(xml);
            assert.deepEqual(textsOf(doc, "hostname"), ["hôte-ñ"]);
            assert.deepEqual(textsOf(doc, "script"), ["http://repo.example/ßcript?a=1&b=2"]);
        });

        it("refuses a control character XML cannot carry, naming the field but not the secret", () => {
            const model: AnswerFile = { ...seedAnswerFile(), rootPassword: { type: "plaintext", value: "secret\u0001pass" } };
            assert.throws(() => renderAnswerFile(model), (err: unknown) => {
                assert.ok(err instanceof AnswerFileRenderError);
                assert.equal(err.message, "cannot render answer file field rootPassword.value: XML 1.0 cannot carry the character U+0001 at index 6");
                return true;
            });
            assert.throws(() => renderAnswerFile({ ...seedAnswerFile(), hostname: "a\uFFFEb" }), /field hostname: XML 1.0 cannot carry the character U\+FFFE at index 1/);
        });
    });
});
