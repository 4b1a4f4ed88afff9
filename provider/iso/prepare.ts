/**
 * Everything a remaster does before the image is written: validate the inputs, look at the ISO,
 * pull out the few files that change (boot configs, the EFI FAT image), build the prefix-form
 * install.img, patch every installer entry, and assemble the xorriso command that copies the rest.
 * Only those small files ever touch the disk; the bulk of the ISO is read once, by xorriso, later.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { IsoLayoutError, NoInstallerEntryError, RemasterInputError } from "./errors";
import { patchGrubCfg } from "./grubPatch";
import { OverlayFile } from "./initramfs";
import { InstallImgResult, MARKER_PATH, overlayArchive, RemasterMarker, writeInstallImg } from "./installImage";
import { extractFiles, inspectIso, IsoInfo } from "./isoImage";
import { patchIsolinuxCfg } from "./isolinuxPatch";
import { answerFilePathProblems, ArgEdit, DEFAULT_ANSWER_FILE_PATH, installerArgs, kernelArgProblems } from "./kernelArgs";
import { listFatFiles, readFatFile, writeFatFile } from "./mtools";
import { PatchedConfig, REMASTER_EPOCH, REMASTER_LAYOUTS, RemasterLayout, RemasterOptions } from "./options";
import { REMASTER_FORMAT } from "./contentHash";
import { defaultScripts } from "./scripts";

/** The validated, defaulted inputs. */
export interface ResolvedInputs {
    sourceIso: string;
    answerFile: Buffer;
    answerFilePath: string;
    /** Paths absolute ("/" + the path without a leading "./" or "/"). */
    scripts: OverlayFile[];
    kernelArgs: string[];
    sourceDateEpoch: number;
}

export interface Prepared {
    inputs: ResolvedInputs;
    info: IsoInfo;
    installImg: InstallImgResult;
    configs: PatchedConfig[];
    /** xorriso arguments writing the remastered image to its stdout ("replay" layout). */
    xorrisoArgs: string[];
    /**
     * The edits alone (boot-record replay, Joliet, the -map of every changed file), without the
     * drives: `xorrisoArgs` is `-indev <iso> -outdev stdio:/dev/fd/1` followed by these; the "grow"
     * layout runs them on `-dev <copy>` with `-commit`.
     */
    editArgs: string[];
    /** ISO paths of the files the remaster replaces. */
    changed: Set<string>;
    env: Record<string, string>;
}

const ISOLINUX_CFG = /^\/(boot\/)?(isolinux|syslinux)\/(isolinux|syslinux)\.cfg$/i;
const GRUB_CFG = /^\/EFI\/[^/]+\/grub[^/]*\.cfg$/i;
const INSTALL_IMG = "/install.img";

/**
 * Checks and defaults the options; throws a RemasterInputError listing every problem.
 * @param layouts the layouts the caller can write @default every layout
 */
export function resolveInputs(options: RemasterOptions, layouts: readonly RemasterLayout[] = REMASTER_LAYOUTS): ResolvedInputs {
    const problems: string[] = [];
    // One spelling per ramdisk path ("postinst.sh", "./postinst.sh" and "/postinst.sh" are the same
    // file in the overlay), so the reserved-path check, the content hash and the log all see it.
    const scripts = (options.scripts ?? defaultScripts()).map((s) => ({ ...s, path: "/" + s.path.replace(/^\.?\/+/, "") }));
    const answerFilePath = options.answerFilePath ?? DEFAULT_ANSWER_FILE_PATH;
    const kernelArgs = options.kernelArgs ?? [];
    if (typeof options.sourceIso !== "string" || !fs.existsSync(options.sourceIso) || !fs.statSync(options.sourceIso).isFile()) {
        problems.push(`sourceIso must be an existing ISO file, got ${JSON.stringify(options.sourceIso)}`);
    }
    const answerFile = Buffer.isBuffer(options.answerFile) ? options.answerFile : Buffer.from(options.answerFile ?? "", "utf8");
    if (answerFile.length === 0) problems.push("answerFile must not be empty");
    const reserved = [...scripts.map((s) => s.path), MARKER_PATH, "/init"];
    problems.push(...answerFilePathProblems(answerFilePath, reserved), ...kernelArgProblems(kernelArgs));
    const epoch = options.sourceDateEpoch ?? REMASTER_EPOCH;
    if (!Number.isInteger(epoch) || epoch < 0) problems.push(`sourceDateEpoch must be a non-negative integer (seconds), got ${epoch}`);
    if (options.layout !== undefined && !layouts.includes(options.layout)) {
        const why = REMASTER_LAYOUTS.includes(options.layout) ? " here (a stream cannot grow: that needs a file to add a session to)" : "";
        problems.push(`layout must be ${layouts.map((l) => JSON.stringify(l)).join(" or ")}${why}, got ${JSON.stringify(options.layout)}`);
    }
    if (problems.length) throw new RemasterInputError(problems);
    return {
        sourceIso: path.resolve(options.sourceIso), answerFile, answerFilePath, scripts,
        kernelArgs: installerArgs(answerFilePath, kernelArgs), sourceDateEpoch: epoch,
    };
}

