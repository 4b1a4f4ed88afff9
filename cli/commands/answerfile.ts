/**
 * `vh answerfile dhcp|static [-h HOST] [-i IP] [-m MASK] [-g GW] [-p PASS] [-n DNS]…`: the seed's
 * generate_answerfile.sh, with its short options (`-h` is the host name, as in the seed; help is
 * `--help`), long options, every `-n` kept, values escaped and validated, and the root password
 * written as a SHA-512 crypt hash unless `--plaintext-password` is given.
 */
import { parseArgs } from "node:util";
import { choiceOption, readSecretFile, usageErrors } from "../options";
import {
    renderAnswerFile, seedAnswerFile, TARGET_PROFILE_IDS, validateAnswerFile, withHashedRootPassword,
} from "../../provider/answerfile";
import { EXIT, UsageError } from "../exit";
import type { CliIO, Command } from "./types";

const USAGE = `usage: vh answerfile dhcp|static [options]

Print an answer file for an unattended XenServer / XCP-ng install on stdout.

options:
  -h, --hostname HOST        host name of the installed system
  -i, --ip IP                IPv4 address (static; required)
  -m, --netmask MASK         netmask such as 255.255.255.0 (static; required)
  -g, --gateway GW           default gateway (static; required)
  -p, --password PASS        root password (default: somepass); other local users can see
                             command lines, so prefer --password-file
      --password-file FILE   read the root password from the first line of FILE ("-": stdin)
  -n, --nameserver DNS       name server; repeat for several (all are kept)
      --target PROFILE       also check what this installer accepts, one of:
                             ${TARGET_PROFILE_IDS.join(", ")}
      --plaintext-password   write the root password in plaintext instead of a SHA-512 crypt hash
      --salt-context TEXT    derive the hash's salt from the password and TEXT, so the same inputs
                             give the same bytes (default: a random salt)
      --help                 show this help

Warnings go to stderr. Exit status: 0 written, 2 wrong arguments or invalid values.
`;

const OPTIONS = {
    hostname: { type: "string", short: "h" },
    ip: { type: "string", short: "i" },
    netmask: { type: "string", short: "m" },
    gateway: { type: "string", short: "g" },
    password: { type: "string", short: "p" },
    "password-file": { type: "string" },
    nameserver: { type: "string", short: "n", multiple: true },
    target: { type: "string" },
    "plaintext-password": { type: "boolean" },
    "salt-context": { type: "string" },
} as const;

function parse(argv: string[]) {
    return usageErrors(() => parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
}

async function run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parse(argv);
    if (positionals.length !== 1) {
        throw new UsageError(`expected one network configuration, dhcp or static, got ${positionals.length === 0 ? "none" : positionals.map((p) => JSON.stringify(p)).join(" ")}`);
    }
    const network = positionals[0];
    if (network !== "dhcp" && network !== "static") {
        throw new UsageError(`network configuration must be "dhcp" or "static", got ${JSON.stringify(network)}`);
    }
    if (network === "static") {
        const missing = (["ip", "netmask", "gateway"] as const).filter((k) => values[k] === undefined).map((k) => `--${k}`);
        if (missing.length) throw new UsageError(`static needs ${missing.join(", ")} (unlike the seed, which wrote empty elements)`);
    } else {
        const extra = (["ip", "netmask", "gateway"] as const).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
        if (extra.length) io.stderr.write(`vh answerfile: warning: ${extra.join(", ")} ignored with dhcp\n`);
    }
    if (values.password !== undefined && values["password-file"] !== undefined) {
        throw new UsageError("give the root password with --password or --password-file, not both");
    }
    const target = choiceOption(values.target, "--target", TARGET_PROFILE_IDS);
    const plaintext = values["plaintext-password"] === true;
    if (plaintext && values["salt-context"] !== undefined) throw new UsageError("--salt-context has no effect with --plaintext-password");
    const password = values["password-file"] !== undefined ? readSecretFile("--password-file", values["password-file"], io.cwd) : values.password;

    let model = seedAnswerFile({
        network,
        hostname: values.hostname,
        ip: values.ip,
        netmask: values.netmask,
        gateway: values.gateway,
        password,
        nameServers: values.nameserver,
    });
    const result = validateAnswerFile(model, { target, rootPasswordWillBeHashed: !plaintext });
    if (!result.ok) {
        io.stderr.write(`vh answerfile: invalid answer file (${result.errors.length} error${result.errors.length === 1 ? "" : "s"}):\n${result.errors.map((e) => `  - ${e.message}\n`).join("")}`);
        return EXIT.USAGE;
    }
    for (const w of result.warnings) io.stderr.write(`vh answerfile: warning: ${w.message}\n`);
    if (!plaintext) model = withHashedRootPassword(model, { saltContext: values["salt-context"] });
    io.stdout.write(renderAnswerFile(model));
    return EXIT.OK;
}

export const answerfileCommand: Command = {
    name: "answerfile",
    summary: "print an answer file for an unattended install (the seed's generate_answerfile.sh)",
    usage: USAGE,
    run,
};
