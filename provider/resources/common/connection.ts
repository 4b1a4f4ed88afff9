/**
 * Which XenServer host a resource talks to: its `connection` argument, else the stack config the
 * provider host received in configure() (keys virtual-hypervisor:host, :port, :user, :password,
 * :privateKey, :passphrase, :hostKey, :insecureSkipHostKeyCheck). Secrets come from config or
 * inputs at call time, never from the serialized provider.
 *
 * The connection a resource was created with is kept in its outputs (secret), so read() and
 * delete() still reach the right host after the resource left the program or the config changed.
 * When the config names that same host, its credentials win: a rotated password in config must
 * not leave delete() stuck with the old one.
 */
import { ConnectionArgs, ConnectionArgsError, resolveConnectionArgs } from "../../ssh";
import type { CheckFailure } from "./validate";
import { containsUnknown } from "./unknown";

/** What configure() stores on the provider shim (pulumi.dynamic.Config). */
export interface ProviderConfig {
    get(key: string): string | undefined;
}

export const CONFIG_NAMESPACE = "virtual-hypervisor";

export class MissingHostConnectionError extends Error {
    override name = "MissingHostConnectionError";
    constructor(resource: string) {
        super(`${resource}: ${MISSING_CONNECTION}`);
    }
}

const MISSING_CONNECTION =
    `no XenServer host to connect to: set the connection argument, or the stack config ${CONFIG_NAMESPACE}:host with ` +
    `${CONFIG_NAMESPACE}:password or :privateKey (secret) and ${CONFIG_NAMESPACE}:hostKey`;

/** The connection the stack config describes, or undefined when it names no host. */
export function connectionFromConfig(config: ProviderConfig | undefined): ConnectionArgs | undefined {
    const get = (key: string) => config?.get(`${CONFIG_NAMESPACE}:${key}`) || undefined;
    const host = get("host");
    if (!host) return undefined;
    const conn: ConnectionArgs = { host };
    const port = get("port");
    if (port !== undefined) conn.port = Number(port);
    for (const key of ["user", "password", "privateKey", "passphrase"] as const) {
        const value = get(key);
        if (value !== undefined) conn[key] = value;
    }
    const hostKey = get("hostKey");
    if (hostKey !== undefined) conn.hostKey = hostKey;
    if (get("insecureSkipHostKeyCheck") === "true") conn.insecureSkipHostKeyCheck = true;
    return conn;
}

/** The resource's own connection, else the config's; throws MissingHostConnectionError when neither is set. */
export function effectiveConnection(given: ConnectionArgs | undefined, config: ProviderConfig | undefined, resource: string): ConnectionArgs {
    const conn = given ?? connectionFromConfig(config);
    if (!conn) throw new MissingHostConnectionError(resource);
    return withoutUndefined(conn);
}

/**
 * For read/delete: the connection kept in state, with the config's credentials when the config
 * names the same host and port (see the file comment).
 */
export function storedConnection(stored: ConnectionArgs | undefined, config: ProviderConfig | undefined, resource: string): ConnectionArgs {
    const fromConfig = connectionFromConfig(config);
    if (!stored) return effectiveConnection(undefined, config, resource);
    if (fromConfig && sameHost(stored, fromConfig)) return withoutUndefined({ ...stored, ...fromConfig });
    return withoutUndefined(stored);
}

/** What identifies the host: address and port. Credentials are not part of it (pulumi-command#447). */
export function hostIdentity(conn: ConnectionArgs | undefined): string | undefined {
    if (!conn || typeof conn !== "object") return undefined;
    return `${String(conn.host).toLowerCase()}:${conn.port ?? 22}`;
}

export function sameHost(a: ConnectionArgs | undefined, b: ConnectionArgs | undefined): boolean {
    return hostIdentity(a) === hostIdentity(b);
}

/** The pool key of maxParallelInstalls and the library locks: one per host. */
export function hostKeyOf(conn: ConnectionArgs): string {
    return hostIdentity(conn)!;
}

/**
 * check(): problems with the connection argument, or with the config when the argument is absent.
 * Reasons name fields and rules, never secret values.
 */
export function connectionFailures(given: unknown, config: ProviderConfig | undefined): CheckFailure[] {
    if (given === undefined || given === null) {
        const fromConfig = connectionFromConfig(config);
        if (!fromConfig) return [{ property: "connection", reason: `connection: ${MISSING_CONNECTION}` }];
        return problemsOf(fromConfig, `stack config ${CONFIG_NAMESPACE}:*: `);
    }
    if (containsUnknown(given)) return [];
    if (typeof given !== "object" || Array.isArray(given)) {
        return [{ property: "connection", reason: `connection must be an SSH connection { host, port, user, password | privateKey, hostKey }, got ${Array.isArray(given) ? "an array" : typeof given}` }];
    }
    return problemsOf(given as ConnectionArgs, "connection.");
}

function problemsOf(conn: ConnectionArgs, prefix: string): CheckFailure[] {
    try {
        resolveConnectionArgs(conn);
        return [];
    } catch (err) {
        if (!(err instanceof ConnectionArgsError)) throw err;
        return err.problems.map((p) => ({ property: "connection", reason: `${prefix}${p}` }));
    }
}

function withoutUndefined(conn: ConnectionArgs): ConnectionArgs {
    return Object.fromEntries(Object.entries(conn).filter(([, v]) => v !== undefined && v !== null)) as unknown as ConnectionArgs;
}
