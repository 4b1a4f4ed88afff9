/**
 * The Shorewall backend's files (the seed's toolbox used Shorewall). Pure.
 *
 * Everything lives in <stateDir>/shorewall: the configuration, the compiled firewall script and
 * Shorewall's VARDIR (the compiled script honours a VARDIR from the environment). CONFIG_PATH
 * names only that directory and Shorewall's shipped defaults, so nothing is read from or written
 * to /etc/shorewall or /var/lib/shorewall.
 *
 * Shorewall owns the whole IPv4 ruleset once started; the policy keeps the toolbox reachable from
 * upstream as before and only adds the lab's rules. No option that changes sysctls is used
 * (IP_FORWARDING=Keep, no routefilter/logmartians), so remove() restores forwarding itself.
 */
import { GatewayPlan, gatewayPaths } from "./plan";

/** Zone names in the generated files. */
export const SHOREWALL_ZONES = { upstream: "net", home: "home" } as const;

function header(plan: GatewayPlan, what: string): string {
    return `# Written by virtual-hypervisor for lab "${plan.lab}": ${what}.\n` +
        "# Do not edit: `pulumi up` rewrites this file and `pulumi destroy` removes it.\n";
}

/** File name → content, for <stateDir>/shorewall. */
export function renderShorewallFiles(plan: GatewayPlan): Record<string, string> {
    const p = gatewayPaths(plan.stateDir, plan.lab);
    const { upstream, home } = SHOREWALL_ZONES;
    return {
        "shorewall.conf": header(plan, "Shorewall settings") + [
            "STARTUP_ENABLED=Yes",
            "# virtual-hypervisor sets IPv4 forwarding itself and restores it on removal.",
            "IP_FORWARDING=Keep",
            "# Leave per-interface sysctls alone (Shorewall would otherwise turn on martian logging).",
            "LOG_MARTIANS=Keep",
            "ROUTE_FILTER=Keep",
            "# Only this directory and Shorewall's shipped defaults; never /etc/shorewall.",
            `CONFIG_PATH="${p.shorewallDir}/:\${SHAREDIR}/shorewall/"`,
            "",
        ].join("\n"),
        zones: header(plan, "zones") + [
            "#ZONE\tTYPE",
            "fw\tfirewall",
            `${upstream}\tipv4`,
            `${home}\tipv4`,
            "",
        ].join("\n"),
        interfaces: header(plan, "interfaces") + [
            "?FORMAT 2",
            "#ZONE\tINTERFACE\tOPTIONS",
            `${upstream}\t${plan.upstreamInterface}\t-`,
            `${home}\t${plan.homeInterface}\t-`,
            "",
        ].join("\n"),
        policy: header(plan, "policy") + [
            "#SOURCE\tDEST\tPOLICY",
            "$FW\tall\tACCEPT",
            `${home}\t${upstream}\tACCEPT`,
            "# The toolbox stays reachable from upstream (SSH and its other services) as before.",
            `${upstream}\t$FW\tACCEPT`,
            `${upstream}\t${home}\tDROP`,
            `${home}\t$FW\tREJECT`,
            "all\tall\tREJECT",
            "",
        ].join("\n"),
        snat: header(plan, "masquerading of the home network") + [
            "#ACTION\tSOURCE\tDEST",
            `MASQUERADE\t${plan.gateway.networkCidr}\t${plan.upstreamInterface}`,
            "",
        ].join("\n"),
        rules: header(plan, "rules") + [
            "?SECTION NEW",
            "#ACTION\tSOURCE\tDEST",
            `DNS(ACCEPT)\t${home}\t$FW`,
            `Ping(ACCEPT)\t${home}\t$FW`,
            "",
        ].join("\n"),
    };
}
