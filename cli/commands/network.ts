/**
 * `vh network create HOST NAME` and `vh network destroy HOST NAME`: the blog's
 * `xe network-create name-label=home`, made by the XenNetwork resource's own code
 * (provider/resources/xenNetwork/operations.ts): tagged as ours, idempotent (our network with that
 * name is reused, and the output says so), and destroyed only while no VM uses it.
 */
import { parseArgs } from "node:util";
import { NETWORK_DEFAULTS } from "../../provider/resources/xenNetwork/args";
import { createOwnNetwork, destroyOwnNetwork, findOwnNetworks, isUnused } from "../../provider/resources/xenNetwork/operations";
import { NetworkInUseError } from "../../provider/resources/xenNetwork/errors";
import { isOurs } from "../../provider/resources/common/tags";
import { CONNECTION_OPTIONS, CONNECTION_USAGE, openHost } from "../connection";
import { CliError } from "../errors";
import { hostOf } from "../lookup";
import { EXIT, UsageError } from "../exit";
import { expectPositionals, numberOption, usageErrors } from "../options";
import { createOutput } from "../output";
import type { CliIO, Command } from "./types";

export const NETWORK_USAGE = `usage: vh network create HOST NAME [options]
       vh network destroy HOST NAME [options]

create: make a private network named NAME on the XenServer HOST (the seed blog's
\`xe network-create name-label=home\`), tagged as made by virtual-hypervisor. If our network
with that name exists it is reused, and the output says so. A network of that name made by
someone else is left alone and reported (exit 1).
destroy: remove our network named NAME. Refused (exit 1) while VMs have interfaces on it;
nothing to do (exit 0) when there is none.

options:
      --mtu N                  MTU of a new network, 68-9216 (default: ${NETWORK_DEFAULTS.mtu})
      --description TEXT       name-description of a new network (default: none)
      --json                   print the result as one JSON object on stdout
      --help                   show this help

${CONNECTION_USAGE}

Exit status: 0 done, 1 failed on the host, 2 wrong arguments, 3 cannot connect or log in.
`;

const OPTIONS = {
    ...CONNECTION_OPTIONS,
    mtu: { type: "string" },
    description: { type: "string" },
    json: { type: "boolean" },
} as const;

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    const [action, ...rest] = positionals;
    if (action !== "create" && action !== "destroy") {
        throw new UsageError(`expected create or destroy after \`vh network\`, got ${action === undefined ? "nothing" : JSON.stringify(action)}`);
    }
    const [hostArg, name] = expectPositionals(rest, ["HOST", "NAME"]);
    const mtu = numberOption(values.mtu, "--mtu", { min: 68, max: 9216, integer: true });
    if (action === "destroy" && (mtu !== undefined || values.description !== undefined)) {
        throw new UsageError("--mtu and --description only apply to `vh network create`");
    }
    const out = createOutput(io, "network", values.json === true);
    try {
        const host = await openHost(hostArg, values, io, out.log);
        return action === "create"
            ? await create(host.xe, host.target, name, { mtu: mtu ?? NETWORK_DEFAULTS.mtu, description: values.description ?? NETWORK_DEFAULTS.description }, out)
            : await destroy(host.xe, host.target, name, out);
    } finally {
        out.close();
    }
}

type Out = ReturnType<typeof createOutput>;
type Xe = Awaited<ReturnType<typeof openHost>>["xe"];

async function create(xe: Xe, target: string, name: string, spec: { mtu: number; description: string }, out: Out): Promise<number> {
    const ours = await findOwnNetworks(xe, name);
    // Ours and in use (by the lab's VMs) is exactly what a second run should find: reuse it.
    const existing = ours.find((n) => !isUnused(n)) ?? ours[0];
    if (existing) {
        out.text(`Network ${name} already exists on ${target} (made by virtual-hypervisor): reusing it\n  uuid:   ${existing.uuid}\n  bridge: ${existing.bridge}`);
        out.result({ command: "network create", host: target, name, uuid: existing.uuid, bridge: existing.bridge, created: false, reused: true });
        return EXIT.OK;
    }
    const foreign = (await xe.list("network", { "name-label": name }, ["uuid", "other-config"])).filter((n) => !isOurs(n["other-config"]));
    if (foreign.length) {
        throw new CliError(`a network named ${JSON.stringify(name)} that virtual-hypervisor did not make already exists on ${target}`, {
            detail: `It is ${foreign.map((n) => n.uuid).join(", ")}. vh install can use it as it is; or choose another NAME.`,
        });
    }
    const made = await createOwnNetwork(xe, { nameLabel: name, ...spec }, `network ${name}`);
    out.text(`Created network ${name} on ${target}\n  uuid:   ${made.uuid}\n  bridge: ${made.bridge}`);
    out.result({ command: "network create", host: target, name, uuid: made.uuid, bridge: made.bridge, created: true, reused: false });
    return EXIT.OK;
}

async function destroy(xe: Xe, target: string, name: string, out: Out): Promise<number> {
    const ours = await findOwnNetworks(xe, name);
    if (!ours.length) {
        const foreign = await xe.uuids("network", { "name-label": name });
        if (foreign.length) {
            throw new CliError(`the network named ${JSON.stringify(name)} on ${target} was not made by virtual-hypervisor; not destroying it`, {
                detail: `It is ${foreign.join(", ")}; remove it with xe network-destroy uuid=… if you mean to.`,
            });
        }
        out.text(`No network named ${name} made by virtual-hypervisor on ${target}: nothing to destroy`);
        out.result({ command: "network destroy", host: target, name, destroyed: [], found: false });
        return EXIT.OK;
    }
    const destroyed: string[] = [];
    const failures: Error[] = [];
    for (const n of ours) {
        try {
            if (await destroyOwnNetwork(xe, n.uuid, name)) destroyed.push(n.uuid);
        } catch (err) {
            failures.push(err as Error);
        }
    }
    if (failures.length) {
        const inUse = failures.find((f): f is NetworkInUseError => f instanceof NetworkInUseError);
        throw new CliError(inUse ? `network ${name} on ${target} is still in use` : `could not destroy network ${name} on ${target}`, {
            cause: failures[0],
            detail: failures.map((f) => f.message).join("\n") + (inUse ? `\nDestroy its VMs first (vh destroy ${hostOf(target)} MACHINE_NAME).` : ""),
        });
    }
    out.text(`Destroyed network ${name} on ${target} (${destroyed.join(", ")})`);
    out.result({ command: "network destroy", host: target, name, destroyed, found: true });
    return EXIT.OK;
}

export const networkCommand: Command = {
    name: "network",
    summary: "create or destroy a private network on the host (xe network-create name-label=…)",
    usage: NETWORK_USAGE,
    run,
};
