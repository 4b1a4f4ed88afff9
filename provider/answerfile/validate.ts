/**
 * Validation of an AnswerFile model: every problem at once, each message naming the field (its
 * path in the model), the rule and the value received, e.g.
 * `adminInterface.ipv4.netmask must be a contiguous IPv4 netmask such as 255.255.255.0, got "255.0.255.0"`.
 *
 * Errors are what host-installer would reject or turn into a different host than asked; warnings
 * are fields it would silently ignore, deprecated spellings and weak choices. With a `target`
 * profile (./profiles) the elements that installer version does not know are reported too.
 * Secret values (the root password) are never quoted: messages give their length instead.
 */
import { AnswerFileValidationError, type AnswerFileIssue } from "./errors";
import { checkEnum, Issues, isNonEmptyString, Redacted } from "./issues";
import { checkTargetProfile, type TargetProfileId } from "./profiles";
import { findNonXmlChar } from "./render";
import {
    BOOTLOADER_LOCATIONS, BOOTLOADER_VARIANTS, FS_TYPES, INSTALL_MODES, NETWORK_BACKENDS, ROOT_PASSWORD_TYPES, SCRIPT_STAGES, SCRIPT_TYPES,
    SERVICE_STATES, SOURCE_TYPES, SR_TYPES, SSH_MODES,
    type AnswerFile, type LegacyScript, type RootPassword, type Source,
} from "./types";
import { checkAdminInterface, checkNames, checkNtp } from "./validateNetwork";

export interface ValidateOptions {
    /** Also check what this installer version accepts (see TARGET_PROFILES). @default - no version checks */
    target?: TargetProfileId;
    /**
     * The plaintext root password will be replaced by its hash (withHashedRootPassword) before
     * rendering: skip the rules that only matter for plaintext in XML (surrounding whitespace,
     * control characters) and the plaintext warning; the length rule still applies.
     * @default false
     */
    rootPasswordWillBeHashed?: boolean;
}

export interface ValidationResult {
    /** True when there is no error (warnings allowed). */
    ok: boolean;
    errors: AnswerFileIssue[];
    warnings: AnswerFileIssue[];
}

/** host-installer's MIN_PASSWD_LEN: the shortest root password its own UI accepts. */
const MIN_ROOT_PASSWORD_LENGTH = 6;

const DISK = /^(iscsi:\S+|(\/dev\/)?[A-Za-z0-9][A-Za-z0-9_.:+/-]*)$/;
const URL_REPO = /^((https?|ftp):\/\/[^\s/]+\S*|file:\/\/\/\S*|nfs:\/\/[^\s:/]+:\/\S*)$/;
const NFS_REPO = /^(nfs:\/\/)?[^\s:/]+:\/\S*$/;
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+$/;
const KEYMAP = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SHA_CRYPT = /^\$([56])\$(rounds=\d+\$)?[^$:\s]{0,16}\$([./0-9A-Za-z]+)$/;
const WEAK_CRYPT = /^(\$1\$[^$:\s]{0,8}\$[./0-9A-Za-z]{22}|[./0-9A-Za-z]{13})$/;

/** Which model fields each mode's parser reads (answerfile.py parseFreshInstall / parseUpgrade / parseRestore). */
const FRESH_ONLY: (keyof AnswerFile)[] = ["srType", "raid", "primaryDisk", "guestDisks", "keymap", "rootPassword", "adminInterface", "timezone", "ntp", "hostname", "nameServers", "services", "sshMode"];
const INSTALLATION_ONLY: (keyof AnswerFile)[] = ["sources", "networkBackend", "bootloader", "netinstallGpgCheck", "repoGpgCheck", "gpgCheck"];

function checkDisk(issues: Issues, path: string, value: unknown): boolean {
    if (typeof value === "string" && DISK.test(value)) return true;
    issues.error(path, "must be a disk device such as sda, /dev/sda, /dev/disk/by-id/… or an iscsi: spec", value);
    return false;
}

