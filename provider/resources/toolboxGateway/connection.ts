/**
 * The XenServer host connection: the resource's `connection` argument, else the stack config the
 * provider received in configure() (keys virtual-hypervisor:host, :port, :user, :password,
 * :privateKey, :hostKey). Secrets come from config or inputs, never from the serialized provider.
 */
import type { ConnectionArgs } from "../../ssh";

/** What configure() stores on the provider shim (pulumi.dynamic.Config). */
export interface ProviderConfig {
    get(key: string): string | undefined;
}

export const CONFIG_NAMESPACE = "virtual-hypervisor";

export class MissingHostConnectionError extends Error {
    override name = "MissingHostConnectionError";
    constructor(resource: string) {
        super(
            `${resource}: no XenServer host to connect to: set its connection argument, or the stack config ` +
            `${CONFIG_NAMESPACE}:host with ${CONFIG_NAMESPACE}:password or :privateKey (secret) and ${CONFIG_NAMESPACE}:hostKey`,
        );
    }
}

export function hostConnection(connection: ConnectionArgs | undefined, config: ProviderConfig | undefined, resource: string): ConnectionArgs {
    if (connection) return connection;
    const get = (key: string) => config?.get(`${CONFIG_NAMESPACE}:${key}`) || undefined;
    const host = get("host");
    if (!host) throw new MissingHostConnectionError(resource);
    const port = get("port");
    return {
        host,
        port: port === undefined ? undefined : Number(port),
        user: get("user"),
        password: get("password"),
        privateKey: get("privateKey"),
        hostKey: get("hostKey"),
    };
}
