/**
 * The Lab component's arguments. Everything that shapes the lab — names, addresses, how many
 * hypervisors and how big — is a plain value, not a pulumi.Input: the component validates it and
 * plans every child before it registers anything (style-by-example.md §3, E3.2). Credentials and
 * the source ISO path may be Inputs (e.g. secrets from config).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { TargetProfileId } from "../provider/answerfile";
import type { NatBackend, ServiceManager } from "../provider/gateway";
import type { Firmware, IsoLibraryArgs } from "../provider/resources";
import { NESTED_DEFAULTS } from "../provider/resources/nestedHypervisor/args";
import { NETWORK_DEFAULTS } from "../provider/resources/xenNetwork/args";
import type { ConnectionArgs } from "../provider/ssh";

/** One nested hypervisor of the lab. Every field is optional; see LabArgs.hypervisorDefaults. */
export interface LabHypervisorArgs {
    /**
     * Short name, unique in the lab: a DNS label (lower-case letters, digits, inner dashes). It
     * names the VM `<prefix>-<name>`, its host name `<prefix>-<name>.<domain>` and its Pulumi child
     * `<lab>-<name>`. Renaming replaces the hypervisor.
     * @default "vh<index>" (vh0, vh1, …)
     */
    name?: string;
    /**
     * Static IPv4 address on the home network. Changing it reinstalls the hypervisor.
     * @default - the next free host address of the CIDR, counting up from its first host address and
     * skipping the gateway and every address given explicitly
     */
    address?: string;
    /** Pinned memory in GiB (at least 4: a nested XenServer needs it). @default hypervisorDefaults.memoryGiB */
    memoryGiB?: number;
    /** Virtual CPUs. @default hypervisorDefaults.vcpus */
    vcpus?: number;
    /** System disk in GiB, at least 46 (the XenServer installer's minimum). @default hypervisorDefaults.diskGiB */
    diskGiB?: number;
}

/** Sizing every hypervisor gets unless its own entry says otherwise. */
export interface LabHypervisorDefaults {
    /** @default 8 */
    memoryGiB?: number;
    /** @default 2 */
    vcpus?: number;
    /** @default 100 */
    diskGiB?: number;
    /** Firmware of every hypervisor VM. Changing it reinstalls them. @default "bios" */
    firmware?: Firmware;
}

/** The private network the hypervisors live on. */
export interface LabHomeArgs {
    /** The network in CIDR form, prefix length 8–30. Changing it reinstalls every hypervisor. @default "192.168.32.0/24" */
    cidr?: string;
    /** The toolbox's address on it: the hypervisors' default gateway and name server. @default - the first host address of cidr (192.168.32.1) */
    gateway?: string;
    /**
     * An existing network on the XenServer host to use as the home network, by uuid or exact
     * name-label (e.g. the "home" network of the seed's setup, with the toolbox already plugged
     * in). The lab neither creates nor deletes it.
     * @default - a new private network `<prefix>-home`, created and destroyed with the lab
     */
    network?: string;
    /** MTU of a network the lab creates. @default 1500 */
    mtu?: number;
}

/** The toolbox: an existing VM on the host that becomes the home network's NAT gateway and DNS proxy. */
export interface LabToolboxArgs {
    /** The toolbox VM on the XenServer host: its uuid or exact name-label. It must be running. */
    vm: string;
    /**
     * How to reach the toolbox over SSH from where Pulumi runs (root, or a user with passwordless
     * sudo). Secret in state. Also the jump host of the hypervisors' SSH commands.
     */
    ssh: pulumi.Input<ConnectionArgs>;
    /** NAT on the toolbox. @default "nftables" */
    natBackend?: NatBackend;
    /** The toolbox's interface towards the corporate network. @default - the interface of its default route */
    upstreamInterface?: string;
    /** Resolvers the DNS proxy forwards to. @default - the toolbox's own resolvers */
    upstreamDns?: string[];
    /** Directory on the toolbox for the gateway's files. @default "/etc/virtual-hypervisor/<prefix>" */
    stateDir?: string;
    /** How the gateway's services run on the toolbox. @default "auto" */
    serviceManager?: ServiceManager;
}

