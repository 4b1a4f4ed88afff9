/**
 * The command table: for each command its required and optional parameters, help text and flags
 * (cli_frontend.ml cmdtable_data, extracted for the implemented commands into
 * sim/data/commands.json from v25.6.0 and, as "legacy", from 1.14-lcm), plus the implementation.
 * Generated <class>-* commands get their specs the way gen_frontend builds them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CLASS_NAMES, classByName } from "./fields";
import { fieldsFor, ClassDef } from "./fields/types";
import * as generic from "./generic";
import type { Impl, ImplTable } from "./commands/types";

export type Flag = "Standard" | "Vm_selectors" | "Host_selectors" | "Sr_selectors" | "Hidden";

export interface CommandSpec {
    reqd: string[];
    optn: string[];
    help: string;
    flags: Flag[];
}

export interface Command extends CommandSpec {
    impl: Impl;
}

interface CommandData {
    spec: Record<string, [string[], string[], string, Flag[]]>;
    names: string[];
    standard: string[];
}

let data: Record<"modern" | "legacy", CommandData> | null = null;

function commandData(gen: number): CommandData {
    if (!data) {
        const file = path.join(__dirname, "..", "data", "commands.json");
        const alt = path.resolve(__dirname, "..", "..", "..", "sim", "data", "commands.json");
        data = JSON.parse(fs.readFileSync(fs.existsSync(file) ? file : alt, "utf8"));
    }
    return data![gen === 0 ? "legacy" : "modern"];
}

/** Which module implements which commands; a module is loaded only when one of its commands runs. */
const IMPL_MODULES: Array<[string[], () => ImplTable]> = [
    [["network-create", "network-destroy", "vif-create", "vif-destroy", "vif-plug", "vif-unplug"], () => require("./commands/network").NETWORK_COMMANDS],
    [["sr-create", "sr-scan", "sr-destroy", "sr-forget", "pbd-plug", "pbd-unplug", "vdi-create", "vdi-destroy"], () => require("./commands/storage").STORAGE_COMMANDS],
    [["vbd-create", "vbd-destroy", "vbd-plug", "vbd-unplug", "vbd-eject", "vbd-insert"], () => require("./commands/vbd").VBD_COMMANDS],
    [["vm-install", "vm-clone", "vm-destroy", "vm-uninstall"], () => require("./commands/vmInstall").VM_INSTALL_COMMANDS],
    [["vm-start", "vm-shutdown", "vm-reboot", "vm-pause", "vm-unpause", "vm-reset-powerstate", "vm-memory-limits-set"], () => require("./commands/vmPower").VM_POWER_COMMANDS],
    [["vm-cd-add", "vm-cd-eject", "vm-cd-insert", "vm-cd-remove", "vm-disk-add", "vm-disk-list", "vm-cd-list", "vm-vif-list"], () => require("./commands/vmDevices").VM_DEVICE_COMMANDS],
    [["secret-create", "secret-destroy", "host-cpu-info", "event-wait"], () => require("./commands/misc").MISC_COMMANDS],
];

function implOf(name: string): Impl | undefined {
    const entry = IMPL_MODULES.find(([names]) => names.includes(name));
    return entry ? entry[1]()[name] : undefined;
}

const GENERIC_OPS = ["list", "param-list", "param-get", "param-set", "param-add", "param-remove", "param-clear"] as const;
type GenericOp = (typeof GENERIC_OPS)[number];

