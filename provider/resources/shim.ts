/**
 * The provider objects Pulumi serializes into every resource's state (`__provider`).
 *
 * Pulumi serializes a dynamic provider by value, closures and all, and runs that text in its
 * dynamic-provider host (pulumi-dynamic-providers.md §2). Serializing our real implementation would
 * drag the SSH layer, the xe client and the remaster into every resource's state, break on
 * anything that does not serialize, and freeze old code into old state. So the serialized object
 * is a shim of one-line methods: each loads the implementation at call time, from the installed
 * `virtual-hypervisor` package or, when the program runs inside this repository (our own stack and
 * tests), from the repository's build. The shim captures nothing but the resource kind, so its
 * text — and therefore every resource's `__provider` — does not change when the implementation does.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The resource kinds the implementation module (./impl) dispatches on. */
export type ResourceKind = "XenNetwork" | "RemasteredIso" | "NestedHypervisor" | "ToolboxGateway";

/** Module, relative to the package root, that exports `providers: Record<ResourceKind, ResourceProvider>`. */
const IMPL = "dist/provider/resources/impl.js";

function loadImplementation(kind: string): pulumi.dynamic.ResourceProvider {
    // Runs inside the provider host: `require` here is the host's, resolving from its cwd (the project).
    const path = require("path");
    const fs = require("fs");
    let impl: any;
    try {
        impl = require(`virtual-hypervisor/${IMPL}`);
    } catch (err: any) {
        if (err?.code !== "MODULE_NOT_FOUND") throw err;
        for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
            const pkg = path.join(dir, "package.json");
            if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "virtual-hypervisor") {
                impl = require(path.join(dir, IMPL));
                break;
            }
            if (dir === path.dirname(dir)) {
                throw new Error(`cannot load the virtual-hypervisor provider from ${process.cwd()}: install the virtual-hypervisor package in this project (npm install virtual-hypervisor)`, { cause: err });
            }
        }
    }
    return impl.providers[kind];
}

/** A serializable provider for `kind` whose every method runs the real implementation. */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // `this` is the shim itself: configure() keeps the stack config on it for the other methods.
    return {
        async configure(this: any, req: pulumi.dynamic.ConfigureRequest) { this.config = req.config; },
        async check(this: any, olds: any, news: any) { return loadImplementation(kind).check!.call(this, olds, news); },
        async diff(this: any, id: string, olds: any, news: any) { return loadImplementation(kind).diff!.call(this, id, olds, news); },
        async create(this: any, inputs: any) { return loadImplementation(kind).create.call(this, inputs); },
        async read(this: any, id: string, props: any) { return loadImplementation(kind).read!.call(this, id, props); },
        async update(this: any, id: string, olds: any, news: any) { return loadImplementation(kind).update!.call(this, id, olds, news); },
        async delete(this: any, id: string, props: any) { return loadImplementation(kind).delete!.call(this, id, props); },
    };
}
