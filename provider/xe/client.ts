/**
 * The typed xe client. Every xe call goes through call(), which builds the command line with
 * buildXeCommand (the one quoting choke point), runs it on the host over the pooled SSH session,
 * retries only read-only commands after a dropped connection, and turns failures into XeError.
 * Object-specific helpers live in ./ops/* and hang off the client as `xe.vm`, `xe.sr`, ….
 */
import type { Readable } from "node:stream";
import { ShellCommand, sh } from "../shell";
import { ConnectionArgs, ExecResult, getSession, RunOptions, SessionOptions, SshSession, upload, UploadOptions, UploadResult } from "../ssh";
import { buildXeCommand, XeFlags, XeMap, XeParams } from "./command";
import { XeError } from "./errors";
import { HostOps, PoolOps } from "./ops/host";
import { NetworkOps, VifOps } from "./ops/network";
import { PbdOps, SrOps, VbdOps, VdiOps } from "./ops/storage";
import { VmOps } from "./ops/vm";
import { parseMap, parseMinimal, parseRecords, parseSet, parseValue, XeRecord } from "./parse";

/** What the client needs from a connection; SshSession provides it. */
export interface XeTransport {
    readonly target: string;
    run(command: ShellCommand, options?: RunOptions): Promise<ExecResult>;
    /** Like run(), but throws CommandFailedError unless the command exits 0. */
    runOrThrow(command: ShellCommand, options?: RunOptions): Promise<ExecResult>;
}

/** xe object classes (the prefix of their commands: `vm-list`, `sr-param-get`, …). */
export type XeClass =
    | "vm" | "template" | "snapshot" | "host" | "pool" | "network" | "pif" | "vif"
    | "sr" | "pbd" | "vdi" | "vbd" | "console" | "secret" | "task";

export interface XeCallOptions extends XeFlags {
    /** Deadline of the call. @default the connection's commandTimeoutMs */
    timeoutMs?: number;
}

/** Errors meaning "that object does not exist" (gone, never existed, or a filter matched nothing). */
export function isXeNotFound(err: unknown): boolean {
    return err instanceof XeError && ["UUID_INVALID", "HANDLE_INVALID", "NO_MATCHING_OBJECTS"].includes(err.code);
}

export class XeClient {
    readonly vm = new VmOps(this);
    readonly network = new NetworkOps(this);
    readonly vif = new VifOps(this);
    readonly sr = new SrOps(this);
    readonly pbd = new PbdOps(this);
    readonly vdi = new VdiOps(this);
    readonly vbd = new VbdOps(this);
    readonly host = new HostOps(this);
    readonly pool = new PoolOps(this);

    constructor(readonly transport: XeTransport) {}

    /** A client on the pooled SSH session for `args` (see provider/ssh getSession). */
    static connect(args: ConnectionArgs, options?: SessionOptions): XeClient {
        return new XeClient(getSession(args, options));
    }

    get target(): string {
        return this.transport.target;
    }

    /** Runs `xe <name> <params…>` and resolves with its stdout; throws XeError when xe fails. */
    async call(name: string, params: XeParams = {}, options: XeCallOptions = {}): Promise<string> {
        const line = buildXeCommand(name, params, options);
        const result = await this.transport.run(line.command, {
            timeoutMs: options.timeoutMs,
            idempotent: line.readOnly,
            display: line.display,
        });
        if (result.exitCode !== 0) throw new XeError(line.display, this.target, result.exitCode, result.stdout, result.stderr);
        return result.stdout;
    }

    /** Runs a command with `--minimal` and returns the values. */
    async minimal(name: string, params: XeParams = {}, options: XeCallOptions = {}): Promise<string[]> {
        return parseMinimal(await this.call(name, params, { ...options, minimal: true }));
    }

    /** Runs a command that prints records (e.g. `vm-list params=all`) and parses them. */
    async records(name: string, params: XeParams = {}, options: XeCallOptions = {}): Promise<XeRecord[]> {
        return parseRecords(await this.call(name, params, options));
    }

    /**
     * Lists objects matching `filters` (field=value, map:key=value), with the given fields.
     * @param fields fields to print @default - the class's default fields
     */
    async list(cls: XeClass, filters: XeParams = {}, fields?: readonly string[]): Promise<XeRecord[]> {
        return this.records(`${cls}-list`, { ...filters, params: fields?.join(",") });
    }

    /** The uuids of the objects matching `filters` ([] when none). */
    async uuids(cls: XeClass, filters: XeParams = {}): Promise<string[]> {
        return this.minimal(`${cls}-list`, { ...filters, params: "uuid" });
    }

