/**
 * Settings of one simulated host, chosen when its state directory is first initialised (by
 * `vh sim` flags, or defaults when `xe` runs against an empty state directory) and kept in its
 * state. They are the knobs tests and users turn; everything else follows from the product.
 */
import { DEFAULT_PRODUCT, ProductId } from "./products";

export interface SimSettings {
    /** Which product the host impersonates. @default "xenserver-8.4" */
    product: ProductId;
    /** How long a successful unattended install runs, in simulated seconds. @default 20 */
    installSeconds: number;
    /** How long the installed system's first boot takes before its first-boot step halts it. @default 5 */
    firstBootSeconds: number;
    /** The physical host's hostname (also its name-label and the dom0 name suffix). @default "xenserver-sim" */
    hostname: string;
    /** The host's management address, as `host-list params=address` reports it. @default "127.0.0.1" */
    address: string;
    /** Physical memory of the host. @default 256 */
    hostMemoryGiB: number;
    /** Size of the default SR ("Local storage"). @default 2048 */
    localSrGiB: number;
    /** Physical CPUs of the host. @default 16 */
    cpuCount: number;
    /** Whether the pool's licence restricts nested virtualisation (`restrict_nested_virt`). @default false */
    nestedVirtRestricted: boolean;
}

export const DEFAULT_SETTINGS: SimSettings = {
    product: DEFAULT_PRODUCT,
    installSeconds: 20,
    firstBootSeconds: 5,
    hostname: "xenserver-sim",
    address: "127.0.0.1",
    hostMemoryGiB: 256,
    localSrGiB: 2048,
    cpuCount: 16,
    nestedVirtRestricted: false,
};

/** Environment variable naming the state directory of the simulated host `sim/bin/*` act on. */
export const STATE_DIR_ENV = "XE_SIM_STATE";
