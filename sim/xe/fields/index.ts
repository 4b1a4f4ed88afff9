/**
 * Every record class the simulated xe knows, by CLI class name. Class modules are loaded on
 * first use: an `xe vm-list` should not pay for compiling every record definition.
 */
import type { ClassDef } from "./types";

const LOADERS: Record<string, () => ClassDef> = {
    pool: () => require("./host").POOL_CLASS,
    pif: () => require("./network").PIF_CLASS,
    vif: () => require("./devices").VIF_CLASS,
    network: () => require("./network").NETWORK_CLASS,
    console: () => require("./devices").CONSOLE_CLASS,
    vm: () => require("./vm").VM_CLASS,
    template: () => require("./vm").TEMPLATE_CLASS,
    snapshot: () => require("./vm").SNAPSHOT_CLASS,
    host: () => require("./host").HOST_CLASS,
    vdi: () => require("./storage").VDI_CLASS,
    vbd: () => require("./devices").VBD_CLASS,
    sr: () => require("./storage").SR_CLASS,
    pbd: () => require("./storage").PBD_CLASS,
    task: () => require("./devices").TASK_CLASS,
    secret: () => require("./devices").SECRET_CLASS,
};

/** CLI class names, in the order xapi's gen_cmds registers them. */
export const CLASS_NAMES = Object.keys(LOADERS);

export function classByName(name: string): ClassDef | undefined {
    return LOADERS[name]?.();
}
