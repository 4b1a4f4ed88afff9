/**
 * A small stand-in for the Pulumi engine, for tests: it plays the resource monitor to a Pulumi
 * program running in this process (the SDK's mock hook), routes every dynamic resource to the
 * REAL dynamic-provider host (providerHost.ts) the way the engine's step generator does, and keeps
 * the stack's state between runs. It emulates what our acceptance tests rely on:
 *
 * - up: check → create, or diff → same | update | replace (create-before-delete unless
 *   deleteBeforeReplace), then deletes of resources the program no longer registers, dependents first;
 * - preview: check and diff only (inputs may hold unknowns), nothing is created, updated or deleted;
 * - refresh: read; a blank id drops the resource from state;
 * - destroy: deletes everything, dependents first;
 * - secrets: secret inputs are unwrapped before the provider sees them, and outputs whose key was a
 *   secret input or is listed in additionalSecretOutputs are secret in state (plainState() shows
 *   what a state file would hold in plaintext);
 * - ignoreChanges.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProviderHost, ProviderHostOptions } from "./providerHost";

const settings = require("@pulumi/pulumi/runtime/settings");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const SECRET_SIG = rpc.specialSecretSig as string;
const SIG_KEY = rpc.specialSigKey as string;

export interface ResourceState {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    id: string;
    inputs: Record<string, any>;
    outputs: Record<string, any>;
    /** Output keys that are secret in state. */
    secretKeys: string[];
    parent: string;
    dependencies: string[];
    options: { deleteBeforeReplace?: boolean; additionalSecretOutputs: string[]; ignoreChanges: string[]; retainOnDelete: boolean };
}

export interface Operation {
    op: "create" | "update" | "replace" | "same" | "delete" | "read" | "refresh-update" | "refresh-gone";
    urn: string;
    name: string;
    type: string;
    /** For replace: the keys the provider said force it. */
    replaces?: string[];
}

export interface RunResult {
    ops: Operation[];
    /** Errors raised by steps or by the program; empty on success. */
    errors: Error[];
}

const isDynamic = (type: string) => type.startsWith("pulumi-nodejs:dynamic");

const { isUnknown } = require("@pulumi/pulumi/output");

/**
 * Turns registered inputs into what the engine sends a provider: secret envelopes unwrapped
 * (reporting whether any part was secret) and unknown values as the plain sentinel string.
 */
