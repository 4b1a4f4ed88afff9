/**
 * The product versions the simulated host can impersonate, and every version-dependent fact the
 * simulator needs in one table: what `software-version` says, how the xapi of that release words
 * its errors, which installer (host-installer) ships on its ISO and what that installer accepts.
 *
 * Sources: ../shared/reference/xe-cli.md (§3 doc-string spacing, §4 network-create params, §5
 * templates and nested keys) and seed-and-installer.md (§5.3 installer version matrix, §6 the
 * `install` boot argument). The product <-> xapi/installer mapping is inferred there from branch
 * names and tag dates; we follow it.
 */

export type ProductId = "xenserver-7.1" | "citrix-hypervisor-8.2" | "xenserver-8.4" | "xcp-ng-8.3";

export interface Product {
    id: ProductId;
    /** `software-version` keys as real hosts report them. */
    brand: string;
    productVersion: string;
    productVersionTextShort: string;
    buildNumber: string;
    xapiVersion: string;
    xenVersion: string;
    platformName: string;
    platformVersion: string;
    /** host-installer version on this product's ISO (seed-and-installer.md §5.3). */
    installerVersion: string;
    /** Installers before host-installer 10.10.4 drop to interactive mode without the `install` argument. */
    installerNeedsInstallArg: boolean;
    /** `<ntp source=…>` exists from host-installer 10.10.7 (XenServer 8 line, XCP-ng 8.3). */
    installerSupportsNtpSource: boolean;
    /** Doc strings of xapi ≤ 1.160 put two spaces after a sentence-ending period. */
    twoSpacesInDocStrings: boolean;
    /** Platform key that turns on nested HVM (xe-cli.md §5 "Nested virtualization"). */
    nestedVirtKey: "exp-nested-hvm" | "nested-virt";
    /** Whether the `Nested_virt` licence feature is restricted by default on this product. */
    nestedVirtRestrictedByDefault: boolean;
    /** "Other install media" template boot params: `order` changed from dc to cd in 2019. */
    otherInstallMediaBootParams: Record<string, string>;
    /** Optional params of network-create (7.1 lacks bridge/managed). */
    networkCreateOptional: string[];
    /** xapi ≤ 1.14 lacks some vm record fields (xe-cli.md Appendix A). */
    legacyVmFields: boolean;
    /** Minimum primary disk the installer accepts, in GB (host-installer constants.py). */
    minPrimaryDiskGB: number;
    /**
     * Which xapi source line the simulated `xe` follows, oldest first: 0 = 1.14-lcm (XenServer 7.1),
     * 1 = 1.249-lcm (CH 8.2), 2 = 24.39-lcm (XCP-ng 8.3), 3 = v25.6 (XenServer 8). Record field
     * lists, parsers and doc strings differ between them.
     */
    xapiGeneration: 0 | 1 | 2 | 3;
    /** Dom0 kernel version in software-version:linux. */
    linuxVersion: string;
    /** Build date in software-version:date. */
    buildDate: string;
    /** Type of the installer-created "Local storage" SR. */
    localSrType: "lvm" | "ext";
    /** Name of the tools ISO in the tools SR; null when the product ships none on the host. */
    toolsIso: string | null;
}

const TEMPLATE_BOOT_DC = { order: "dc" };
const TEMPLATE_BOOT_CD = { firmware: "bios", order: "cd" };

