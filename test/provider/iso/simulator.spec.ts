/**
 * Contract with the simulated installer (sim/installer): a remastered ISO, in either layout,
 * installs unattended on a simulated host, read the way XenServer's firmware, bootloaders and
 * installer read it (volume descriptors at sector 16, El Torito, efiboot.img), on BIOS and UEFI,
 * for each flavor; the unmodified ISO does not.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { remasterIso } from "../../../provider/iso/index";
import { planBoot } from "../../../sim/installer/index";
import { PRODUCTS, ProductId } from "../../../sim/products";
import { Flavor } from "../../helpers/bootConfigs";
import { buildStandinIso } from "../../helpers/standinIso";
import { ANSWER_FILE } from "./fixtures";

const PRODUCT: Record<Flavor, ProductId> = { "xenserver-7.1": "xenserver-7.1", "xenserver-8": "xenserver-8.4", "xcp-ng-8.3": "xcp-ng-8.3" };

describe("provider/iso remaster: the simulated installer reads the result", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "vh-remaster-sim-")); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const flavor of Object.keys(PRODUCT) as Flavor[]) for (const layout of ["grow", "replay"] as const) {
        it(`${flavor}, ${layout} layout: installs unattended, powers off, and leaves a first boot that halts once (BIOS and UEFI)`, async () => {
            const src = path.join(dir, `${flavor}.iso`);
            if (!fs.existsSync(src)) buildStandinIso({ out: src, flavor, compression: "bzip2" });
            const out = path.join(dir, `${flavor}-${layout}.iso`);
            await remasterIso({ sourceIso: src, output: out, answerFile: ANSWER_FILE, cacheDir: dir, layout });
            for (const firmware of ["bios", "uefi"] as const) {
                const boot = (iso: string) => planBoot({
                    vmUuid: "vm", bootOrder: "dc", firmware, cdIsoPath: iso, disk: { blank: true, sizeBytes: 80 * 2 ** 30 }, nics: ["eth0"],
                    product: PRODUCTS[PRODUCT[flavor]], installSeconds: 60, firstBootSeconds: 10, now: 0,
                });
                const plan = boot(out);
                assert.equal(plan.kind, "install", `${firmware}: ${plan.log.join("\n")}`);
                if (plan.kind !== "install") return;
                assert.equal(plan.atexit, "poweroff");
                assert.equal(plan.system.address, "dhcp");
                assert.equal(plan.system.firstBootHalts, true, plan.log.join("\n"));
                assert.notEqual(boot(src).kind, "install", `${firmware}: the unmodified ISO must not install unattended`);
            }
        });
    }
});
