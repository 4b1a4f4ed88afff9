/**
 * The part of xenstore the simulator models, derived from the database: for dom0 and every
 * running domain /local/domain/<domid>/{name,domid,vm} plus console/vnc-port for HVM guests (the
 * qemu VNC port, 5901 upwards, lowest free), the keys a guest with PV tools writes (data/os_*,
 * attr/PVAddons/*, attr/vif/*, control/*, feature/hotplug/*: sim/guest/agent.ts), and
 * /vm/<uuid>/{uuid,name}.
 */
import type { Db } from "../model/types";
import { guestXenstoreKeys } from "../guest/agent";

export interface XsNode {
    value: string;
    children: string[];
    /** xenstore permissions, as xenstore-ls -p prints them. */
    perms: string;
}

export type XsTree = Map<string, XsNode>;

function put(tree: XsTree, path: string, value: string, perms: string): void {
    const parts = path.split("/").filter(Boolean);
    let cur = "";
    for (let i = 0; i < parts.length; i++) {
        const parent = cur || "/";
        cur = `${cur}/${parts[i]}`;
        if (!tree.has(cur)) {
            tree.set(cur, { value: "", children: [], perms });
            tree.get(parent)!.children.push(parts[i]);
        }
    }
    tree.get(path)!.value = value;
}

export function buildTree(db: Db): XsTree {
    const tree: XsTree = new Map([["/", { value: "", children: [], perms: "n0" }]]);
    put(tree, "/local/domain", "", "n0");
    const refOf = new Map(Object.entries(db.vm).map(([ref, vm]) => [vm, ref]));
    const running = Object.values(db.vm).filter((v) => v.power_state !== "halted" && v.domid >= 0).sort((a, b) => a.domid - b.domid);
    for (const vm of running) {
        const base = `/local/domain/${vm.domid}`;
        const perms = vm.domid === 0 ? "n0" : `n0,r${vm.domid}`;
        put(tree, base, "", perms);
        put(tree, `${base}/vm`, `/vm/${vm.uuid}`, perms);
        put(tree, `${base}/name`, vm.domid === 0 ? "Domain-0" : vm.name_label, perms);
        put(tree, `${base}/domid`, String(vm.domid), perms);
        if (vm.domid !== 0 && typeof vm.vnc_port === "number") put(tree, `${base}/console/vnc-port`, String(vm.vnc_port), perms);
        // What a guest with PV tools writes itself: nodes the guest creates are owned by it.
        for (const [key, value] of guestXenstoreKeys(db, refOf.get(vm)!)) put(tree, `${base}/${key}`, value, `n${vm.domid}`);
    }
    for (const vm of running) {
        put(tree, `/vm/${vm.uuid}/uuid`, vm.uuid, "n0");
        put(tree, `/vm/${vm.uuid}/name`, vm.domid === 0 ? "Domain-0" : vm.name_label, "n0");
    }
    return tree;
}

/** xenstore_client.c sanitise_value: printable ASCII stays, the rest is escaped. */
export function sanitise(value: string): string {
    let out = "";
    for (const ch of Buffer.from(value, "utf8")) {
        if (ch >= 0x20 && ch <= 0x7e && ch !== 0x5c) out += String.fromCharCode(ch);
        else if (ch === 0x09) out += "\\t";
        else if (ch === 0x0a) out += "\\n";
        else if (ch === 0x0d) out += "\\r";
        else if (ch === 0x5c) out += "\\\\";
        else out += ch < 0o10 ? `\\${ch.toString(8).padStart(3, "0")}` : `\\x${ch.toString(16).padStart(2, "0")}`;
    }
    return out;
}

/** Normalises a path the way xenstored does (no trailing slash except the root). */
export function normalise(path: string): string {
    const p = path.replace(/\/+$/, "");
    return p === "" ? "/" : p;
}
