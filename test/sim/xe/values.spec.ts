import * as assert from "node:assert/strict";
import { bytesOfString, cliBool } from "../../../sim/xe/values";
import { CliFailure } from "../../../sim/xe/errors";

describe("sim/xe/values", () => {
    it("parses sizes with xapi ≥ 24's grammar (case-insensitive units, blanks allowed)", () => {
        assert.equal(bytesOfString(3, "f", "80GiB"), 80 * 1024 ** 3);
        assert.equal(bytesOfString(3, "f", "6 gib"), 6 * 1024 ** 3);
        assert.equal(bytesOfString(3, "f", "512m"), 512 * 1024 ** 2);
        assert.equal(bytesOfString(3, "f", "1024"), 1024);
        assert.throws(() => bytesOfString(3, "virtual-size", "x"), (e: unknown) => e instanceof CliFailure
            && e.message === "Failed to parse field 'virtual-size': expecting an integer (possibly with suffix KiB, MiB, GiB, TiB), got 'x'");
    });

    it("parses sizes with the legacy grammar of 1.14 / 1.249 (exact-case KiB/MiB/GiB/TiB/bytes)", () => {
        assert.equal(bytesOfString(0, "f", "80GiB"), 80 * 1024 ** 3);
        assert.equal(bytesOfString(1, "f", "100"), 100);
        assert.throws(() => bytesOfString(1, "disk-size", "80gib"), (e: unknown) => e instanceof CliFailure
            && e.message === "Failed to parse field 'disk-size': Unknown suffix: 'gib' (try KiB, MiB, GiB or TiB)");
        assert.throws(() => bytesOfString(0, "disk-size", "x"), (e: unknown) => e instanceof CliFailure
            && e.message === "Failed to parse field 'disk-size': expecting an integer (possibly with suffix)");
        assert.throws(() => bytesOfString(0, "disk-size", ""), (e: unknown) => e instanceof CliFailure
            && e.message === "Failed to parse field 'disk-size': expecting an integer (possibly with suffix)");
    });

    it("accepts the CLI's lenient booleans and names the parameter otherwise", () => {
        for (const t of ["true", "T", "yes", "y", "1"]) assert.equal(cliBool("force", t), true);
        for (const f of ["false", "F", "no", "n", "0"]) assert.equal(cliBool("force", f), false);
        assert.throws(() => cliBool("force", "maybe"), /Failed to parse parameter 'force': Expected 'true','t','yes','y','1','false','f','no','n','0' got maybe/);
    });
});
