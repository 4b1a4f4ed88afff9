/**
 * A real OpenSSH sshd for integration tests: its own config, ed25519 host key and authorized_keys
 * in a temp dir, listening on a free port, with chosen directories first on every session's PATH
 * (e.g. sim/bin, so `xe` is the simulator's) and extra environment (e.g. XE_SIM_STATE).
 *
 * Requirements: /usr/sbin/sshd and ssh-keygen (Debian: openssh-server, openssh-client), root (the
 * password user is created with useradd/chpasswd and sshd must read /etc/shadow). Callers should
 * `this.skip()` when `sshdSkipReason()` returns a reason.
 */
import { execFileSync, spawn, ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface SshdOptions {
    /** Extra environment of every session (sshd `SetEnv`), e.g. `{ XE_SIM_STATE: dir }`. @default {} */
    env?: Record<string, string>;
    /** Directories put first on every session's PATH, e.g. `[SIM_BIN]`. @default [] */
    path?: string[];
    /** Address to listen on. @default "127.0.0.1" */
    address?: string;
    /** Network namespace to run sshd in (`ip netns exec`). @default - the current namespace */
    netns?: string;
    /** Port to listen on. @default - a free port (probed in the current namespace) */
    port?: number;
    /** sshd `LogLevel`. DEBUG1 logs every userauth request, which tests assert on. @default "DEBUG1" */
    logLevel?: string;
    /** sshd `MaxSessions` (channels per connection). @default 10 (OpenSSH's default) */
    maxSessions?: number;
    /** More sshd_config lines, appended last. @default [] */
    extraConfig?: string[];
}

export interface SshdUsers {
    /** Key login as the current user (root in CI). */
    key: { user: string; privateKey: string; privateKeyPath: string };
    /** Password login as a dedicated, unprivileged test user (/bin/sh, no ~/.bashrc). */
    password: { user: string; password: string };
}

export interface Sshd {
    host: string;
    port: number;
    /** The host key's fingerprint, as `ssh-keygen -lf` prints it: "SHA256:…". */
    hostKey: string;
    /** The host key as an authorized_keys line without comment: "ssh-ed25519 AAAA…". */
    hostKeyLine: string;
    users: SshdUsers;
    /** The temp dir holding config, keys and log. */
    dir: string;
    /** sshd's log file (LogLevel as configured). */
    logPath: string;
    /** The log so far. */
    log(): string;
    /** Authorizes one more public key line for `user`. */
    authorizeKey(user: string, publicKeyLine: string): void;
    /** Stops sshd and every session it started, and removes the temp dir. */
    stop(): Promise<void>;
}

/** The unprivileged account used for password logins. */
export const PASSWORD_USER = "vhsshtest";
/** Where the test account's password is kept between processes (root-only, on tmpfs). */
const PASSWORD_FILE = "/run/vh-test-sshd/password";
const SSHD = "/usr/sbin/sshd";
const STARTUP_DEADLINE_MS = 10_000;

/** Why real-sshd tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
    if (typeof process.getuid === "function" && process.getuid() !== 0) {
        return "real-sshd tests need root (they create a password test user and sshd reads /etc/shadow)";
    }
    if (!fs.existsSync(SSHD)) return `real-sshd tests need ${SSHD} (Debian: apt-get install openssh-server)`;
    return undefined;
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
    const reason = sshdSkipReason();
    if (reason) throw new Error(`cannot start a test sshd: ${reason}`);
    const address = options.address ?? "127.0.0.1";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-sshd-"));
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync("/run/sshd", { recursive: true });
    const keyUser = os.userInfo().username;
    const password = ensurePasswordUser();

    keygen(path.join(dir, "host_ed25519"), "vh-test-host");
    const clientKeyPath = path.join(dir, "client_ed25519");
    keygen(clientKeyPath, "vh-test-client");
    const clientPub = fs.readFileSync(`${clientKeyPath}.pub`, "utf8").trim();
    const authDir = path.join(dir, "authorized_keys");
    fs.mkdirSync(authDir, { mode: 0o755 });
    const authorizeKey = (user: string, line: string) => {
        fs.appendFileSync(path.join(authDir, user), line.trim() + "\n", { mode: 0o644 });
    };
    authorizeKey(keyUser, clientPub);
    authorizeKey(PASSWORD_USER, clientPub);

    const port = options.port ?? (options.netns ? randomPort() : await freePort(address));
    const logPath = path.join(dir, "sshd.log");
    const configPath = path.join(dir, "sshd_config");
    fs.writeFileSync(configPath, sshdConfig({ ...options, address, port, dir, authDir }));

    const argv = [SSHD, "-D", "-f", configPath, "-E", logPath];
    const child = options.netns
        ? spawn("ip", ["netns", "exec", options.netns, ...argv], { stdio: "ignore" })
        : spawn(argv[0], argv.slice(1), { stdio: "ignore" });
    try {
        await waitListening(child, logPath, address, port);
    } catch (err) {
        await killTree(child);
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
    }

    const hostPub = fs.readFileSync(path.join(dir, "host_ed25519.pub"), "utf8").trim().split(/\s+/);
    const fingerprint = execFileSync("ssh-keygen", ["-lf", path.join(dir, "host_ed25519.pub")], { encoding: "utf8" });
    return {
        host: address,
        port,
        hostKey: /SHA256:[A-Za-z0-9+/]+/.exec(fingerprint)![0],
        hostKeyLine: `${hostPub[0]} ${hostPub[1]}`,
        users: {
            key: { user: keyUser, privateKey: fs.readFileSync(clientKeyPath, "utf8"), privateKeyPath: clientKeyPath },
            password: { user: PASSWORD_USER, password },
        },
        dir,
        logPath,
        log: () => fs.readFileSync(logPath, "utf8"),
        authorizeKey,
        stop: async () => {
            await killTree(child);
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

function sshdConfig(o: SshdOptions & { address: string; port: number; dir: string; authDir: string }): string {
    const pathValue = [...(o.path ?? []), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");
    // SHLVL=1 makes bash treat the session shell as nested, so it does not source ~/.bashrc for
    // `ssh host cmd` (Debian's bash does that for sshd children). This machine's root ~/.bashrc
    // runs `pyenv init` (~150 ms) and prepends to PATH; a XenServer dom0's does neither.
    const env: Record<string, string> = { PATH: pathValue, SHLVL: "1", ...o.env };
    const setEnv = Object.entries(env).map(([k, v]) => `"${k}=${v.replace(/["\\]/g, "\\$&")}"`).join(" ");
    return [
        `ListenAddress ${o.address}`,
        `Port ${o.port}`,
        `HostKey ${path.join(o.dir, "host_ed25519")}`,
        "PidFile none",
        `LogLevel ${o.logLevel ?? "DEBUG1"}`,
        "UsePAM no",
        // The temp dir lives under /tmp (mode 1777), which StrictModes would reject.
        "StrictModes no",
        `AuthorizedKeysFile ${o.authDir}/%u`,
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "AllowTcpForwarding yes",
        "UseDNS no",
        "PrintMotd no",
        "MaxStartups 200:30:400",
        `MaxSessions ${o.maxSessions ?? 10}`,
        "MaxAuthTries 10",
        "LoginGraceTime 30",
        `SetEnv ${setEnv}`,
        "Subsystem sftp internal-sftp",
        ...(o.extraConfig ?? []),
        "",
    ].join("\n");
}

function keygen(file: string, comment: string): void {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], { stdio: "ignore" });
}

/**
 * Creates the password test user if needed and returns its password. The password is random, set
 * once with chpasswd (on stdin, never on a command line) and shared through a root-only file, so
 * several test processes at once agree on it.
 */
function ensurePasswordUser(): string {
    let created = false;
    try {
        execFileSync("id", ["-u", PASSWORD_USER], { stdio: "ignore" });
    } catch {
        execFileSync("useradd", ["--create-home", "--shell", "/bin/sh", PASSWORD_USER], { stdio: "ignore" });
        created = true;
    }
    if (created) fs.rmSync(PASSWORD_FILE, { force: true });
    if (fs.existsSync(PASSWORD_FILE)) return fs.readFileSync(PASSWORD_FILE, "utf8").trim();
    fs.mkdirSync(path.dirname(PASSWORD_FILE), { recursive: true, mode: 0o700 });
    const password = crypto.randomBytes(12).toString("base64url");
    execFileSync("chpasswd", [], { input: `${PASSWORD_USER}:${password}\n`, stdio: ["pipe", "ignore", "ignore"] });
    const tmp = `${PASSWORD_FILE}.${process.pid}`;
    fs.writeFileSync(tmp, password + "\n", { mode: 0o600 });
    try {
        // link() fails if another process published first; then its password is the one in force
        // only if it ran chpasswd after ours, so set the published one again.
        fs.linkSync(tmp, PASSWORD_FILE);
        return password;
    } catch {
        const theirs = fs.readFileSync(PASSWORD_FILE, "utf8").trim();
        execFileSync("chpasswd", [], { input: `${PASSWORD_USER}:${theirs}\n`, stdio: ["pipe", "ignore", "ignore"] });
        return theirs;
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}

async function freePort(address: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, address, () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

function randomPort(): number {
    return 20000 + crypto.randomInt(30000);
}

async function waitListening(child: ChildProcess, logPath: string, address: string, port: number): Promise<void> {
    const deadline = Date.now() + STARTUP_DEADLINE_MS;
    let exited: number | null | undefined;
    child.once("exit", (code) => { exited = code; });
    while (Date.now() < deadline) {
        const log = fs.existsSync(logPath) ? fs.readFileSync(logPath, "utf8") : "";
        if (/Server listening on/.test(log)) return;
        if (exited !== undefined) {
            throw new Error(`test sshd on ${address}:${port} exited with code ${exited} before listening:\n${log}`);
        }
        await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out after ${STARTUP_DEADLINE_MS} ms waiting for the test sshd to listen on ${address}:${port}`);
}

/** Sends SIGTERM to a process and all its descendants (sshd's per-connection children). */
async function killTree(child: ChildProcess): Promise<void> {
    if (child.pid === undefined) return;
    const pids = [...descendants(child.pid), child.pid];
    const gone = child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once("exit", () => resolve()));
    for (const pid of pids) {
        try { process.kill(pid, "SIGTERM"); } catch { /* already gone */ }
    }
    const timer = setTimeout(() => { try { process.kill(child.pid!, "SIGKILL"); } catch { /* gone */ } }, 3000);
    await gone;
    clearTimeout(timer);
}

function descendants(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        } catch { /* exited meanwhile */ }
    }
    const out: number[] = [];
    const walk = (pid: number) => { for (const c of children.get(pid) ?? []) { out.push(c); walk(c); } };
    walk(root);
    return out;
}
