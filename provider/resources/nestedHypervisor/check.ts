/**
 * check(): validates every input at once and applies the defaults, so state holds explicit values
 * (an omitted default and the same value written out diff as equal). The MAC defaults to one
 * derived from nameLabel the first time; afterwards the VM's MAC is kept (olds), so a rename does
 * not change the NIC and replace the VM.
 */
import { connectionFailures, ProviderConfig } from "../common/connection";
import { InputValidationError } from "../common/errors";
import { isKnown, isUnknown, UNKNOWN } from "../common/unknown";
import { jsonSafe } from "../common/state";
import { Checker, CheckFailure, show } from "../common/validate";
import { NESTED_DEFAULTS, NestedHypervisorInputs } from "./args";
import { deriveMac, isUnicastMac, MAC, normaliseMac } from "./naming";

export function checkNestedHypervisor(olds: Record<string, any>, news: Record<string, any>, config: ProviderConfig | undefined): { inputs: Record<string, any>; failures: CheckFailure[] } {
    const c = new Checker(news);
    if (c.required("nameLabel")) c.string("nameLabel", { nonEmpty: true, maxLength: 200 });
    if (c.required("isoName")) c.string("isoName", { nonEmpty: true, maxLength: 255 });
    if (c.required("networkUuid")) c.uuid("networkUuid", "the network for the VM's NIC");
    c.number("memoryGiB", { min: 1, max: 4096, step: 1 / 1024, stepRule: "a whole number of MiB (a multiple of 1/1024 GiB)", unit: "GiB" });
    c.number("vcpus", { min: 1, max: 64, integer: true });
    c.number("diskGiB", { min: 12, max: 65536, integer: true, unit: "GiB" });
    c.oneOf("powerState", ["running", "halted"]);
    c.number("installTimeoutMinutes", { min: 0.001, max: 10080, unit: "minutes" });
    c.number("firstBootTimeoutMinutes", { min: 0.001, max: 10080, unit: "minutes" });
    c.boolean("allowHalt");
    c.boolean("keepFailedVm");
    c.number("maxParallelInstalls", { min: 1, max: 64, integer: true });
    c.oneOf("firmware", ["bios", "uefi"]);
    let mac: unknown = news.mac;
    if (isKnown(news.mac)) {
        if (typeof news.mac !== "string" || !MAC.test(normaliseMac(news.mac))) {
            c.fail("mac", `mac must be six hexadecimal byte pairs separated by ":", like "02:1a:2b:3c:4d:5e", got ${show(news.mac)}`);
        } else if (!isUnicastMac(normaliseMac(news.mac))) {
            c.fail("mac", `mac must be a unicast address (lowest bit of the first byte clear), got ${show(news.mac)}`);
        } else {
            mac = normaliseMac(news.mac);
        }
    } else if (news.mac === undefined || news.mac === null) {
        if (typeof olds?.mac === "string" && MAC.test(olds.mac)) mac = olds.mac;
        else if (typeof news.nameLabel === "string" && !isUnknown(news.nameLabel)) mac = deriveMac(news.nameLabel);
        else mac = UNKNOWN;
    }
    c.failures.push(...connectionFailures(news.connection, config));
    const d = NESTED_DEFAULTS;
    const inputs = {
        ...news,
        memoryGiB: news.memoryGiB ?? d.memoryGiB,
        vcpus: news.vcpus ?? d.vcpus,
        diskGiB: news.diskGiB ?? d.diskGiB,
        mac,
        powerState: news.powerState ?? d.powerState,
        installTimeoutMinutes: news.installTimeoutMinutes ?? d.installTimeoutMinutes,
        firstBootTimeoutMinutes: news.firstBootTimeoutMinutes ?? d.firstBootTimeoutMinutes,
        allowHalt: news.allowHalt ?? d.allowHalt,
        maxParallelInstalls: news.maxParallelInstalls ?? d.maxParallelInstalls,
        firmware: news.firmware ?? d.firmware,
        keepFailedVm: news.keepFailedVm ?? d.keepFailedVm,
    };
    return { inputs: jsonSafe(inputs), failures: c.failures };
}

/**
 * check() for programs that use the package without Pulumi and then call installNestedHypervisor:
 * defaults applied, or InputValidationError listing every failure. Pass the connection in `args`.
 * (`vh install` calls checkNestedHypervisor itself: it reports failures as flag errors.)
 */
export function resolveNestedHypervisorInputs(args: Record<string, unknown>): NestedHypervisorInputs {
    const { inputs, failures } = checkNestedHypervisor({}, args, undefined);
    if (failures.length) throw new InputValidationError("NestedHypervisor", failures);
    return inputs as NestedHypervisorInputs;
}
