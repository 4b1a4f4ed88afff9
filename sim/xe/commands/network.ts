/**
 * network-create / network-destroy / vif-create / vif-destroy / vif-plug / vif-unplug
 * (cli_operations.ml net_create, net_destroy, vif_create, vif_destroy, vif_plug, vif_unplug).
 */
import { networkCreate, networkDestroy, vifCreate, vifDestroy } from "../../api/network";
import { vifPlug, vifUnplug } from "../../api/vif";
import { randomLocalMac } from "../../model/ids";
import { int64 } from "../values";
import type { ImplTable } from "./types";

export const NETWORK_COMMANDS: ImplTable = {
    "network-create": {
        writes: true,
        run(c) {
            const mtu = c.has("MTU") ? int64(c.req("MTU")) : 1500;
            const managed = c.bool("managed", true);
            // 7.1's network-create does not know bridge= and managed= (they are ignored there).
            const modern = c.gen >= 1;
            const ref = networkCreate(c, {
                nameLabel: c.req("name-label"), nameDescription: c.param("name-description") ?? "", mtu,
                bridge: modern ? c.param("bridge") ?? "" : "", managed: modern ? managed : true,
            });
            c.printer.print({ kind: "list", items: [c.db.network[ref].uuid] });
        },
    },
    "network-destroy": {
        writes: true,
        run(c) {
            networkDestroy(c, c.byUuid("network", c.req("uuid")));
        },
    },
    "vif-create": {
        writes: true,
        run(c) {
            const mac = c.param("mac") ?? "";
            const vm = c.byUuid("vm", c.req("vm-uuid"));
            const network = c.byUuid("network", c.req("network-uuid"));
            const ref = vifCreate(c, {
                vm, network, device: c.req("device"),
                mac: mac === "random" ? randomLocalMac(c.gen >= 2) : mac,
            });
            c.printer.print({ kind: "list", items: [c.db.vif[ref].uuid] });
        },
    },
    "vif-destroy": {
        writes: true,
        run(c) {
            vifDestroy(c, c.byUuid("vif", c.req("uuid")));
        },
    },
    "vif-plug": {
        writes: true,
        run(c) {
            vifPlug(c, c.byUuid("vif", c.req("uuid")));
        },
    },
    "vif-unplug": {
        writes: true,
        run(c) {
            const ref = c.byUuid("vif", c.req("uuid"));
            // get_bool_param: --force is force=true; VIF.unplug_force skips waiting for the guest.
            vifUnplug(c, ref, c.bool("force"));
        },
    },
};
