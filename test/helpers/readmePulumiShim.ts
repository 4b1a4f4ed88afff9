/**
 * The `pulumi` executable of the documented walk-throughs (see readmePulumi.ts): sends its
 * arguments, working directory and stdin (when stdin is not a terminal, as the CLI reads a value
 * piped or redirected to `pulumi config set KEY`) to the test's interpreter on the Unix socket
 * named by VH_README_PULUMI_SOCKET, prints the reply's output and exits with its code. Run as a
 * program (writeBin), never imported.
 */
import * as fs from "node:fs";
import * as net from "node:net";

const REPLY_DEADLINE_MS = 300_000;

function main(): void {
    const socketPath = process.env.VH_README_PULUMI_SOCKET;
    if (!socketPath) {
        process.stderr.write("pulumi (test stand-in): VH_README_PULUMI_SOCKET is not set; this pulumi only runs inside test/readme.spec.ts\n");
        process.exit(2);
    }
    const stdin = process.stdin.isTTY ? "" : fs.readFileSync(0, "utf8");
    const request = JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), stdin });
    const conn = net.createConnection(socketPath);
    let reply = "";
    const timer = setTimeout(() => {
        process.stderr.write(`pulumi (test stand-in): no reply from the interpreter within ${REPLY_DEADLINE_MS / 1000} s\n`);
        process.exit(2);
    }, REPLY_DEADLINE_MS);
    conn.setEncoding("utf8");
    conn.on("connect", () => conn.write(`${request}\n`));
    conn.on("data", (d: string) => { reply += d; });
    conn.on("error", (err) => {
        process.stderr.write(`pulumi (test stand-in): cannot reach the interpreter at ${socketPath}: ${err.message}\n`);
        process.exit(2);
    });
    conn.on("end", () => {
        clearTimeout(timer);
        const { code, stdout, stderr } = JSON.parse(reply) as { code: number; stdout: string; stderr: string };
        // Let the writes drain before exiting (a pipe to jq must get every byte).
        process.exitCode = code;
        process.stdout.write(stdout);
        process.stderr.write(stderr);
    });
}

main();
