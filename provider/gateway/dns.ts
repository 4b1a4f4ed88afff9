/**
 * The DNS proxy process: dnsmasq started directly as a daemon with our pid file, or as our
 * systemd unit. Either way it writes the pid file, so "is it running with our configuration"
 * is answered the same way: the pid is alive and its command line names our config file.
 */
import { GatewayStepError } from "./errors";
import type { GatewayPaths } from "./plan";
import type { Toolbox } from "./toolbox";

const PID_OF = 'p=$(cat -- "$1" 2>/dev/null) || exit 0; case "$p" in ""|*[!0-9]*) exit 0;; esac; ' +
    '[ -r "/proc/$p/cmdline" ] || exit 0; tr "\\000" "\\n" < "/proc/$p/cmdline" | grep -qxF -- "--conf-file=$2" && echo "$p"; exit 0';

/** The pid of our dnsmasq, or undefined when it is not running. */
export async function dnsmasqPid(toolbox: Toolbox, paths: GatewayPaths): Promise<number | undefined> {
    const r = await toolbox.mustScript("check whether the DNS proxy (dnsmasq) runs", PID_OF, [paths.pid, paths.dnsmasqConf]);
    const pid = Number(r.stdout.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const START_WAIT_MS = 5_000;

/** Starts dnsmasq as a daemon (it forks once its socket is bound, so bind errors come back here). */
export async function startDnsmasqDirect(toolbox: Toolbox, paths: GatewayPaths, dnsmasq: string): Promise<void> {
    const offset = await logSize(toolbox, paths);
    await toolbox.mustExec("start the DNS proxy (dnsmasq)", [dnsmasq, `--conf-file=${paths.dnsmasqConf}`]);
    await waitForPid(toolbox, paths, true);
    await awaitHostsLoaded(toolbox, paths, offset);
}

/** Bytes in dnsmasq's log now (0 when absent): where to look for what happens next. */
export async function logSize(toolbox: Toolbox, paths: GatewayPaths): Promise<number> {
    const r = await toolbox.script('[ -f "$1" ] && wc -c < "$1" || echo 0', [paths.dnsmasqLog]);
    return Number(r.stdout.trim()) || 0;
}

const HOSTS_LOAD_WAIT_MS = 3_000;

/**
 * Waits for dnsmasq to log that it read our hosts file, and fails with its own words when it could
 * not (it reads the file after dropping root, so a directory above the state directory that is not
 * world-searchable leaves every hypervisor name unanswered while DNS otherwise works).
 */
export async function awaitHostsLoaded(toolbox: Toolbox, paths: GatewayPaths, offset: number): Promise<void> {
    const deadline = Date.now() + HOSTS_LOAD_WAIT_MS;
    do {
        const r = await toolbox.script('tail -c +"$2" -- "$1" 2>/dev/null; exit 0', [paths.dnsmasqLog, String(offset + 1)]);
        const failed = r.stdout.split("\n").find((l) => l.includes(`failed to load names from ${paths.hosts}`));
        if (failed) {
            throw new GatewayStepError("load the hypervisors' names into the DNS proxy", toolbox.target, `dnsmasq --conf-file=${paths.dnsmasqConf}`, 0,
                `${failed.replace(/^.*?dnsmasq\[\d+\]: /, "")}\n(dnsmasq reads ${paths.hosts} as an unprivileged user: every directory above it must be world-searchable)`);
        }
        if (r.stdout.includes(`read ${paths.hosts}`)) return;
        await new Promise((res) => setTimeout(res, 100));
    } while (Date.now() < deadline);
    // Another dnsmasq version may word it differently; what counts is that nothing failed.
}

/** Stops our dnsmasq (TERM, then KILL after 10 s) if it runs. */
export async function stopDnsmasqDirect(toolbox: Toolbox, paths: GatewayPaths): Promise<boolean> {
    const pid = await dnsmasqPid(toolbox, paths);
    if (pid === undefined) return false;
    await toolbox.mustScript("stop the DNS proxy (dnsmasq)",
        // A zombie counts as gone: dnsmasq daemonizes, and an init that does not reap leaves one.
        'kill -TERM "$1" 2>/dev/null; i=0; while [ -e "/proc/$1" ] && ! grep -q "^State:[[:space:]]*Z" "/proc/$1/status" 2>/dev/null; do i=$((i+1)); ' +
        'if [ $i -gt 100 ]; then kill -KILL "$1" 2>/dev/null; sleep 0.2; break; fi; sleep 0.1; done; rm -f -- "$2"',
        [String(pid), paths.pid]);
    return true;
}

/** Makes dnsmasq re-read its hosts file (no restart, no lost queries). */
export async function reloadDnsmasqHosts(toolbox: Toolbox, paths: GatewayPaths, pid: number): Promise<void> {
    const offset = await logSize(toolbox, paths);
    await toolbox.mustExec("make the DNS proxy re-read its hosts file (SIGHUP)", ["kill", "-HUP", String(pid)]);
    await awaitHostsLoaded(toolbox, paths, offset);
}

/** Links our unit files into systemd, enables them, and (re)starts or reloads the DNS unit. */
export async function systemdInstall(toolbox: Toolbox, units: { dnsFile: string; netFile: string; dns: string; net: string }): Promise<void> {
    await toolbox.mustExec("link the gateway's systemd units", ["systemctl", "link", units.netFile, units.dnsFile]);
    await toolbox.mustExec("reload systemd", ["systemctl", "daemon-reload"]);
    await toolbox.mustExec("enable the gateway's systemd units", ["systemctl", "enable", units.net, units.dns]);
}

export async function systemdDns(toolbox: Toolbox, unit: string, action: "start" | "restart" | "reload"): Promise<void> {
    await toolbox.mustExec(`${action} the DNS proxy unit ${unit}`, ["systemctl", action, unit]);
}

/** Stops and disables our units; `disable` also removes the links `systemctl link` made. */
export async function systemdRemove(toolbox: Toolbox, units: { dns: string; net: string }): Promise<void> {
    await toolbox.mustExec("stop and disable the gateway's systemd units", ["systemctl", "disable", "--now", units.dns, units.net]);
    await toolbox.mustExec("reload systemd", ["systemctl", "daemon-reload"]);
}

async function waitForPid(toolbox: Toolbox, paths: GatewayPaths, running: boolean): Promise<void> {
    const deadline = Date.now() + START_WAIT_MS;
    while ((await dnsmasqPid(toolbox, paths) !== undefined) !== running) {
        if (Date.now() >= deadline) {
            throw new GatewayStepError("start the DNS proxy (dnsmasq)", toolbox.target, `dnsmasq --conf-file=${paths.dnsmasqConf}`, 0,
                `it exited 0 but no dnsmasq with our configuration was running after ${START_WAIT_MS} ms (pid file ${paths.pid})`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}
