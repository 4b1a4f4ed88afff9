/**
 * Every name a lab gives, as pure functions. Two kinds, kept apart on purpose (awsx's
 * subnetNaming, style-by-example.md E3.1):
 *
 * - Pulumi child names derive from the component's name (`lab`): they are the state's identity.
 *   They are part of the contract: renaming a child replaces it. A hypervisor's child is named by
 *   its own name, never by its position, so removing vh1 from a list leaves vh2 alone.
 * - Names on the XenServer host and host names derive from the prefix (default: the stack name),
 *   so two developers' stacks on one host never collide.
 */

/** What a child is to the lab. */
export type ChildRole = "home" | "gateway" | "iso" | "hypervisor";

/**
 * The Pulumi name of a lab's child:
 *
 *   childName("lab", "home")              → "lab-home"        (XenNetwork)
 *   childName("lab", "gateway")           → "lab-gateway"     (ToolboxGateway)
 *   childName("lab", "iso", "vh0")        → "lab-vh0-iso"     (RemasteredIso of vh0)
 *   childName("lab", "hypervisor", "vh0") → "lab-vh0"         (NestedHypervisor vh0)
 *
 * @param lab the Lab component's name
 * @param member the hypervisor's name, for the per-hypervisor roles
 */
export function childName(lab: string, role: ChildRole, member?: string): string {
    switch (role) {
        case "home":
        case "gateway":
            return `${lab}-${role}`;
        case "iso":
            return `${lab}-${required(member, role)}-iso`;
        case "hypervisor":
            return `${lab}-${required(member, role)}`;
    }
}

function required(member: string | undefined, role: ChildRole): string {
    if (!member) throw new Error(`childName: the ${role} role names one hypervisor; pass its name`);
    return member;
}

/** The default name of the hypervisor at `index`: vh0, vh1, … */
export function defaultHypervisorName(index: number): string {
    return `vh${index}`;
}

/** Names of one hypervisor on the host and in DNS. */
export interface HypervisorHostNames {
    /** VM name-label on the host, e.g. "alice-vh0". */
    nameLabel: string;
    /** Fully qualified host name in the answer file and the gateway's DNS, e.g. "alice-vh0.lab". */
    hostname: string;
}

export function hypervisorHostNames(prefix: string, name: string, domain: string): HypervisorHostNames {
    const short = `${prefix}-${name}`;
    return { nameLabel: short, hostname: `${short}.${domain}` };
}

/** name-label of the home network the lab creates, e.g. "alice-home". */
export function homeNetworkName(prefix: string): string {
    return `${prefix}-home`;
}

/**
 * The prefix a stack name gives: lower-cased, characters other than a-z 0-9 and "-" turned into
 * "-", dashes at the ends dropped, cut to 32 characters. Validation still applies to the result.
 */
export function prefixFromStack(stack: string): string {
    return stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, 32).replace(/-+$/, "");
}
