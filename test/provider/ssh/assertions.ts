import * as assert from "node:assert/strict";

/** Asserts `promise` rejects with an error whose `code` is `code`; returns the error for more checks. */
export async function rejectsWithCode<T extends Error = Error & { code: string }>(promise: Promise<unknown>, code: string): Promise<T> {
    try {
        await promise;
    } catch (err) {
        assert.equal((err as { code?: string }).code, code, (err as Error).stack);
        return err as T;
    }
    assert.fail(`expected a rejection with ${code}`);
}
