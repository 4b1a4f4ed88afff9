/**
 * The files of the nftables backend and of the DNS proxy, rendered from a plan. Pure. Every value
 * in them was validated (addresses, interface names, safe paths), so none needs quoting beyond
 * nft's own string quotes.
 */
import { hostsEntries, nftTableName } from "./spec";
import { GatewayPlan, gatewayPaths } from "./plan";

function header(plan: GatewayPlan, what: string): string {
    return `# Written by virtual-hypervisor for lab "${plan.lab}": ${what}.\n` +
        "# Do not edit: `pulumi up` rewrites this file and `pulumi destroy` removes it.\n";
}

/** dnsmasq configuration: a DNS proxy on the gateway address only, no DHCP. */
export function renderDnsmasqConf(plan: GatewayPlan): string {
    const p = gatewayPaths(plan.stateDir, plan.lab);
    return header(plan, "DNS proxy of the home network") + [
        "# Bound to the gateway address only, so it never answers on the toolbox's other networks and",
        "# can run beside another dnsmasq (or another lab's).",
        `listen-address=${plan.gateway.address}`,
        "bind-interfaces",
        "# No DHCP: the home network uses static addresses (no dhcp-range is configured).",
        `no-dhcp-interface=${plan.homeInterface}`,
        "# Forward to these resolvers rather than /etc/resolv.conf, which may point back at this host.",
        "no-resolv",
        ...plan.upstreamDns.map((s) => `server=${s}`),
        "# Answer for the nested hypervisors from our own hosts file, not from /etc/hosts.",
        "no-hosts",
        `addn-hosts=${p.hosts}`,
        "# Never forward bare names upstream: short names of the hypervisors are answered locally.",
        "domain-needed",
        `pid-file=${p.pid}`,
        "# Startup and hosts-file loading land here, so a hosts file dnsmasq cannot read is noticed.",
        `log-facility=${p.dnsmasqLog}`,
        ...(plan.dnsmasqUser ? [`user=${plan.dnsmasqUser}`] : []),
        "",
    ].join("\n");
}

/** The hosts file dnsmasq answers from: "address fqdn short". */
export function renderHosts(plan: GatewayPlan): string {
    const lines = hostsEntries(plan.hosts).map((e) => `${e.address} ${e.names.join(" ")}`);
    return header(plan, "names of the nested hypervisors") + lines.map((l) => `${l}\n`).join("");
}

/**
 * The lab's own nft table: masquerade the home network out of the upstream interface, and let
 * forwarded traffic touch the home interface only as home→upstream or as replies. The forward
 * chain's policy stays accept so the toolbox's other forwarding is not affected.
 *
 * Loading the file replaces the table atomically: it is created (empty, if missing), deleted and
 * defined again in one nft transaction.
 */
export function renderNftRuleset(plan: GatewayPlan): string {
    const table = nftTableName(plan.lab);
    const home = plan.homeInterface;
    const up = plan.upstreamInterface;
    const net = plan.gateway.networkCidr;
    return `#!/usr/sbin/nft -f\n` + header(plan, `NAT of the home network ${net} out of ${up}`) + [
        `add table ip ${table}`,
        `delete table ip ${table}`,
        `table ip ${table} {`,
        "\tchain postrouting {",
        "\t\ttype nat hook postrouting priority srcnat; policy accept;",
        `\t\tip saddr ${net} oifname "${up}" masquerade`,
        "\t}",
        "\tchain forward {",
        "\t\ttype filter hook forward priority filter; policy accept;",
        `\t\tiifname "${home}" oifname "${up}" ip saddr ${net} accept`,
        `\t\toifname "${home}" ct state established,related accept`,
        `\t\tiifname "${home}" drop`,
        `\t\toifname "${home}" drop`,
        "\t}",
        "}",
        "",
    ].join("\n");
}
