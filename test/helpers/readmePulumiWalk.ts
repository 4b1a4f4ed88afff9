/**
 * The world a document's Pulumi walk-through runs in (test/readme.spec.ts): the lab host of
 * labHost.ts (a simulated XenServer, a running toolbox VM with PV drivers, and the toolbox itself
 * as a network namespace with a real sshd), a private HOME standing for the reader's machine, and a
 * shell whose `pulumi` is the interpreter of readmePulumi.ts.
 *
 * The reader's machine: ~/.ssh/id_ed25519 is a key both the XenServer and the toolbox accept (the
 * docs redirect it into `pulumi config set --secret … < ~/.ssh/id_ed25519`), ~/.ssh/known_hosts
 * knows the toolbox, and ~/isos/XenServer8.iso is the stand-in installer ISO. OpenSSH reads ~/.ssh
 * from the passwd entry, not $HOME, so `ssh` lines get `-F ~/.ssh/config` (see pulumiRules).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { utils as ssh2Utils } from "ssh2";
import type { LabHost } from "./labHost";
import { REPO_ROOT } from "./paths";
import { PulumiInterpreter, servePulumi } from "./readmePulumi";
import { literal, RewriteRule } from "./readmeRewrite";
import { WalkShell, writeBin } from "./readmeShell";
import { VH_CLI } from "./simHost";
import { Sshd, startSshd } from "./sshd";
import { DOC_XENSERVER } from "./readmeVhWalk";

/** The docs' example toolbox VM address. */
export const DOC_TOOLBOX = "10.219.10.40";

export interface PulumiSession {
    shell: WalkShell;
    interpreter: PulumiInterpreter;
    home: string;
    /** What the reader types when a line prompts (a `pulumi config set --secret KEY` without value, an ssh session). */
    stdinFor(line: string): string;
    /** `pulumi config set` lines this environment adds right after `pulumi stack init`, with why. */
    environmentLines(stack: string): Array<{ line: string; why: string }>;
    /** Plays the nested host at `address` (simulated hosts run no OS): a real sshd in the lab's home namespace. */
    startNestedHost(stack: string, address: string): Promise<Sshd>;
    stop(): Promise<void>;
}

/** The reader's root password for the nested hosts, typed at the `--secret lab:rootPassword` prompt. */
export const TYPED_ROOT_PASSWORD = "Readme-root-pw-4e8a1c";

/** Lets the toolbox's key log in to the simulated XenServer too (one key on the reader's machine). */
export function authorizeToolboxKeyOnHost(host: LabHost): void {
    const key = ssh2Utils.parseKey(host.net.toolbox.connection.privateKey);
    if (key instanceof Error) throw new Error("cannot read the toolbox's private key", { cause: key });
    fs.appendFileSync(path.join(host.sim.stateDir, "ssh", "authorized_keys"), `${key.type} ${key.getPublicSSH().toString("base64")} readme-reader\n`);
}

