import * as assert from "node:assert/strict";
import { parseMap, parseMinimal, parseRecordFields, parseRecords, parseSet, parseValue } from "../../../provider/xe/parse";
import { xeFixture } from "./fixtures";

describe("provider/xe/parse", () => {
    describe("parseRecords", () => {
        it("reads multi-record output with aligned keys (vm-list params=…)", () => {
            const records = parseRecords(xeFixture("vm-list-params.txt"));
            assert.equal(records.length, 3);
            assert.deepEqual(records[1], {
                uuid: "c98c2e2b-a8cf-fe0a-a3c3-2e492c541ef9",
                "name-label": "win2k8",
                "power-state": "running",
                "memory-actual": "1073713152",
                "VCPUs-number": "1",
            });
            // A value that itself contains ": " stays whole.
            assert.equal(records[2]["name-label"], "Control domain on host: s10820.dc2");
        });

        it("keeps the access tags and reads an empty value with its trailing space", () => {
            const [fields] = parseRecordFields(xeFixture("network-list.txt"));
            assert.deepEqual(fields.map((f) => [f.name, f.access, f.value]), [
                ["uuid", "RO", "e0f9ba3d-f27b-7380-413a-0491db9e0ec4"],
                ["name-label", "RW", "Pool-wide network associated with eth1"],
                ["name-description", "RW", ""],
                ["bridge", "RO", "xenbr1"],
            ]);
        });

        it("reads an empty value whose trailing space was stripped, and a record with no blank line after it", () => {
            const records = parseRecords(xeFixture("vdi-list-stripped.txt"));
            assert.equal(records.length, 1);
            assert.equal(records[0]["name-description"], "");
            assert.equal(records[0]["virtual-size"], "268435456000");
        });

        it("reads params=all records with map and set fields and <expensive field>", () => {
            const fields = parseRecordFields(xeFixture("host-list-params-all.txt"));
            assert.equal(fields.length, 1);
            const byName = Object.fromEntries(fields[0].map((f) => [f.name, f]));
            assert.equal(byName["software-version"].access, "MRO");
            assert.equal(byName["allowed-operations"].access, "SRO");
            assert.equal(byName["tags"].access, "SRW");
            assert.equal(byName["other-config"].access, "MRW");
            assert.equal(byName["memory-free-computed"].value, "<expensive field>");
            assert.equal(byName["current-operations"].value, "");
            assert.equal(byName["memory-free"].value, "135045120");
            assert.equal(fields[0].length, 40);
        });

        it("splits vm-disk-list output at its 'Disk n VBD:' headings", () => {
            const records = parseRecords(xeFixture("vm-disk-list.txt"));
            assert.equal(records.length, 4);
            assert.deepEqual(records[0], { "vm-name-label": "Transfer VM for VDI 07f1cca1-056d-4694-879e-adcb2ed989e1", device: "xvda", type: "Disk" });
            assert.equal(records[3].uuid, "2150d8e4-d359-4f8b-889d-8dc63668c045");
        });

        it("reads records whose first field is not uuid", () => {
            const records = parseRecords(xeFixture("vif-list-params.txt"));
            assert.deepEqual(records.map((r) => r.MAC), ["9a:09:b5:66:31:a9", "8e:b0:fb:7c:c1:00", "da:e5:24:41:a4:23"]);
        });

        it("reads right-aligned param-list output", () => {
            const [record] = parseRecords(xeFixture("vm-param-list-excerpt.txt"));
            assert.equal(record["user-version"], "1");
            assert.deepEqual(parseMap(record.platform), { acpi: "true", apic: "true", pae: "true", nx: "false" });
            assert.deepEqual(parseSet(record["allowed-operations"]), ["pause", "clean_shutdown", "clean_reboot", "hard_shutdown", "hard_reboot", "suspend"]);
        });

        it("returns no records for empty output", () => {
            assert.deepEqual(parseRecords(""), []);
            assert.deepEqual(parseRecords("\n"), []);
        });

        it("recognises [DEPRECATED] fields", () => {
            const [fields] = parseRecordFields("uuid ( RO)                        : x\n    ha-always-run ( RW) [DEPRECATED]: false\n\n\n");
            assert.deepEqual(fields[1], { name: "ha-always-run", access: "RW", deprecated: true, value: "false" });
        });
    });

    describe("parseMinimal", () => {
        it("splits comma-joined values", () => {
            assert.deepEqual(parseMinimal(xeFixture("minimal-two.txt")), [
                "6f1e0000-0000-4000-8000-000000000001",
                "6f1e0000-0000-4000-8000-000000000002",
            ]);
        });

        it("reads an empty line as no values", () => {
            assert.deepEqual(parseMinimal(xeFixture("minimal-empty.txt")), []);
            assert.deepEqual(parseMinimal(""), []);
        });

        it("unescapes \\, and \\\\", () => {
            assert.deepEqual(parseMinimal(xeFixture("minimal-escaped.txt")), ["a,b", "c\\d", "plain"]);
        });

        it("reads sr-create's uuid followed by an empty line", () => {
            assert.deepEqual(parseMinimal(xeFixture("sr-create.txt")), ["81297512-07a6-4642-715a-fae6500a6cae"]);
        });

        it("keeps a backslash that escapes nothing", () => {
            assert.deepEqual(parseMinimal("a\\b,c\\\n"), ["a\\b", "c\\"]);
        });
    });

    describe("parseMap / parseSet / parseValue", () => {
        it("reads software-version, whose keys contain ':' and values ', '", () => {
            const [record] = parseRecords(xeFixture("host-list-params-all.txt"));
            const sv = parseMap(record["software-version"]);
            assert.equal(sv.product_version, "6.5.0");
            assert.equal(sv.build_number, "90233c");
            assert.equal(sv["xs:main"], "XenServer Pack, version 6.5.0, build 90233c");
            assert.equal(parseMap(record.cpu_info).cpu_count, "1");
            assert.equal(parseMap(record.cpu_info).modelname, "Intel Core i7 9xx (Nehalem Class Core i7)");
        });

        it("reads param-get of a map field", () => {
            assert.deepEqual(parseMap(parseValue(xeFixture("vm-param-get-hvm-boot-params.txt"))), { order: "dc" });
        });

        it("reads empty maps and sets as empty", () => {
            assert.deepEqual(parseMap(""), {});
            assert.deepEqual(parseSet(""), []);
            assert.deepEqual(parseSet("\n"), []);
        });

        it("reads a set with a trailing separator (capabilities) without inventing an empty member", () => {
            const [record] = parseRecords(xeFixture("host-list-params-all.txt"));
            assert.deepEqual(parseSet(record.capabilities), ["xen-3.0-x86_64", "xen-3.0-x86_32p", "hvm-3.0-x86_32", "hvm-3.0-x86_32p", "hvm-3.0-x86_64"]);
        });

        it("strips exactly one trailing newline from a param-get value", () => {
            assert.equal(parseValue("  spaced  \n"), "  spaced  ");
            assert.equal(parseValue("\n"), "");
        });
    });
});
