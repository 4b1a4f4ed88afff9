/**
 * virtual-hypervisor: the package entry. The dynamic resources (XenNetwork, RemasteredIso,
 * NestedHypervisor), their arguments and the helpers they share with the CLI.
 */
export * from "./provider/resources/index";
export * from "./components";
