/**
 * The demo's proof that the teardown was complete: nothing of ours on the simulated host (every
 * object class we create, looked up by our ownership tag and by the names we gave), no ISO left in
 * the library directory, and no process of the demo still running.
 */
import * as fs from "node:fs";
import { MANAGED_BY, MANAGED_BY_KEY } from "../../provider/resources/common/tags";
import { diskName } from "../../provider/resources/nestedHypervisor/naming";
import { DEFAULT_LIBRARY_NAME } from "../../provider/resources/remasteredIso/args";
import { libraryDirectory } from "../../provider/resources/remasteredIso/placement";
import { sh } from "../../provider/shell";
import type { XeClient, XeClass } from "../../provider/xe";
import { machineNames } from "../lookup";

/** Everything of ours still on the host, one line each ([] when clean). */
export async function leftoversOnHost(xe: XeClient, machines: string[], network: string): Promise<string[]> {
    const found: string[] = [];
    const tag = { "other-config": { [MANAGED_BY_KEY]: MANAGED_BY } };
    for (const cls of ["vm", "vdi", "vbd", "vif", "network", "sr"] as XeClass[]) {
        for (const o of await xe.list(cls, tag, ["uuid"])) found.push(`${cls} ${o.uuid} (tagged ${MANAGED_BY_KEY}=${MANAGED_BY})`);
    }
    const byName: Array<[XeClass, string]> = [
        ...machines.flatMap((m) => machineNames(m).map((n): [XeClass, string] => ["vm", n])),
        ...machines.map((m): [XeClass, string] => ["vdi", diskName(m)]),
        ["network", network],
        ["sr", DEFAULT_LIBRARY_NAME],
    ];
    for (const [cls, name] of byName) {
        for (const uuid of await xe.uuids(cls, { "name-label": name })) found.push(`${cls} ${uuid} named ${JSON.stringify(name)}`);
    }
    const dir = await libraryDirectory(xe, undefined);
    const listing = await xe.run(sh`if [ -d ${dir} ]; then ls -A -- ${dir}; fi`, { idempotent: true });
    for (const f of listing.stdout.split("\n").filter(Boolean)) found.push(`file ${dir}/${f} in the ISO library`);
    return found;
}

/** Processes (other than this one) whose command line mentions `dir`, as "pid: command". */
export function processesUsing(dir: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        let cmdline: string;
        try {
            cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
        } catch {
            continue; // exited meanwhile
        }
        if (cmdline.includes(dir)) found.push(`${entry}: ${cmdline}`);
    }
    return found;
}
