/**
 * The MAC of the toolbox's VIF on a lab's home network: derived from lab and network, so the same
 * lab always plugs the same MAC (a re-create adopts a leftover VIF instead of adding a second one)
 * and the toolbox side can find its interface by it.
 */
import { macFromSeed } from "../common/mac";

export function gatewayMac(lab: string, homeNetwork: string): string {
    return macFromSeed(`virtual-hypervisor/toolbox-gateway\0${lab}\0${homeNetwork.toLowerCase()}`);
}
