/**
 * The two ways tests reach a simulated XenServer over SSH, so every xe integration test runs on
 * both: real OpenSSH sshd with sim/bin first on PATH, and the simulator's own ssh2 front (through
 * test/helpers/simHost.ts when it exists, else sim/server directly).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeAll, ConnectionArgs } from "../../../provider/ssh";
import { XeClient } from "../../../provider/xe";
import { SIM_BIN } from "../../helpers/paths";
import { sshdSkipReason, startSshd } from "../../helpers/sshd";

export interface XeFront {
    connection: ConnectionArgs;
    /** The simulated host's state directory (faults.json, calls.log). */
    stateDir: string;
    /** Everything the front logged (sshd's log), for secret checks. */
    log(): string;
    stop(): Promise<void>;
}

export interface FrontKind {
    name: string;
    /** Why the front cannot run here, or undefined. */
    skipReason(): string | undefined;
    start(): Promise<XeFront>;
}

const SIM_XE_BUILT = path.join(__dirname, "..", "..", "..", "sim", "entry", "xe.js");

export const FRONTS: FrontKind[] = [
    {
        name: "OpenSSH sshd + simulated xe",
        skipReason: () => sshdSkipReason() ?? (fs.existsSync(SIM_XE_BUILT) ? undefined : "the simulator's xe is not built"),
        async start() {
            const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-xe-sshd-"));
            const sshd = await startSshd({ path: [SIM_BIN], env: { XE_SIM_STATE: stateDir } });
            return {
                connection: { host: sshd.host, port: sshd.port, user: sshd.users.key.user, privateKey: sshd.users.key.privateKey, hostKey: sshd.hostKey },
                stateDir,
                log: () => sshd.log(),
                stop: async () => {
                    await sshd.stop();
                    fs.rmSync(stateDir, { recursive: true, force: true });
                },
            };
        },
    },
    {
        name: "simulator's ssh2 front",
        skipReason: () => (fs.existsSync(SIM_XE_BUILT) ? undefined : "the simulator is not built"),
        async start() {
            const helper = path.join(__dirname, "..", "..", "helpers", "simHost.js");
            if (fs.existsSync(helper)) {
                const { startSimHost } = require(helper) as {
                    startSimHost(): Promise<{ connection: { host: string; port: number; user: string; password: string; hostKey: string }; stateDir: string; stop(): Promise<void> }>;
                };
                const sim = await startSimHost();
                const { host, port, user, password, hostKey } = sim.connection;
                return { connection: { host, port, user, password, hostKey }, stateDir: sim.stateDir, log: () => "", stop: () => sim.stop() };
            }
            const { startSimServer } = require("../../../sim/server") as typeof import("../../../sim/server");
            const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-xe-simfront-"));
            const lines: string[] = [];
            const server = await startSimServer({ stateDir, log: (l) => lines.push(l) });
            const { host, port, user, password, hostKeySha256 } = server.info;
            return {
                connection: { host, port, user, password, hostKey: hostKeySha256 },
                stateDir,
                log: () => lines.join("\n"),
                stop: async () => {
                    await server.close();
                    fs.rmSync(stateDir, { recursive: true, force: true });
                },
            };
        },
    },
];

export interface FrontContext {
    front: XeFront;
    xe: XeClient;
    /** Lines the SSH layer logged (retries, reconnects). */
    logLines: string[];
}

/**
 * Declares `body` once per front, each in its own describe with a started front and a connected
 * XeClient in `ctx`; skipped with the reason when the front cannot run here.
 */
export function describeOnEachFront(title: string, body: (ctx: FrontContext) => void): void {
    for (const kind of FRONTS) {
        describe(`${title} [${kind.name}]`, function () {
            this.timeout(60_000);
            const ctx = { logLines: [] as string[] } as FrontContext;
            before(async function () {
                const reason = kind.skipReason();
                if (reason) {
                    this.test!.title += ` (skipped: ${reason})`;
                    this.skip();
                }
                ctx.front = await kind.start();
                ctx.xe = XeClient.connect(ctx.front.connection, { log: (line) => ctx.logLines.push(line) });
            });
            after(async () => {
                await closeAll();
                await ctx.front?.stop();
            });
            body(ctx);
        });
    }
}
