/** Small helpers shared by the ops modules. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The uuid a create command printed: xe prints it alone on the first line (`sr-create` adds an
 * empty line after it).
 */
export function firstUuid(output: string, command: string): string {
    const line = output.split("\n").map((l) => l.trim()).find((l) => l !== "");
    if (!line || !UUID.test(line)) {
        throw new Error(`unexpected output from ${command}: expected the new object's uuid, got ${JSON.stringify(output.slice(0, 200))}`);
    }
    return line;
}

/** xe prints a missing reference as "<not in database>"; turns that (and "") into undefined. */
export function optionalRef(value: string): string | undefined {
    return value === "" || value === "<not in database>" || value === "OpaqueRef:NULL" ? undefined : value;
}
