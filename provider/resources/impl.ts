/**
 * The registry the serialized provider shims load (shim.ts: `providers[kind]` from
 * dist/provider/resources/impl.js). Lazy getters: a host serving one kind of resource loads only
 * that implementation.
 */
import type * as pulumi from "@pulumi/pulumi";

export const providers: Record<string, pulumi.dynamic.ResourceProvider> = {
    get XenNetwork() {
        return require("./xenNetwork/provider").provider;
    },
    get RemasteredIso() {
        return require("./remasteredIso/provider").provider;
    },
    get NestedHypervisor() {
        return require("./nestedHypervisor/provider").provider;
    },
    get ToolboxGateway() {
        return require("./toolboxGateway/provider").provider;
    },
};
