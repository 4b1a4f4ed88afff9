/**
 * What xe prints and how: the server's printer (cli_printer.ml) and the thin client's handling of
 * each message (newcli.ml main_loop). `Print s` reaches stdout as s + "\n"; `PrintStderr s` reaches
 * stderr unchanged. A record table is every record rendered by multi_line_record and sent as
 * `Print (record ^ "\n")`, so each record ends with two empty lines.
 */

/** Where the xe process writes; the real launcher writes to fds 1 and 2 as the text is produced. */
export interface Out {
    stdout(text: string): void;
    stderr(text: string): void;
}

export type Field = [name: string, value: string];

export type PrintValue =
    | { kind: "msg"; text: string }
    | { kind: "table"; records: Field[][] }
    | { kind: "list"; items: string[] }
    | { kind: "stderr"; text: string };

/** cli_printer.ml multi_line_record: first key padded right, the others padded left, to 4 + longest. */
export function multiLineRecord(record: Field[]): string {
    const width = 4 + Math.max(0, ...record.map(([k]) => k.length));
    return record
        .map(([k, v], i) => `${i === 0 ? k.padEnd(width) : k.padStart(width)}: ${v}`)
        .join("\n") + "\n";
}

/** The `--minimal` escaping of one value: ',' → '\,' and '\' → '\\'. */
export function escapeMinimal(value: string): string {
    return value.replace(/[\\,]/g, (c) => `\\${c}`);
}

export class Printer {
    /** Minimal-mode output, consed like the OCaml buffer: emitted last, printed first. */
    private readonly buffer: string[] = [];

    constructor(
        private readonly out: Out,
        readonly minimal: boolean,
    ) {}

    /** `Command (Print s)` as the client shows it. */
    printLine(text: string): void {
        this.out.stdout(`${text}\n`);
    }

    print(value: PrintValue): void {
        if (this.minimal) {
            if (value.kind === "table") {
                if (value.records.length > 0 && value.records.every((r) => r.length > 0)) {
                    this.buffer.unshift(value.records.map((r) => escapeMinimal(r[0][1])).join(","));
                }
            } else if (value.kind === "list") {
                this.buffer.unshift(value.items.map(escapeMinimal).join(","));
            }
            return;
        }
        switch (value.kind) {
            case "table":
                for (const record of value.records) this.printLine(multiLineRecord(record) + "\n");
                break;
            case "list":
                for (const item of value.items) this.printLine(item);
                break;
            case "msg":
                this.printLine(value.text);
                break;
            case "stderr":
                this.out.stderr(`${value.text}\n`);
                break;
        }
    }

    /** End of a successful command: minimal mode prints its buffer joined by ',' (even when empty). */
    flush(): void {
        if (this.minimal) this.printLine(this.buffer.join(","));
    }
}