export interface LabArgs {
    /**
     * SSH connection to the physical XenServer host.
     * @default - from stack config: virtual-hypervisor:host, :port, :user, :password, :privateKey, :hostKey
     */
    connection?: pulumi.Input<ConnectionArgs>;
    /** Path of the XenServer / XCP-ng installer ISO on the machine running Pulumi. */
    sourceIso: pulumi.Input<string>;
    /** Root password of every hypervisor (secret; only its SHA-512 crypt hash reaches the ISOs). */
    rootPassword: pulumi.Input<string>;
    /** The toolbox (NAT/DNS gateway of the home network). */
    toolbox: LabToolboxArgs;
    /** The home network. @default { cidr: "192.168.32.0/24" } */
    home?: LabHomeArgs;
    /**
     * How many hypervisors. With `hypervisors` as well, the list describes the first ones and the
     * rest get defaults; a count smaller than the list is an error.
     * @default - the length of `hypervisors`
     */
    count?: number;
    /** The hypervisors one by one. @default - `count` hypervisors with default settings */
    hypervisors?: LabHypervisorArgs[];
    /** Sizing of hypervisors that do not set their own. @default { memoryGiB: 8, vcpus: 2, diskGiB: 100, firmware: "bios" } */
    hypervisorDefaults?: LabHypervisorDefaults;
    /**
     * Prefix of every name on the host and of every host name, so two developers (two stacks) can
     * share one host: 1–32 lower-case letters, digits and inner dashes. Changing it replaces the whole lab.
     * @default - the stack name, lower-cased, with other characters than a-z 0-9 - turned into "-"
     */
    prefix?: string;
    /** DNS domain of the hypervisors' host names. Changing it reinstalls them. @default "lab" */
    domain?: string;
    /** Installer version the answer files are validated against. @default - from the host's software-version */
    target?: TargetProfileId;
    /** Extra installer kernel arguments. Changing them reinstalls every hypervisor. @default [] */
    kernelArgs?: string[];
    /** Where the remastered ISOs live on the host. @default - RemasteredIso's default (~/virtual-hypervisor/iso-library) */
    isoLibrary?: IsoLibraryArgs;
    /** Installs running at once on the host (the rest wait their turn). @default 2 */
    maxParallelInstalls?: number;
    /** Deadline of each installer run, minutes. @default 60 */
    installTimeoutMinutes?: number;
    /** Deadline of each first boot, minutes. @default 30 */
    firstBootTimeoutMinutes?: number;
    /** Let a memory or vCPU change halt a running hypervisor instead of reinstalling it. @default false */
    allowHalt?: boolean;
    /** What one install (installer plus first boot) takes on this host, for the time estimate of the pre-flight. @default 30 */
    estimatedInstallMinutes?: number;
    /**
     * Compare what the lab needs with what the host has before anything is created, and fail with
     * a table when it does not fit. Turn off only for hosts the pre-flight cannot query.
     * @default true
     */
    preflight?: boolean;
}

/** Lab-level keys the component understands in its `ignoreChanges` option, and what each means for the children. */
export const LAB_IGNORE_CHANGES: Record<string, { isos?: string[]; hypervisors?: string[]; all?: string[] }> = {
    /** A rotated root password does not reinstall the hypervisors (new ones get the new password). */
    rootPassword: { isos: ["answerFile"] },
    /** A new source ISO does not reinstall the hypervisors. */
    sourceIso: { isos: ["sourceIso"] },
    kernelArgs: { isos: ["kernelArgs"] },
    memoryGiB: { hypervisors: ["memoryGiB"] },
    vcpus: { hypervisors: ["vcpus"] },
    /** Connection changes (e.g. a new address of the same host) change nothing. */
    connection: { all: ["connection"] },
};

/** Sizing, firmware, parallelism and MTU are the resources' own defaults, so a lab and a hand-written stack agree. */
export const LAB_DEFAULTS = {
    cidr: "192.168.32.0/24",
    domain: "lab",
    memoryGiB: NESTED_DEFAULTS.memoryGiB,
    vcpus: NESTED_DEFAULTS.vcpus,
    diskGiB: NESTED_DEFAULTS.diskGiB,
    firmware: NESTED_DEFAULTS.firmware,
    maxParallelInstalls: NESTED_DEFAULTS.maxParallelInstalls,
    estimatedInstallMinutes: 30,
    mtu: NETWORK_DEFAULTS.mtu,
};

/** What a nested XenServer needs at least (anchors.md §7.3; host-installer min_primary_disk_size). */
export const LAB_MINIMUMS = { memoryGiB: 4, diskGiB: 46 };