/** gen_frontend's spec for a generated command. */
function genericSpec(cls: ClassDef, op: GenericOp, gen: number): CommandSpec {
    const fields = fieldsFor(cls, gen).filter((f) => !f.hidden);
    const plural = `${cls.name}s`;
    switch (op) {
        case "list":
            return {
                reqd: [], optn: ["params", "database:", ...fields.map((f) => f.name), ...fields.filter((f) => f.getSet).map((f) => `${f.name}:contains`)],
                help: `Lists all the ${plural}, filtering on the optional arguments. To filter on map parameters, use the syntax 'map-param:key=value'`,
                flags: ["vm", "network", "sr"].includes(cls.name) ? ["Standard"] : [],
            };
        case "param-list":
            return { reqd: ["uuid"], optn: ["database:"], help: "Lists all the parameters of the object specified by the uuid.", flags: [] };
        case "param-get":
            return {
                reqd: ["uuid", "param-name"], optn: ["param-key", "database:"], flags: [],
                help: "Gets the parameter specified of the object. If the parameter is a map of key=value pairs, use 'param-key=<key>' to get the value associated with a particular key.",
            };
        case "param-set":
            return {
                reqd: ["uuid"], optn: [...fields.filter((f) => f.set).map((f) => f.name), ...fields.filter((f) => f.addToMap || f.setMap).map((f) => `${f.name}:`)], flags: [],
                help: "Sets the parameter specified. If param-value is not given, the parameter is set to a null value. To set a (key,value) pair in a map parameter, use the syntax 'map-param:key=value'.",
            };
        case "param-add":
            return {
                reqd: ["uuid", "param-name"], optn: ["param-key"], flags: [],
                help: "Adds to a set or map parameter. If the parameter is a set, use param-key=<key to add>. If the parameter is a map, pass the values to add as 'key=value' pairs.",
            };
        case "param-remove":
            return { reqd: ["uuid", "param-name", "param-key"], optn: [], flags: [], help: "Removes a member or a key,value pair from a set/map respectively." };
        case "param-clear":
            return {
                reqd: ["uuid", "param-name"], optn: [], flags: [],
                help: `Clears the specified parameter (param-name can be ${fields.filter((f) => f.set || f.getSet || f.getMap).map((f) => f.name).join(",")}).`,
            };
    }
}

const GENERIC_RUN: Record<GenericOp, (c: Parameters<typeof generic.list>[0], cls: ClassDef) => void> = {
    list: generic.list, "param-list": generic.paramList, "param-get": generic.paramGet, "param-set": generic.paramSet,
    "param-add": generic.paramAdd, "param-remove": generic.paramRemove, "param-clear": generic.paramClear,
};

function genericCommand(name: string, gen: number): Command | undefined {
    for (const className of CLASS_NAMES) {
        if (!name.startsWith(`${className}-`)) continue;
        const op = name.slice(className.length + 1) as GenericOp;
        if (!GENERIC_OPS.includes(op)) continue;
        const cls = classByName(className)!;
        if (!GENERIC_OPS.includes(op) || !generic.genericCommandNames(cls, gen).includes(name)) continue;
        const run = GENERIC_RUN[op];
        return { ...genericSpec(cls, op, gen), impl: { writes: !["list", "param-list", "param-get"].includes(op), run: (c) => run(c, cls) } };
    }
    return undefined;
}

export type Lookup = { kind: "command"; command: Command } | { kind: "unimplemented" } | { kind: "unknown" };

export function lookupCommand(name: string, gen: number): Lookup {
    const g = genericCommand(name, gen);
    if (g) return { kind: "command", command: g };
    const d = commandData(gen);
    const spec = d.spec[name];
    const impl = spec ? implOf(name) : undefined;
    if (spec && impl) return { kind: "command", command: { reqd: spec[0], optn: spec[1], help: spec[2], flags: spec[3], impl } };
    return d.names.includes(name) ? { kind: "unimplemented" } : { kind: "unknown" };
}

/** Every command name `xe help --all` lists, and the standard ones plain `xe help` lists. */
export function commandNames(gen: number): { all: string[]; standard: string[] } {
    const d = commandData(gen);
    const gen_ = CLASS_NAMES.flatMap((c) => generic.genericCommandNames(classByName(c)!, gen));
    const all = [...new Set([...d.names, ...gen_])].sort();
    const standard = [...new Set([...d.standard, "vm-list", "network-list", "sr-list"])].sort();
    return { all, standard };
}
