/**
 * A freshly installed standalone host: pool, host, dom0, two NICs with their pool-wide networks,
 * the host internal management network, "Local storage" as the pool's default SR, the removable
 * media SRs, the tools ISO SR, and the product's default templates.
 */
import { PRODUCTS, Product } from "../products";
import type { SimSettings } from "../settings";
import { blankVm } from "./defaults";
import { newRef, newUuid, randomLocalMac } from "./ids";
import { GiB, MiB } from "./memory";
import { defaultTemplates } from "./templates";
import { Db, NULL_REF, Ref, StrMap } from "./types";

function softwareVersion(p: Product, hostname: string): StrMap {
    return {
        product_version: p.productVersion,
        product_version_text: p.productVersion.split(".").slice(0, 2).join("."),
        product_version_text_short: p.productVersionTextShort,
        platform_name: p.platformName,
        platform_version: p.platformVersion,
        product_brand: p.brand,
        build_number: p.buildNumber,
        hostname,
        date: p.buildDate,
        dbv: "0.0.1",
        xapi: p.xapiVersion,
        xen: p.xenVersion,
        linux: p.linuxVersion,
        xencenter_min: "2.21",
        xencenter_max: "2.21",
        network_backend: "openvswitch",
        db_schema: "5.780",
    };
}

function cpuInfo(count: number): StrMap {
    return {
        cpu_count: String(count),
        socket_count: String(Math.max(1, Math.ceil(count / 16))),
        threads_per_core: "1",
        vendor: "GenuineIntel",
        speed: "2394.454",
        modelname: "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz",
        family: "6",
        model: "79",
        stepping: "1",
        flags: "fpu de tsc msr pae mce cx8 apic sep mca cmov pat clflush acpi mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl nonstop_tsc cpuid pni pclmulqdq monitor est ssse3 fma cx16 sse4_1 sse4_2 movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch vmx",
        features_pv: "1fc9cbf5-f6b82203-2991cbf5-00000123-00000007-000007ab-00000000-00000000-00001000-8c000400-00000000-00000000-00000000-00000000-00000000",
        features_hvm: "1fcbfbff-f7fa3223-2d93fbff-00000523-00000007-000007ab-00000008-00000000-00001000-9c000400-00000000-00000000-00000000-00000000-00000000",
    };
}

function restrictions(p: Product, nestedRestricted: boolean): StrMap {
    const r: StrMap = {
        restrict_vswitch_controller: "false",
        restrict_lab: "false",
        restrict_stage: "false",
        restrict_storagelink: "false",
        restrict_storagelink_site_recovery: "false",
        restrict_web_selfservice: "true",
        restrict_web_selfservice_manager: "true",
        restrict_hotfix_apply: "false",
        restrict_export_resource_data: "false",
        restrict_read_caching: "false",
        restrict_cifs: "false",
        restrict_health_check: "false",
        restrict_xcm: "false",
        restrict_vm_memory_introspection: "false",
        restrict_batch_hotfix_apply: "false",
        restrict_management_on_vlan: "false",
        restrict_ws_proxy: "false",
        restrict_vlan: "false",
        restrict_qos: "false",
        restrict_pool_attached_storage: "false",
        restrict_netapp: "false",
        restrict_equalogic: "false",
        restrict_pooling: "false",
        restrict_marathon: "false",
        restrict_email_alerting: "false",
        restrict_historical_performance: "false",
        restrict_wlb: "false",
        restrict_rbac: "false",
        restrict_dmc: "false",
        restrict_checkpoint: "false",
        restrict_cpu_masking: "false",
        restrict_connection: "false",
        restrict_vmpr: "false",
        restrict_intellicache: "false",
        restrict_gpu: "false",
        restrict_dr: "false",
        restrict_vif_locking: "false",
        restrict_storage_xen_motion: "false",
        restrict_vgpu: "false",
        restrict_integrated_gpu_passthrough: "false",
        restrict_vss: "false",
        restrict_guest_agent_auto_update: "false",
        restrict_pci_device_for_auto_update: "false",
        restrict_xen_motion: "false",
        restrict_guest_ip_setting: "false",
        restrict_ad: "false",
        restrict_nested_virt: String(nestedRestricted || p.nestedVirtRestrictedByDefault),
        restrict_live_patching: "false",
        restrict_set_vcpus_number_live: "false",
        restrict_pvs_proxy: "false",
    };
    if (p.xapiGeneration >= 1) {
        Object.assign(r, {
            restrict_igmp_snooping: "false",
            restrict_rpu: "false",
            restrict_pool_size: "false",
            restrict_cbt: "false",
            restrict_usb_passthrough: "false",
            restrict_network_sriov: "false",
            restrict_corosync: "false",
            restrict_zstd_export: "false",
            restrict_pool_secret_rotation: "false",
        });
    }
    if (p.xapiGeneration >= 2) {
        Object.assign(r, {
            restrict_cluster_address: "false",
            restrict_certificate_verification: "false",
            restrict_updates: "false",
            restrict_internal_repo_access: "false",
            restrict_vtpm: "false",
            restrict_vm_groups: "false",
        });
    }
    return r;
}

