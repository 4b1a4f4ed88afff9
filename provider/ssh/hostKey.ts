/**
 * Host key pinning: parse what users write in `hostKey` (a "SHA256:…" fingerprint, an
 * authorized_keys line or a known_hosts line) and check the key a server presents against it.
 * The check runs in ssh2's hostVerifier, i.e. during the key exchange and before any credential is
 * sent.
 */
import * as crypto from "node:crypto";
import type { PresentedHostKey } from "./errors";

export type HostKeyPin =
    /** Matches any key whose SHA-256 fingerprint is this (base64, no padding). */
    | { kind: "fingerprint"; text: string; sha256: string }
    /** Matches exactly this key; also restricts the negotiated host key algorithm to its type. */
    | { kind: "key"; text: string; type: string; blob: Buffer };

/** Host key types ssh2 can verify, with the signature algorithms to offer for each. */
const KEY_TYPES: Record<string, string[]> = {
    "ssh-ed25519": ["ssh-ed25519"],
    "ecdsa-sha2-nistp256": ["ecdsa-sha2-nistp256"],
    "ecdsa-sha2-nistp384": ["ecdsa-sha2-nistp384"],
    "ecdsa-sha2-nistp521": ["ecdsa-sha2-nistp521"],
    "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
    "ssh-dss": ["ssh-dss"],
};

/** "SHA256:…" as OpenSSH prints it: base64 of the SHA-256 of the key blob, without padding. */
export function fingerprintOf(blob: Buffer): string {
    return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside an SSH public key blob (its first SSH string). */
export function keyTypeOf(blob: Buffer): string {
    if (blob.length < 4) return "unknown";
    const len = blob.readUInt32BE(0);
    return len > 0 && len < 64 && blob.length >= 4 + len ? blob.subarray(4, 4 + len).toString("latin1") : "unknown";
}

export function describeKey(blob: Buffer): PresentedHostKey {
    return { fingerprint: fingerprintOf(blob), type: keyTypeOf(blob) };
}

/**
 * Parses one pin. Returns a reason string when `text` is none of the accepted forms, so the
 * validator can report every bad pin at once.
 */
export function parseHostKeyPin(text: string): HostKeyPin | string {
    const trimmed = text.trim();
    const fp = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(trimmed);
    if (fp) return { kind: "fingerprint", text: trimmed, sha256: fp[1] };
    if (/^MD5:/i.test(trimmed) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(trimmed)) {
        return `MD5 fingerprints are not accepted (too weak); use the SHA256:… form, got ${JSON.stringify(trimmed)}`;
    }
    if (trimmed.startsWith("@")) {
        return `known_hosts markers (@cert-authority, @revoked) are not supported, got ${JSON.stringify(trimmed)}`;
    }
    const words = trimmed.split(/\s+/);
    for (let i = 0; i + 1 < words.length; i++) {
        if (!(words[i] in KEY_TYPES)) continue;
        const blob = Buffer.from(words[i + 1], "base64");
        if (blob.length > 0 && keyTypeOf(blob) === words[i] && blob.toString("base64").replace(/=+$/, "") === words[i + 1].replace(/=+$/, "")) {
            return { kind: "key", text: trimmed, type: words[i], blob };
        }
        return `the ${words[i]} key in ${JSON.stringify(truncate(trimmed))} is not valid base64 of a ${words[i]} key`;
    }
    return (
        "expected a SHA256:… fingerprint (ssh-keygen -lf), an authorized_keys line (\"ssh-ed25519 AAAA…\") " +
        `or a known_hosts line ("host ssh-ed25519 AAAA…"), got ${JSON.stringify(truncate(trimmed))}`
    );
}

function truncate(s: string): string {
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function pinMatches(pin: HostKeyPin, blob: Buffer): boolean {
    // Buffer.compare, not pin.blob.equals: pins passed to an upload's worker thread arrive
    // structured-cloned, with their Buffer turned into a plain Uint8Array.
    if (pin.kind === "key") return Buffer.compare(pin.blob, blob) === 0;
    const presented = crypto.createHash("sha256").update(blob).digest();
    const expected = Buffer.from(pin.sha256, "base64");
    return expected.length === presented.length && crypto.timingSafeEqual(expected, presented);
}

/**
 * The host key algorithms to offer, or undefined for ssh2's default list. When every pin is a full
 * key we offer only those keys' types: otherwise a server holding several host keys would present
 * its preferred one (usually ed25519) and a pinned RSA key would look like a mismatch.
 */
export function hostKeyAlgorithms(pins: HostKeyPin[]): string[] | undefined {
    if (pins.length === 0 || pins.some((p) => p.kind !== "key")) return undefined;
    return [...new Set(pins.flatMap((p) => (p.kind === "key" ? KEY_TYPES[p.type] : [])))];
}
