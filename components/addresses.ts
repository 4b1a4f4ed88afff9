/**
 * Addresses on the home network: checking the ones given and allocating the rest. Pure.
 *
 * Allocation counts up from the first host address of the CIDR and skips the gateway and every
 * address given explicitly, so adding a hypervisor at the end of the list never moves the others
 * (each address is in its answer file: moving one would reinstall that hypervisor).
 */
import { cidrContains, Ipv4Cidr, ipv4ToNumber, isIpv4 } from "../provider/gateway";
import { numberToIpv4 } from "../provider/gateway/ipv4";

/** Why `address` cannot be a hypervisor's address in `cidr` with this gateway, or undefined when it can. */
export function addressProblem(address: unknown, at: string, cidr: Ipv4Cidr, gateway: string | undefined): string | undefined {
    const show = JSON.stringify(address);
    if (typeof address !== "string" || !isIpv4(address)) return `${at} must be an IPv4 address like "192.168.32.2", got ${show}`;
    if (!cidrContains(cidr, address)) return `${at} must lie inside home.cidr ${cidr.networkCidr}, got ${show}`;
    if (address === cidr.network) return `${at} must be a host address, not the network address of home.cidr ${cidr.networkCidr}, got ${show}`;
    if (address === cidr.broadcast) return `${at} must be a host address, not the broadcast address of home.cidr ${cidr.networkCidr}, got ${show}`;
    if (gateway !== undefined && address === gateway) return `${at} must differ from the gateway address ${gateway} (home.gateway: the toolbox), got ${show}`;
    return undefined;
}

/**
 * Fills the gaps of `given` (undefined entries) with free host addresses of `cidr`. Given
 * addresses must be valid already. Entries that find no free address stay undefined; the caller
 * reports them.
 */
export function allocateAddresses(cidr: Ipv4Cidr, gateway: string, given: ReadonlyArray<string | undefined>): Array<string | undefined> {
    const taken = new Set<number>([ipv4ToNumber(gateway)!, ...given.filter((a): a is string => a !== undefined).map((a) => ipv4ToNumber(a)!)]);
    const first = ipv4ToNumber(cidr.network)! + 1;
    const last = ipv4ToNumber(cidr.broadcast)! - 1;
    let next = first;
    return given.map((address) => {
        if (address !== undefined) return address;
        while (next <= last && taken.has(next)) next++;
        if (next > last) return undefined;
        taken.add(next);
        return numberToIpv4(next++);
    });
}

/** Host addresses in the CIDR (network and broadcast excluded). */
export function hostCount(cidr: Ipv4Cidr): number {
    return Math.max(0, 2 ** (32 - cidr.prefix) - 2);
}
