/**
 * Validation, privilege check and discovery, joined into a GatewayPlan: the read-only first half
 * of apply() and inspect().
 */
import { dnsmasqUser, defaultRouteInterface, findLinkByMac, findTools, runsSystemd, systemResolvers } from "./discover";
import { GatewaySpecError } from "./errors";
import { parseCidr } from "./ipv4";
import type { LinkInfo } from "./parse";
import { GatewayPaths, GatewayPlan, gatewayPaths } from "./plan";
import { GatewaySpec, resolveSpec, ResolvedSpec, validateGatewaySpec } from "./spec";
import { GatewayTransport, Toolbox } from "./toolbox";

export interface Prepared {
    toolbox: Toolbox;
    spec: ResolvedSpec;
    paths: GatewayPaths;
    /** The plan; undefined only when the home interface is absent and waiting was not asked for. */
    plan?: GatewayPlan;
    homeLink?: LinkInfo;
}

export function checkSpec(spec: GatewaySpec): ResolvedSpec {
    const problems = validateGatewaySpec(spec);
    if (problems.length) throw new GatewaySpecError(problems);
    return resolveSpec(spec);
}

/**
 * @param waitForInterface wait (spec.interfaceWaitMs) for the home interface, rather than
 *   returning without a plan when it is absent @default true
 */
export async function prepare(transport: GatewayTransport, input: GatewaySpec, waitForInterface = true): Promise<Prepared> {
    const spec = checkSpec(input);
    const toolbox = await Toolbox.open(transport);
    const paths = gatewayPaths(spec.stateDir, spec.lab);
    const tools = await findTools(toolbox, spec.natBackend);
    const homeLink = await findLinkByMac(toolbox, spec.homeMac, waitForInterface ? spec.interfaceWaitMs : 0);
    if (!homeLink) return { toolbox, spec, paths };
    const upstreamInterface = spec.upstreamInterface ?? await defaultRouteInterface(toolbox);
    if (upstreamInterface === homeLink.name) {
        throw new GatewaySpecError([{ property: "upstreamInterface", reason: `the upstream interface ${upstreamInterface} is the home interface itself (MAC ${spec.homeMac}); set upstreamInterface` }]);
    }
    const serviceManager = spec.serviceManager === "auto" ? (await runsSystemd(toolbox) ? "systemd" : "direct") : spec.serviceManager;
    const plan: GatewayPlan = {
        lab: spec.lab,
        stateDir: spec.stateDir,
        natBackend: spec.natBackend,
        serviceManager,
        homeMac: spec.homeMac,
        homeInterface: homeLink.name,
        upstreamInterface,
        upstreamDns: spec.upstreamDns ?? await systemResolvers(toolbox),
        gateway: parseCidr(spec.gatewayCidr)!,
        hosts: spec.hosts,
        tools,
        dnsmasqUser: await dnsmasqUser(toolbox),
    };
    return { toolbox, spec, paths, plan, homeLink };
}
