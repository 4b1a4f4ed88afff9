/**
 * MACs derived from a seed string: the same seed always gives the same MAC, so a MAC can be known
 * (e.g. for a static DHCP lease) before the VIF exists. Locally administered (bit 1 of the first
 * byte set) and unicast (bit 0 clear), so it never collides with a vendor's.
 */
import * as crypto from "node:crypto";

/** The MAC of `seed`: the first 6 bytes of its SHA-256, made locally administered and unicast. */
export function macFromSeed(seed: string): string {
    const bytes = [...crypto.createHash("sha256").update(seed).digest().subarray(0, 6)];
    bytes[0] = (bytes[0] & 0xfc) | 0x02;
    return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}
