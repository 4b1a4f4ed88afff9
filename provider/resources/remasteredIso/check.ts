/**
 * check(): validates every input at once, then normalises: absolute source path, the answer file
 * as the XML that goes into the ISO (plaintext root password hashed), defaults, and the content
 * hash with the ISO's name. Computing the hash here (the source ISO's SHA-256 comes from a cache
 * keyed by size, mtime and inode, so only a new or changed ISO is read) makes diff() pure and
 * exact, and puts the ISO's name into preview.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TARGET_PROFILE_IDS, TargetProfileId } from "../../answerfile";
import { remasterContentHash, RemasterInputError } from "../../iso";
import type { OverlayFile } from "../../iso/initramfs";
import { connectionFailures, ProviderConfig } from "../common/connection";
import { InputValidationError } from "../common/errors";
import { containsUnknown, isKnown } from "../common/unknown";
import { jsonSafe } from "../common/state";
import { Checker, CheckFailure, show } from "../common/validate";
import { normaliseAnswerFile } from "./answer";
import { DEFAULT_LIBRARY_NAME, IsoScript, RemasteredIsoInputs } from "./args";

const DEFAULT_SCRIPT_MODE = 0o755;

export function overlayScripts(scripts: IsoScript[] | undefined): OverlayFile[] | undefined {
    return scripts?.map((s) => ({ path: s.path, data: Buffer.from(s.content, "utf8"), mode: s.mode }));
}

function checkScripts(c: Checker, value: unknown): IsoScript[] | undefined {
    if (!isKnown(value)) return undefined;
    if (!Array.isArray(value)) {
        c.fail("scripts", `scripts must be a list of { path, content, mode }, got ${show(value)}`);
        return undefined;
    }
    const out: IsoScript[] = [];
    value.forEach((s, i) => {
        if (!s || typeof s !== "object" || typeof s.path !== "string" || typeof s.content !== "string") {
            c.fail("scripts", `scripts[${i}] must be { path: string, content: string, mode?: number }, got ${show(s && typeof s === "object" ? { ...s, content: typeof s.content } : s)}`);
            return;
        }
        const mode = s.mode ?? DEFAULT_SCRIPT_MODE;
        if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) c.fail("scripts", `scripts[${i}].mode must be permission bits from 0 to 0o7777, got ${show(s.mode)}`);
        out.push({ path: s.path, content: s.content, mode });
    });
    return out;
}

/** What the content hash is computed from, once every input is known and valid. */
interface Hashable {
    sourceIso: string;
    answerFile: string;
    kernelArgs: string[];
    scripts?: IsoScript[];
}

export interface CheckedIso {
    inputs: Record<string, any>;
    failures: CheckFailure[];
    hashable?: Hashable;
}

