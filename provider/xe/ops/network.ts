/** Network and VIF helpers over xe. */
import type { XeClient } from "../client";
import type { XeMap } from "../command";
import { firstUuid } from "./util";

export interface NetworkCreateArgs {
    nameLabel: string;
    /** @default "" */
    nameDescription?: string;
    /** @default 1500 (xapi's default) */
    mtu?: number;
    /** Bridge name. @default - xapi picks a free xapiN */
    bridge?: string;
    /** other-config keys set right after creation (e.g. an ownership tag). @default {} */
    otherConfig?: XeMap;
}

export class NetworkOps {
    constructor(private readonly xe: XeClient) {}

    /**
     * `network-create`, then other-config via param-set (network-create takes no other-config).
     * Transactional: if tagging fails the new network is destroyed again.
     */
    async create(args: NetworkCreateArgs): Promise<string> {
        const out = await this.xe.call("network-create", {
            "name-label": args.nameLabel,
            "name-description": args.nameDescription,
            MTU: args.mtu,
            bridge: args.bridge,
        });
        const uuid = firstUuid(out, `xe network-create name-label=${args.nameLabel}`);
        if (args.otherConfig && Object.keys(args.otherConfig).length) {
            try {
                await this.xe.paramSet("network", uuid, { "other-config": args.otherConfig });
            } catch (err) {
                await this.destroy(uuid).catch(() => undefined);
                throw err;
            }
        }
        return uuid;
    }

    async destroy(uuid: string): Promise<void> {
        await this.xe.call("network-destroy", { uuid });
    }

    /** The bridge (e.g. "xapi3") carrying the network in dom0. */
    async bridge(uuid: string): Promise<string> {
        return this.xe.paramGet("network", uuid, "bridge");
    }
}

export interface VifCreateArgs {
    vmUuid: string;
    networkUuid: string;
    /** Device index, e.g. 0. */
    device: string | number;
    /** MAC address, or "random". @default - derived from the VM's mac_seed */
    mac?: string;
}

export class VifOps {
    constructor(private readonly xe: XeClient) {}

    async create(args: VifCreateArgs): Promise<string> {
        const out = await this.xe.call("vif-create", {
            "vm-uuid": args.vmUuid,
            "network-uuid": args.networkUuid,
            device: String(args.device),
            mac: args.mac,
        });
        return firstUuid(out, `xe vif-create vm-uuid=${args.vmUuid}`);
    }

    async destroy(uuid: string): Promise<void> {
        await this.xe.call("vif-destroy", { uuid });
    }
}