function unwrapSecrets(value: any): { value: any; secret: boolean } {
    if (isUnknown(value)) return { value: rpc.unknownValue, secret: false };
    if (Array.isArray(value)) {
        const parts = value.map(unwrapSecrets);
        return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
    }
    if (value && typeof value === "object") {
        if (value[SIG_KEY] === SECRET_SIG) return { value: unwrapSecrets(value.value).value, secret: true };
        let secret = false;
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(value)) {
            const p = unwrapSecrets(v);
            out[k] = p.value;
            secret ||= p.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

export class TestEngine {
    readonly state = new Map<string, ResourceState>();
    private constructor(readonly host: ProviderHost, private readonly project: string, private readonly stack: string) {}

    static async start(options: ProviderHostOptions & { stack?: string }): Promise<TestEngine> {
        return new TestEngine(await ProviderHost.start(options), options.project, options.stack ?? "dev");
    }

    /** `pulumi up`: runs the program and applies its registrations. */
    up(program: () => unknown): Promise<RunResult> {
        return this.run(program, false);
    }

    /** `pulumi preview`: runs the program; only check and diff reach the provider. */
    preview(program: () => unknown): Promise<RunResult> {
        return this.run(program, true);
    }

    private async run(program: () => unknown, preview: boolean): Promise<RunResult> {
        const ops: Operation[] = [];
        const errors: Error[] = [];
        const seen = new Set<string>();
        const monitor = this.monitor(preview, ops, errors, seen);
        settings.setMockOptions(monitor, this.project, this.stack, preview);
        // What setMocks() does after installing a monitor: declare the engine features we emulate.
        Object.assign(require("@pulumi/pulumi/runtime/state").getStore(), {
            supportsSecrets: true, supportsResourceReferences: true, supportsOutputValues: false, supportsDeletedWith: true,
            supportsAliasSpecs: true, supportsTransforms: false,
        });
        // A failed registration rejects every Output of the resource; report each distinct error once.
        const onRejection = (e: any) => {
            const err = e instanceof Error ? e : new Error(String(e));
            if (!errors.some((x) => err.message.includes(x.message) || x.message.includes(err.message))) errors.push(err);
        };
        process.on("unhandledRejection", onRejection);
        // The real engine stops a deployment at the first failed step. Under this emulation, resources
        // waiting on a failed one may never register and the SDK's RPC queue never drains, so once a
        // step has failed give the rest a short grace period and then stop waiting.
        const settled = async () => {
            await settings.waitForRPCs();
            // Let the last callbacks settle (outputs resolved after the final registration).
            await new Promise((r) => setTimeout(r, 50));
            await settings.waitForRPCs();
        };
        const stoppedAfterError = new Promise<void>((resolve) => {
            const poll = setInterval(() => {
                if (errors.length === 0) return;
                clearInterval(poll);
                setTimeout(resolve, 2000);
            }, 50);
            void settled().finally(() => clearInterval(poll));
        });
        try {
            await program();
            await Promise.race([settled(), stoppedAfterError]);
        } catch (e) {
            errors.push(e as Error);
        } finally {
            process.off("unhandledRejection", onRejection);
        }
        if (errors.length === 0) {
            const gone = [...this.state.values()].filter((r) => !seen.has(r.urn));
            for (const r of this.deleteOrder(gone)) {
                ops.push({ op: "delete", urn: r.urn, name: r.name, type: r.type });
                if (preview) continue;
                try {
                    await this.deleteOne(r);
                } catch (e) {
                    errors.push(e as Error);
                    break;
                }
            }
        }
        return { ops, errors };
    }

    /** `pulumi refresh`: reads every dynamic resource; a blank id drops it from state. */
    async refresh(): Promise<RunResult> {
        const ops: Operation[] = [];
        const errors: Error[] = [];
        for (const r of [...this.state.values()].filter((s) => s.custom && isDynamic(s.type))) {
            try {
                const read = await this.host.read(r.urn, r.id, r.outputs, r.inputs);
                if (!read.id) {
                    this.state.delete(r.urn);
                    ops.push({ op: "refresh-gone", urn: r.urn, name: r.name, type: r.type });
                    continue;
                }
                const changed = JSON.stringify(read.props) !== JSON.stringify(r.outputs);
                r.outputs = read.props;
                if (read.inputs) r.inputs = read.inputs;
                ops.push({ op: changed ? "refresh-update" : "same", urn: r.urn, name: r.name, type: r.type });
            } catch (e) {
                errors.push(e as Error);
            }
        }
        return { ops, errors };
    }

    /** `pulumi destroy`. */
    async destroy(): Promise<RunResult> {
        const ops: Operation[] = [];
        const errors: Error[] = [];
        for (const r of this.deleteOrder([...this.state.values()])) {
            try {
                await this.deleteOne(r);
                ops.push({ op: "delete", urn: r.urn, name: r.name, type: r.type });
            } catch (e) {
                errors.push(e as Error);
            }
        }
        return { ops, errors };
    }

    /** The state as a state file would hold it: secret outputs encrypted (shown as "[secret]"). */
    plainState(): string {
        const resources = [...this.state.values()].map((r) => ({
            urn: r.urn,
            id: r.id,
            inputs: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, r.secretKeys.includes(k) ? "[secret]" : v])),
            outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, r.secretKeys.includes(k) ? "[secret]" : v])),
        }));
        return JSON.stringify(resources, null, 2);
    }

    resourcesOfType(typeSuffix: string): ResourceState[] {
        return [...this.state.values()].filter((r) => r.type.endsWith(typeSuffix));
    }

    async stop(): Promise<void> {
        await this.host.stop();
    }

    private async deleteOne(r: ResourceState): Promise<void> {
        if (r.custom && isDynamic(r.type) && !r.options.retainOnDelete) await this.host.delete(r.urn, r.id, r.outputs);
        this.state.delete(r.urn);
    }

    /** Dependents before their dependencies; otherwise newest first. */
    private deleteOrder(resources: ResourceState[]): ResourceState[] {
        const all = [...this.state.values()];
        const order: ResourceState[] = [];
        const visit = (r: ResourceState, stack: Set<string>) => {
            if (order.includes(r) || stack.has(r.urn)) return;
            stack.add(r.urn);
            for (const d of all.filter((x) => x.dependencies.includes(r.urn) || x.parent === r.urn)) visit(d, stack);
            order.push(r);
        };
        for (const r of [...resources].reverse()) visit(r, new Set());
        return order.filter((r) => resources.includes(r));
    }

    private monitor(preview: boolean, ops: Operation[], errors: Error[], seen: Set<string>) {
        // The SDK calls the monitor's methods unbound, so they reach the engine through this alias.
        // eslint-disable-next-line @typescript-eslint/no-this-alias
        const engine = this;
        const urnOf = (parent: string, type: string, name: string) => {
            const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
            return `urn:pulumi:${engine.stack}::${engine.project}::${qualified}::${name}`;
        };
        const reply = async (callback: any, urn: string, id: string, outputs: Record<string, any>, secretKeys: string[]) => {
            const wrapped = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, secretKeys.includes(k) ? pulumi.secret(v) : v]));
            const serialized = await rpc.serializeProperties("", wrapped);
            const resp = new resproto.RegisterResourceResponse();
            resp.setUrn(urn);
            resp.setId(id);
            resp.setObject(Struct.fromJavaScript(serialized));
            callback(null, resp);
        };
        return {
            async registerResource(req: any, callback: any) {
                const type: string = req.getType();
                const name: string = req.getName();
                const urn = urnOf(req.getParent(), type, name);
                try {
                    seen.add(urn);
                    const raw = rpc.deserializeProperties(req.getObject(), true);
                    const secretInputKeys = Object.keys(raw).filter((k) => unwrapSecrets(raw[k]).secret);
                    const news: Record<string, any> = unwrapSecrets(raw).value;
                    const options = {
                        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
                        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                        ignoreChanges: req.getIgnorechangesList(),
                        retainOnDelete: req.getRetainondelete(),
                    };
                    const prev = engine.state.get(urn);
                    const secretKeys = [...new Set([...secretInputKeys, ...options.additionalSecretOutputs])];
                    const record = (id: string, inputs: any, outputs: any): ResourceState => ({
                        urn, type, name, custom: req.getCustom(), id, inputs, outputs, secretKeys, options,
                        parent: req.getParent(), dependencies: req.getDependenciesList(),
                    });
                    if (!req.getCustom() || !isDynamic(type)) {
                        // Component resources: the engine just records them.
                        if (!preview) engine.state.set(urn, record("", news, news));
                        return reply(callback, urn, "", news, secretKeys);
                    }
                    for (const key of options.ignoreChanges) if (prev && key in prev.inputs) news[key] = prev.inputs[key];
                    const checked = await engine.host.check(urn, prev?.inputs ?? {}, news);
                    if (checked.failures.length) {
                        throw new Error(`check failed for ${name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
                    }
                    const inputs = checked.inputs;
                    if (!prev) {
                        ops.push({ op: "create", urn, name, type });
                        if (preview) return reply(callback, urn, "", inputs, secretKeys);
                        const created = await engine.host.create(urn, inputs);
                        engine.state.set(urn, record(created.id, inputs, created.outs));
                        return reply(callback, urn, created.id, created.outs, secretKeys);
                    }
                    const diff = await engine.host.diff(urn, prev.id, prev.outputs, inputs, prev.inputs);
                    const changed = diff.changes ?? JSON.stringify(prev.inputs) !== JSON.stringify(inputs);
                    if (!changed) {
                        ops.push({ op: "same", urn, name, type });
                        return reply(callback, urn, prev.id, prev.outputs, secretKeys);
                    }
                    if (diff.replaces.length) {
                        ops.push({ op: "replace", urn, name, type, replaces: diff.replaces });
                        if (preview) return reply(callback, urn, prev.id, inputs, secretKeys);
                        const deleteFirst = options.deleteBeforeReplace ?? diff.deleteBeforeReplace;
                        if (deleteFirst) await engine.host.delete(urn, prev.id, prev.outputs);
                        const created = await engine.host.create(urn, inputs);
                        engine.state.set(urn, record(created.id, inputs, created.outs));
                        if (!deleteFirst) await engine.host.delete(urn, prev.id, prev.outputs);
                        return reply(callback, urn, created.id, created.outs, secretKeys);
                    }
                    ops.push({ op: "update", urn, name, type });
                    if (preview) return reply(callback, urn, prev.id, inputs, secretKeys);
                    const outs = await engine.host.update(urn, prev.id, prev.outputs, inputs, prev.inputs);
                    engine.state.set(urn, record(prev.id, inputs, outs));
                    return reply(callback, urn, prev.id, outs, secretKeys);
                } catch (e) {
                    errors.push(e as Error);
                    callback(e, undefined);
                }
            },
            registerResourceOutputs(_req: any, callback: any) { callback(null, {}); },
            readResource(_req: any, callback: any) { callback(new Error("the test engine does not support reading resources by id"), undefined); },
            invoke(_req: any, callback: any) { callback(new Error("the test engine does not support invokes"), undefined); },
            supportsFeature(req: any, callback: any) {
                callback(null, { getHassupport: () => req.getId() !== "outputValues" });
            },
            registerPackage(_req: any, callback: any) {
                const resp = new resproto.RegisterPackageResponse();
                resp.setRef("test-engine");
                callback(null, resp);
            },
        };
    }
}
