/**
 * THE place where a value is quoted for the remote POSIX shell. Every remote command line this
 * package sends (xe calls, df, rm, mv, sha256sum, …) is built from literal program text plus values
 * passed through shellQuote(), so no value can ever be read as shell syntax.
 */

/** A value that cannot be carried to the remote shell safely (NUL or a line break). */
export class UnquotableValueError extends Error {
    override name = "UnquotableValueError";
    constructor(
        /** What the value is for, in user terms, e.g. "name-label" or "remote path". */
        readonly role: string,
        /** The offending character, e.g. "\\n". */
        readonly character: string,
    ) {
        super(
            `cannot pass the ${role} to the remote shell: it contains ${describe(character)}, which xe and ` +
            "the remote command line cannot carry (values must be single-line and NUL-free)",
        );
    }
}

function describe(ch: string): string {
    return { "\0": "a NUL character", "\n": "a line feed (\\n)", "\r": "a carriage return (\\r)" }[ch] ?? JSON.stringify(ch);
}

/**
 * Quotes `value` as one word for a POSIX shell: wrapped in single quotes, with every `'` written as
 * `'\''`. Inside single quotes nothing is special ($, `, \, *, ;, …), so the word reaches the
 * program byte for byte.
 *
 * NUL cannot be passed in an argv element at all, and xe cannot carry a line break in a value (each
 * argument travels to xapi as one line), so both are refused rather than silently mangled.
 *
 * @param role what the value is, named in the error, e.g. "name-label" @default "value"
 */
export function shellQuote(value: string, role = "value"): string {
    const bad = /[\0\n\r]/.exec(value);
    if (bad) throw new UnquotableValueError(role, bad[0]);
    return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * A remote command line built only from literal program text and quoted values. It is a distinct
 * type so APIs that run remote commands cannot be handed an ad-hoc string by mistake.
 */
export class ShellCommand {
    private constructor(
        /** The command line as sent to the remote shell. */
        readonly text: string,
    ) {}

    /** @internal Used by sh`` and argv(); not for building commands from arbitrary strings. */
    static fromQuoted(text: string): ShellCommand {
        // Literal program text may span lines, but a NUL would end the command early or break the
        // SSH exec request: never send one.
        if (text.includes("\0")) throw new UnquotableValueError("command text", "\0");
        return new ShellCommand(text);
    }

    toString(): string {
        return this.text;
    }
}

/** A word that may appear unquoted (none of these characters is special to sh): `A-Za-z0-9_./=+,:@%-`. */
const BARE_WORD = /^[A-Za-z0-9_./=+,:@%-]+$/;
/** A program name; no `=`, which would make the first word a variable assignment. */
const PROGRAM = /^[A-Za-z0-9_./-]+$/;

/**
 * Builds a command from argv: the program name (and any word that is plain) stays as is, every
 * other word is quoted. `argv(["rm", "-f", "--", path])`.
 */
export function argv(words: readonly string[]): ShellCommand {
    if (words.length === 0) throw new Error("cannot build a remote command from an empty argv");
    if (!PROGRAM.test(words[0])) {
        throw new Error(`invalid remote program name ${JSON.stringify(words[0])}: expected letters, digits and _./-`);
    }
    return ShellCommand.fromQuoted(words.map((w, i) => (i === 0 || BARE_WORD.test(w) ? w : shellQuote(w, `argument ${i}`))).join(" "));
}

/**
 * Template tag: the literal text is shell syntax written by us, every `${value}` is quoted.
 * sh`df -Pk -- ${dir}` → `df -Pk -- '/var/opt/xen/iso import'`. A ShellCommand interpolated into
 * another is inserted as is (it is already quoted).
 */
export function sh(strings: TemplateStringsArray, ...values: Array<string | number | ShellCommand>): ShellCommand {
    let text = strings[0];
    values.forEach((value, i) => {
        text += value instanceof ShellCommand ? value.text : shellQuote(String(value), `value ${i + 1}`);
        text += strings[i + 1];
    });
    return ShellCommand.fromQuoted(text);
}