const diskKey = (d: string) => d.replace(/^\/dev\//, "");

function checkDisks(issues: Issues, m: AnswerFile): void {
    const used = new Map<string, string>();
    const claim = (path: string, device: string) => {
        const key = diskKey(device);
        if (key === "missing") return;
        const earlier = used.get(key);
        if (earlier !== undefined) issues.error(path, `must not repeat a disk already used by ${earlier}`, device);
        else used.set(key, path);
    };
    const p = m.primaryDisk;
    if (p) {
        const devices = typeof p.device === "string" ? p.device.split(",") : [p.device];
        if (p.swraid === true) {
            if (devices.length !== 2) issues.error("primaryDisk.device", 'must list exactly two comma-separated disks when primaryDisk.swraid is true, such as "sda,sdb"', p.device);
            if (devices.filter((d) => d === "missing").length > 1) issues.error("primaryDisk.device", 'must have at most one "missing" disk in a software RAID', p.device);
            devices.forEach((d, i) => { if (d === "missing" || checkDisk(issues, `primaryDisk.device[${i}]`, d)) claim("primaryDisk.device", d); });
        } else if (devices.length > 1) {
            issues.error("primaryDisk.device", "must be a single disk unless primaryDisk.swraid is true", p.device);
        } else if (checkDisk(issues, "primaryDisk.device", p.device)) {
            claim("primaryDisk.device", p.device);
        }
        if (p.preserveFirstPartition !== undefined && ![true, false, "if-utility"].includes(p.preserveFirstPartition)) {
            issues.error("primaryDisk.preserveFirstPartition", 'must be true, false or "if-utility"', p.preserveFirstPartition);
        }
        if (p.fsType !== undefined) checkEnum(issues, "primaryDisk.fsType", p.fsType, FS_TYPES);
    }
    (m.guestDisks ?? []).forEach((d, i) => { if (checkDisk(issues, `guestDisks[${i}]`, d)) claim(`guestDisks[${i}]`, d); });
    (m.raid ?? []).forEach((r, i) => {
        checkDisk(issues, `raid[${i}].device`, r.device);
        const disks = Array.isArray(r.disks) ? r.disks : [];
        if (disks.length < 2) issues.error(`raid[${i}].disks`, "must list at least two disks for a RAID 1 array", r.disks);
        disks.forEach((d, j) => { if (checkDisk(issues, `raid[${i}].disks[${j}]`, d)) claim(`raid[${i}].disks[${j}]`, d); });
    });
}

function checkRootPassword(issues: Issues, pw: RootPassword, willBeHashed: boolean): void {
    if (!checkEnum(issues, "rootPassword.type", pw.type, ROOT_PASSWORD_TYPES)) return;
    const value = pw.value;
    if (typeof value !== "string") {
        issues.error("rootPassword.value", "must be a string", new Redacted(`a ${typeof value}`));
        return;
    }
    const length = [...value].length;
    const secret = new Redacted(`a password of ${length} character${length === 1 ? "" : "s"}`);
    if (pw.type === "plaintext") {
        if (length < MIN_ROOT_PASSWORD_LENGTH) issues.error("rootPassword.value", `must be at least ${MIN_ROOT_PASSWORD_LENGTH} characters long (host-installer's minimum)`, secret);
        if (willBeHashed) return;
        if (value !== value.trim()) issues.error("rootPassword.value", "must not begin or end with whitespace in plaintext (the installer strips it; hash the password to keep it)", secret);
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f\u007f]/.test(value)) issues.error("rootPassword.value", "must not contain control characters such as tab or newline in plaintext", secret);
        issues.warn("rootPassword", 'is plaintext and lands readable in the ISO; use type "hash" (hashRootPassword)', new Redacted("type \"plaintext\""));
        return;
    }
    const scheme = /^\$[^$]*\$?/.exec(value)?.[0];
    const sha = SHA_CRYPT.exec(value);
    if (value === "!!") {
        issues.warn("rootPassword.value", "defers the root password to first boot: the host has no root login until someone sets it on its console", "!!");
    } else if (sha) {
        const expected = sha[1] === "6" ? 86 : 43;
        if (sha[3].length !== expected) issues.error("rootPassword.value", `must end with a ${expected}-character hash in a $${sha[1]}$ crypt string`, new Redacted(`a $${sha[1]}$ string ending in ${sha[3].length} characters`));
    } else if (WEAK_CRYPT.test(value)) {
        issues.warn("rootPassword.value", "uses a weak crypt scheme (MD5 or DES); prefer SHA-512 ($6$)", new Redacted(`a ${scheme === "$1$" ? "$1$" : "DES"} hash`));
    } else {
        issues.error("rootPassword.value", 'must be a SHA-512 ($6$…) or SHA-256 ($5$…) crypt(3) hash, or "!!" to set the password at first boot', new Redacted(scheme ? `a value starting with ${JSON.stringify(scheme)}` : "a value that is not a crypt hash"));
    }
}

