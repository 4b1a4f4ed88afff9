/**
 * Pulumi's mock engine (pulumi.runtime.setMocks) with the MockMonitor wrapped, so tests see what
 * the engine would receive for each registration: parent, dependencies, property dependencies and
 * resource options (pulumi-dynamic-providers.md §4.1–4.2). The mocks stand in for the engine and
 * the providers only: whatever else the program does (SSH to a simulated host) is real.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    /** Explicit dependsOn plus implicit dependencies through Output inputs. */
    deps: string[];
    propDeps: Record<string, string[]>;
    /** Inputs as serialized for the engine (secrets as envelopes). */
    inputs: Record<string, any>;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
}

export interface MockEngine {
    registrations: Registration[];
    /** Registrations of custom resources whose type ends with `suffix`. */
    of(suffix: string): Registration[];
    byName(name: string): Registration;
}

/** Outputs a mocked resource reports, computed from its inputs (what its provider would add). */
export type MockOutputs = (type: string, name: string, inputs: Record<string, any>) => Record<string, any>;

/**
 * Installs fresh mocks for (project, stack) and a monitor wrapper recording every registration.
 * @param preview run as `pulumi preview` @default false
 */
export async function installMockEngine(project: string, stack: string, outputs: MockOutputs, preview = false): Promise<MockEngine> {
    const registrations: Registration[] = [];
    await pulumi.runtime.setMocks({
        newResource(args) {
            const state = { ...args.inputs, ...outputs(args.type, args.name, args.inputs) };
            return { id: args.custom ? `${args.name}-id` : undefined as unknown as string, state };
        },
        call(args) {
            throw new Error(`mock engine: no call expected, got ${args.token}`);
        },
    }, project, stack, preview);
    const monitor: any = pulumi.runtime.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: any) => {
        const propDeps: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => { propDeps[k] = v.getUrnsList(); });
        registrations.push({
            type: req.getType(), name: req.getName(), custom: req.getCustom(), parent: req.getParent(),
            deps: req.getDependenciesList(), propDeps, inputs: req.getObject()?.toJavaScript() ?? {},
            protect: req.getProtect(), retainOnDelete: req.getRetainondelete(), ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return original(req, callback);
    };
    return {
        registrations,
        of: (suffix) => registrations.filter((r) => r.custom && r.type.endsWith(suffix)),
        byName: (name) => {
            const found = registrations.find((r) => r.name === name);
            if (!found) throw new Error(`no registration named ${name}; have: ${registrations.map((r) => r.name).join(", ")}`);
            return found;
        },
    };
}

/** Resolves a known Output (apply never fires for unknowns or failures: use settle() for those). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/**
 * Collects the errors a failing program raises: a failed Output rejects every promise derived
 * from it, and Node reports each as an unhandled rejection. Stop the collector once the program
 * has settled (after drain()).
 */
export function collectRejections(): { errors: Error[]; stop(): void } {
    const errors: Error[] = [];
    const onRejection = (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        if (!errors.some((x) => x.message === err.message)) errors.push(err);
    };
    process.on("unhandledRejection", onRejection);
    return { errors, stop: () => process.off("unhandledRejection", onRejection) };
}

/** Waits until the SDK has sent every outstanding registration. */
export async function drain(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings");
    await settings.waitForRPCs();
    // Rejections are reported on a later tick than the RPCs settle.
    await new Promise((resolve) => setTimeout(resolve, 50));
}

/** The value inside a serialized secret envelope (or the value itself), and whether it was secret. */
export function unwrapSecret(value: any): { value: any; secret: boolean } {
    const sig = require("@pulumi/pulumi/runtime/rpc").specialSecretSig;
    if (value && typeof value === "object" && value["4dabf18193072939515e22adb298388d"] === sig) return { value: value.value, secret: true };
    return { value, secret: false };
}
