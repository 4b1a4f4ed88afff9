/**
 * A NAT lab in network namespaces for the toolbox-gateway tests, built from scratch and always
 * torn down. Names are unique per lab (`vhgw-<id>-…`), so parallel runs do not collide.
 *
 *   root ns ──veth── corp ──veth── toolbox ──veth── home (one namespace per home network)
 *   198.18.N.2       198.18.N.1     198.19.N.30      192.168.32.1 (set by the code under test)
 *                    198.19.N.1     (tb-up)  (tb-home…)  192.168.32.2 → default via the gateway
 *                    198.19.N.53: DNS (dnsmasq, authoritative for corp.test) and HTTP (logs clients)
 *
 * The toolbox runs a real OpenSSH sshd on 198.19.N.30:22 (root, key login) inside a private mount
 * namespace in which /etc/shorewall, /var/lib/shorewall and /etc/resolv.conf are bind mounts of
 * this lab's temp files (the feasibility report's `unshare -m` technique): Shorewall and resolver
 * discovery on the "toolbox" never touch this machine's files. The test process reaches the
 * toolbox through corp, like a workstation on the corporate network. No traffic leaves the
 * namespaces created here.
 *
 * Requirements: root, ip (iproute2), unshare, /usr/sbin/sshd, ssh-keygen, dnsmasq, busybox, dig.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const CORP_DOMAIN = "corp.test";

export interface HomeSpec {
    /** MAC of the toolbox's interface on this home network (what the gateway finds it by). */
    mac: string;
    /** The hypervisor's address in the home namespace. @default "192.168.32.2/24" */
    address?: string;
    /** Its default gateway. @default "192.168.32.1" */
    gateway?: string;
    /** Create the toolbox side later, with addHomeLink() (a hot-plug). @default false */
    deferred?: boolean;
}

export interface NatLabOptions {
    homes: HomeSpec[];
}

export interface ExecOutput {
    code: number | null;
    stdout: string;
    stderr: string;
}

export interface HomeNet {
    ns: string;
    /** Interface name in the toolbox namespace. */
    toolboxInterface: string;
    mac: string;
    address: string;
    gateway: string;
}

export interface NatLab {
    id: string;
    ns: { corp: string; toolbox: string };
    homes: HomeNet[];
    corp: { router: string; server: string; httpPort: number; names: Record<string, string> };
    toolbox: {
        address: string;
        upstreamInterface: string;
        /** SSH to the toolbox as root (key login, host key pinned). */
        connection: { host: string; port: number; user: string; privateKey: string; hostKey: string };
        /** A temp dir for state directories (stands for /etc/virtual-hypervisor). */
        stateRoot: string;
        /** What the toolbox sees as /etc/shorewall and /var/lib/shorewall. */
        shorewallEtc: string;
        shorewallVar: string;
    };
    exec(ns: string, argv: string[], timeoutMs?: number): ExecOutput;
    /** Client addresses the corp HTTP service has seen, in order. */
    httpClients(): string[];
    /** Creates a deferred home link now. */
    addHomeLink(index: number): void;
    /** What remove() must restore: addresses, links, ruleset, sysctls, processes, files. */
    snapshot(): ToolboxSnapshot;
    destroy(): Promise<void>;
}

export interface ToolboxSnapshot {
    addresses: string;
    links: string;
    ruleset: string;
    ipForward: string;
    sysctls: string;
    processes: string[];
    files: string[];
}

const live = new Set<() => void>();
process.once("exit", () => { for (const cleanup of live) cleanup(); });

/** Why these tests cannot run here, or undefined. */
export function natLabSkipReason(): string | undefined {
    if (process.getuid?.() !== 0) return "network-namespace tests need root";
    for (const tool of ["ip", "unshare", "nft", "dnsmasq", "busybox", "dig", "ssh-keygen"]) {
        if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `network-namespace tests need ${tool}`;
    }
    if (!fs.existsSync("/usr/sbin/sshd")) return "network-namespace tests need /usr/sbin/sshd";
    return undefined;
}

