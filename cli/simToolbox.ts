/**
 * `vh sim --toolbox NAME`: a pre-made "toolbox" VM on the simulated host, like the Ubuntu VM of the
 * seed's blog that sits on the management network and becomes a lab's gateway: running, with one
 * NIC on the management network (xenbr0) and PV drivers, so a lab's gateway can hot-plug its
 * home-network NIC into it. Made with the simulator's own xe (in process, same state lock and call
 * log as sim/bin/xe), then given PV drivers the simulator's way (markGuestPvDrivers). A restarted
 * simulator finds its toolbox and only makes sure it runs.
 */
import { markGuestPvDrivers, runXe, STATE_DIR_ENV } from "../sim";

/** Templates tried in order: the first one the product has (Debian, as a gateway would run). */
const TEMPLATES = ["Debian Bookworm 12", "Debian Bullseye 11", "Debian Buster 10 (deprecated)", "Debian Stretch 9.0", "Debian Jessie 8.0", "Other install media"];

export class SimToolboxError extends Error {
    override name = "SimToolboxError";
}

export interface Toolbox {
    name: string;
    uuid: string;
    /** Made now (false: found from an earlier run). */
    created: boolean;
}

/** Runs one xe command against the simulated host in `stateDir`; resolves its stdout. */
function xe(stateDir: string, argv: string[]): string {
    let stdout = "";
    let stderr = "";
    const code = runXe(argv, { [STATE_DIR_ENV]: stateDir }, {
        out: { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } },
        readLine: () => { throw new SimToolboxError(`xe ${argv[0]} asked for input`); },
    });
    if (code !== 0) throw new SimToolboxError(`could not make the toolbox VM: xe ${argv.join(" ")} failed (exit ${code}): ${(stderr || stdout).trim()}`);
    return stdout.trim();
}

const minimal = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** Makes sure the toolbox VM `name` exists, runs, and reports PV drivers. */
export function ensureToolbox(stateDir: string, name: string): Toolbox {
    const found = minimal(xe(stateDir, ["vm-list", `name-label=${name}`, "is-control-domain=false", "params=uuid", "--minimal"]));
    if (found.length > 1) throw new SimToolboxError(`${found.length} VMs are named ${JSON.stringify(name)} on the simulated host; the toolbox name must be unique`);
    let uuid = found[0];
    const created = uuid === undefined;
    if (uuid === undefined) {
        const template = TEMPLATES.find((t) => minimal(xe(stateDir, ["template-list", `name-label=${t}`, "params=uuid", "--minimal"])).length > 0);
        if (!template) throw new SimToolboxError(`the simulated host has none of the templates ${TEMPLATES.join(", ")}`);
        const management = minimal(xe(stateDir, ["network-list", "bridge=xenbr0", "params=uuid", "--minimal"]))[0];
        if (!management) throw new SimToolboxError("the simulated host has no management network (bridge xenbr0)");
        uuid = xe(stateDir, ["vm-install", `template=${template}`, `new-name-label=${name}`]);
        xe(stateDir, ["vm-param-set", `uuid=${uuid}`, "name-description=toolbox VM made by vh sim --toolbox: gateway of the labs' home networks"]);
        xe(stateDir, ["vif-create", `vm-uuid=${uuid}`, `network-uuid=${management}`, "device=0"]);
    }
    if (xe(stateDir, ["vm-param-get", `uuid=${uuid}`, "param-name=power-state"]) !== "running") xe(stateDir, ["vm-start", `uuid=${uuid}`]);
    markGuestPvDrivers(stateDir, uuid);
    return { name, uuid, created };
}
