/**
 * Doc strings and parameter names of the XenAPI errors the simulator raises, verbatim from xapi's
 * datamodel: ocaml/idl/datamodel_errors.ml at v25.6.0 (the same text as 1.249-lcm and 24.39-lcm
 * for these codes), and `legacyDoc` from ocaml/idl/datamodel.ml at 1.14-lcm (XenServer 7.1), whose
 * doc strings put two spaces after sentence-ending periods and word some messages differently.
 * `since: 1` marks codes that 1.14 does not have (it raises MEMORY_CONSTRAINT_VIOLATION instead).
 *
 * An error code missing from this table is "not in the datamodel": xe prints it raw as
 * `Error code:` / `Error parameters:` lines (SR_BACKEND_FAILURE_* are like that on every version).
 */

export interface ErrorDoc {
    params: string[];
    doc: string;
    legacyDoc?: string;
    legacyParams?: string[];
    /** First xapi generation (see Product.xapiGeneration) that knows the code. @default 0 */
    since?: number;
}

export const ERROR_DOCS: Record<string, ErrorDoc> = {
    UUID_INVALID: { params: ["type", "uuid"], doc: "The uuid you supplied was invalid." },
    HANDLE_INVALID: { params: ["class", "handle"], doc: "You gave an invalid object reference. The object may have recently been deleted. The class parameter gives the type of reference given, and the handle parameter echoes the bad value given.", legacyDoc: "You gave an invalid object reference.  The object may have recently been deleted.  The class parameter gives the type of reference given, and the handle parameter echoes the bad value given." },
    VM_BAD_POWER_STATE: { params: ["vm", "expected", "actual"], doc: "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running. The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.", legacyDoc: "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running.  The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call." },
    INTERNAL_ERROR: { params: ["message"], doc: "The server failed to handle your request, due to an internal error. The given message may give details useful for debugging the problem.", legacyDoc: "The server failed to handle your request, due to an internal error.  The given message may give details useful for debugging the problem." },
    NETWORK_CONTAINS_VIF: { params: ["vifs"], doc: "The network contains active VIFs and cannot be deleted." },
    NETWORK_CONTAINS_PIF: { params: ["pifs"], doc: "The network contains active PIFs and cannot be deleted." },
    CANNOT_DESTROY_SYSTEM_NETWORK: { params: ["network"], doc: "You tried to destroy a system network: these cannot be destroyed." },
    SR_FULL: { params: ["requested", "maximum"], doc: "The SR is full. Requested new size exceeds the maximum size" },
    SR_HAS_PBD: { params: ["sr"], doc: "The SR is still connected to a host via a PBD. It cannot be destroyed or forgotten." },
    SR_HAS_NO_PBDS: { params: ["sr"], doc: "The SR has no attached PBDs" },
    VDI_IN_USE: { params: ["vdi", "operation"], doc: "This operation cannot be performed because this VDI is in use by some other operation" },
    OPERATION_NOT_ALLOWED: { params: ["reason"], doc: "You attempted an operation that was not allowed." },
    VM_NO_EMPTY_CD_VBD: { params: ["vm"], doc: "The VM has no empty CD drive (VBD)." },
    VBD_IS_EMPTY: { params: ["vbd"], doc: "Operation could not be performed because the drive is empty" },
    VBD_NOT_EMPTY: { params: ["vbd"], doc: "Operation could not be performed because the drive is not empty" },
    DEVICE_ALREADY_EXISTS: { params: ["device"], doc: "A device with the name given already exists on the selected VM" },
    INVALID_DEVICE: { params: ["device"], doc: "The device name is invalid" },
    MAC_INVALID: { params: ["MAC"], doc: "The MAC address specified is not valid." },
    MEMORY_CONSTRAINT_VIOLATION: { params: ["constraint"], doc: "The dynamic memory range does not satisfy the following constraint." },
    MEMORY_CONSTRAINT_VIOLATION_ORDER: { params: [], doc: "The dynamic memory range violates constraint static_min <= dynamic_min <= dynamic_max <= static_max.", since: 1 },
    MEMORY_CONSTRAINT_VIOLATION_MAXPIN: { params: ["reason"], doc: "The dynamic memory range violates constraint static_min = dynamic_min = dynamic_max = static_max.", since: 1 },
    VM_IS_TEMPLATE: { params: ["vm"], doc: "The operation attempted is not valid for a template VM" },
    LICENCE_RESTRICTION: { params: ["feature"], doc: "This operation is not allowed because your license lacks a needed feature. Please contact your support representative.", legacyDoc: "This operation is not allowed because your license lacks a needed feature.  Please contact your support representative." },
    HOST_NOT_ENOUGH_FREE_MEMORY: { params: ["needed", "available"], doc: "Not enough server memory is available to perform this operation.", legacyDoc: "Not enough host memory is available to perform this operation" },
    INVALID_VALUE: { params: ["field", "value"], doc: "The value given is invalid" },
    BRIDGE_NAME_EXISTS: { params: ["bridge"], doc: "The specified bridge already exists.", since: 1 },
    VALUE_NOT_SUPPORTED: { params: ["field", "value", "reason"], doc: "You attempted to set a value that is not supported by this implementation. The fully-qualified field name and the value that you tried to set are returned. Also returned is a developer-only diagnostic reason.", legacyDoc: "You attempted to set a value that is not supported by this implementation.  The fully-qualified field name and the value that you tried to set are returned.  Also returned is a developer-only diagnostic reason." },
    VBD_NOT_REMOVABLE_MEDIA: { params: ["vbd"], doc: "Media could not be ejected because it is not removable" },
    VBD_CDS_MUST_BE_READONLY: { params: [], doc: "Read/write CDs are not supported" },
    SR_NOT_EMPTY: { params: [], doc: "The SR operation cannot be performed because the SR is not empty." },
    VDI_READONLY: { params: ["vdi"], doc: "The operation required write access but this VDI is read-only" },
    OTHER_OPERATION_IN_PROGRESS: { params: ["class", "object"], doc: "Another operation involving the object is currently in progress" },
    DEVICE_ALREADY_ATTACHED: { params: ["device"], doc: "The device is already attached to a VM" },
    DEVICE_ALREADY_DETACHED: { params: ["device"], doc: "The device is not currently attached" },
    SR_OPERATION_NOT_SUPPORTED: { params: ["sr"], doc: "The SR backend does not support the operation (check the SR's allowed operations)" },
    SR_UNKNOWN_DRIVER: { params: ["driver"], doc: "The SR could not be connected because the driver was not recognised." },
    SR_DEVICE_IN_USE: { params: [], doc: "The SR operation cannot be performed because a device underlying the SR is in use by the server.", legacyDoc: "The SR operation cannot be performed because a device underlying the SR is in use by the host." },
    PBD_EXISTS: { params: ["sr", "host", "pbd"], doc: "A PBD already exists connecting the SR to the server.", legacyDoc: "A PBD already exists connecting the SR to the host" },
    VBD_NOT_UNPLUGGABLE: { params: ["vbd"], doc: "Drive could not be hot-unplugged because it is not marked as unpluggable" },
    VM_MISSING_PV_DRIVERS: { params: ["vm"], doc: "You attempted an operation on a VM which requires PV drivers to be installed but the drivers were not detected." },
    NO_HOSTS_AVAILABLE: { params: [], doc: "There were no servers available to complete the specified operation.", legacyDoc: "There were no hosts available to complete the specified operation." },
    OPERATION_BLOCKED: { params: ["ref", "code"], doc: "You attempted an operation that was explicitly blocked (see the blocked_operations field of the given object)." },
    VDI_INCOMPATIBLE_TYPE: { params: ["vdi", "type"], doc: "This operation cannot be performed because the specified VDI is of an incompatible type (eg: an HA statefile cannot be attached to a guest)" },
    DISK_VBD_MUST_BE_READWRITE_FOR_HVM: { params: ["vbd"], doc: "All VBDs of type 'disk' must be read/write for HVM guests" },
    VM_HVM_REQUIRED: { params: ["vm"], doc: "HVM is required for this operation" },
    MAP_DUPLICATE_KEY: { params: ["type", "param_name", "uuid", "key"], doc: "You tried to add a key-value pair to a map, but that key is already there." },
    FIELD_TYPE_ERROR: { params: ["field"], doc: "The value specified is of the wrong type" },
    VDI_IS_A_PHYSICAL_DEVICE: { params: ["vdi"], doc: "The operation cannot be performed on physical device" },
    PIF_IS_PHYSICAL: { params: ["PIF"], doc: "You tried to destroy a PIF, but it represents an aspect of the physical host configuration, and so cannot be destroyed. The parameter echoes the PIF handle you gave.", legacyDoc: "You tried to destroy a PIF, but it represents an aspect of the physical host configuration, and so cannot be destroyed.  The parameter echoes the PIF handle you gave." },
    SESSION_AUTHENTICATION_FAILED: { params: [], doc: "The credentials given by the user are incorrect, so access has been denied, and you have not been issued a session handle." },
    VM_REQUIRES_SR: { params: ["vm", "sr"], doc: "You attempted to run a VM on a host which doesn't have access to an SR needed by the VM. The VM has at least one VBD attached to a VDI in the SR." },
    SR_REQUIRES_UPGRADE: { params: ["SR"], doc: "The operation cannot be performed until the SR has been upgraded" },
    VDI_MISSING: { params: ["sr", "vdi"], doc: "This operation cannot be performed because the specified VDI could not be found on the storage substrate" },
    VDI_NOT_MANAGED: { params: ["vdi"], doc: "This operation cannot be performed because the system does not manage this VDI" },
    VM_IS_IMMOBILE: { params: ["VM"], doc: "The VM is configured in a way that prevents it from being mobile." },
    VM_IS_USING_NESTED_VIRT: { params: ["VM"], doc: "This operation is illegal because the VM is using nested virtualization.", legacyDoc: "This operation is illegal because the VM is using nested virtualisation." },
    NOT_IMPLEMENTED: { params: ["function"], doc: "The function is not implemented" },
    TASK_CANCELLED: { params: ["task"], doc: "The request was asynchronously canceled.", legacyDoc: "The request was asynchronously cancelled." },
    VM_HAS_PCI_ATTACHED: { params: ["vm"], doc: "This operation could not be performed, because the VM has one or more PCI devices passed through." },
    SR_ATTACH_FAILED: { params: ["sr"], doc: "Attaching this SR failed." },
    PROVISION_ONLY_ALLOWED_ON_TEMPLATE: { params: [], doc: "The provision call can only be invoked on templates, not regular VMs." },
};

/** The datamodel entry for `code` on a host of xapi generation `gen`, or undefined if unknown there. */
export function errorDoc(code: string, gen: number): { params: string[]; doc: string } | undefined {
    const entry = ERROR_DOCS[code];
    if (!entry || (entry.since ?? 0) > gen) return undefined;
    if (gen === 0) return { params: entry.legacyParams ?? entry.params, doc: entry.legacyDoc ?? entry.doc };
    return { params: entry.params, doc: entry.doc };
}