function ip(args: string[]): void {
    execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function run(ns: string, argv: string[], timeoutMs = 15_000): ExecOutput {
    const r = spawnSync("ip", ["netns", "exec", ns, ...argv], { encoding: "utf8", timeout: timeoutMs });
    return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** A /24 number N for 198.18.N.0 and 198.19.N.0 not routed in the root namespace yet. */
function freeSubnet(): number {
    const routes = execFileSync("ip", ["-4", "route", "show"], { encoding: "utf8" });
    for (let i = 0; i < 50; i++) {
        const n = 1 + crypto.randomInt(250);
        if (!routes.includes(`198.18.${n}.`) && !routes.includes(`198.19.${n}.`)) return n;
    }
    throw new Error("no free 198.18.N.0/24 test subnet in the root namespace");
}

export async function startNatLab(options: NatLabOptions): Promise<NatLab> {
    const id = crypto.randomBytes(3).toString("hex");
    const n = freeSubnet();
    const ns = { corp: `vhgw-${id}-corp`, toolbox: `vhgw-${id}-tb` };
    const homeNs = options.homes.map((_, i) => `vhgw-${id}-home${i}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-natlab-"));
    fs.chmodSync(dir, 0o755);
    const children: ChildProcess[] = [];
    const allNs = [ns.corp, ns.toolbox, ...homeNs];
    const cleanup = () => {
        for (const c of children) { try { c.kill("SIGKILL"); } catch { /* gone */ } }
        for (const name of allNs) {
            const pids = spawnSync("ip", ["netns", "pids", name], { encoding: "utf8" }).stdout ?? "";
            for (const pid of pids.split("\n").filter(Boolean)) { try { process.kill(Number(pid), "SIGKILL"); } catch { /* gone */ } }
            spawnSync("ip", ["netns", "del", name]);
        }
        fs.rmSync(dir, { recursive: true, force: true });
    };
    live.add(cleanup);
    try {
        return await build();
    } catch (err) {
        cleanup();
        live.delete(cleanup);
        throw err;
    }

    async function build(): Promise<NatLab> {
        for (const name of allNs) {
            ip(["netns", "add", name]);
            ip(["-n", name, "link", "set", "lo", "up"]);
        }
        const rootIf = `vh${id}r`;
        const corpRouter = `198.19.${n}.1`;
        const server = `198.19.${n}.53`;
        const toolboxAddress = `198.19.${n}.30`;
        ip(["link", "add", rootIf, "type", "veth", "peer", "name", "c-root", "netns", ns.corp]);
        ip(["link", "add", "c-tb", "netns", ns.corp, "type", "veth", "peer", "name", "tb-up", "netns", ns.toolbox]);
        ip(["address", "add", `198.18.${n}.2/24`, "dev", rootIf]);
        ip(["link", "set", rootIf, "up"]);
        ip(["-n", ns.corp, "address", "add", `198.18.${n}.1/24`, "dev", "c-root"]);
        ip(["-n", ns.corp, "address", "add", `${corpRouter}/24`, "dev", "c-tb"]);
        ip(["-n", ns.corp, "address", "add", `${server}/24`, "dev", "c-tb"]);
        ip(["-n", ns.toolbox, "address", "add", `${toolboxAddress}/24`, "dev", "tb-up"]);
        for (const [name, dev] of [[ns.corp, "c-root"], [ns.corp, "c-tb"], [ns.toolbox, "tb-up"]]) ip(["-n", name, "link", "set", dev, "up"]);
        ip(["route", "add", `198.19.${n}.0/24`, "via", `198.18.${n}.1`, "dev", rootIf]);
        ip(["-n", ns.toolbox, "route", "add", "default", "via", corpRouter]);
        run(ns.corp, ["sysctl", "-qw", "net.ipv4.ip_forward=1"]);

        const homes: HomeNet[] = options.homes.map((h, i) => ({
            ns: homeNs[i], toolboxInterface: `tb-home${i}`, mac: h.mac.toLowerCase(),
            address: h.address ?? "192.168.32.2/24", gateway: h.gateway ?? "192.168.32.1",
        }));
        const addHomeLink = (i: number) => {
            const h = homes[i];
            ip(["link", "add", h.toolboxInterface, "netns", ns.toolbox, "address", h.mac, "type", "veth", "peer", "name", "h-tb", "netns", h.ns]);
            ip(["-n", h.ns, "address", "add", h.address, "dev", "h-tb"]);
            ip(["-n", h.ns, "link", "set", "h-tb", "up"]);
            ip(["-n", h.ns, "route", "add", "default", "via", h.gateway, "dev", "h-tb", "onlink"]);
        };
        options.homes.forEach((h, i) => { if (!h.deferred) addHomeLink(i); });

        // corp services: DNS authoritative for corp.test, HTTP that logs its clients.
        const names = { [`files.${CORP_DOMAIN}`]: server, [`pool.${CORP_DOMAIN}`]: `198.19.${n}.80` };
        children.push(spawn("ip", ["netns", "exec", ns.corp, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
            "--bind-interfaces", `--listen-address=${server}`, `--local=/${CORP_DOMAIN}/`, `--pid-file=${dir}/corp-dns.pid`,
            ...Object.entries(names).map(([name, addr]) => `--host-record=${name},${addr}`)], { stdio: "ignore" }));
        const httpLog = path.join(dir, "http-clients.log");
        const httpPort = 8080;
        const http = spawn("ip", ["netns", "exec", ns.corp, process.execPath, "-e", HTTP_SERVER, server, String(httpPort), httpLog], { stdio: ["ignore", "pipe", "pipe"] });
        children.push(http);
        await waitFor(() => fs.existsSync(httpLog), "the corp HTTP service to listen");

        const ssh = await startToolboxSshd(ns.toolbox, toolboxAddress, dir, server, children);
        return {
            id,
            ns,
            homes,
            corp: { router: corpRouter, server, httpPort, names },
            toolbox: {
                address: toolboxAddress, upstreamInterface: "tb-up", connection: ssh,
                stateRoot: stateRoot(dir),
                shorewallEtc: path.join(dir, "shorewall-etc"), shorewallVar: path.join(dir, "shorewall-var"),
            },
            exec: run,
            httpClients: () => fs.readFileSync(httpLog, "utf8").split("\n").filter(Boolean),
            addHomeLink,
            snapshot: () => snapshot(ns.toolbox, dir),
            destroy: async () => {
                cleanup();
                live.delete(cleanup);
            },
        };
    }
}

/** A temp dir standing for /etc/virtual-hypervisor: world-readable like /etc, since dnsmasq reads its hosts file as an unprivileged user. */
function stateRoot(dir: string): string {
    const root = fs.mkdtempSync(path.join(dir, "state-"));
    fs.chmodSync(root, 0o755);
    return root;
}

const HTTP_GET = `
require("http").get(process.argv[1], { timeout: 3000 }, (res) => {
  let body = ""; res.on("data", (d) => body += d); res.on("end", () => { process.stdout.write(body); process.exit(0); });
}).on("timeout", function () { console.error("timed out"); process.exit(2); }).on("error", (e) => { console.error(e.message); process.exit(1); });
`;

/** GET `url` from inside `ns` (node's http client); the body, or the error on stderr. */
export function httpGet(ns: string, url: string): ExecOutput {
    return run(ns, [process.execPath, "-e", HTTP_GET, url]);
}

/** A records for `name` from `server`, asked from inside `ns` (dig, one try, 2 s). */
export function resolveA(ns: string, server: string, name: string): string[] {
    const r = run(ns, ["dig", "+short", "+time=2", "+tries=1", `@${server}`, name, "A"]);
    return r.stdout.split("\n").map((l) => l.trim()).filter((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l));
}

/** Whether one ping from `ns` to `address` is answered within a second. */
export function pings(ns: string, address: string): boolean {
    return run(ns, ["busybox", "ping", "-c", "1", "-W", "1", address]).code === 0;
}

const HTTP_SERVER = `
const [addr, port, log] = process.argv.slice(1);
const fs = require("fs");
require("http").createServer((req, res) => { fs.appendFileSync(log, req.socket.remoteAddress + "\\n"); res.end("corp-ok\\n"); })
  .listen(Number(port), addr, () => fs.writeFileSync(log, ""));
`;

async function startToolboxSshd(
    ns: string, address: string, dir: string, resolver: string, children: ChildProcess[],
): Promise<{ host: string; port: number; user: string; privateKey: string; hostKey: string }> {
    const keygen = (file: string) => execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "vh-natlab", "-f", file], { stdio: "ignore" });
    keygen(path.join(dir, "host_ed25519"));
    keygen(path.join(dir, "client_ed25519"));
    fs.mkdirSync(path.join(dir, "authorized_keys"));
    fs.copyFileSync(path.join(dir, "client_ed25519.pub"), path.join(dir, "authorized_keys", "root"));
    for (const d of ["shorewall-etc", "shorewall-var"]) fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "resolv.conf"), `nameserver 127.0.0.53\nnameserver ${resolver}\n`);
    fs.writeFileSync(path.join(dir, "sshd_config"), [
        `ListenAddress ${address}`, "Port 22", `HostKey ${dir}/host_ed25519`, "PidFile none", "LogLevel INFO", "UsePAM no",
        "StrictModes no", `AuthorizedKeysFile ${dir}/authorized_keys/%u`, "PermitRootLogin prohibit-password",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UseDNS no", "MaxSessions 20",
        `SetEnv "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "SHLVL=1"`,
        "Subsystem sftp internal-sftp", "",
    ].join("\n"));
    fs.mkdirSync("/run/sshd", { recursive: true });
    const logPath = path.join(dir, "sshd.log");
    const script = 'mount --bind "$1" /etc/shorewall && mount --bind "$2" /var/lib/shorewall && mount --bind "$3" /etc/resolv.conf && exec /usr/sbin/sshd -D -f "$4" -E "$5"';
    children.push(spawn("ip", ["netns", "exec", ns, "unshare", "-m", "sh", "-c", script, "sh",
        path.join(dir, "shorewall-etc"), path.join(dir, "shorewall-var"), path.join(dir, "resolv.conf"), path.join(dir, "sshd_config"), logPath], { stdio: "ignore" }));
    await waitFor(() => fs.existsSync(logPath) && /Server listening/.test(fs.readFileSync(logPath, "utf8")), `the toolbox sshd to listen on ${address}:22`);
    const fingerprint = execFileSync("ssh-keygen", ["-lf", path.join(dir, "host_ed25519.pub")], { encoding: "utf8" });
    return {
        host: address, port: 22, user: "root",
        privateKey: fs.readFileSync(path.join(dir, "client_ed25519"), "utf8"),
        hostKey: /SHA256:[A-Za-z0-9+/]+/.exec(fingerprint)![0],
    };
}

async function waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ready()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
    }
}