    /** One object's record, or undefined when no object has that uuid. @param fields @default ["all"] */
    async record(cls: XeClass, uuid: string, fields: readonly string[] = ["all"]): Promise<XeRecord | undefined> {
        return (await this.list(cls, { uuid }, fields))[0];
    }

    async findByNameLabel(cls: XeClass, nameLabel: string): Promise<string[]> {
        return this.uuids(cls, { "name-label": nameLabel });
    }

    async findByOtherConfig(cls: XeClass, key: string, value: string): Promise<string[]> {
        return this.uuids(cls, { "other-config": { [key]: value } });
    }

    /** A field's printed value; with `key`, one key of a map field. */
    async paramGet(cls: XeClass, uuid: string, param: string, key?: string): Promise<string> {
        return parseValue(await this.call(`${cls}-param-get`, { uuid, "param-name": param, "param-key": key }));
    }

    /** One key of a map field, or undefined when the key is absent. */
    async paramGetOptional(cls: XeClass, uuid: string, param: string, key: string): Promise<string | undefined> {
        try {
            return await this.paramGet(cls, uuid, param, key);
        } catch (err) {
            if (err instanceof XeError && err.code === "KEY_NOT_FOUND") return undefined;
            throw err;
        }
    }

    async paramGetMap(cls: XeClass, uuid: string, param: string): Promise<Record<string, string>> {
        return parseMap(await this.paramGet(cls, uuid, param));
    }

    async paramGetSet(cls: XeClass, uuid: string, param: string): Promise<string[]> {
        return parseSet(await this.paramGet(cls, uuid, param));
    }

    /** Sets fields in one call, in order: `{ "name-label": "x", platform: { "nested-virt": "true" } }`. */
    async paramSet(cls: XeClass, uuid: string, values: XeParams): Promise<void> {
        await this.call(`${cls}-param-set`, { uuid, ...values });
    }

    /** Adds keys to a map field (`*-param-add param-name=map k=v …`). */
    async paramAdd(cls: XeClass, uuid: string, param: string, entries: XeMap): Promise<void> {
        await this.call(`${cls}-param-add`, { uuid, "param-name": param, ...entries });
    }

    /** Adds a member to a set field such as `tags`. */
    async paramAddToSet(cls: XeClass, uuid: string, param: string, member: string): Promise<void> {
        await this.call(`${cls}-param-add`, { uuid, "param-name": param, "param-key": member });
    }

    /** Removes a key from a map field or a member from a set field. */
    async paramRemove(cls: XeClass, uuid: string, param: string, key: string): Promise<void> {
        await this.call(`${cls}-param-remove`, { uuid, "param-name": param, "param-key": key });
    }

    async paramClear(cls: XeClass, uuid: string, param: string): Promise<void> {
        await this.call(`${cls}-param-clear`, { uuid, "param-name": param });
    }

    /** `xenstore-read PATH` in dom0; XeError XENSTORE_PATH_NOT_FOUND when the path does not exist. */
    async xenstoreRead(path: string): Promise<string> {
        if (!/^\/?[A-Za-z0-9_.@:-]+(?:\/[A-Za-z0-9_.@:-]+)*$/.test(path)) {
            throw new Error(`invalid xenstore path ${JSON.stringify(path)}: expected words of letters, digits and _.@:- joined by "/"`);
        }
        const command = sh`xenstore-read ${path}`;
        const result = await this.transport.run(command, { idempotent: true });
        if (result.exitCode !== 0) throw new XeError(command.text, this.target, result.exitCode, result.stdout, result.stderr);
        return parseValue(result.stdout);
    }

    /**
     * Escape hatch for non-xe commands (df, mkdir, rm, mv): build `command` with sh`` or argv() so
     * every value is quoted. Resolves whatever the exit status.
     */
    async run(command: ShellCommand, options?: RunOptions): Promise<ExecResult> {
        return this.transport.run(command, options);
    }

    /** Like run(), but throws CommandFailedError unless the command exits 0. */
    async runOrThrow(command: ShellCommand, options?: RunOptions): Promise<ExecResult> {
        return this.transport.runOrThrow(command, options);
    }

    /** Uploads a file or stream to the host (see provider/ssh upload). Needs an SSH transport. */
    async upload(source: string | Readable, remotePath: string, options?: UploadOptions): Promise<UploadResult> {
        if (!(this.transport instanceof SshSession)) throw new Error(`cannot upload to ${this.target}: its transport is not an SSH session`);
        return upload(this.transport, source, remotePath, options);
    }
}
