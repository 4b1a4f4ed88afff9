/**
 * The Lab component and what it is built from: child naming, argument validation (planLab), the
 * pre-flight, and the stack-config mapping the root program (stack.ts) uses.
 */
export { Lab, LabHypervisorInfo, LAB_TYPE } from "./lab";
export { LabArgs, LabHomeArgs, LabHypervisorArgs, LabHypervisorDefaults, LabToolboxArgs, LAB_DEFAULTS, LAB_IGNORE_CHANGES, LAB_MINIMUMS } from "./args";
export { childName, ChildRole, defaultHypervisorName, homeNetworkName, hypervisorHostNames, HypervisorHostNames, prefixFromStack } from "./naming";
export { LabPlan, PlannedHypervisor, planLab } from "./plan";
export { addressProblem, allocateAddresses } from "./addresses";
export { jumpSpec, sshCommand } from "./access";
export { LabPreflightError, LabPreflightQueryError, LabValidationError } from "./errors";
export {
    assessLab, formatReport, gatherFacts, labCost, LabCost, LabHostFacts, LocalIso, localIso, PreflightReport, PreflightRow, probeHost,
    runPreflight, TimeEstimate,
} from "./preflight";
export { labArgsFromConfig, LAB_CONFIG_NAMESPACE, LabConfigError } from "./config";
