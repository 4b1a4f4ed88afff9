/**
 * Validation of the network part of an answer file: the management interface (IPv4, IPv6,
 * VLAN), name servers, host name and NTP. Rules follow host-installer's answerfile.py and
 * doc/answerfile.txt; see validate.ts for the message shape.
 */
import { hostnameProblem, isInterfaceName, isIPv4, isIPv6, isMacAddress, netmaskPrefixLength, reservedIpv4Role, sameIpv4Subnet } from "./net";
import { checkEnum, Issues } from "./issues";
import { NTP_SOURCES, PROTOS, PROTOS_V6, type AdminInterface, type AnswerFile } from "./types";

function checkIpv4(issues: Issues, path: string, value: unknown, why: string): value is string {
    if (value === undefined || value === "") {
        issues.error(path, `is required ${why}`, value);
        return false;
    }
    if (typeof value !== "string" || !isIPv4(value)) {
        issues.error(path, "must be a dotted IPv4 address such as 192.168.32.2", value);
        return false;
    }
    return true;
}

function checkStaticIpv4(issues: Issues, a: AdminInterface): void {
    const why = 'when adminInterface.proto is "static"';
    const v4 = a.ipv4;
    if (!v4) {
        issues.error("adminInterface.ipv4", `is required ${why} (address, netmask and gateway)`, v4);
        return;
    }
    const addressOk = checkIpv4(issues, "adminInterface.ipv4.address", v4.address, why);
    let prefix: number | undefined;
    if (v4.netmask === undefined || v4.netmask === "") {
        issues.error("adminInterface.ipv4.netmask", `is required ${why}`, v4.netmask);
    } else {
        prefix = typeof v4.netmask === "string" ? netmaskPrefixLength(v4.netmask) : undefined;
        if (prefix === undefined || prefix === 0) {
            issues.error("adminInterface.ipv4.netmask", "must be a contiguous IPv4 netmask such as 255.255.255.0", v4.netmask);
            prefix = undefined;
        }
    }
    const gatewayOk = checkIpv4(issues, "adminInterface.ipv4.gateway", v4.gateway, why);
    if (addressOk && prefix !== undefined) {
        const role = reservedIpv4Role(v4.address, v4.netmask);
        if (role) issues.error("adminInterface.ipv4.address", `must not be the ${role} address of its subnet /${prefix}`, v4.address);
    }
    if (addressOk && gatewayOk && prefix !== undefined) {
        if (!sameIpv4Subnet(v4.address, v4.gateway, v4.netmask)) {
            issues.error("adminInterface.ipv4.gateway", `must be inside the subnet of ${v4.address}/${prefix}`, v4.gateway);
        } else if (v4.address === v4.gateway) {
            issues.error("adminInterface.ipv4.gateway", "must differ from adminInterface.ipv4.address", v4.gateway);
        }
    }
}

function checkStaticIpv6(issues: Issues, a: AdminInterface): void {
    const why = 'when adminInterface.protov6 is "static"';
    const v6 = a.ipv6;
    if (!v6) {
        issues.error("adminInterface.ipv6", `is required ${why} (address, prefixLength and gateway)`, v6);
        return;
    }
    if (v6.address === undefined || v6.address === "") issues.error("adminInterface.ipv6.address", `is required ${why}`, v6.address);
    else if (typeof v6.address !== "string" || !isIPv6(v6.address)) issues.error("adminInterface.ipv6.address", "must be an IPv6 address such as 2001:db8::2", v6.address);
    if (!Number.isInteger(v6.prefixLength) || v6.prefixLength < 1 || v6.prefixLength > 128) {
        issues.error("adminInterface.ipv6.prefixLength", "must be an integer from 1 to 128", v6.prefixLength);
    }
    if (v6.gateway === undefined || v6.gateway === "") issues.error("adminInterface.ipv6.gateway", `is required ${why} (the installer needs <gatewayv6>)`, v6.gateway);
    else if (typeof v6.gateway !== "string" || !isIPv6(v6.gateway)) issues.error("adminInterface.ipv6.gateway", "must be an IPv6 address such as 2001:db8::1 or fe80::1", v6.gateway);
    else if (v6.gateway === v6.address) issues.error("adminInterface.ipv6.gateway", "must differ from adminInterface.ipv6.address", v6.gateway);
}

