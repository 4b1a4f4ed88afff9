/**
 * Identifiers the way xapi makes them: random v4 uuids, opaque references, and VIF MACs derived
 * from the VM's other-config:mac_seed.
 */
// node:crypto is loaded on first use: most xe calls create nothing and start-up time matters.
const crypto = (): typeof import("node:crypto") => require("node:crypto") as typeof import("node:crypto");

export function newUuid(): string {
    return crypto().randomUUID();
}

export function newRef(): string {
    return `OpaqueRef:${crypto().randomUUID()}`;
}

/** Forces a locally-administered unicast address (Record_util.mac_from_int_array). */
function macFromBytes(bytes: number[]): string {
    const b = [...bytes];
    b[0] = (b[0] | 0x02) & ~0x01;
    return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

function md5(data: Buffer | string): Buffer {
    return crypto().createHash("md5").update(data).digest();
}

/**
 * xapi_vif_helpers.gen_mac: MD5 applied 2*device+1 times to the seed, bytes 0-3 of that digest
 * and bytes 1-2 of its MD5. Deterministic, so a re-created VIF gets the same MAC.
 */
export function macFromSeed(device: number, seed: string): string {
    let acc: Buffer | string = seed;
    for (let i = 0; i < device * 2; i++) acc = md5(acc);
    const first = md5(acc);
    const second = md5(first);
    return macFromBytes([first[0], first[1], first[2], first[3], second[1], second[2]]);
}

/**
 * `mac=random` (Record_util.random_mac_local). Up to xapi 1.249 all six bytes are random; later
 * versions use Array.make, so one random byte is repeated six times (xe-cli.md §4 vif-create).
 */
export function randomLocalMac(sameByteEverywhere: boolean): string {
    const bytes = [...crypto().randomBytes(6)];
    return macFromBytes(sameByteEverywhere ? bytes.map(() => bytes[0]) : bytes);
}

/** Helpers.is_valid_MAC: six colon-separated pairs of hex digits, either case. */
export function isValidMac(mac: string): boolean {
    const parts = mac.split(":");
    return parts.length === 6 && parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p));
}
