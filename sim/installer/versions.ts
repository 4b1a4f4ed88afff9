/**
 * What a given host-installer version does differently, by the tag that introduced it in
 * xenserver/host-installer (read from the tags' answerfile.py, init, scripts.py and backend.py).
 * The booleans the rest of the simulator also needs live in sim/products.ts; these are the finer
 * points only the simulated installer cares about.
 */
import type { Product } from "../products";

/** Compares dotted versions numerically, ignoring a leading "v" and a "-suffix" ("10.10.19-8.3"). */
export function compareVersions(a: string, b: string): number {
    const parts = (v: string) => v.replace(/^v/, "").split("-")[0].split(".").map((x) => Number.parseInt(x, 10) || 0);
    const pa = parts(a), pb = parts(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return d;
    }
    return 0;
}

export interface InstallerFeatures {
    version: string;
    /** init drops back to interactive mode without the `install` argument (before v10.10.4). */
    needsInstallArg: boolean;
    /** `<ntp source=…>` and the ntp-server/source consistency check (v10.10.7). */
    ntpSource: boolean;
    /** `admin-interface vlan=` is parsed and validated (10.1.0). */
    vlan: boolean;
    /** `<service name state>` is parsed and validated (10.3.1). */
    services: boolean;
    /** parseDisks checks that primary and guest disks exist ("Primary disk %s is missing", v10.10.38). */
    diskExistsCheck: boolean;
    /** parseInterface rejects an admin-interface name the system lacks (v11.1.5). */
    adminNameCheck: boolean;
    /** Script interpreters run_script accepts besides /bin/sh and /bin/bash. */
    pythonInterpreters: string[];
    /** Minimum primary disk, GiB (backend.writeDom0DiskPartitions). */
    minDiskGiB: number;
}

export function installerFeatures(product: Product): InstallerFeatures {
    const v = product.installerVersion;
    const atLeast = (tag: string) => compareVersions(v, tag) >= 0;
    return {
        version: v,
        needsInstallArg: product.installerNeedsInstallArg,
        ntpSource: product.installerSupportsNtpSource,
        vlan: atLeast("10.1.0"),
        services: atLeast("10.3.1"),
        diskExistsCheck: atLeast("10.10.38"),
        adminNameCheck: atLeast("11.1.5"),
        pythonInterpreters: atLeast("10.10.38") ? ["python", "python3"] : ["python"],
        minDiskGiB: product.minPrimaryDiskGB,
    };
}