/** Where the docs' example environment must point at the lab host instead. */
export function pulumiRules(host: LabHost): RewriteRule[] {
    const sim = host.sim.connection;
    const toolbox = host.net.toolbox.connection;
    const xs = literal(DOC_XENSERVER);
    return [
        { name: "pulumi: ssh-keyscan port", from: new RegExp(`ssh-keyscan ${xs}\\b`, "g"), to: `ssh-keyscan -p ${sim.port} ${sim.host}`, why: "the simulator's SSH port is not 22" },
        { name: "pulumi: XenServer address", from: new RegExp(`\\b${xs}\\b`, "g"), to: sim.host, why: `the docs' XenServer ${DOC_XENSERVER} is the simulator on ${sim.host}` },
        { name: "pulumi: toolbox address", from: new RegExp(`\\b${literal(DOC_TOOLBOX)}\\b`, "g"), to: toolbox.host, why: `the docs' toolbox ${DOC_TOOLBOX} is the toolbox namespace's sshd at ${toolbox.host}` },
        { name: "pulumi: XenServer host key", from: /(virtual-hypervisor:hostKey )SHA256:\S+/g, to: `$1${sim.hostKey}`, why: "the example fingerprint → the simulator's real host key" },
        { name: "pulumi: toolbox host key", from: /(lab:toolbox\.ssh\.hostKey )SHA256:\S+/g, to: `$1${toolbox.hostKey}`, why: "the example (or elided) fingerprint → the toolbox sshd's real host key" },
        { name: "pulumi: source ISO", from: /(lab:sourceIso )\/\S+/g, to: `$1${host.sourceIso}`, why: "the example installer ISO path → the stand-in ISO (a ~/ path is not rewritten: ~/isos holds it)" },
        { name: "pulumi: XenServer password", from: /(--secret virtual-hypervisor:password )(?!#)\S+/g, to: `$1'${sim.password}'`, why: "the example password → the simulator's" },
        {
            name: "pulumi: toolbox credential", from: /--secret lab:toolboxPassword (?!#)\S+/g, to: "--secret lab:toolboxPrivateKey < ~/.ssh/id_ed25519",
            why: "the stand-in toolbox's sshd takes key logins only: its key instead of the example password",
        },
        { name: "pulumi: repository", from: /<this repository>/g, to: REPO_ROOT, why: "the placeholder → this repository (a local clone)" },
        { name: "pulumi: ssh config", from: /^ssh /g, to: "ssh -F ~/.ssh/config ", why: "OpenSSH reads ~/.ssh from the passwd entry, not $HOME: the walk-through's identity and known_hosts" },
    ];
}

export async function startPulumiSession(host: LabHost, dir: string, cwd: string): Promise<PulumiSession> {
    const [home, bin] = ["home", "bin"].map((d) => path.join(dir, d));
    const ssh = path.join(home, ".ssh");
    fs.mkdirSync(ssh, { recursive: true, mode: 0o700 });
    const toolbox = host.net.toolbox.connection;
    fs.writeFileSync(path.join(ssh, "id_ed25519"), toolbox.privateKey, { mode: 0o600 });
    const pub = execFileSync("ssh-keygen", ["-y", "-f", path.join(ssh, "id_ed25519")], { encoding: "utf8" });
    fs.writeFileSync(path.join(ssh, "id_ed25519.pub"), pub);
    const toolboxKeys = execFileSync("ssh-keyscan", ["-t", "ed25519", toolbox.host], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
    fs.writeFileSync(path.join(ssh, "known_hosts"), toolboxKeys);
    fs.writeFileSync(path.join(ssh, "config"), [
        "Host *", `  IdentityFile ${path.join(ssh, "id_ed25519")}`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${path.join(ssh, "known_hosts")}`,
        "  GlobalKnownHostsFile /dev/null", "  StrictHostKeyChecking yes", "  BatchMode yes", "  ConnectTimeout 10", "",
    ].join("\n"));
    fs.mkdirSync(path.join(home, "isos"));
    fs.symlinkSync(host.sourceIso, path.join(home, "isos", "XenServer8.iso"));

    const socket = path.join(dir, "pulumi.sock");
    const interpreter = new PulumiInterpreter(REPO_ROOT);
    const server: net.Server = await servePulumi(socket, interpreter);
    writeBin(bin, { vh: VH_CLI, pulumi: path.join(REPO_ROOT, "dist", "test", "helpers", "readmePulumiShim.js") });
    const shell = new WalkShell({ cwd, home, bin, env: { VH_README_PULUMI_SOCKET: socket } });
    const typed: Record<string, string> = { "virtual-hypervisor:password": host.sim.connection.password, "lab:rootPassword": TYPED_ROOT_PASSWORD };
    const sshds: Sshd[] = [];
    return {
        shell, interpreter, home,
        stdinFor: (line) => {
            const prompt = /^pulumi config set --secret (\S+)\s*(#.*)?$/.exec(line);
            if (prompt) return `${typed[prompt[1]] ?? ""}\n`;
            // An interactive login: what the reader would type in the nested host's shell.
            if (line.startsWith("ssh ")) return 'echo "vh-readme: logged in from ${SSH_CLIENT%% *}"\nexit\n';
            return "";
        },
        environmentLines: (stack) => [
            { line: `pulumi config set virtual-hypervisor:port ${host.sim.connection.port}`, why: "the simulator's SSH port (the docs' host listens on 22, the default)" },
            { line: `pulumi config set --path lab:toolbox.stateDir ${host.toolbox(stack).stateDir}`, why: "the toolbox namespace shares this machine's /etc: a private state directory" },
        ],
        startNestedHost: async (stack, address) => {
            execFileSync("ip", ["-n", host.homeNs(stack), "address", "add", `${address}/32`, "dev", "h-tb"]);
            const sshd = await startSshd({ netns: host.homeNs(stack), address, port: 22, logLevel: "INFO" });
            sshds.push(sshd);
            sshd.authorizeKey("root", pub);
            fs.appendFileSync(path.join(ssh, "known_hosts"), `${address} ${sshd.hostKeyLine}\n`);
            return sshd;
        },
        stop: async () => {
            for (const s of sshds) await s.stop();
            await interpreter.stop();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
