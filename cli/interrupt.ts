/**
 * What to tell a person who presses Ctrl-C (or whose `vh` gets SIGTERM) in the middle of work on
 * the host: the command keeps this up to date ("the VM vh0 may be left on HOST: vh destroy …"), and
 * cli/vh.ts prints it, closes the SSH connections and exits 130. Nothing is rolled back on an
 * interrupt: a person who interrupts wants `vh` to stop now, and `vh destroy` removes what is left.
 */
let hint: string | undefined;

/** Sets (or with undefined clears) the line printed on an interrupt. */
export function setInterruptHint(text: string | undefined): void {
    hint = text;
}

export function interruptHint(): string | undefined {
    return hint;
}
