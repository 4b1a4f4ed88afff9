import * as assert from "node:assert/strict";
import { escapeMinimal, multiLineRecord, Printer } from "../../../sim/xe/printer";

function capture(minimal: boolean): { p: Printer; out: () => string } {
    let text = "";
    const p = new Printer({ stdout: (t) => { text += t; }, stderr: (t) => { text += `[err]${t}`; } }, minimal);
    return { p, out: () => text };
}

describe("sim/xe/printer", () => {
    it("pads the first key right and the others left to 4 + the longest key, like multi_line_record", () => {
        assert.equal(
            multiLineRecord([["uuid ( RO)", "a"], ["name-label ( RW)", "Control domain on host: xs1"], ["power-state ( RO)", "running"]]),
            "uuid ( RO)           : a\n     name-label ( RW): Control domain on host: xs1\n    power-state ( RO): running\n",
        );
    });

    it("ends every record with two empty lines, keeping the space after an empty value's colon", () => {
        const { p, out } = capture(false);
        p.print({ kind: "table", records: [[["uuid ( RO)", "u1"], ["name-description ( RW)", ""]], [["uuid ( RO)", "u2"]]] });
        assert.equal(out(), "uuid ( RO)                : u1\n    name-description ( RW): \n\n\nuuid ( RO)    : u2\n\n\n");
    });

    it("escapes ',' and '\\' in --minimal values", () => {
        assert.equal(escapeMinimal("a,b\\c"), "a\\,b\\\\c");
    });

    it("joins --minimal output with commas in reverse order of emission, ends with a newline, and prints an empty line for nothing", () => {
        const { p, out } = capture(true);
        p.print({ kind: "msg", text: "Disk 0 VBD:" });
        p.print({ kind: "table", records: [[["uuid ( RO)", "vbd"]]] });
        p.print({ kind: "table", records: [[["uuid ( RO)", "vdi"]], [["uuid ( RO)", "x,y"]]] });
        p.flush();
        assert.equal(out(), "vdi,x\\,y,vbd\n");
        const empty = capture(true);
        empty.p.print({ kind: "table", records: [] });
        empty.p.flush();
        assert.equal(empty.out(), "\n");
    });

    it("sends PStderr to stderr with a newline and suppresses it in minimal mode", () => {
        const a = capture(false);
        a.p.print({ kind: "stderr", text: "warn" });
        assert.equal(a.out(), "[err]warn\n");
        const b = capture(true);
        b.p.print({ kind: "stderr", text: "warn" });
        b.p.flush();
        assert.equal(b.out(), "\n");
    });
});