/** The synchronous part of check(): rules and defaults. */
export function checkRemasteredIso(news: Record<string, any>, config: ProviderConfig | undefined): CheckedIso {
    const c = new Checker(news);
    if (c.required("sourceIso")) c.string("sourceIso", { nonEmpty: true });
    let sourceIso: string | undefined;
    if (typeof news.sourceIso === "string" && isKnown(news.sourceIso)) {
        sourceIso = path.resolve(news.sourceIso);
        const st = fs.statSync(sourceIso, { throwIfNoEntry: false });
        if (!st?.isFile()) c.fail("sourceIso", `sourceIso must be an existing ISO file on this machine, got ${show(news.sourceIso)} (${st ? "not a file" : "no such file"})`);
    }
    c.oneOf("target", TARGET_PROFILE_IDS);
    if (isKnown(news.kernelArgs) && (!Array.isArray(news.kernelArgs) || news.kernelArgs.some((a: unknown) => typeof a !== "string"))) {
        c.fail("kernelArgs", `kernelArgs must be a list of strings, got ${show(news.kernelArgs)}`);
    }
    const scripts = checkScripts(c, news.scripts);
    const library = news.isoLibrary ?? {};
    if (isKnown(library)) {
        if (typeof library !== "object" || Array.isArray(library)) {
            c.fail("isoLibrary", `isoLibrary must be { nameLabel?, directory? }, got ${show(library)}`);
        } else {
            const sub = new Checker(library);
            sub.string("nameLabel", { nonEmpty: true, maxLength: 255 });
            sub.string("directory", { pattern: /^\/(?:[^/\0]+\/?)*$/, patternRule: 'an absolute directory path such as "/var/opt/xen/iso-library", without "//"' });
            if (typeof library.directory === "string" && library.directory.split("/").includes("..")) sub.fail("directory", `directory must not contain "..", got ${show(library.directory)}`);
            c.failures.push(...sub.failures.map((f) => ({ property: "isoLibrary", reason: `isoLibrary.${f.reason}` })));
        }
    }
    c.failures.push(...connectionFailures(news.connection, config));

    let answerFile: unknown = news.answerFile;
    if (c.required("answerFile") && isKnown(news.answerFile)) {
        const target = isKnown(news.target) && TARGET_PROFILE_IDS.includes(news.target) ? (news.target as TargetProfileId) : undefined;
        const normalised = normaliseAnswerFile(news.answerFile, target);
        for (const e of normalised.errors) c.fail("answerFile", `answerFile: ${e}`);
        answerFile = normalised.xml ?? news.answerFile;
    }

    const inputs: Record<string, any> = {
        ...news,
        sourceIso: sourceIso ?? news.sourceIso,
        answerFile,
        kernelArgs: news.kernelArgs ?? [],
        scripts,
        isoLibrary: isKnown(library) && typeof library === "object"
            ? { nameLabel: library.nameLabel ?? DEFAULT_LIBRARY_NAME, directory: typeof library.directory === "string" ? library.directory.replace(/(.)\/+$/, "$1") : library.directory }
            : library,
    };
    // The user cannot set these: they are computed.
    delete inputs.contentHash;
    delete inputs.isoName;
    if (scripts === undefined && news.scripts !== undefined) inputs.scripts = news.scripts;
    if (c.failures.length === 0 && sourceIso && [inputs.answerFile, inputs.kernelArgs, inputs.scripts].every((v) => !containsUnknown(v))) {
        return { inputs, failures: c.failures, hashable: { sourceIso, answerFile: inputs.answerFile as string, kernelArgs: inputs.kernelArgs, scripts } };
    }
    return { inputs, failures: c.failures };
}

/** check() plus the content hash (async: it may read the source ISO once). */
export async function checkAndHash(news: Record<string, any>, config: ProviderConfig | undefined): Promise<{ inputs: Record<string, any>; failures: CheckFailure[] }> {
    const { hashable: pending, ...checked } = checkRemasteredIso(news, config);
    // The host turns inputs into a protobuf Struct, which takes no undefined.
    const result = { inputs: jsonSafe(checked.inputs), failures: checked.failures };
    if (!pending) return result;
    try {
        const { contentHash, name } = await remasterContentHash({
            sourceIso: pending.sourceIso, answerFile: pending.answerFile, kernelArgs: pending.kernelArgs, scripts: overlayScripts(pending.scripts),
        });
        result.inputs.contentHash = contentHash;
        result.inputs.isoName = name;
    } catch (err) {
        if (!(err instanceof RemasterInputError)) throw err;
        for (const p of err.problems) result.failures.push({ property: /kernel/i.test(p) ? "kernelArgs" : /script|path/i.test(p) ? "scripts" : "sourceIso", reason: p });
    }
    return result;
}

/**
 * check() for programs that use the package without Pulumi and then call ensureRemasteredIso: the
 * inputs normalised and hashed, or InputValidationError listing every failure. Pass the connection
 * in `args`; nothing is read from stack config. (`vh install` uploads an existing ISO instead,
 * through placeLibraryIso.)
 */
export async function resolveRemasteredIsoInputs(args: Record<string, unknown>): Promise<RemasteredIsoInputs> {
    const { inputs, failures } = await checkAndHash(args, undefined);
    if (failures.length) throw new InputValidationError("RemasteredIso", failures);
    return inputs as RemasteredIsoInputs;
}
