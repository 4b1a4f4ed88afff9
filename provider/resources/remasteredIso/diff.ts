/**
 * diff(): pure (check() already computed the content hash). What determines the ISO's bytes
 * (source ISO content, answer file, kernel arguments, scripts) replaces it, as do another host or
 * another library; a moved source ISO with the same content, or another validation target, only
 * updates the state. Replacements create first: the new resource adds its own marker to the shared
 * file before the old one removes its marker, so an unchanged file is never deleted and re-sent.
 */
import type { ProviderConfig } from "../common/connection";
import { containsUnknown } from "../common/unknown";
import { connectionHostChanged, DiffResult, differs } from "../common/diff";
import type { RemasteredIsoInputs, RemasteredIsoOutputs } from "./args";

const CONTENT_KEYS = ["answerFile", "kernelArgs", "scripts"] as const;

export function diffRemasteredIso(olds: Partial<RemasteredIsoOutputs>, news: Partial<RemasteredIsoInputs>, config: ProviderConfig | undefined): DiffResult {
    const replaces: string[] = [];
    if (connectionHostChanged(olds.connection, news.connection, config)) replaces.push("connection");
    if (differs(olds.isoLibrary, news.isoLibrary)) replaces.push("isoLibrary");
    const contentUnknown = news.contentHash === undefined || containsUnknown(news.contentHash);
    if (contentUnknown || news.contentHash !== olds.contentHash) {
        const changed = CONTENT_KEYS.filter((k) => differs(olds[k], news[k]));
        // Same answer file, arguments and scripts but another hash: the source ISO's bytes changed.
        replaces.push(...(changed.length ? changed : ["sourceIso"]));
    }
    const updates = (["sourceIso", "target"] as const).filter((k) => differs(olds[k], news[k]));
    return { changes: replaces.length > 0 || updates.length > 0, replaces: [...new Set(replaces)], deleteBeforeReplace: false };
}
