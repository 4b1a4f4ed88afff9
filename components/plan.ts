/**
 * planLab(): the Lab's arguments checked and resolved into a plan — prefix, addresses, names and
 * sizes of every hypervisor — before the component registers anything. Pure. Every problem is
 * collected and reported at once (LabValidationError); each message names the argument, the rule
 * and the value received.
 */
import { isValidHostname, NAT_BACKENDS, parseCidr, SERVICE_MANAGERS, Ipv4Cidr } from "../provider/gateway";
import { addressProblem, allocateAddresses, hostCount } from "./addresses";
import { LAB_DEFAULTS, LAB_IGNORE_CHANGES, LAB_MINIMUMS, LabArgs, LabHypervisorArgs } from "./args";
import { LabValidationError } from "./errors";
import { defaultHypervisorName, homeNetworkName, hypervisorHostNames, prefixFromStack } from "./naming";

export interface PlannedHypervisor {
    index: number;
    name: string;
    nameLabel: string;
    hostname: string;
    address: string;
    memoryGiB: number;
    vcpus: number;
    diskGiB: number;
}

export interface LabPlan {
    /** The component's name (Pulumi child names derive from it). */
    lab: string;
    prefix: string;
    domain: string;
    cidr: Ipv4Cidr;
    /** The gateway (toolbox) address, also the name server. */
    gateway: string;
    /** "<gateway>/<prefix length>": what the ToolboxGateway takes. */
    gatewayCidr: string;
    home: { existing?: string; nameLabel: string; mtu: number };
    /** The toolbox VM reference as given (uuid or name-label). */
    toolboxVm: string;
    hypervisors: PlannedHypervisor[];
    firmware: "bios" | "uefi";
    maxParallelInstalls: number;
    estimatedInstallMinutes: number;
    /** Child properties to ignore, from the component's ignoreChanges. */
    ignore: { isos: string[]; hypervisors: string[]; all: string[] };
}

const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const show = (v: unknown) => JSON.stringify(v);

/** Checks a number argument; records a problem and returns undefined when it breaks the rule. */
function numberArg(problems: string[], at: string, value: unknown, rule: { min: number; max: number; integer?: boolean; unit?: string }): number | undefined {
    if (value === undefined) return undefined;
    const unit = rule.unit ? ` ${rule.unit}` : "";
    if (typeof value !== "number" || !Number.isFinite(value) || value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value))) {
        problems.push(`${at} must be ${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max}${unit}, got ${show(value)}`);
        return undefined;
    }
    return value;
}

function stringArg(problems: string[], at: string, value: unknown, rule?: { pattern: RegExp; describe: string }): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.trim() === "" || /[\0\n\r]/.test(value)) {
        problems.push(`${at} must be a non-empty string on one line, got ${show(value)}`);
        return undefined;
    }
    if (rule && !rule.pattern.test(value)) {
        problems.push(`${at} must be ${rule.describe}, got ${show(value)}`);
        return undefined;
    }
    return value;
}

function prefixOf(problems: string[], args: LabArgs, stack: string): string {
    if (args.prefix !== undefined) {
        return stringArg(problems, "prefix", args.prefix, {
            pattern: PREFIX,
            describe: "1–32 lower-case letters, digits and inner dashes (it starts every VM name-label and host name of the lab)",
        }) ?? "invalid";
    }
    const derived = prefixFromStack(stack);
    if (!PREFIX.test(derived)) {
        problems.push(`prefix: the stack name ${show(stack)} gives no valid prefix (${show(derived)}); set prefix to 1–32 lower-case letters, digits and inner dashes`);
        return "invalid";
    }
    return derived;
}

