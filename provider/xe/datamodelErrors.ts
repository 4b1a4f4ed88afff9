/**
 * XenAPI errors that xe prints in their "datamodel" rendering: the error's documentation string on
 * the first line, then one `name: value` line per parameter. xe prints the doc string, not the
 * code, so this table maps doc strings back to codes. Facts from xapi's datamodel error list
 * (xapi-project/xen-api ocaml/idl/datamodel_errors.ml, codes from ocaml/xapi-consts/api_errors.ml);
 * only errors our operations can meet.
 * Releases up to xapi 1.160 put two spaces after a sentence's period: lookups collapse spaces.
 */
export interface DatamodelError {
    /** The code as xapi raises it (api_errors.ml strings, e.g. SR_HAS_NO_PBDS for sr_no_pbds). */
    code: string;
    params: string[];
    doc: string;
    /** Other wordings of the doc string in older releases (datamodel.ml at 1.14-lcm). @default [] */
    legacyDocs?: string[];
}

export const DATAMODEL_ERRORS: DatamodelError[] = [
    { code: "INTERNAL_ERROR", params: ["message"], doc: "The server failed to handle your request, due to an internal error. The given message may give details useful for debugging the problem." },
    { code: "PERMISSION_DENIED", params: ["message"], doc: "Caller not allowed to perform this operation." },
    { code: "LICENCE_RESTRICTION", params: ["feature"], doc: "This operation is not allowed because your license lacks a needed feature. Please contact your support representative." },
    { code: "FEATURE_RESTRICTED", params: [], doc: "The use of this feature is restricted." },
    { code: "UUID_INVALID", params: ["type", "uuid"], doc: "The uuid you supplied was invalid." },
    { code: "OBJECT_NOLONGER_EXISTS", params: [], doc: "The specified object no longer exists." },
    { code: "MAP_DUPLICATE_KEY", params: ["type", "param_name", "uuid", "key"], doc: "You tried to add a key-value pair to a map, but that key is already there." },
    { code: "VALUE_NOT_SUPPORTED", params: ["field", "value", "reason"], doc: "You attempted to set a value that is not supported by this implementation. The fully-qualified field name and the value that you tried to set are returned. Also returned is a developer-only diagnostic reason." },
    { code: "INVALID_VALUE", params: ["field", "value"], doc: "The value given is invalid" },
    { code: "FIELD_TYPE_ERROR", params: ["field"], doc: "The value specified is of the wrong type" },
    { code: "OPERATION_NOT_ALLOWED", params: ["reason"], doc: "You attempted an operation that was not allowed." },
    { code: "OPERATION_BLOCKED", params: ["ref", "code"], doc: "You attempted an operation that was explicitly blocked (see the blocked_operations field of the given object)." },
    { code: "NOT_IMPLEMENTED", params: ["function"], doc: "The function is not implemented" },
    { code: "HANDLE_INVALID", params: ["class", "handle"], doc: "You gave an invalid object reference. The object may have recently been deleted. The class parameter gives the type of reference given, and the handle parameter echoes the bad value given." },
    { code: "DB_UNIQUENESS_CONSTRAINT_VIOLATION", params: ["table", "field", "value"], doc: "You attempted an operation which would have resulted in duplicate keys in the database." },
    { code: "LOCATION_NOT_UNIQUE", params: ["SR", "location"], doc: "A VDI with the specified location already exists within the SR" },
    { code: "MEMORY_CONSTRAINT_VIOLATION", params: ["constraint"], doc: "The dynamic memory range does not satisfy the following constraint." },
    { code: "MEMORY_CONSTRAINT_VIOLATION_ORDER", params: [], doc: "The dynamic memory range violates constraint static_min <= dynamic_min <= dynamic_max <= static_max." },
    { code: "MEMORY_CONSTRAINT_VIOLATION_MAXPIN", params: ["reason"], doc: "The dynamic memory range violates constraint static_min = dynamic_min = dynamic_max = static_max." },
    { code: "SESSION_AUTHENTICATION_FAILED", params: [], doc: "The credentials given by the user are incorrect, so access has been denied, and you have not been issued a session handle." },
    { code: "CANNOT_DESTROY_SYSTEM_NETWORK", params: ["network"], doc: "You tried to destroy a system network: these cannot be destroyed." },
    { code: "VIF_IN_USE", params: ["network", "VIF"], doc: "Network has active VIFs" },
    { code: "MAC_INVALID", params: ["MAC"], doc: "The MAC address specified is not valid." },
    { code: "NETWORK_CONTAINS_VIF", params: ["vifs"], doc: "The network contains active VIFs and cannot be deleted." },
    { code: "NETWORK_CONTAINS_PIF", params: ["pifs"], doc: "The network contains active PIFs and cannot be deleted." },
    { code: "BRIDGE_NOT_AVAILABLE", params: ["bridge"], doc: "Could not find bridge required by VM." },
    { code: "BRIDGE_NAME_EXISTS", params: ["bridge"], doc: "The specified bridge already exists." },
    { code: "VM_MEMORY_SIZE_TOO_LOW", params: ["vm"], doc: "The specified VM has too little memory to be started." },
    { code: "VM_DUPLICATE_VBD_DEVICE", params: ["vm", "vbd", "device"], doc: "The specified VM has a duplicate VBD device and cannot be started." },
    { code: "ILLEGAL_VBD_DEVICE", params: ["vbd", "device"], doc: "The specified VBD device is not recognized: please use a non-negative integer" },
    { code: "VM_CANNOT_DELETE_DEFAULT_TEMPLATE", params: ["vm"], doc: "You cannot delete the specified default template." },
    { code: "VM_BAD_POWER_STATE", params: ["vm", "expected", "actual"], doc: "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call." },
    { code: "VM_MISSING_PV_DRIVERS", params: ["vm"], doc: "You attempted an operation on a VM which requires PV drivers to be installed but the drivers were not detected." },
    { code: "VM_IS_TEMPLATE", params: ["vm"], doc: "The operation attempted is not valid for a template VM" },
    { code: "OTHER_OPERATION_IN_PROGRESS", params: ["class", "object"], doc: "Another operation involving the object is currently in progress" },
    { code: "VBD_NOT_REMOVABLE_MEDIA", params: ["vbd"], doc: "Media could not be ejected because it is not removable" },
    { code: "VBD_NOT_UNPLUGGABLE", params: ["vbd"], doc: "Drive could not be hot-unplugged because it is not marked as unpluggable" },
    { code: "VBD_NOT_EMPTY", params: ["vbd"], doc: "Operation could not be performed because the drive is not empty" },
    { code: "VBD_IS_EMPTY", params: ["vbd"], doc: "Operation could not be performed because the drive is empty" },
    { code: "VBD_TRAY_LOCKED", params: ["vbd"], doc: "This VM has locked the DVD drive tray, so the disk cannot be ejected" },
    { code: "VBD_CDS_MUST_BE_READONLY", params: [], doc: "Read/write CDs are not supported" },
    { code: "VM_NO_EMPTY_CD_VBD", params: ["vm"], doc: "The VM has no empty CD drive (VBD)." },
    { code: "VM_HVM_REQUIRED", params: ["vm"], doc: "HVM is required for this operation" },
    { code: "VM_NO_VCPUS", params: ["vm"], doc: "You need at least 1 VCPU to start a VM" },
    { code: "VM_TOO_MANY_VCPUS", params: ["vm"], doc: "Too many VCPUs to start this VM" },
    { code: "HOST_NOT_ENOUGH_FREE_MEMORY", params: ["needed", "available"], doc: "Not enough server memory is available to perform this operation.", legacyDocs: ["Not enough host memory is available to perform this operation"] },
    { code: "HOST_NOT_ENOUGH_PCPUS", params: ["vcpus", "pcpus"], doc: "The host does not have enough pCPUs to run the VM. It needs at least as many as the VM has vCPUs." },
    { code: "HOST_OFFLINE", params: ["host"], doc: "You attempted an operation which involves a host which could not be contacted." },
    { code: "HOST_DISABLED", params: ["host"], doc: "The specified server is disabled." },
    { code: "NO_HOSTS_AVAILABLE", params: [], doc: "There were no servers available to complete the specified operation.", legacyDocs: ["There were no hosts available to complete the specified operation."] },
    { code: "HOST_STILL_BOOTING", params: [], doc: "The host toolstack is still initialising. Please wait." },
    { code: "VM_REQUIRES_SR", params: ["vm", "sr"], doc: "You attempted to run a VM on a host which doesn't have access to an SR needed by the VM. The VM has at least one VBD attached to a VDI in the SR." },
    { code: "VM_REQUIRES_NETWORK", params: ["vm", "network"], doc: "You attempted to run a VM on a host which doesn't have a PIF on a Network needed by the VM. The VM has at least one VIF attached to the Network." },
    { code: "VM_REQUIRES_VDI", params: ["vm", "vdi"], doc: "VM cannot be started because it requires a VDI which cannot be attached" },
    { code: "VM_FAILED_SHUTDOWN_ACKNOWLEDGMENT", params: ["vm"], doc: "VM didn't acknowledge the need to shutdown." },
    { code: "VM_SHUTDOWN_TIMEOUT", params: ["vm", "timeout"], doc: "VM failed to shutdown before the timeout expired" },
    { code: "VM_CRASHED", params: ["vm"], doc: "The VM crashed" },
    { code: "BOOTLOADER_FAILED", params: ["vm", "msg"], doc: "The bootloader returned an error" },
    { code: "FAILED_TO_START_EMULATOR", params: ["vm", "name", "msg"], doc: "An emulator required to run this VM failed to start" },
    { code: "SR_NOT_ATTACHED", params: ["sr"], doc: "The SR is not attached." },
    { code: "SR_ATTACH_FAILED", params: ["sr"], doc: "Attaching this SR failed." },
    { code: "SR_BACKEND_FAILURE", params: ["status", "stdout", "stderr"], doc: "There was an SR backend failure." },
    { code: "SR_UUID_EXISTS", params: ["uuid"], doc: "An SR with that uuid already exists." },
    { code: "SR_HAS_NO_PBDS", params: ["sr"], doc: "The SR has no attached PBDs" },
    { code: "SR_FULL", params: ["requested", "maximum"], doc: "The SR is full. Requested new size exceeds the maximum size" },
    { code: "PBD_EXISTS", params: ["sr", "host", "pbd"], doc: "A PBD already exists connecting the SR to the server.", legacyDocs: ["A PBD already exists connecting the SR to the host"] },
    { code: "SR_HAS_PBD", params: ["sr"], doc: "The SR is still connected to a host via a PBD. It cannot be destroyed or forgotten." },
    { code: "SR_UNKNOWN_DRIVER", params: ["driver"], doc: "The SR could not be connected because the driver was not recognised." },
    { code: "VDI_READONLY", params: ["vdi"], doc: "The operation required write access but this VDI is read-only" },
    { code: "VDI_IS_NOT_ISO", params: ["vdi", "type"], doc: "This operation can only be performed on CD VDIs (iso files or CDROM drives)" },
    { code: "VDI_IN_USE", params: ["vdi", "operation"], doc: "This operation cannot be performed because this VDI is in use by some other operation" },
    { code: "VDI_NOT_AVAILABLE", params: ["vdi"], doc: "This operation cannot be performed because this VDI could not be properly attached to the VM." },
    { code: "VDI_LOCATION_MISSING", params: ["sr", "location"], doc: "This operation cannot be performed because the specified VDI could not be found in the specified SR" },
    { code: "VDI_MISSING", params: ["sr", "vdi"], doc: "This operation cannot be performed because the specified VDI could not be found on the storage substrate" },
    { code: "SR_OPERATION_NOT_SUPPORTED", params: ["sr"], doc: "The SR backend does not support the operation (check the SR's allowed operations)" },
    { code: "SR_NOT_EMPTY", params: [], doc: "The SR operation cannot be performed because the SR is not empty." },
    { code: "SR_DEVICE_IN_USE", params: [], doc: "The SR operation cannot be performed because a device underlying the SR is in use by the server.", legacyDocs: ["The SR operation cannot be performed because a device underlying the SR is in use by the host."] },
    { code: "DEVICE_ALREADY_ATTACHED", params: ["device"], doc: "The device is already attached to a VM" },
    { code: "DEVICE_ALREADY_DETACHED", params: ["device"], doc: "The device is not currently attached" },
    { code: "DEVICE_ALREADY_EXISTS", params: ["device"], doc: "A device with the name given already exists on the selected VM" },
    { code: "INVALID_DEVICE", params: ["device"], doc: "The device name is invalid" },
    { code: "DEFAULT_SR_NOT_FOUND", params: ["sr"], doc: "The default SR reference does not point to a valid SR" },
    { code: "PROVISION_ONLY_ALLOWED_ON_TEMPLATE", params: [], doc: "The provision call can only be invoked on templates, not regular VMs." },
    { code: "PROVISION_FAILED_OUT_OF_SPACE", params: [], doc: "The provision call failed because it ran out of space." },
    { code: "VM_IS_IMMOBILE", params: ["VM"], doc: "The VM is configured in a way that prevents it from being mobile." },
    { code: "VM_IS_USING_NESTED_VIRT", params: ["VM"], doc: "This operation is illegal because the VM is using nested virtualization.", legacyDocs: ["This operation is illegal because the VM is using nested virtualisation."] },
    { code: "TASK_CANCELLED", params: ["task"], doc: "The request was asynchronously canceled.", legacyDocs: ["The request was asynchronously cancelled."] },
    { code: "TOO_MANY_PENDING_TASKS", params: [], doc: "The request was rejected because there are too many pending tasks on the server." },
    { code: "TOO_BUSY", params: [], doc: "The request was rejected because the server is too busy." },
];

/** Doc strings compared with runs of whitespace collapsed (older releases use two spaces). */
export function normalizeDoc(text: string): string {
    return text.trim().replace(/\s+/g, " ");
}

export const DATAMODEL_ERRORS_BY_DOC: ReadonlyMap<string, DatamodelError> = new Map(
    DATAMODEL_ERRORS.flatMap((e) => [e.doc, ...(e.legacyDocs ?? [])].map((doc) => [normalizeDoc(doc), e] as const)),
);
