/**
 * The seed's answer file (matelakat/virtual-hypervisor scripts/generate_answerfile.sh) as a model:
 * one definition of its defaults, shared by `vh answerfile`, the resources and the Lab component.
 *
 * Differences from the seed, on purpose: every name server is kept (the seed kept the last `-n`),
 * values are escaped when rendered, and nothing is filled in for a static interface the caller
 * left incomplete (validation reports it; the seed wrote empty elements).
 */
import type { AnswerFile } from "./types";

/** The seed's fixed values. */
export const SEED_DEFAULTS = {
    srType: "ext",
    primaryDisk: "sda",
    keymap: "us",
    /** The seed's default root password, kept for parity; hash it (hashRootPassword) before rendering. */
    rootPassword: "somepass",
    adminInterfaceName: "eth0",
    timezone: "America/Los_Angeles",
    /** The seed's post-install hook: data/postinst.sh copied to the root of install.img. */
    postInstallScript: "file:///postinst.sh",
} as const;

export interface SeedAnswerFileOptions {
    /** The seed's NETWORK_CONFIG argument. @default "dhcp" */
    network?: "dhcp" | "static";
    /** `-h`. @default - no <hostname> (the installer uses localhost.localdomain) */
    hostname?: string;
    /** `-i`, for static. @default - none (static without it is invalid) */
    ip?: string;
    /** `-m`, for static. @default - none */
    netmask?: string;
    /** `-g`, for static. @default - none */
    gateway?: string;
    /** `-p`, written as plaintext; replace it with a hash before rendering. @default "somepass" */
    password?: string;
    /** `-n`, every one kept. @default - none */
    nameServers?: string[];
}

/**
 * The model of the seed's output for these options: sr-type ext, primary disk sda, keymap us,
 * plaintext root password, the install disc as source, eth0 with DHCP or static IPv4,
 * America/Los_Angeles, the filesystem-populated script file:///postinst.sh, then the optional
 * hostname and name servers.
 */
export function seedAnswerFile(options: SeedAnswerFileOptions = {}): AnswerFile {
    const network = options.network ?? "dhcp";
    const model: AnswerFile = {
        srType: SEED_DEFAULTS.srType,
        primaryDisk: { device: SEED_DEFAULTS.primaryDisk },
        keymap: SEED_DEFAULTS.keymap,
        rootPassword: { type: "plaintext", value: options.password ?? SEED_DEFAULTS.rootPassword },
        sources: [{ type: "local" }],
        adminInterface: network === "static"
            ? {
                name: SEED_DEFAULTS.adminInterfaceName,
                proto: "static",
                // Left as given (possibly undefined) so validation names what is missing.
                ipv4: { address: options.ip as string, netmask: options.netmask as string, gateway: options.gateway as string },
            }
            : { name: SEED_DEFAULTS.adminInterfaceName, proto: "dhcp" },
        timezone: SEED_DEFAULTS.timezone,
        scripts: [{ stage: "filesystem-populated", type: "url", location: SEED_DEFAULTS.postInstallScript }],
    };
    if (options.hostname !== undefined) model.hostname = options.hostname;
    if (options.nameServers && options.nameServers.length > 0) model.nameServers = [...options.nameServers];
    return model;
}