function snapshot(ns: string, dir: string): ToolboxSnapshot {
    const out = (argv: string[]) => run(ns, argv).stdout;
    const processes = (spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" }).stdout ?? "").split("\n").filter(Boolean).map((pid) => {
        try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        } catch {
            return "";
        }
    }).filter((cmd) => cmd && !cmd.startsWith("sshd") && !cmd.includes("/usr/sbin/sshd") && !cmd.startsWith("unshare")).sort();
    const files: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (["sshd.log", "http-clients.log", "corp-dns.pid"].includes(e.name)) continue;
            files.push(path.relative(dir, p));
            if (e.isDirectory()) walk(p);
        }
    };
    walk(dir);
    // Not state we could restore: IPv6 duplicate-address detection still running ("tentative"),
    // and the qdisc, which the kernel attaches ("noqueue") the first time a link goes up.
    return {
        addresses: out(["ip", "-o", "address", "show"]).replace(/ tentative/g, ""),
        links: out(["ip", "-o", "link", "show"]).replace(/ qdisc \S+/g, ""),
        ruleset: out(["nft", "list", "ruleset"]),
        ipForward: out(["cat", "/proc/sys/net/ipv4/ip_forward"]).trim(),
        sysctls: out(["sysctl", "-a", "--pattern", "^net\\.ipv4\\.(conf\\.|ip_forward)"]),
        processes,
        files: files.sort(),
    };
}