export const PRODUCTS: Record<ProductId, Product> = {
    "xenserver-7.1": {
        id: "xenserver-7.1",
        brand: "XenServer",
        productVersion: "7.1.0",
        productVersionTextShort: "7.1",
        buildNumber: "137272c",
        xapiVersion: "1.14",
        xenVersion: "4.7.1-1-d",
        platformName: "XCP",
        platformVersion: "2.2.0",
        installerVersion: "10.0.6",
        installerNeedsInstallArg: true,
        installerSupportsNtpSource: false,
        twoSpacesInDocStrings: true,
        nestedVirtKey: "exp-nested-hvm",
        nestedVirtRestrictedByDefault: false,
        otherInstallMediaBootParams: TEMPLATE_BOOT_DC,
        networkCreateOptional: ["name-description", "MTU"],
        legacyVmFields: true,
        minPrimaryDiskGB: 46,
        xapiGeneration: 0,
        linuxVersion: "4.4.0+2",
        buildDate: "2017-02-09",
        localSrType: "lvm",
        toolsIso: "xs-tools.iso",
    },
    "citrix-hypervisor-8.2": {
        id: "citrix-hypervisor-8.2",
        brand: "Citrix Hypervisor",
        productVersion: "8.2.1",
        productVersionTextShort: "8.2 CU1",
        buildNumber: "release/yangtze/master/58",
        xapiVersion: "1.249",
        xenVersion: "4.13.5-9.40",
        platformName: "XCP",
        platformVersion: "3.2.1",
        installerVersion: "10.7.4",
        installerNeedsInstallArg: true,
        installerSupportsNtpSource: false,
        twoSpacesInDocStrings: false,
        nestedVirtKey: "exp-nested-hvm",
        nestedVirtRestrictedByDefault: false,
        otherInstallMediaBootParams: TEMPLATE_BOOT_CD,
        networkCreateOptional: ["name-description", "MTU", "bridge", "managed"],
        legacyVmFields: false,
        minPrimaryDiskGB: 46,
        xapiGeneration: 1,
        linuxVersion: "4.19.0+1",
        buildDate: "2022-01-19",
        localSrType: "lvm",
        toolsIso: "guest-tools.iso",
    },
    "xenserver-8.4": {
        id: "xenserver-8.4",
        brand: "XenServer",
        productVersion: "8.4.0",
        productVersionTextShort: "8",
        buildNumber: "stream",
        xapiVersion: "25.6",
        xenVersion: "4.17.5-13",
        platformName: "XCP",
        platformVersion: "3.4.0",
        installerVersion: "10.10.38",
        installerNeedsInstallArg: false,
        installerSupportsNtpSource: true,
        twoSpacesInDocStrings: false,
        nestedVirtKey: "nested-virt",
        nestedVirtRestrictedByDefault: false,
        otherInstallMediaBootParams: TEMPLATE_BOOT_CD,
        networkCreateOptional: ["name-description", "MTU", "bridge", "managed"],
        legacyVmFields: false,
        minPrimaryDiskGB: 46,
        xapiGeneration: 3,
        linuxVersion: "4.19.0+1",
        buildDate: "2025-02-10",
        localSrType: "ext",
        toolsIso: null,
    },
    "xcp-ng-8.3": {
        id: "xcp-ng-8.3",
        brand: "XCP-ng",
        productVersion: "8.3.0",
        productVersionTextShort: "8.3",
        buildNumber: "cloud",
        xapiVersion: "24.39",
        xenVersion: "4.17.5-3",
        platformName: "XCP",
        platformVersion: "3.4.0",
        installerVersion: "10.10.19-8.3",
        installerNeedsInstallArg: false,
        installerSupportsNtpSource: true,
        twoSpacesInDocStrings: false,
        nestedVirtKey: "nested-virt",
        nestedVirtRestrictedByDefault: false,
        otherInstallMediaBootParams: TEMPLATE_BOOT_CD,
        networkCreateOptional: ["name-description", "MTU", "bridge", "managed"],
        legacyVmFields: false,
        minPrimaryDiskGB: 46,
        xapiGeneration: 2,
        linuxVersion: "4.19.0+1",
        buildDate: "2024-10-02",
        localSrType: "ext",
        toolsIso: "guest-tools.iso",
    },
};

/** Short names accepted by `vh sim --product-version`. */
const ALIASES: Record<string, ProductId> = {
    "7.1": "xenserver-7.1",
    "8.2": "citrix-hypervisor-8.2",
    "8.4": "xenserver-8.4",
    "8": "xenserver-8.4",
    "xenserver-8": "xenserver-8.4",
    "8.3": "xcp-ng-8.3",
};

export const DEFAULT_PRODUCT: ProductId = "xenserver-8.4";

/** Resolves a product id or alias; throws an error naming the accepted values. */
export function resolveProduct(value: string): Product {
    const id = (ALIASES[value] ?? value) as ProductId;
    const product = PRODUCTS[id];
    if (!product) {
        const accepted = [...Object.keys(PRODUCTS), ...Object.keys(ALIASES)].join(", ");
        throw new Error(`product version must be one of ${accepted}, got ${JSON.stringify(value)}`);
    }
    return product;
}
