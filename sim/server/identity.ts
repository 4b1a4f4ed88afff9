/**
 * The simulated host's SSH identity, created on first start and kept in the state directory so a
 * restarted `vh sim` is the same host to its clients:
 *
 *   DIR/ssh/ssh_host_ed25519_key      host key (OpenSSH format, 0600)
 *   DIR/ssh/id_ed25519(.pub)          a client key pair for tests and users (0600)
 *   DIR/ssh/authorized_keys           public keys root may log in with (starts with id_ed25519.pub)
 *   DIR/ssh/password                  root's password (0600)
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ParsedKey, utils } from "ssh2";

export interface SimIdentity {
    hostKey: string;
    /** The host key's fingerprint exactly as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64. */
    hostKeySha256: string;
    privateKeyPath: string;
    password: string;
    authorizedKeysPath: string;
}

export class IdentityError extends Error {
    override name = "IdentityError";
}

/** Loads the identity from `stateDir`, creating whatever part is missing. */
export function loadIdentity(stateDir: string): SimIdentity {
    const dir = path.join(stateDir, "ssh");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const hostKeyPath = path.join(dir, "ssh_host_ed25519_key");
    const privateKeyPath = path.join(dir, "id_ed25519");
    const authorizedKeysPath = path.join(dir, "authorized_keys");
    const passwordPath = path.join(dir, "password");
    ensureKeyPair(hostKeyPath, "vh-sim host key");
    const clientCreated = ensureKeyPair(privateKeyPath, "vh-sim client key");
    if (clientCreated || !fs.existsSync(authorizedKeysPath)) {
        fs.appendFileSync(authorizedKeysPath, fs.readFileSync(`${privateKeyPath}.pub`), { mode: 0o600 });
    }
    if (!fs.existsSync(passwordPath)) {
        // 18 random bytes: 24 characters of base64url, no shell or XML special characters.
        writeSecret(passwordPath, randomBytes(18).toString("base64url") + "\n");
    }
    const hostKey = fs.readFileSync(hostKeyPath, "utf8");
    return {
        hostKey,
        hostKeySha256: fingerprint(publicBlob(hostKey, hostKeyPath)),
        privateKeyPath,
        password: fs.readFileSync(passwordPath, "utf8").trim(),
        authorizedKeysPath,
    };
}

/** "SHA256:" + unpadded base64 of the SHA-256 of the key's wire-format public blob. */
export function fingerprint(publicBlob: Buffer): string {
    return "SHA256:" + createHash("sha256").update(publicBlob).digest("base64").replace(/=+$/, "");
}

/** Public keys from an authorized_keys file; lines that are not keys are skipped. */
export function readAuthorizedKeys(file: string): { type: string; blob: Buffer; key: ParsedKey }[] {
    if (!fs.existsSync(file)) return [];
    const keys = [];
    for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) continue;
        // Options before the key type (from="…",no-pty …) are not supported: such lines are skipped.
        const parsed = utils.parseKey(trimmed);
        if (parsed instanceof Error) continue;
        const key = Array.isArray(parsed) ? parsed[0] : parsed;
        keys.push({ type: key.type, blob: key.getPublicSSH(), key });
    }
    return keys;
}

function publicBlob(privateKey: string, file: string): Buffer {
    const parsed = utils.parseKey(privateKey);
    if (parsed instanceof Error) throw new IdentityError(`cannot read the SSH key ${file}: ${parsed.message}`, { cause: parsed });
    return (Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH();
}

/** Creates an ed25519 key pair at `file` (+ .pub) unless it exists; returns whether it created one. */
function ensureKeyPair(file: string, comment: string): boolean {
    if (fs.existsSync(file)) return false;
    const pair = generateParseableKeyPair(comment);
    writeSecret(file, pair.private.endsWith("\n") ? pair.private : pair.private + "\n");
    fs.writeFileSync(`${file}.pub`, pair.public + "\n", { mode: 0o644 });
    return true;
}

/**
 * ssh2's generateKeyPairSync("ed25519") writes a private key its own parser rejects as "Malformed
 * OpenSSH private key" about once in 250 keys (measured: 12 of 3000), which made a fresh
 * simulator unusable by ssh2 clients now and then. Generate until the key reads back.
 */
function generateParseableKeyPair(comment: string): { private: string; public: string } {
    for (let attempt = 1; ; attempt++) {
        const pair = utils.generateKeyPairSync("ed25519", { comment });
        if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
        if (attempt === 20) throw new IdentityError("could not generate an SSH key pair that ssh2 can read back (20 attempts)");
    }
}

/** Writes a file only its owner can read, atomically, so a crash never leaves a half-written secret. */
function writeSecret(file: string, content: string): void {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content, { mode: 0o600 });
    fs.renameSync(tmp, file);
}
