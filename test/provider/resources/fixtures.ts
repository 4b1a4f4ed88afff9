/**
 * Shared by the resource specs (not a spec itself): a simulated host with its connection as stack
 * config and as an xe client, a stand-in installer ISO built once per test process, the seed's
 * answer file with a recognisable password, and calls.log helpers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnswerFile, seedAnswerFile } from "../../../provider/answerfile";
import type { ConnectionArgs } from "../../../provider/ssh";
import { XeClient } from "../../../provider/xe";
import { CallRecord, isWriteCommand, readCalls } from "../../../sim";
import { SimHost } from "../../helpers/simHost";
import { buildStandinIso } from "../../helpers/standinIso";

/** Secrets the specs look for in state and logs. */
export const ROOT_PASSWORD = "Root-pw-9f8e7d6c";

export function connectionOf(sim: SimHost): ConnectionArgs {
    const c = sim.connection;
    return { host: c.host, port: c.port, user: c.user, password: c.password, hostKey: c.hostKey };
}

/** The stack config a user would set for this host. */
export function stackConfig(sim: SimHost): Record<string, string> {
    const c = sim.connection;
    return {
        "virtual-hypervisor:host": c.host,
        "virtual-hypervisor:port": String(c.port),
        "virtual-hypervisor:user": c.user,
        "virtual-hypervisor:password": c.password,
        "virtual-hypervisor:hostKey": c.hostKey,
    };
}

export function xeOf(sim: SimHost): XeClient {
    return XeClient.connect(connectionOf(sim));
}

export function answerFile(): AnswerFile {
    return seedAnswerFile({ password: ROOT_PASSWORD, hostname: "vh0" });
}

let sourceIso: string | undefined;

/** A stand-in XenServer 8 installer ISO (built on first use, removed at exit). */
export function standinSourceIso(): string {
    if (sourceIso && fs.existsSync(sourceIso)) return sourceIso;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-res-iso-"));
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    sourceIso = buildStandinIso({ out: path.join(dir, "xenserver-8.iso"), flavor: "xenserver-8" });
    return sourceIso;
}

/** The calls logged after the first `from`. */
export function callsSince(stateDir: string, from: number): CallRecord[] {
    return readCalls(stateDir).slice(from);
}

export function callCount(stateDir: string): number {
    return readCalls(stateDir).length;
}

/** xe command names of the writing calls among `calls`. */
export function writes(calls: CallRecord[]): string[] {
    return calls.filter((c) => c.writes ?? isWriteCommand(c.argv)).map((c) => c.argv.join(" "));
}
