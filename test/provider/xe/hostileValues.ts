/**
 * Values chosen to break naive quoting, shared by the shell and xe injection tests: each must reach
 * the program (printf, xe) byte for byte, and the markers in /tmp must never be created.
 */
export const HOSTILE_VALUES: string[] = [
    "it's",
    "'",
    "''",
    '"double"',
    "$(touch /tmp/vh-pwned-dollar)",
    "`touch /tmp/vh-pwned-backtick`",
    "; touch /tmp/vh-pwned-semicolon",
    "&& touch /tmp/vh-pwned-and",
    "| touch /tmp/vh-pwned-pipe",
    "$HOME ${PATH} $1 $$",
    "*",
    "/etc/*",
    "-rf",
    "--force",
    "trailing\\",
    "back\\slash\\\\",
    "%s %n %d",
    "a=b=c",
    "key:value",
    "comma,separated\\,escaped",
    "semi; colon: mapish",
    "tab\there",
    "  leading and trailing spaces  ",
    "ünïcödé ✓ 日本語 🚀",
    "!bang !! history",
    "~root ~",
    "{a,b} [ab] ?",
    "<redirect >out 2>&1",
    "#comment",
    "x".repeat(10_000),
    "",
];

