/**
 * Stack config → LabArgs, for the root program (stack.ts). Pure over the config map (keys
 * "<namespace>:<key>", values as the engine passes them: strings, objects and lists as JSON).
 *
 * The lab is described by `lab:*` keys, or by one structured `lab:lab` object holding the same
 * fields; single keys override the object's fields. The schema is documented in
 * docs/lab-stacks.md. Unknown `lab:` keys and values of the wrong type are reported together.
 */
import type { LabArgs } from "./args";

export const LAB_CONFIG_NAMESPACE = "lab";

export class LabConfigError extends Error {
    override name = "LabConfigError";
    constructor(readonly problems: readonly string[]) {
        super(`invalid lab stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
}

type Kind = "string" | "number" | "boolean" | "object" | "list" | "string-list";

/**
 * Every `lab:` key, its type, and where it goes in LabArgs. A `secret` value is never shown in an
 * error; the root program (stack.ts) wraps the LabArgs field it lands in with pulumi.secret.
 */
export const LAB_CONFIG_KEYS: Record<string, { kind: Kind; secret?: boolean; doc: string }> = {
    sourceIso: { kind: "string", doc: "path of the installer ISO on the machine running Pulumi (required)" },
    rootPassword: { kind: "string", secret: true, doc: "root password of every hypervisor (required, secret)" },
    prefix: { kind: "string", doc: "prefix of every name on the host (default: the stack name)" },
    domain: { kind: "string", doc: "DNS domain of the host names (default: lab)" },
    cidr: { kind: "string", doc: "home network CIDR (default: 192.168.32.0/24)" },
    gateway: { kind: "string", doc: "toolbox address on the home network (default: first host of cidr)" },
    homeNetwork: { kind: "string", doc: "an existing network to use as the home network, uuid or name-label (default: the lab creates <prefix>-home)" },
    toolbox: { kind: "object", doc: "{ vm, ssh: { host, port, user, hostKey }, natBackend, upstreamInterface, upstreamDns, stateDir, serviceManager } (required)" },
    toolboxPrivateKey: { kind: "string", secret: true, doc: "private key for toolbox.ssh (secret)" },
    toolboxPassword: { kind: "string", secret: true, doc: "password for toolbox.ssh (secret)" },
    count: { kind: "number", doc: "number of hypervisors" },
    hypervisors: { kind: "list", doc: "the hypervisors: [{ name, address, memoryGiB, vcpus, diskGiB }]" },
    hypervisorDefaults: { kind: "object", doc: "{ memoryGiB, vcpus, diskGiB, firmware } for hypervisors that set none" },
    maxParallelInstalls: { kind: "number", doc: "installs at once on the host (default: 2)" },
    target: { kind: "string", doc: "installer version of the answer files (default: from the host)" },
    kernelArgs: { kind: "string-list", doc: "extra installer kernel arguments" },
    isoLibrary: { kind: "object", doc: "{ nameLabel, directory } of the ISO library on the host" },
    installTimeoutMinutes: { kind: "number", doc: "deadline of each installer run (default: 60)" },
    firstBootTimeoutMinutes: { kind: "number", doc: "deadline of each first boot (default: 30)" },
    allowHalt: { kind: "boolean", doc: "let memory/vCPU changes halt a hypervisor instead of reinstalling it (default: false)" },
    estimatedInstallMinutes: { kind: "number", doc: "minutes one install takes, for the pre-flight's time estimate (default: 30)" },
    preflight: { kind: "boolean", doc: "run the pre-flight (default: true)" },
};

function parse(key: string, kind: Kind, raw: unknown, problems: string[]): unknown {
    const at = `${LAB_CONFIG_NAMESPACE}:${key}`;
    let value = raw;
    if (typeof raw === "string" && kind !== "string") {
        if (kind === "number") value = raw.trim() === "" ? NaN : Number(raw);
        else if (kind === "boolean") value = raw === "true" ? true : raw === "false" ? false : raw;
        else {
            try {
                value = JSON.parse(raw);
            } catch {
                problems.push(`${at} must be ${kind === "object" ? "a JSON object" : "a JSON list"} (pulumi config set --path ${at}… or --json), got ${JSON.stringify(raw.slice(0, 80))}`);
                return undefined;
            }
        }
    }
    const ok = kind === "string" ? typeof value === "string"
        : kind === "number" ? typeof value === "number" && Number.isFinite(value)
            : kind === "boolean" ? typeof value === "boolean"
                : kind === "object" ? value !== null && typeof value === "object" && !Array.isArray(value)
                    : Array.isArray(value) && (kind === "list" || value.every((v) => typeof v === "string"));
    if (!ok) {
        const shown = LAB_CONFIG_KEYS[key]?.secret ? "a value of another type" : JSON.stringify(raw);
        problems.push(`${at} must be ${describe(kind)}, got ${shown}`);
        return undefined;
    }
    return value;
}

function describe(kind: Kind): string {
    return { string: "a string", number: "a number", boolean: "true or false", object: "an object", list: "a list", "string-list": "a list of strings" }[kind];
}

/**
 * LabArgs from the stack config. Secret values come back as plain strings: the caller wraps them.
 * @param config every config key of the stack ("lab:cidr" → "192.168.32.0/24", …)
 */
export function labArgsFromConfig(config: Record<string, string | undefined>): LabArgs {
    const problems: string[] = [];
    const prefix = `${LAB_CONFIG_NAMESPACE}:`;
    const fields: Record<string, unknown> = {};
    const structured = config[`${prefix}lab`];
    if (structured !== undefined) {
        const obj = parse("lab", "object", structured, problems) as Record<string, unknown> | undefined;
        for (const [k, v] of Object.entries(obj ?? {})) {
            if (!(k in LAB_CONFIG_KEYS)) problems.push(`${prefix}lab.${k} is not a lab setting; known: ${Object.keys(LAB_CONFIG_KEYS).join(", ")}`);
            else fields[k] = parse(k, LAB_CONFIG_KEYS[k].kind, v, problems);
        }
    }
    for (const [fullKey, raw] of Object.entries(config)) {
        if (!fullKey.startsWith(prefix) || raw === undefined) continue;
        const key = fullKey.slice(prefix.length);
        if (key === "lab") continue;
        if (!(key in LAB_CONFIG_KEYS)) {
            problems.push(`${fullKey} is not a lab setting; known: lab, ${Object.keys(LAB_CONFIG_KEYS).join(", ")}`);
            continue;
        }
        fields[key] = parse(key, LAB_CONFIG_KEYS[key].kind, raw, problems);
    }
    for (const key of ["sourceIso", "rootPassword", "toolbox"]) {
        if (fields[key] === undefined && !problems.some((p) => p.startsWith(`${prefix}${key} `))) {
            problems.push(`${prefix}${key} is required: ${LAB_CONFIG_KEYS[key].doc}`);
        }
    }
    if (problems.length) throw new LabConfigError(problems);

    const toolbox = { ...(fields.toolbox as Record<string, any>) };
    const ssh = { ...(toolbox.ssh ?? {}) };
    if (fields.toolboxPrivateKey !== undefined) ssh.privateKey = fields.toolboxPrivateKey;
    if (fields.toolboxPassword !== undefined) ssh.password = fields.toolboxPassword;
    const home: Record<string, unknown> = {};
    if (fields.cidr !== undefined) home.cidr = fields.cidr;
    if (fields.gateway !== undefined) home.gateway = fields.gateway;
    if (fields.homeNetwork !== undefined) home.network = fields.homeNetwork;
    const args: Record<string, unknown> = {
        ...Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== undefined && !["cidr", "gateway", "homeNetwork", "toolbox", "toolboxPrivateKey", "toolboxPassword"].includes(k))),
        toolbox: { ...toolbox, ssh },
    };
    if (Object.keys(home).length) args.home = home;
    return args as unknown as LabArgs;
}