/** Builds the changed files in `work` and the xorriso command; `work` must be an empty directory. */
export async function prepareRemaster(inputs: ResolvedInputs, work: string, options: RemasterOptions): Promise<Prepared> {
    const progress = options.onProgress ?? (() => undefined);
    const { sourceIso: iso, sourceDateEpoch: epoch } = inputs;
    progress({ step: "inspect", message: `Reading ${iso}` });
    const info = await inspectIso(iso, options.signal);
    const byPath = new Map(info.files.map((f) => [f.path, f]));
    if (!byPath.has(INSTALL_IMG)) {
        throw new IsoLayoutError(`not a XenServer/XCP-ng installer ISO: ${iso} has no ${INSTALL_IMG} (the installer ramdisk the remaster adds the answer file to)`);
    }
    const isolinuxCfgs = info.files.filter((f) => ISOLINUX_CFG.test(f.path)).map((f) => f.path);
    const grubCfgs = info.files.filter((f) => GRUB_CFG.test(f.path)).map((f) => f.path);
    const efiImage = info.elTorito.find((e) => e.platform === "UEFI" && e.path && byPath.has(e.path))?.path;
    const local = (isoPath: string) => path.join(work, "iso", isoPath.replace(/^\//, "").replace(/\//g, "__"));
    fs.mkdirSync(path.join(work, "iso"));
    const toExtract = [...isolinuxCfgs, ...grubCfgs, ...(efiImage ? [efiImage] : [])];
    // install.img: the arguments do not depend on what is found, so the overlay can be built first.
    const marker: RemasterMarker = { format: REMASTER_FORMAT, answerFilePath: inputs.answerFilePath, kernelArgs: inputs.kernelArgs };
    const overlay = overlayArchive([...inputs.scripts, { path: inputs.answerFilePath, data: inputs.answerFile, mode: 0o600 }], marker, epoch);
    const imgPath = local(INSTALL_IMG);
    // Side by side: osirrox extracting the small files, and install.img (the bulk of the preparation,
    // usually read straight from its blocks). Both are waited for, so neither is still writing into
    // `work` when a failure removes it.
    const [extracted, built] = await Promise.allSettled([
        extractFiles(iso, toExtract.map((p) => ({ isoPath: p, diskPath: local(p) })), options.signal),
        writeInstallImg(iso, INSTALL_IMG, overlay, imgPath, options.signal, byPath.get(INSTALL_IMG)),
    ]);
    if (extracted.status === "rejected") throw extracted.reason;
    if (built.status === "rejected") throw built.reason;
    const installImg = built.value;
    progress({
        step: "install.img",
        message: `Remastering ${INSTALL_IMG}: base magic ${installImg.baseMagic} (${installImg.baseCompression}), ${installImg.baseSize} bytes` +
            `${installImg.previous ? ", replacing a previous remaster's overlay" : ""}; added ${inputs.answerFilePath}, ${inputs.scripts.map((s) => s.path).join(", ")}`,
    });

    // Boot configs: ours from an earlier remaster are removed exactly, managed keys always.
    const edit: ArgEdit = { add: inputs.kernelArgs, removeExact: installImg.previous?.kernelArgs };
    const configs: PatchedConfig[] = [];
    const changed = new Set<string>([INSTALL_IMG]);
    const patchOne = (cfgPath: string, kind: PatchedConfig["kind"], text: string) => {
        const result = kind === "isolinux" ? patchIsolinuxCfg(text, edit) : patchGrubCfg(text, edit);
        configs.push({ path: cfgPath, kind, patched: result.patched, skipped: result.skipped });
        return result.text;
    };
    for (const p of [...isolinuxCfgs, ...grubCfgs]) {
        const before = fs.readFileSync(local(p), "utf8");
        const after = patchOne(p, ISOLINUX_CFG.test(p) ? "isolinux" : "grub", before);
        if (after !== before) { fs.writeFileSync(local(p), after); changed.add(p); }
    }
    if (efiImage) {
        const fatCfgs = (await listFatFiles(local(efiImage))).filter((f) => GRUB_CFG.test(f));
        for (const f of fatCfgs) {
            const before = (await readFatFile(local(efiImage), f)).toString("utf8");
            const after = patchOne(`${efiImage}:${f}`, "grub", before);
            if (after === before) continue;
            const tmp = path.join(work, `fat-${configs.length}.cfg`);
            fs.writeFileSync(tmp, after);
            fs.utimesSync(tmp, epoch, epoch); // mcopy -m copies this mtime into the FAT directory entry
            await writeFatFile(local(efiImage), f, tmp);
            changed.add(efiImage);
        }
    }
    if (!configs.some((c) => c.patched.length)) throw new NoInstallerEntryError(iso, configs.map((c) => c.path));
    for (const c of configs) {
        const titles = c.patched.map((e) => e.title);
        progress({ step: "patch", message: `Patched ${c.path}: ${titles.length ? titles.join(", ") : "no installer entry (left unchanged)"}` });
    }

    // -padding included: the 300 KiB padding goes inside the image, so xorriso writes the same
    // bytes to a pipe (streaming) and to a regular file (otherwise it pads files further).
    // -stdio_sync off: xorriso would fsync every 16 MiB of a file it writes, halving its speed;
    // remasterIso flushes the finished file once instead.
    const editArgs = ["-boot_image", "any", "replay", "-padding", "included", "-stdio_sync", "off"];
    // xorriso's native mode drops the Joliet tree unless asked to write one (feasibility §1.3).
    if (info.joliet) editArgs.push("-joliet", "on", "-compliance", "joliet_long_names");
    for (const isoPath of [...changed].sort()) {
        const disk = local(isoPath);
        fs.utimesSync(disk, epoch, epoch);
        // Owner, group and mode as on the source (Rock Ridge), whoever runs the remaster.
        const mode = (byPath.get(isoPath)?.mode ?? 0o444).toString(8).padStart(4, "0");
        editArgs.push("-map", disk, isoPath, "-chown", "0", isoPath, "--", "-chgrp", "0", isoPath, "--", "-chmod", mode, isoPath, "--");
    }
    const xorrisoArgs = ["-indev", iso, "-outdev", "stdio:/dev/fd/1", ...editArgs];
    return { inputs, info, installImg, configs, xorrisoArgs, editArgs, changed, env: { SOURCE_DATE_EPOCH: String(epoch) } };
}