function checkSource(issues: Issues, path: string, s: Source): void {
    if (!checkEnum(issues, `${path}.type`, s.type, SOURCE_TYPES)) return;
    if (s.type === "local") {
        if (s.location !== undefined) issues.warn(`${path}.location`, 'is ignored for type "local" (the install disc)', s.location);
    } else if (s.location === undefined || s.location === "") {
        issues.error(`${path}.location`, `is required for type ${JSON.stringify(s.type)}`, s.location);
    } else if (s.type === "url" && !(typeof s.location === "string" && URL_REPO.test(s.location))) {
        issues.error(`${path}.location`, "must be an http://, https://, ftp://, file:/// or nfs://server:/path URL", s.location);
    } else if (s.type === "nfs" && !(typeof s.location === "string" && NFS_REPO.test(s.location))) {
        issues.error(`${path}.location`, "must be an NFS location such as server:/path/", s.location);
    }
}

function checkScriptLocation(issues: Issues, path: string, type: unknown, location: unknown): void {
    if (location === undefined || location === "") issues.error(path, "is required", location);
    else if (type === "nfs" && !(typeof location === "string" && NFS_REPO.test(location))) issues.error(path, "must be an NFS location such as server:/path/script.sh", location);
    else if (type !== "nfs" && !(typeof location === "string" && URL_REPO.test(location))) issues.error(path, "must be an http://, https://, ftp://, file:/// or nfs:// URL", location);
}

function checkLegacyScript(issues: Issues, path: string, s: LegacyScript, stage: string): void {
    issues.warn(path, `is deprecated; use scripts with stage ${JSON.stringify(stage)}`, s.location);
    if (s.type !== undefined) checkEnum(issues, `${path}.type`, s.type, SCRIPT_TYPES);
    checkScriptLocation(issues, `${path}.location`, s.type, s.location);
}

function checkTimezone(issues: Issues, tz: unknown): void {
    if (typeof tz !== "string" || !TIMEZONE.test(tz)) {
        issues.error("timezone", "must be a time zone of the form Region/City such as Europe/London or Etc/UTC", tz);
        return;
    }
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
    } catch {
        issues.warn("timezone", "is not a time zone this machine's tz database knows; the installer may not either", tz);
    }
}

function checkMode(issues: Issues, m: AnswerFile): void {
    const mode = m.mode ?? "fresh";
    if (!checkEnum(issues, "mode", mode, INSTALL_MODES)) return;
    const ignored = (keys: (keyof AnswerFile)[], why: string) => keys.forEach((k) => {
        if (m[k] !== undefined) issues.warn(k, `is ignored by the installer in mode ${JSON.stringify(mode)} (${why})`, k === "rootPassword" ? new Redacted("a root password") : m[k]);
    });
    if (mode === "fresh" || mode === "reinstall") {
        if (!m.primaryDisk) issues.error("primaryDisk", `is required in mode ${JSON.stringify(mode)}`, m.primaryDisk);
        if (!m.adminInterface) issues.error("adminInterface", `is required in mode ${JSON.stringify(mode)}`, m.adminInterface);
        if (!m.rootPassword) issues.warn("rootPassword", 'is not set: the installer defaults to "!!" and the host has no root login until someone sets it on its console', m.rootPassword);
    } else if (mode === "upgrade") {
        if (!m.existingInstallation) issues.error("existingInstallation", 'is required in mode "upgrade"', m.existingInstallation);
        ignored(FRESH_ONLY, "an upgrade keeps the existing host's configuration");
    } else {
        ignored([...FRESH_ONLY, ...INSTALLATION_ONLY, "existingInstallation"], "a restore only reads backupDisk, driverSources, scripts and uiConfirmationPrompt");
    }
    if (mode !== "restore" && (m.sources ?? []).length === 0) issues.error("sources", `must list at least one source in mode ${JSON.stringify(mode)} (e.g. { type: "local" } for the install disc)`, m.sources);
    if ((mode === "fresh" || mode === "reinstall") && m.existingInstallation !== undefined) ignored(["existingInstallation"], "it is read only for upgrades");
    if (mode !== "restore" && m.backupDisk !== undefined) ignored(["backupDisk"], "it is read only for restores");
}