export function checkAdminInterface(issues: Issues, a: AdminInterface): void {
    if (a.name === undefined && a.hwaddr === undefined) {
        issues.error("adminInterface", 'must name the interface with "name" (e.g. "eth0") or "hwaddr" (a MAC address)', a);
    }
    if (a.name !== undefined && (typeof a.name !== "string" || !isInterfaceName(a.name))) {
        issues.error("adminInterface.name", "must be a network interface name of 1 to 15 letters, digits, '_', '.' or '-' such as eth0", a.name);
    }
    if (a.hwaddr !== undefined && (typeof a.hwaddr !== "string" || !isMacAddress(a.hwaddr))) {
        issues.error("adminInterface.hwaddr", "must be a MAC address of six colon-separated hex pairs such as 52:54:00:12:34:56", a.hwaddr);
    }
    const protoOk = checkEnum(issues, "adminInterface.proto", a.proto, PROTOS);
    const protov6 = a.protov6 ?? "none";
    const protov6Ok = a.protov6 === undefined || checkEnum(issues, "adminInterface.protov6", a.protov6, PROTOS_V6);
    if (protoOk && a.proto === "static") checkStaticIpv4(issues, a);
    else if (protoOk && a.ipv4 !== undefined) {
        issues.warn("adminInterface.ipv4", `is ignored by the installer when adminInterface.proto is ${JSON.stringify(a.proto)}`, a.ipv4);
    }
    if (protov6Ok && protov6 === "static") checkStaticIpv6(issues, a);
    else if (protov6Ok && a.ipv6 !== undefined) {
        issues.warn("adminInterface.ipv6", `is ignored by the installer when adminInterface.protov6 is ${JSON.stringify(protov6)}`, a.ipv6);
    }
    if (protoOk && protov6Ok && a.proto === "none" && protov6 === "none") {
        issues.error("adminInterface.protov6", 'must be "static", "dhcp" or "autoconf" when adminInterface.proto is "none" (the interface needs IPv4 or IPv6)', a.protov6);
    }
    if (a.vlan !== undefined && (!Number.isInteger(a.vlan) || a.vlan < 1 || a.vlan > 4094)) {
        issues.error("adminInterface.vlan", "must be an integer VLAN id from 1 to 4094", a.vlan);
    }
}

function isHostOrAddress(value: unknown): boolean {
    return typeof value === "string" && (isIPv4(value) || isIPv6(value) || hostnameProblem(value) === undefined);
}

export function checkNames(issues: Issues, m: AnswerFile): void {
    if (m.hostname !== undefined) {
        const problem = typeof m.hostname === "string" ? hostnameProblem(m.hostname) : "must be a string";
        if (problem) issues.error("hostname", `${problem}, as an RFC 1123 host name such as vh0.lab`, m.hostname);
    }
    const seen = new Set<string>();
    (m.nameServers ?? []).forEach((ns, i) => {
        const path = `nameServers[${i}]`;
        if (typeof ns !== "string" || !(isIPv4(ns) || isIPv6(ns))) issues.error(path, "must be an IPv4 or IPv6 address such as 192.168.32.1", ns);
        else if (seen.has(ns)) issues.warn(path, "repeats an earlier name server", ns);
        seen.add(String(ns));
    });
}

export function checkNtp(issues: Issues, m: AnswerFile): void {
    const ntp = m.ntp;
    if (!ntp) return;
    const servers = ntp.servers ?? [];
    servers.forEach((s, i) => {
        if (!isHostOrAddress(s)) issues.error(`ntp.servers[${i}]`, "must be a host name or an IP address such as pool.ntp.org", s);
    });
    if (ntp.source === undefined) return;
    if (!checkEnum(issues, "ntp.source", ntp.source, NTP_SOURCES)) return;
    if (ntp.source === "manual" && servers.length === 0) {
        issues.error("ntp.servers", 'must list at least one server when ntp.source is "manual"', ntp.servers);
    }
    if (ntp.source !== "manual" && servers.length > 0) {
        issues.error("ntp.servers", `must be empty unless ntp.source is "manual" (the installer rejects <ntp-server> with source ${JSON.stringify(ntp.source)})`, ntp.servers);
    }
}

