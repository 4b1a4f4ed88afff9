/** check(): validates every input at once and applies the defaults. */
import { connectionFailures, ProviderConfig } from "../common/connection";
import { jsonSafe } from "../common/state";
import { Checker, CheckFailure } from "../common/validate";
import { NETWORK_DEFAULTS } from "./args";

export function checkNetwork(news: Record<string, any>, config: ProviderConfig | undefined): { inputs: Record<string, any>; failures: CheckFailure[] } {
    const c = new Checker(news);
    if (c.required("nameLabel")) c.string("nameLabel", { nonEmpty: true, maxLength: 255 });
    c.string("description", { maxLength: 1024 });
    c.number("mtu", { min: 68, max: 9216, integer: true, unit: "bytes" });
    c.failures.push(...connectionFailures(news.connection, config));
    const inputs = {
        ...news,
        description: news.description ?? NETWORK_DEFAULTS.description,
        mtu: news.mtu ?? NETWORK_DEFAULTS.mtu,
    };
    return { inputs: jsonSafe(inputs), failures: c.failures };
}