function emptyDb(settings: SimSettings): Db {
    return {
        schema: 1,
        settings,
        clockOffsetMs: 0,
        bridgeCounter: 0,
        lastDomid: 0,
        vm: {}, host: {}, pool: {}, network: {}, pif: {}, sr: {}, pbd: {}, vdi: {}, vbd: {}, vif: {}, console: {}, secret: {},
    };
}

/** Builds the database of a host that was just installed, with `settings` and `now` as boot time. */
export function createHostDb(settings: SimSettings, now: number): Db {
    const product = PRODUCTS[settings.product];
    const db = emptyDb(settings);
    const hostRef = newRef();
    const dom0Ref = newRef();
    const total = settings.hostMemoryGiB * GiB;
    const dom0Mem = Math.min(8 * GiB, Math.round((GiB + total * 0.05) / MiB) * MiB);

    db.host[hostRef] = {
        uuid: newUuid(), name_label: settings.hostname, name_description: "Default install", hostname: settings.hostname,
        address: settings.address, enabled: true, software_version: softwareVersion(product, settings.hostname),
        cpu_info: cpuInfo(settings.cpuCount), other_config: { agent_start_time: `${Math.floor(now / 1000)}.`, boot_time: `${Math.floor(now / 1000)}.` },
        logging: {}, memory_total: total, memory_overhead: Math.round((total * 0.012) / MiB) * MiB,
        suspend_image_sr: NULL_REF, crash_dump_sr: NULL_REF, tags: [], edition: product.brand === "XCP-ng" ? "xcp-ng" : "trial",
        license_server: { address: "localhost", port: "27000" }, iscsi_iqn: `iqn.2024-01.com.example:${newUuid().slice(0, 8)}`,
        control_domain: dom0Ref, guest_VCPUs_params: {}, api_version_major: 2, api_version_minor: 21,
    };
    const dom0Vcpus = Math.min(16, settings.cpuCount);
    db.vm[dom0Ref] = blankVm({
        name_label: `Control domain on host: ${settings.hostname}`,
        name_description: "The domain which manages physical devices and manages other domains",
        is_control_domain: true, power_state: "running", domid: 0, resident_on: hostRef,
        memory_static_max: dom0Mem, memory_dynamic_max: dom0Mem, memory_dynamic_min: dom0Mem, memory_static_min: dom0Mem,
        memory_target: dom0Mem, VCPUs_max: dom0Vcpus, VCPUs_at_startup: dom0Vcpus, domain_type: "pv",
        other_config: { storage_driver_domain: dom0Ref, is_system_domain: "true" },
        metrics: {
            startTime: now, installTime: now, vcpusNumber: dom0Vcpus, memoryActual: dom0Mem, hvm: false,
            nestedVirt: false, nomigrate: false, currentDomainType: "pv",
        },
    });

    const srs = addStorage(db, product, settings, hostRef);
    db.pool[newRef()] = {
        uuid: newUuid(), name_label: "", name_description: "", master: hostRef, default_SR: srs.local,
        suspend_image_SR: srs.local, crash_dump_SR: srs.local, other_config: {}, gui_config: {}, health_check_config: {},
        guest_agent_config: {}, restrictions: restrictions(product, settings.nestedVirtRestricted), tags: [],
        cpu_info: { cpu_count: String(settings.cpuCount), socket_count: "1", vendor: "GenuineIntel" },
    };
    db.host[hostRef].suspend_image_sr = srs.local;
    db.host[hostRef].crash_dump_sr = srs.local;
    addNetworks(db, settings, hostRef);
    for (const template of defaultTemplates(product)) db.vm[newRef()] = template;
    return db;
}

