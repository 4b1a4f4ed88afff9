/**
 * Host key verification happens before authentication: proven against an in-process ssh2 Server
 * that records every authentication request it receives.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Server } from "ssh2";
import { resolveConnectionArgs } from "../../../provider/ssh/args";
import { dialOnce } from "../../../provider/ssh/dial";
import { HostKeyMismatchError } from "../../../provider/ssh/errors";

describe("provider/ssh/dial (in-process ssh2 server)", () => {
    let dir: string;
    let server: Server;
    let port: number;
    let hostKeyLine: string;
    const authAttempts: Array<{ method: string; password?: string }> = [];

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-dial-"));
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host")]);
        hostKeyLine = fs.readFileSync(path.join(dir, "host.pub"), "utf8").split(" ").slice(0, 2).join(" ");
        server = new Server({ hostKeys: [fs.readFileSync(path.join(dir, "host"))] }, (client) => {
            client.on("authentication", (ctx) => {
                authAttempts.push({ method: ctx.method, password: ctx.method === "password" ? ctx.password : undefined });
                if (ctx.method === "password" && ctx.password === "the-password") ctx.accept();
                else ctx.reject(["password"]);
            });
            client.on("error", () => undefined);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as net.AddressInfo).port;
    });
    after(() => {
        server?.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(() => { authAttempts.length = 0; });

    const args = (hostKey: string) => resolveConnectionArgs({ host: "127.0.0.1", port, password: "the-password", hostKey });

    it("sends no authentication request at all when the host key does not match", async () => {
        await assert.rejects(dialOnce(args("SHA256:" + "Z".repeat(43)), () => undefined), HostKeyMismatchError);
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(authAttempts, []);
    });

    it("authenticates once the pinned key matches (the server does see requests then)", async () => {
        const { client } = await dialOnce(args(hostKeyLine), () => undefined);
        client.end();
        assert.deepEqual(authAttempts, [{ method: "password", password: "the-password" }]);
    });
});
