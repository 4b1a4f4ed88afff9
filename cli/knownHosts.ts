/**
 * The host keys the user's ~/.ssh/known_hosts holds for a host: what `vh` pins when no --host-key
 * is given, so a host the user already reached with OpenSSH is trusted the same way. Follows
 * sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT": comma-separated host patterns (`*` and `?` wildcards,
 * `!` negation), `[host]:port` for ports other than 22, hashed names (`|1|salt|hmac-sha1`), and
 * the `@revoked` / `@cert-authority` markers (such lines are never used as pins).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface KnownHostKey {
    /** "ssh-ed25519 AAAA…": a pin provider/ssh accepts. */
    pin: string;
    /** Where it came from, "~/.ssh/known_hosts:12". */
    source: string;
}

/** The known_hosts file of the user whose home is `home`. */
export function knownHostsPath(home: string): string {
    return path.join(home, ".ssh", "known_hosts");
}

/** The name OpenSSH looks up: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
    return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** Keys for `host`:`port` in the known_hosts text (no file access; pure). */
export function findKnownHostKeys(text: string, host: string, port: number, sourceName = "known_hosts"): KnownHostKey[] {
    const name = knownHostsName(host, port);
    const keys: KnownHostKey[] = [];
    text.split("\n").forEach((raw, i) => {
        const line = raw.trim();
        if (!line || line.startsWith("#") || line.startsWith("@")) return;
        const [patterns, type, key] = line.split(/\s+/);
        if (!patterns || !type || !key) return;
        if (matchesHost(patterns, name)) keys.push({ pin: `${type} ${key}`, source: `${sourceName}:${i + 1}` });
    });
    return keys;
}

/** Keys for `host`:`port` in the file (none when it does not exist or cannot be read). */
export function readKnownHostKeys(file: string, host: string, port: number): KnownHostKey[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        return [];
    }
    return findKnownHostKeys(text, host, port, file);
}

/** Whether the comma-separated pattern list (or a hashed name) matches `name`. */
export function matchesHost(patterns: string, name: string): boolean {
    if (patterns.startsWith("|1|")) return hashedMatches(patterns, name);
    let matched = false;
    for (const p of patterns.split(",")) {
        const negated = p.startsWith("!");
        if (!globMatches(negated ? p.slice(1) : p, name)) continue;
        if (negated) return false;
        matched = true;
    }
    return matched;
}

function hashedMatches(entry: string, name: string): boolean {
    const [, , salt, hash] = entry.split("|");
    if (!salt || !hash) return false;
    const mac = crypto.createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest();
    const expected = Buffer.from(hash, "base64");
    return expected.length === mac.length && crypto.timingSafeEqual(expected, mac);
}

function globMatches(pattern: string, name: string): boolean {
    const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".").replace(/\[/g, "\\[").replace(/\]/g, "\\]")}$`);
    return re.test(name);
}