function homeOf(problems: string[], args: LabArgs): { cidr?: Ipv4Cidr; gateway?: string } {
    const home = args.home ?? {};
    const text = home.cidr ?? LAB_DEFAULTS.cidr;
    const cidr = typeof text === "string" ? parseCidr(text) : undefined;
    if (!cidr || cidr.prefix < 8 || cidr.prefix > 30) {
        problems.push(`home.cidr must be an IPv4 network with a prefix length from 8 to 30, like "192.168.32.0/24", got ${show(text)}`);
        return {};
    }
    if (cidr.address !== cidr.network) {
        problems.push(`home.cidr must be the network address, ${show(cidr.networkCidr)}, got ${show(text)}`);
        return {};
    }
    let gateway: string | undefined = home.gateway;
    if (gateway === undefined) {
        const first = allocateAddresses(cidr, cidr.network, [undefined])[0];
        gateway = first;
    } else {
        const problem = addressProblem(gateway, "home.gateway", cidr, undefined);
        if (problem) {
            problems.push(problem);
            gateway = undefined;
        }
    }
    numberArg(problems, "home.mtu", home.mtu, { min: 68, max: 9216, integer: true, unit: "bytes" });
    if (home.network !== undefined) stringArg(problems, "home.network", home.network);
    return { cidr, gateway };
}

function entriesOf(problems: string[], args: LabArgs): LabHypervisorArgs[] {
    let list: LabHypervisorArgs[] = [];
    if (args.hypervisors !== undefined) {
        if (!Array.isArray(args.hypervisors)) {
            problems.push(`hypervisors must be a list of { name, address, memoryGiB, vcpus, diskGiB }, got ${show(args.hypervisors)}`);
        } else {
            list = args.hypervisors.map((h, i) => {
                if (h === null || typeof h !== "object" || Array.isArray(h)) {
                    problems.push(`hypervisors[${i}] must be an object { name, address, memoryGiB, vcpus, diskGiB } (every field optional), got ${show(h)}`);
                    return {};
                }
                return h;
            });
        }
    }
    const count = numberArg(problems, "count", args.count, { min: 0, max: 64, integer: true });
    if (args.count === undefined && args.hypervisors === undefined) {
        problems.push("count or hypervisors is required: how many nested hypervisors the lab has (count: 3), or each one (hypervisors: [{ name: \"vh0\" }, …])");
    }
    if (count !== undefined && count < list.length) {
        problems.push(`count ${count} conflicts with the ${list.length} entries of hypervisors: count may only add hypervisors after the listed ones; raise count to at least ${list.length} or drop it`);
        return list;
    }
    if (list.length > 64) problems.push(`hypervisors may have at most 64 entries, got ${list.length}`);
    return [...list, ...Array.from({ length: Math.max(0, (count ?? 0) - list.length) }, () => ({}))];
}

function ignoreOf(problems: string[], ignoreChanges: readonly string[]): LabPlan["ignore"] {
    const ignore = { isos: [] as string[], hypervisors: [] as string[], all: [] as string[] };
    for (const key of ignoreChanges) {
        const mapped = LAB_IGNORE_CHANGES[key];
        if (!mapped) {
            problems.push(`ignoreChanges: the Lab does not know ${show(key)}; it understands ${Object.keys(LAB_IGNORE_CHANGES).map((k) => show(k)).join(", ")}`);
            continue;
        }
        ignore.isos.push(...(mapped.isos ?? []));
        ignore.hypervisors.push(...(mapped.hypervisors ?? []));
        ignore.all.push(...(mapped.all ?? []));
    }
    return ignore;
}

/**
 * Resolves and validates a Lab's arguments. Throws LabValidationError listing every problem.
 * @param stack the stack name (the prefix's default)
 * @param ignoreChanges the component's ignoreChanges option @default []
 */
