/**
 * The toolbox gateway: NAT and a DNS proxy for a lab's private "home" network, configured over
 * SSH on the toolbox VM. applyGateway() is idempotent, inspectGateway() reports drift,
 * removeGateway() restores the toolbox. Everything lives under one state directory on the toolbox.
 */
export { applyGateway, ApplyResult } from "./apply";
export * from "./errors";
export { inspectGateway, DriftItem, InspectResult } from "./inspect";
export { cidrContains, ipv4ToNumber, isIpv4, parseCidr, Ipv4Cidr } from "./ipv4";
export { GatewayPaths, GatewayPlan, gatewayPaths } from "./plan";
export { removeGateway, RemoveResult, RemoveTarget } from "./remove";
export {
    defaultStateDir, GATEWAY_DEFAULTS, GatewayHost, GatewaySpec, hostsEntries, INTERFACE_NAME, isValidHostname, NAT_BACKENDS,
    NatBackend, nftTableName, SERVICE_MANAGERS, ServiceManager, SpecProblem, unitNames, validateGatewayFields, validateGatewaySpec,
} from "./spec";
export { GatewayTransport } from "./toolbox";
