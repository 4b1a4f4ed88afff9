/**
 * The seed's blog post as a Pulumi program: one nested XenServer ("vh0") on a private home
 * network behind a toolbox VM that is its NAT gateway and DNS proxy, installed unattended from a
 * remastered ISO. Everything on the host is named after the stack (`<stack>-home`,
 * `<stack>-vh0`, host name `<stack>-vh0.lab`).
 *
 *   npm install && pulumi stack init dev
 *   pulumi config set virtual-hypervisor:host 10.219.10.25
 *   pulumi config set virtual-hypervisor:hostKey SHA256:…            # ssh-keyscan … | ssh-keygen -lf -
 *   pulumi config set --secret virtual-hypervisor:password
 *   pulumi config set sourceIso ~/isos/XenServer8.iso
 *   pulumi config set --secret rootPassword
 *   pulumi config set toolboxVm toolbox
 *   pulumi config set toolboxHost 10.219.10.40
 *   pulumi config set toolboxHostKey SHA256:…
 *   pulumi config set --secret toolboxPrivateKey < ~/.ssh/id_ed25519
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "virtual-hypervisor";

const config = new pulumi.Config();

const lab = new Lab("lab", {
    sourceIso: config.require("sourceIso"),
    rootPassword: config.requireSecret("rootPassword"),
    toolbox: {
        vm: config.require("toolboxVm"),
        // pulumi.output() keeps the private key secret inside the connection object.
        ssh: pulumi.output({
            host: config.require("toolboxHost"),
            port: config.getNumber("toolboxPort") ?? 22,
            user: config.get("toolboxUser") ?? "root",
            hostKey: config.require("toolboxHostKey"),
            privateKey: config.requireSecret("toolboxPrivateKey"),
        }),
        // Where the gateway keeps its files on the toolbox (the default is /etc/virtual-hypervisor/<stack>).
        stateDir: config.get("toolboxStateDir"),
    },
    count: 1,
    // The minimum a nested XenServer installs with; raise memory to run VMs inside it.
    hypervisorDefaults: { memoryGiB: config.getNumber("memoryGiB") ?? 4, diskGiB: config.getNumber("diskGiB") ?? 46 },
    isoLibrary: config.get("isoLibraryDirectory") ? { directory: config.get("isoLibraryDirectory") } : undefined,
});

/** Name, address, console and SSH command of the hypervisor. */
export const hypervisor = lab.hypervisors.apply((all) => all[0]);
/** What the lab holds on the host. */
export const cost = lab.cost;