export function planLab(lab: string, args: LabArgs, stack: string, ignoreChanges: readonly string[] = []): LabPlan {
    const problems: string[] = [];
    const prefix = prefixOf(problems, args, stack);
    const domain = args.domain ?? LAB_DEFAULTS.domain;
    if (typeof domain !== "string" || !isValidHostname(domain)) {
        problems.push(`domain must be a DNS name (labels of letters, digits and inner dashes, joined by dots), like "lab", got ${show(domain)}`);
    }
    const { cidr, gateway } = homeOf(problems, args);
    const d = args.hypervisorDefaults ?? {};
    const defaults = {
        memoryGiB: numberArg(problems, "hypervisorDefaults.memoryGiB", d.memoryGiB, memoryRule) ?? LAB_DEFAULTS.memoryGiB,
        vcpus: numberArg(problems, "hypervisorDefaults.vcpus", d.vcpus, vcpuRule) ?? LAB_DEFAULTS.vcpus,
        diskGiB: numberArg(problems, "hypervisorDefaults.diskGiB", d.diskGiB, diskRule) ?? LAB_DEFAULTS.diskGiB,
    };
    if (d.memoryGiB !== undefined && typeof d.memoryGiB === "number" && Math.round(d.memoryGiB * 1024) !== d.memoryGiB * 1024) {
        problems.push(`hypervisorDefaults.memoryGiB must be a whole number of MiB (a multiple of 1/1024), got ${show(d.memoryGiB)}`);
    }
    const firmware = d.firmware ?? LAB_DEFAULTS.firmware;
    if (firmware !== "bios" && firmware !== "uefi") problems.push(`hypervisorDefaults.firmware must be "bios" or "uefi", got ${show(firmware)}`);

    const entries = entriesOf(problems, args);
    const names = entries.map((h, i) => {
        if (h.name === undefined) return defaultHypervisorName(i);
        return stringArg(problems, `hypervisors[${i}].name`, h.name, { pattern: NAME, describe: "a DNS label: lower-case letters, digits and inner dashes, at most 63 characters" });
    });
    const seenNames = new Map<string, number>();
    names.forEach((n, i) => {
        if (n === undefined) return;
        const first = seenNames.get(n);
        if (first !== undefined) problems.push(`hypervisors[${i}].name ${show(n)} is already the name of hypervisors[${first}]${entries[i].name === undefined ? ` (the default name of entry ${i}; name it explicitly)` : ""}`);
        else seenNames.set(n, i);
        const label = `${prefix}-${n}`;
        if (label.length > 63) problems.push(`hypervisors[${i}].name: the host name label "${label}" (prefix-name) must be at most 63 characters, got ${label.length}`);
    });

    const given: Array<string | undefined> = entries.map(() => undefined);
    const seenAddresses = new Map<string, number>();
    if (cidr) {
        entries.forEach((h, i) => {
            if (h.address === undefined) return;
            const problem = addressProblem(h.address, `hypervisors[${i}].address`, cidr, gateway);
            if (problem) return void problems.push(problem);
            const first = seenAddresses.get(h.address);
            if (first !== undefined) return void problems.push(`hypervisors[${i}].address ${show(h.address)} is already the address of hypervisors[${first}] (${names[first] ?? "?"})`);
            seenAddresses.set(h.address, i);
            given[i] = h.address;
        });
    }
    const addresses = cidr && gateway ? allocateAddresses(cidr, gateway, given) : given;
    if (cidr && gateway) {
        const missing = addresses.map((a, i) => (a === undefined && entries[i].address === undefined ? i : -1)).filter((i) => i >= 0);
        if (missing.length) {
            problems.push(`home.cidr ${cidr.networkCidr} has ${hostCount(cidr)} host addresses, too few for ${entries.length} hypervisors and the gateway: no address left for ${missing.map((i) => `hypervisors[${i}] (${names[i] ?? "?"})`).join(", ")}`);
        }
    }

    const hypervisors: PlannedHypervisor[] = entries.map((h, i) => {
        const memoryGiB = numberArg(problems, `hypervisors[${i}].memoryGiB`, h.memoryGiB, memoryRule) ?? defaults.memoryGiB;
        if (typeof h.memoryGiB === "number" && Math.round(h.memoryGiB * 1024) !== h.memoryGiB * 1024) {
            problems.push(`hypervisors[${i}].memoryGiB must be a whole number of MiB (a multiple of 1/1024), got ${show(h.memoryGiB)}`);
        }
        const name = names[i] ?? `invalid${i}`;
        return {
            index: i, name, ...hypervisorHostNames(prefix, name, typeof domain === "string" ? domain : LAB_DEFAULTS.domain),
            address: addresses[i] ?? "0.0.0.0",
            memoryGiB,
            vcpus: numberArg(problems, `hypervisors[${i}].vcpus`, h.vcpus, vcpuRule) ?? defaults.vcpus,
            diskGiB: numberArg(problems, `hypervisors[${i}].diskGiB`, h.diskGiB, diskRule) ?? defaults.diskGiB,
        };
    });

    const toolbox = args.toolbox as LabArgs["toolbox"] | undefined;
    if (!toolbox || typeof toolbox !== "object") {
        problems.push(`toolbox is required: { vm: "<uuid or name-label of the toolbox VM>", ssh: { host, user, privateKey | password, hostKey } }, got ${show(toolbox)}`);
    } else {
        if (toolbox.vm === undefined) problems.push("toolbox.vm is required: the uuid or exact name-label of the toolbox VM on the XenServer host");
        else stringArg(problems, "toolbox.vm", toolbox.vm);
        if (toolbox.ssh === undefined || toolbox.ssh === null) problems.push("toolbox.ssh is required: how to reach the toolbox over SSH ({ host, user, privateKey | password, hostKey })");
        if (toolbox.natBackend !== undefined && !NAT_BACKENDS.includes(toolbox.natBackend)) {
            problems.push(`toolbox.natBackend must be one of ${NAT_BACKENDS.map((b) => show(b)).join(", ")}, got ${show(toolbox.natBackend)}`);
        }
        if (toolbox.serviceManager !== undefined && !SERVICE_MANAGERS.includes(toolbox.serviceManager)) {
            problems.push(`toolbox.serviceManager must be one of ${SERVICE_MANAGERS.map((b) => show(b)).join(", ")}, got ${show(toolbox.serviceManager)}`);
        }
    }
    if (args.sourceIso === undefined || args.sourceIso === null) problems.push("sourceIso is required: the path of the XenServer installer ISO on this machine");
    if (args.rootPassword === undefined || args.rootPassword === null) problems.push("rootPassword is required (a secret: pulumi config set --secret lab:rootPassword …)");
    const maxParallelInstalls = numberArg(problems, "maxParallelInstalls", args.maxParallelInstalls, { min: 1, max: 64, integer: true }) ?? LAB_DEFAULTS.maxParallelInstalls;
    numberArg(problems, "installTimeoutMinutes", args.installTimeoutMinutes, { min: 0.001, max: 10080, unit: "minutes" });
    numberArg(problems, "firstBootTimeoutMinutes", args.firstBootTimeoutMinutes, { min: 0.001, max: 10080, unit: "minutes" });
    const estimatedInstallMinutes = numberArg(problems, "estimatedInstallMinutes", args.estimatedInstallMinutes, { min: 0, max: 10080, unit: "minutes" }) ?? LAB_DEFAULTS.estimatedInstallMinutes;
    if (args.kernelArgs !== undefined && (!Array.isArray(args.kernelArgs) || args.kernelArgs.some((a) => typeof a !== "string"))) {
        problems.push(`kernelArgs must be a list of strings, got ${show(args.kernelArgs)}`);
    }
    const ignore = ignoreOf(problems, ignoreChanges);

    if (problems.length) throw new LabValidationError(lab, problems);
    return {
        lab, prefix, domain, cidr: cidr!, gateway: gateway!, gatewayCidr: `${gateway}/${cidr!.prefix}`,
        home: { existing: args.home?.network, nameLabel: args.home?.network ?? homeNetworkName(prefix), mtu: args.home?.mtu ?? LAB_DEFAULTS.mtu },
        toolboxVm: args.toolbox.vm, hypervisors, firmware, maxParallelInstalls, estimatedInstallMinutes, ignore,
    };
}

const memoryRule = { min: LAB_MINIMUMS.memoryGiB, max: 4096, unit: `GiB (a nested XenServer needs at least ${LAB_MINIMUMS.memoryGiB} GiB of pinned memory)` };
const vcpuRule = { min: 1, max: 64, integer: true };
const diskRule = { min: LAB_MINIMUMS.diskGiB, max: 65536, integer: true, unit: `GiB (the XenServer installer needs at least ${LAB_MINIMUMS.diskGiB} GB)` };
