/**
 * SHA-512 crypt ("$6$salt$hash", the format of `mkpasswd -m sha-512` and `openssl passwd -6`), so
 * an answer file can carry `<root-password type="hash">` and no plaintext password lands in an ISO.
 *
 * Implemented here from Ulrich Drepper's specification "Unix crypt using SHA-256 and SHA-512" with
 * node:crypto, because the npm implementation we evaluated (unixcrypt 3.0.4) gets passwords whose
 * length is a multiple of 64 bytes wrong; tests compare every case with `openssl passwd -6`.
 */
import { createHash, pbkdf2Sync, randomBytes } from "node:crypto";
import { PasswordHashError } from "./errors";
import type { AnswerFile } from "./types";

/** The crypt(3) base-64 alphabet. */
const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_ROUNDS = 5000;
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;
const MAX_SALT = 16;
/** PBKDF2 iterations for a derived salt: more work than 5000 SHA-512 rounds, see hashRootPassword. */
const SALT_KDF_ITERATIONS = 20_000;

const sha512 = (...parts: Buffer[]): Buffer => {
    const h = createHash("sha512");
    for (const p of parts) h.update(p);
    return h.digest();
};

/** `length` bytes made of `digest` repeated (steps 16 and 20 of the specification). */
function repeatTo(digest: Buffer, length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += digest.length) digest.copy(out, i, 0, Math.min(digest.length, length - i));
    return out;
}

/** The final digest in crypt base-64, bytes taken in the specification's order for SHA-512. */
function encode(c: Buffer): string {
    let out = "";
    const put = (b2: number, b1: number, b0: number, chars: number) => {
        let w = (b2 << 16) | (b1 << 8) | b0;
        for (let i = 0; i < chars; i++) { out += ALPHABET[w & 0x3f]; w >>>= 6; }
    };
    for (let k = 0; k < 21; k++) {
        const [a, b, d] = [c[k], c[k + 21], c[k + 42]];
        if (k % 3 === 0) put(a, b, d, 4);
        else if (k % 3 === 1) put(b, d, a, 4);
        else put(d, a, b, 4);
    }
    put(0, 0, c[63], 2);
    return out;
}

function checkSalt(salt: string): void {
    if (salt.length === 0 || salt.length > MAX_SALT || !/^[./0-9A-Za-z]+$/.test(salt)) {
        throw new PasswordHashError(`SHA-512 crypt salt must be 1 to ${MAX_SALT} characters from [./0-9A-Za-z], got ${JSON.stringify(salt)}`);
    }
}

/**
 * SHA-512 crypt of `password` (UTF-8) with `salt`.
 * @param rounds 1000–999999999; written into the result (`$6$rounds=N$…`) unless it is the default. @default 5000
 * @throws PasswordHashError for an empty password, a bad salt or rounds out of range.
 */
export function sha512Crypt(password: string, salt: string, rounds: number = DEFAULT_ROUNDS): string {
    if (password.length === 0) throw new PasswordHashError("SHA-512 crypt needs a non-empty password, got an empty one");
    checkSalt(salt);
    if (!Number.isInteger(rounds) || rounds < MIN_ROUNDS || rounds > MAX_ROUNDS) {
        throw new PasswordHashError(`SHA-512 crypt rounds must be an integer from ${MIN_ROUNDS} to ${MAX_ROUNDS}, got ${rounds}`);
    }
    const p = Buffer.from(password, "utf8");
    const s = Buffer.from(salt, "latin1");

    const b = sha512(p, s, p);
    const a = createHash("sha512").update(p).update(s);
    let n = p.length;
    for (; n > 64; n -= 64) a.update(b);
    a.update(b.subarray(0, n));
    for (let bits = p.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : p);
    let c = a.digest();

    const pBytes = repeatTo(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
    const sBytes = repeatTo(sha512(...Array<Buffer>(16 + c[0]).fill(s)), s.length);

    for (let r = 0; r < rounds; r++) {
        const h = createHash("sha512");
        h.update(r & 1 ? pBytes : c);
        if (r % 3 !== 0) h.update(sBytes);
        if (r % 7 !== 0) h.update(pBytes);
        h.update(r & 1 ? c : pBytes);
        c = h.digest();
    }
    const prefix = rounds === DEFAULT_ROUNDS ? "$6$" : `$6$rounds=${rounds}$`;
    return `${prefix}${salt}$${encode(c)}`;
}

/** Whether `password` matches a `$6$` hash (for tests and for callers checking existing hashes). */
export function verifySha512Crypt(password: string, hash: string): boolean {
    const m = /^\$6\$(?:rounds=(\d+)\$)?([^$]{1,16})\$[./0-9A-Za-z]{86}$/.exec(hash);
    if (!m || password.length === 0) return false;
    return sha512Crypt(password, m[2], m[1] === undefined ? DEFAULT_ROUNDS : Number(m[1])) === hash;
}

function toSalt(bytes: Buffer): string {
    // 12 bytes → 16 characters of 6 bits each.
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
        const w = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        for (let shift = 18; shift >= 0; shift -= 6) out += ALPHABET[(w >> shift) & 0x3f];
    }
    return out.slice(0, MAX_SALT);
}

export interface HashRootPasswordOptions {
    /**
     * A fixed salt (1–16 characters of [./0-9A-Za-z]). Use for tests; prefer `saltContext`.
     * @default - random, unless saltContext is set
     */
    salt?: string;
    /**
     * Makes the hash reproducible: the salt is derived from the password and this context (e.g. the
     * resource's name), so identical inputs give a byte-identical answer file and ISO. The salt is
     * public, so it must not be a cheaper password oracle than the hash: it is PBKDF2-HMAC-SHA512
     * with more work than the crypt's own 5000 rounds, and differs per context.
     * @default - random salt
     */
    saltContext?: string;
    /** @default 5000 */
    rounds?: number;
}

/**
 * The `value` of a `{ type: "hash" }` root password for `password`: a SHA-512 crypt string.
 * @throws PasswordHashError for an empty password or bad options.
 */
export function hashRootPassword(password: string, options: HashRootPasswordOptions = {}): string {
    if (options.salt !== undefined && options.saltContext !== undefined) {
        throw new PasswordHashError("hashRootPassword takes salt or saltContext, not both");
    }
    if (password.length === 0) throw new PasswordHashError("cannot hash an empty root password");
    let salt = options.salt;
    if (salt === undefined && options.saltContext !== undefined) {
        salt = toSalt(pbkdf2Sync(password, `virtual-hypervisor root-password salt\0${options.saltContext}`, SALT_KDF_ITERATIONS, 12, "sha512"));
    }
    return sha512Crypt(password, salt ?? toSalt(randomBytes(12)), options.rounds);
}

/**
 * A copy of `model` whose plaintext root password is replaced by its SHA-512 crypt hash; a model
 * without a plaintext password comes back unchanged. Validate first: the plaintext rules (length,
 * whitespace) can no longer be checked once the password is a hash.
 */
export function withHashedRootPassword(model: AnswerFile, options: HashRootPasswordOptions = {}): AnswerFile {
    if (model.rootPassword?.type !== "plaintext") return model;
    return { ...model, rootPassword: { type: "hash", value: hashRootPassword(model.rootPassword.value, options) } };
}
