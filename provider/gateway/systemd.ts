/**
 * systemd units for a toolbox that runs systemd: dnsmasq as a service, and a oneshot unit that
 * replays the address, forwarding and NAT at boot (they are applied directly by apply(); the
 * unit only makes them survive a reboot of the toolbox). Both unit files live in the state
 * directory and are linked into systemd with `systemctl link`, which `systemctl disable` undoes.
 * Pure.
 */
import { GatewayPlan, gatewayPaths } from "./plan";
import { unitNames } from "./spec";

function header(plan: GatewayPlan): string {
    return `# Written by virtual-hypervisor for lab "${plan.lab}". Do not edit: \`pulumi up\` rewrites this file.\n`;
}

export function renderDnsUnit(plan: GatewayPlan): string {
    const p = gatewayPaths(plan.stateDir, plan.lab);
    const units = unitNames(plan.lab);
    return header(plan) + [
        "[Unit]",
        `Description=virtual-hypervisor lab ${plan.lab}: DNS proxy of the home network`,
        `After=network.target ${units.net}`,
        `Wants=${units.net}`,
        "",
        "[Service]",
        "Type=simple",
        `ExecStart=${plan.tools.dnsmasq} --keep-in-foreground --conf-file=${p.dnsmasqConf}`,
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Restart=on-failure",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

export function renderNetUnit(plan: GatewayPlan): string {
    const p = gatewayPaths(plan.stateDir, plan.lab);
    const { ip } = plan.tools;
    const nat = plan.natBackend === "nftables"
        ? [`ExecStart=${plan.tools.nft} -f ${p.nft}`]
        : [`Environment=VARDIR=${p.shorewallVar}`, `ExecStart=${p.shorewallScript} start`];
    return header(plan) + [
        "[Unit]",
        `Description=virtual-hypervisor lab ${plan.lab}: home address, IPv4 forwarding and NAT`,
        "After=network-online.target",
        "Wants=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        `ExecStart=${ip} address replace ${plan.gateway.address}/${plan.gateway.prefix} dev ${plan.homeInterface}`,
        `ExecStart=${ip} link set dev ${plan.homeInterface} up`,
        `ExecStart=${plan.tools.sysctl ?? "/sbin/sysctl"} -w net.ipv4.ip_forward=1`,
        ...nat,
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}
