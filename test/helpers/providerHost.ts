/**
 * Runs the REAL dynamic-provider host shipped in @pulumi/pulumi (`cmd/dynamic-provider`) and talks
 * to it over gRPC exactly as the Pulumi engine does: first stdout line is the port, Configure first
 * with the whole stack config, then Check/Diff/Create/Read/Update/Delete with protobuf Structs.
 * There is no Pulumi CLI on this machine (pulumi-dynamic-providers.md §6), so this is how provider
 * code is proven in the process it really runs in.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

export interface DiffResult {
    /** true: DIFF_SOME, false: DIFF_NONE, undefined: DIFF_UNKNOWN. */
    changes: boolean | undefined;
    replaces: string[];
    deleteBeforeReplace: boolean;
}

export interface ProviderHostOptions {
    /** Working directory of the host: the project directory, from which the provider's require() calls resolve. */
    cwd: string;
    project: string;
    /** The whole stack config, keys "<namespace>:<key>" (secrets in plaintext, as the engine unwraps them). */
    config: Record<string, string>;
}

const S = (value: object) => Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
const J = (struct: any) => (struct ? struct.toJavaScript() : undefined);

export class ProviderHost {
    /** Every line the host printed on stdout/stderr (the engine shows these as diagnostics). */
    readonly logs: string[] = [];
    private client: any;

    private constructor(private readonly child: ChildProcess, port: number) {
        this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }

    static async start(options: ProviderHostOptions): Promise<ProviderHost> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
        // The engine address argument is required by the host but never dialled.
        const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
            cwd: options.cwd,
            env: { ...process.env, PULUMI_NODEJS_PROJECT: options.project, PULUMI_PROJECT: options.project },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const early: string[] = [];
        const port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(() => reject(new Error(`dynamic-provider host did not print its port within 30 s: ${early.join("\n")}`)), 30_000);
            child.stderr!.setEncoding("utf8").on("data", (d: string) => early.push(d));
            child.stdout!.setEncoding("utf8");
            const onData = (d: string) => {
                buf += d;
                const nl = buf.indexOf("\n");
                if (nl < 0) return;
                child.stdout!.off("data", onData);
                clearTimeout(timer);
                resolve(parseInt(buf.slice(0, nl), 10));
            };
            child.stdout!.on("data", onData);
            child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`dynamic-provider host exited with ${code}: ${early.join("")}`)); });
        });
        const host = new ProviderHost(child, port);
        host.logs.push(...early.join("").split("\n").filter(Boolean).map((l) => `stderr: ${l}`));
        const collect = (stream: NodeJS.ReadableStream, tag: string) => {
            let partial = "";
            stream.on("data", (d: string) => {
                const lines = (partial + d).split("\n");
                partial = lines.pop()!;
                host.logs.push(...lines.filter(Boolean).map((l) => `${tag}: ${l}`));
            });
        };
        collect(child.stdout!, "stdout");
        collect(child.stderr!, "stderr");
        const req = new provproto.ConfigureRequest();
        req.setArgs(S(options.config));
        req.setAcceptsecrets(true);
        req.setAcceptresources(true);
        await host.call("configure", req);
        return host;
    }

    private call(method: string, req: any): Promise<any> {
        return new Promise((resolve, reject) => this.client[method](req, (err: any, resp: any) => {
            if (err) {
                const e = new Error(err.details || err.message);
                (e as any).grpcCode = err.code;
                reject(e);
            } else resolve(resp);
        }));
    }

    async check(urn: string, olds: object, news: object): Promise<{ inputs: any; failures: Array<{ property: string; reason: string }> }> {
        const r = new provproto.CheckRequest();
        r.setUrn(urn); r.setOlds(S(olds)); r.setNews(S(news));
        const resp = await this.call("check", r);
        return { inputs: J(resp.getInputs()), failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })) };
    }

    async diff(urn: string, id: string, olds: object, news: object, oldInputs: object): Promise<DiffResult> {
        const r = new provproto.DiffRequest();
        r.setUrn(urn); r.setId(id); r.setOlds(S(olds)); r.setNews(S(news)); r.setOldInputs(S(oldInputs));
        const resp = await this.call("diff", r);
        const C = provproto.DiffResponse.DiffChanges;
        const changes = resp.getChanges() === C.DIFF_SOME ? true : resp.getChanges() === C.DIFF_NONE ? false : undefined;
        return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    }

    async create(urn: string, props: object): Promise<{ id: string; outs: any }> {
        const r = new provproto.CreateRequest();
        r.setUrn(urn); r.setProperties(S(props));
        const resp = await this.call("create", r);
        return { id: resp.getId(), outs: J(resp.getProperties()) };
    }

    async read(urn: string, id: string, props: object, inputs: object): Promise<{ id: string; props: any; inputs: any }> {
        const r = new provproto.ReadRequest();
        r.setUrn(urn); r.setId(id); r.setProperties(S(props)); r.setInputs(S(inputs));
        const resp = await this.call("read", r);
        return { id: resp.getId(), props: J(resp.getProperties()), inputs: J(resp.getInputs()) };
    }

    async update(urn: string, id: string, olds: object, news: object, oldInputs: object): Promise<any> {
        const r = new provproto.UpdateRequest();
        r.setUrn(urn); r.setId(id); r.setOlds(S(olds)); r.setNews(S(news)); r.setOldInputs(S(oldInputs));
        return J((await this.call("update", r)).getProperties());
    }

    async delete(urn: string, id: string, props: object): Promise<void> {
        const r = new provproto.DeleteRequest();
        r.setUrn(urn); r.setId(id); r.setProperties(S(props));
        await this.call("delete", r);
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise((r) => this.child.once("exit", r));
            this.child.kill();
            await exited;
        }
    }
}
