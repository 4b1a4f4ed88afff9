/** A plan as discovery would produce it, for the renderer tests. */
import { parseCidr } from "../../../provider/gateway/ipv4";
import type { GatewayPlan } from "../../../provider/gateway/plan";

export function samplePlan(overrides: Partial<GatewayPlan> = {}): GatewayPlan {
    return {
        lab: "lab-1",
        stateDir: "/etc/virtual-hypervisor/lab-1",
        natBackend: "nftables",
        serviceManager: "direct",
        homeMac: "02:aa:bb:cc:dd:01",
        homeInterface: "eth1",
        upstreamInterface: "eth0",
        upstreamDns: ["10.219.0.53", "10.219.0.54"],
        gateway: parseCidr("192.168.32.1/24")!,
        hosts: [{ hostname: "vh0.lab", address: "192.168.32.2" }, { hostname: "vh1.lab", address: "192.168.32.3" }],
        tools: { ip: "/usr/sbin/ip", nft: "/usr/sbin/nft", dnsmasq: "/usr/sbin/dnsmasq", sysctl: "/usr/sbin/sysctl", shorewall: "/usr/sbin/shorewall" },
        ...overrides,
    };
}
