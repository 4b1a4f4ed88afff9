/**
 * What differs between the products the simulated host can impersonate.
 */
import * as assert from "node:assert/strict";
import { ensureHost, SimSettingsError } from "../../sim/host";
import type { ProductId } from "../../sim/products";
import { TestHost } from "./harness";

const fieldNames = (h: TestHost, vm: string) => h.ok("vm-param-list", `uuid=${vm}`).split("\n").map((l) => l.split(" (")[0].trim()).filter(Boolean);

describe("sim/products", function () {
    this.timeout(30_000);
    const hosts = new Map<ProductId, TestHost>();
    const host = (p: ProductId) => {
        if (!hosts.has(p)) hosts.set(p, new TestHost({ product: p }));
        return hosts.get(p)!;
    };
    after(() => { for (const h of hosts.values()) h.cleanup(); });

    it("reports each product's software-version", () => {
        const expect: Record<ProductId, [string, string, string]> = {
            "xenserver-7.1": ["XenServer", "7.1.0", "1.14"],
            "citrix-hypervisor-8.2": ["Citrix Hypervisor", "8.2.1", "1.249"],
            "xcp-ng-8.3": ["XCP-ng", "8.3.0", "24.39"],
            "xenserver-8.4": ["XenServer", "8.4.0", "25.6"],
        };
        for (const [p, [brand, version, xapi]] of Object.entries(expect) as Array<[ProductId, [string, string, string]]>) {
            const h = host(p);
            const uuid = h.uuidOf("host-list");
            assert.equal(h.ok("host-param-get", `uuid=${uuid}`, "param-name=software-version", "param-key=product_brand"), brand);
            assert.equal(h.ok("host-param-get", `uuid=${uuid}`, "param-name=software-version", "param-key=product_version"), version);
            assert.equal(h.ok("host-param-get", `uuid=${uuid}`, "param-name=software-version", "param-key=xapi"), xapi);
            assert.match(h.ok("host-param-get", `uuid=${uuid}`, "param-name=cpu_info"), /^cpu_count: 16; /);
        }
    });

    it("gives 'Other install media' the boot order of the product's templates (dc until 2019, then cd)", () => {
        assert.equal(host("xenserver-7.1").ok("template-param-get", "uuid=552bce37-51b2-445d-84f2-5f33fa112d7e", "param-name=HVM-boot-params"), "order: dc");
        assert.equal(host("citrix-hypervisor-8.2").ok("template-param-get", "uuid=552bce37-51b2-445d-84f2-5f33fa112d7e", "param-name=HVM-boot-params"), "firmware: bios; order: cd");
        assert.equal(host("xenserver-8.4").ok("template-param-get", "uuid=552bce37-51b2-445d-84f2-5f33fa112d7e", "param-name=platform"),
            "viridian: true; secureboot: false; nx: true; acpi: 1; apic: true; pae: true; hpet: true");
        assert.match(host("xenserver-7.1").ok("template-list", "params=name-label", "--minimal"), /Windows Server 2016 \(64-bit\)/);
        assert.match(host("xenserver-8.4").ok("template-list", "params=name-label", "--minimal"), /Debian Bookworm 12/);
    });

    it("prints XenServer 7.1's shorter VM record (xapi 1.14 lacks is-default-template, domain-type, …)", () => {
        const old = host("xenserver-7.1");
        const cur = host("xenserver-8.4");
        const oldVm = old.ok("vm-install", "template=Other install media", "new-name-label=v");
        const curVm = cur.ok("vm-install", "template=Other install media", "new-name-label=v");
        const oldFields = fieldNames(old, oldVm);
        const curFields = fieldNames(cur, curVm);
        for (const f of ["is-default-template", "domain-type", "current-domain-type", "snapshot-schedule", "is-vmss-snapshot", "bios-strings", "actions-after-softreboot"]) {
            assert.ok(!oldFields.includes(f), f);
            assert.ok(curFields.includes(f), f);
        }
        assert.equal(oldFields.length, 87);
        assert.equal(curFields.length, 100);
        assert.ok(!fieldNames(host("citrix-hypervisor-8.2"), host("citrix-hypervisor-8.2").ok("vm-install", "template=Other install media", "new-name-label=v")).includes("actions-after-softreboot"));
    });

    it("words errors the way each xapi does: two spaces after periods up to 1.160, other texts in 1.14", () => {
        const old = host("xenserver-7.1");
        const vm = old.ok("vm-list", "name-label=v", "--minimal");
        assert.equal(old.xe(["vm-shutdown", `uuid=${vm}`]).stderr,
            "You attempted an operation on a VM that was not in an appropriate power state at the time; for example, you attempted to start a VM that was already running.  The parameters returned are the VM's handle, and the expected and actual VM state at the time of the call.\n"
            + `vm: ${vm} (v)\nexpected: running\nactual: halted\n`);
        assert.equal(old.xe(["vm-memory-limits-set", `uuid=${vm}`, "static-min=2GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB"]).stderr,
            "The dynamic memory range does not satisfy the following constraint.\nconstraint: Memory limits must satisfy: static_min \u2264 dynamic_min \u2264 dynamic_max \u2264 static_max\n");
        assert.equal(old.xe(["vm-disk-add", `uuid=${vm}`, "disk-size=1gib", "device=0"]).stderr, "Error: Failed to parse field 'disk-size': Unknown suffix: 'gib' (try KiB, MiB, GiB or TiB)\n");
        const cur = host("citrix-hypervisor-8.2");
        const cvm = cur.ok("vm-list", "name-label=v", "--minimal");
        assert.match(cur.xe(["vm-shutdown", `uuid=${cvm}`]).stderr, /already running\. The parameters/);
    });

    it("prints the usage without --traceparent before xapi 24", () => {
        assert.doesNotMatch(host("xenserver-7.1").xe([]).stderr, /traceparent/);
        assert.doesNotMatch(host("citrix-hypervisor-8.2").xe([]).stderr, /traceparent/);
        assert.match(host("xcp-ng-8.3").xe([]).stderr, /\[--traceparent traceparent\]/);
    });

    it("ignores network-create bridge= on 7.1, whose network-create only knows name-description and MTU", () => {
        const n = host("xenserver-7.1").ok("network-create", "name-label=n", "bridge=mybr");
        assert.equal(host("xenserver-7.1").ok("network-param-get", `uuid=${n}`, "param-name=bridge"), "xapi0");
        const m = host("citrix-hypervisor-8.2").ok("network-create", "name-label=n", "bridge=mybr");
        assert.equal(host("citrix-hypervisor-8.2").ok("network-param-get", `uuid=${m}`, "param-name=bridge"), "mybr");
    });

    it("turns on nested HVM with the product's platform key", () => {
        for (const [p, key] of [["xenserver-7.1", "exp-nested-hvm"], ["xcp-ng-8.3", "nested-virt"]] as const) {
            const h = host(p);
            const vm = h.ok("vm-install", "template=Other install media", "new-name-label=nest");
            h.ok("vm-memory-limits-set", `uuid=${vm}`, "static-min=1GiB", "static-max=1GiB", "dynamic-min=1GiB", "dynamic-max=1GiB");
            h.ok("vm-param-set", `uuid=${vm}`, `platform:${key}=true`);
            h.ok("vm-start", `uuid=${vm}`);
            assert.equal(h.ok("vm-param-get", `uuid=${vm}`, "param-name=nested-virt"), "true", p);
            h.ok("vm-shutdown", `uuid=${vm}`, "--force");
        }
    });

    it("ships a tools ISO SR except on XenServer 8", () => {
        assert.equal(host("xcp-ng-8.3").ok("vdi-list", "is-tools-iso=true", "params=name-label", "--minimal"), "guest-tools.iso");
        assert.equal(host("xenserver-7.1").ok("sr-list", "is-tools-sr=true", "params=name-label", "--minimal"), "XenServer Tools");
        assert.equal(host("xenserver-8.4").ok("sr-list", "is-tools-sr=true", "--minimal"), "");
    });

    it("ensureHost keeps an existing host's settings and refuses another product", () => {
        const h = host("xcp-ng-8.3");
        assert.equal(ensureHost(h.dir, { installSeconds: 99 }).installSeconds, 20, "existing settings win");
        assert.equal(ensureHost(h.dir).product, "xcp-ng-8.3");
        assert.throws(() => ensureHost(h.dir, { product: "xenserver-7.1" }), (e: unknown) => e instanceof SimSettingsError
            && e.message === `the simulated host in ${h.dir} impersonates xcp-ng-8.3, not xenserver-7.1: use another state directory or remove this one`);
        assert.throws(() => new TestHost({ installSeconds: -1 }), /invalid simulator settings: installSeconds must be a non-negative number, got -1/);
    });
});
