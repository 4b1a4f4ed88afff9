/**
 * The documented mapping from a document's example environment (its XenServer at 10.219.10.25,
 * its toolbox at 10.219.10.40, their host keys, credentials and paths) to the stand-ins a test
 * runs against. Only host-specific values are rewritten; everything else runs as written. Every
 * rule says why, and counts its uses: a rule that no line needed any more fails the spec, so the
 * mapping cannot silently outlive the text it was written for.
 */

export interface RewriteRule {
    /** Short name, shown in failures and the coverage table. */
    name: string;
    from: RegExp;
    /** Replacement (String.replace syntax), or a function of the match. */
    to: string | ((match: string, ...groups: string[]) => string);
    /** Why the documented value cannot be used here. */
    why: string;
}

export class Rewriter {
    private readonly uses = new Map<string, number>();

    constructor(readonly rules: RewriteRule[]) {
        for (const r of rules) {
            if (!r.from.global) throw new Error(`rewrite rule ${r.name} must use a global regular expression (${r.from})`);
            this.uses.set(r.name, 0);
        }
    }

    /** The line with every applicable rule applied, in order. */
    apply(line: string): string {
        let out = line;
        for (const rule of this.rules) {
            const before = out;
            out = typeof rule.to === "string" ? out.replace(rule.from, rule.to) : out.replace(rule.from, rule.to as (m: string, ...g: any[]) => string);
            if (out !== before) this.uses.set(rule.name, this.uses.get(rule.name)! + 1);
        }
        return out;
    }

    /** How often each rule was applied. */
    counts(): Array<{ name: string; why: string; uses: number }> {
        return this.rules.map((r) => ({ name: r.name, why: r.why, uses: this.uses.get(r.name)! }));
    }
}

/** The rules of several rewriters by name, with their total uses (for the test's output and the "every rule needed" check). */
export function ruleUses(rewriters: Rewriter[]): Array<{ name: string; why: string; uses: number }> {
    const all = new Map<string, { name: string; why: string; uses: number }>();
    for (const { name, why, uses } of rewriters.flatMap((r) => r.counts())) {
        const seen = all.get(name);
        all.set(name, { name, why, uses: (seen?.uses ?? 0) + uses });
    }
    return [...all.values()];
}

/** Escapes `text` for use inside a RegExp. */
export function literal(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
