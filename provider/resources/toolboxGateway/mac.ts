/**
 * The MAC of the toolbox's VIF on a lab's home network: derived from lab and network, so the same
 * lab always plugs the same MAC (a re-create adopts a leftover VIF instead of adding a second one)
 * and the toolbox side can find its interface by it. Locally administered, unicast.
 */
import * as crypto from "node:crypto";

export function gatewayMac(lab: string, homeNetwork: string): string {
    const digest = crypto.createHash("sha256").update(`virtual-hypervisor/toolbox-gateway\0${lab}\0${homeNetwork.toLowerCase()}`).digest();
    const bytes = [...digest.subarray(0, 6)];
    bytes[0] = (bytes[0] & 0xfc) | 0x02; // locally administered (bit 1), not multicast (bit 0)
    return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}