function addNetworks(db: Db, settings: SimSettings, hostRef: Ref): void {
    for (const n of [0, 1]) {
        const netRef = newRef();
        db.network[netRef] = {
            uuid: newUuid(), name_label: `Pool-wide network associated with eth${n}`, name_description: "", MTU: 1500,
            bridge: `xenbr${n}`, managed: true, other_config: {}, tags: [], default_locking_mode: "unlocked", purpose: [],
        };
        db.pif[newRef()] = {
            uuid: newUuid(), device: `eth${n}`, MAC: randomLocalMac(false).replace(/^../, "00"), physical: true, managed: true,
            currently_attached: true, MTU: 1500, VLAN: -1, management: n === 0, network: netRef, host: hostRef,
            ip_configuration_mode: n === 0 ? "Static" : "None", IP: n === 0 ? settings.address : "",
            netmask: n === 0 ? "255.255.255.0" : "", gateway: "", DNS: "", other_config: {},
            vendor_name: "Intel Corporation", device_name: "82599ES 10-Gigabit SFI/SFP+ Network Connection", pci_bus_path: `0000:0${n + 1}:00.0`,
        };
    }
    db.network[newRef()] = {
        uuid: newUuid(), name_label: "Host internal management network",
        name_description: "Network on which guests will be assigned a private link-local IP address which can be used to talk XenAPI",
        MTU: 1500, bridge: "xenapi", managed: true,
        other_config: {
            is_guest_installer_network: "true", is_host_internal_management_network: "true",
            ip_begin: "169.254.0.1", ip_end: "169.254.255.254", netmask: "255.255.0.0",
        },
        tags: [], default_locking_mode: "unlocked", purpose: [],
    };
}

function addStorage(db: Db, product: Product, settings: SimSettings, hostRef: Ref): { local: Ref } {
    const sr = (name: string, type: string, content: string, size: number, dc: StrMap, desc = "", sm: StrMap = {}, other: StrMap = {}): Ref => {
        const ref = newRef();
        db.sr[ref] = {
            uuid: newUuid(), name_label: name, name_description: desc, type, content_type: content, shared: false,
            physical_size: size, other_config: other, sm_config: sm, tags: [],
        };
        db.pbd[newRef()] = { uuid: newUuid(), host: hostRef, SR: ref, device_config: dc, currently_attached: true, other_config: {} };
        return ref;
    };
    const local = sr("Local storage", product.localSrType, "user", settings.localSrGiB * GiB,
        { device: "/dev/disk/by-id/scsi-3600508b1001c4d3f8a2d4c5e6f708192-part3" }, "",
        product.localSrType === "lvm" ? { allocation: "thick", use_vhd: "true", devserial: "scsi-3600508b1001c4d3f8a2d4c5e6f708192" } : { devserial: "scsi-3600508b1001c4d3f8a2d4c5e6f708192" },
        { "i18n-key": "local-storage" });
    sr("DVD drives", "udev", "iso", 0, { location: "/dev/xapi/cd" }, "Physical DVD drives", { type: "cd" }, { "i18n-key": "local-hotplug-cd", "i18n-original-value-name_label": "DVD drives" });
    sr("Removable storage", "udev", "disk", 0, { location: "/dev/xapi/block" }, "", { type: "block" }, { "i18n-key": "local-hotplug-disk" });
    if (product.toolsIso) {
        const toolsName = product.brand === "XCP-ng" ? "XCP-ng Tools" : `${product.brand} Tools`;
        const tools = sr(toolsName, "iso", "iso", 0, { location: "/opt/xensource/packages/iso", legacy_mode: "true" },
            `${toolsName} ISOs`, {}, { xensource_internal: "true", xenserver_tools_sr: "true" });
        db.vdi[newRef()] = {
            uuid: newUuid(), name_label: product.toolsIso, name_description: "", SR: tools, virtual_size: 63_000_000,
            physical_utilisation: 63_000_000, type: "user", sharable: true, read_only: true, location: product.toolsIso,
            managed: true, missing: false, other_config: {}, xenstore_data: {}, sm_config: {}, on_boot: "persist",
            allow_caching: false, tags: [], installed: null,
        };
    }
    return { local };
}