/** Strings XML cannot carry, wherever they are in the model. */
function checkXmlChars(issues: Issues, value: unknown, path: string): void {
    if (typeof value === "string") {
        const bad = findNonXmlChar(value);
        if (bad) issues.error(path, `must not contain ${bad}: XML 1.0 cannot carry it`, path.startsWith("rootPassword") ? new Redacted("a secret") : value);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => checkXmlChars(issues, v, `${path}[${i}]`));
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) checkXmlChars(issues, v, path ? `${path}.${k}` : k);
    }
}

function checkRest(issues: Issues, m: AnswerFile): void {
    if (m.srType !== undefined) checkEnum(issues, "srType", m.srType, SR_TYPES);
    if (m.keymap !== undefined && !(typeof m.keymap === "string" && KEYMAP.test(m.keymap))) issues.error("keymap", "must be a console keymap name such as us or de-latin1", m.keymap);
    if (m.timezone !== undefined) checkTimezone(issues, m.timezone);
    (m.sources ?? []).forEach((s, i) => checkSource(issues, `sources[${i}]`, s));
    (m.driverSources ?? []).forEach((s, i) => checkSource(issues, `driverSources[${i}]`, s));
    (m.scripts ?? []).forEach((s, i) => {
        checkEnum(issues, `scripts[${i}].stage`, s.stage, SCRIPT_STAGES);
        checkEnum(issues, `scripts[${i}].type`, s.type, SCRIPT_TYPES);
        checkScriptLocation(issues, `scripts[${i}].location`, s.type, s.location);
    });
    if (m.postInstallScript) checkLegacyScript(issues, "postInstallScript", m.postInstallScript, "filesystem-populated");
    if (m.installFailedScript) checkLegacyScript(issues, "installFailedScript", m.installFailedScript, "installation-complete");
    if (m.networkBackend !== undefined) checkEnum(issues, "networkBackend", m.networkBackend, NETWORK_BACKENDS);
    if (m.bootloader) {
        if (m.bootloader.location !== undefined) checkEnum(issues, "bootloader.location", m.bootloader.location, BOOTLOADER_LOCATIONS);
        if (m.bootloader.variant !== undefined) checkEnum(issues, "bootloader.variant", m.bootloader.variant, BOOTLOADER_VARIANTS);
    }
    const services = new Set<string>();
    (m.services ?? []).forEach((s, i) => {
        if (!isNonEmptyString(s.name) || /\s/.test(s.name)) issues.error(`services[${i}].name`, "must be a service name without spaces such as sshd", s.name);
        else if (services.has(s.name)) issues.error(`services[${i}].name`, "must not repeat a service (the installer rejects duplicates)", s.name);
        services.add(String(s.name));
        checkEnum(issues, `services[${i}].state`, s.state, SERVICE_STATES);
    });
    if (m.sshMode !== undefined) checkEnum(issues, "sshMode", m.sshMode, SSH_MODES);
    if (m.existingInstallation) {
        checkDisk(issues, "existingInstallation.device", m.existingInstallation.device);
        if (m.existingInstallation.fsType !== undefined) checkEnum(issues, "existingInstallation.fsType", m.existingInstallation.fsType, FS_TYPES);
    }
    if (m.backupDisk !== undefined) checkDisk(issues, "backupDisk", m.backupDisk);
}

/** Checks the model; never throws. */
export function validateAnswerFile(model: AnswerFile, options: ValidateOptions = {}): ValidationResult {
    const issues = new Issues();
    checkMode(issues, model);
    checkDisks(issues, model);
    if (model.rootPassword) checkRootPassword(issues, model.rootPassword, options.rootPasswordWillBeHashed === true);
    if (model.adminInterface) checkAdminInterface(issues, model.adminInterface);
    checkNames(issues, model);
    checkNtp(issues, model);
    checkRest(issues, model);
    checkXmlChars(issues, options.rootPasswordWillBeHashed === true && model.rootPassword?.type === "plaintext" ? { ...model, rootPassword: undefined } : model, "");
    if (options.target !== undefined) checkTargetProfile(issues, model, options.target);
    return { ok: issues.errors.length === 0, errors: issues.errors, warnings: issues.warnings };
}

/**
 * Validates and throws every error at once.
 * @returns the warnings, for the caller to log.
 * @throws AnswerFileValidationError when there is at least one error.
 */
export function assertValidAnswerFile(model: AnswerFile, options: ValidateOptions = {}): AnswerFileIssue[] {
    const result = validateAnswerFile(model, options);
    if (!result.ok) throw new AnswerFileValidationError(result.errors, result.warnings);
    return result.warnings;
}
