/**
 * Shared by the NestedHypervisor specs that run through the test engine (not a spec itself): the
 * lab program they deploy and the teardown that proves nothing of theirs is left.
 */
import * as assert from "node:assert/strict";
import { NestedHypervisor, NestedHypervisorArgs } from "../../../../provider/resources/nestedHypervisor";
import { RemasteredIso } from "../../../../provider/resources/remasteredIso";
import { XenNetwork } from "../../../../provider/resources/xenNetwork";
import { closeAll } from "../../../../provider/ssh";
import type { XeClient } from "../../../../provider/xe";
import type { SimHost } from "../../../helpers/simHost";
import { sweep } from "../../../helpers/sweep";
import type { TestEngine } from "../../../helpers/testEngine";
import { answerFile } from "../fixtures";

export type LabVm = Partial<NestedHypervisorArgs> & { name: string };

/** A program of the lab's network and ISO plus nested hypervisors (Pulumi name `name`, nameLabel the same unless given). */
export function labProgram(sourceIso: string, ...vms: LabVm[]): () => void {
    return () => {
        const net = new XenNetwork("home", { nameLabel: "lab-home" });
        const iso = new RemasteredIso("iso", { sourceIso, answerFile: answerFile() });
        for (const { name, ...vm } of vms) {
            new NestedHypervisor(name, { nameLabel: name, isoName: iso.isoName, networkUuid: net.uuid, memoryGiB: 4, diskGiB: 60, ...vm });
        }
    };
}

/** Destroys the stack and asserts that no tagged object is left; stops engine and simulator whatever the assertions said. */
export async function tearDownLab(engine: TestEngine | undefined, xe: XeClient, sim: SimHost | undefined): Promise<void> {
    try {
        if (engine) {
            assert.deepEqual((await engine.destroy()).errors, []);
            assert.deepEqual(await sweep(xe, { names: ["vh"] }), [], "nothing left after the suite");
        }
    } finally {
        // A simulator must not outlive the run.
        await engine?.stop();
        await closeAll();
        await sim?.stop();
    }
}
