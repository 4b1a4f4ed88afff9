import * as assert from "node:assert/strict";
import { gatewayMac } from "../../../../provider/resources/toolboxGateway/mac";

describe("provider/resources/toolboxGateway/mac", () => {
    const net = "3fa9c1d2-5b6e-4a7f-8c9d-0e1f2a3b4c5d";

    it("is the same for the same lab and network, whatever the uuid's case", () => {
        assert.equal(gatewayMac("lab1", net), gatewayMac("lab1", net.toUpperCase()));
        assert.match(gatewayMac("lab1", net), /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    });

    it("differs between labs and between networks", () => {
        const macs = new Set([gatewayMac("lab1", net), gatewayMac("lab2", net), gatewayMac("lab1", net.replace("3fa9", "3fa8"))]);
        assert.equal(macs.size, 3);
    });

    it("is a locally administered unicast address", () => {
        for (let i = 0; i < 200; i++) {
            const first = parseInt(gatewayMac(`lab${i}`, net).slice(0, 2), 16);
            assert.equal(first & 0x02, 0x02, "locally administered");
            assert.equal(first & 0x01, 0, "unicast");
        }
    });
});
