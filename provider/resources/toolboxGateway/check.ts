/**
 * check(): validates every input at once and applies the defaults, so state always holds explicit
 * values (an omitted default and the same value written out then diff as equal). Values not known
 * yet (preview) are skipped: Pulumi sends them as UNKNOWN, whatever their declared type.
 */
import { defaultStateDir, GATEWAY_DEFAULTS, validateGatewayFields } from "../../gateway";
import { ConnectionArgs, ConnectionArgsError, resolveConnectionArgs } from "../../ssh";
import { connectionFailures, ProviderConfig } from "../common/connection";
import { containsUnknown, isUnknown } from "../common/unknown";
import { CheckFailure, UUID } from "../common/validate";

export function checkInputs(news: Record<string, any>, config: ProviderConfig | undefined): { inputs: Record<string, any>; failures: CheckFailure[] } {
    const failures: CheckFailure[] = [];
    const add = (property: string, reason: string) => failures.push({ property, reason });
    const known = (v: unknown) => v !== undefined && !isUnknown(v);

    for (const key of ["lab", "toolboxVm", "homeNetwork", "toolbox"]) {
        if (news[key] === undefined || news[key] === null) add(key, `${key} is required`);
    }
    if (known(news.toolboxVm) && (typeof news.toolboxVm !== "string" || news.toolboxVm.trim() === "" || /[\0\n\r]/.test(news.toolboxVm))) {
        add("toolboxVm", `toolboxVm must be the uuid or name-label of the toolbox VM (one line, not empty), got ${JSON.stringify(news.toolboxVm)}`);
    }
    if (known(news.homeNetwork) && (typeof news.homeNetwork !== "string" || !UUID.test(news.homeNetwork))) {
        add("homeNetwork", `homeNetwork must be the uuid of the home network, like "3fa9c1d2-…", got ${JSON.stringify(news.homeNetwork)}`);
    }
    failures.push(...validateGatewayFields(news, undefined, isUnknown));
    // The XenServer host: the argument, else the stack config (the same rules as every resource).
    failures.push(...connectionFailures(news.connection, config));
    const toolbox = news.toolbox;
    if (toolbox !== undefined && toolbox !== null && !containsUnknown(toolbox)) {
        if (typeof toolbox !== "object") {
            add("toolbox", `toolbox must be an SSH connection { host, port, user, password | privateKey, hostKey }, got ${typeof toolbox}`);
        } else {
            try {
                resolveConnectionArgs(toolbox as ConnectionArgs);
            } catch (err) {
                // The problems name fields and rules, never the secret values themselves.
                if (!(err instanceof ConnectionArgsError)) throw err;
                for (const problem of err.problems) add("toolbox", `toolbox: ${problem}`);
            }
        }
    }

    const inputs: Record<string, any> = {
        ...news,
        gatewayCidr: news.gatewayCidr ?? GATEWAY_DEFAULTS.gatewayCidr,
        natBackend: news.natBackend ?? GATEWAY_DEFAULTS.natBackend,
        serviceManager: news.serviceManager ?? GATEWAY_DEFAULTS.serviceManager,
        hosts: news.hosts ?? [],
    };
    if (inputs.stateDir === undefined && typeof news.lab === "string" && !isUnknown(news.lab)) inputs.stateDir = defaultStateDir(news.lab);
    if (typeof inputs.stateDir === "string" && !isUnknown(inputs.stateDir)) inputs.stateDir = inputs.stateDir.replace(/(.)\/+$/, "$1");
    return { inputs, failures };
}
