/** The SSH command through the toolbox as jump host. */
import * as assert from "node:assert/strict";
import { jumpSpec, sshCommand } from "../../components/access";

describe("components/access", () => {
    it("builds ssh -J through the toolbox, with its user and port", () => {
        assert.equal(sshCommand({ host: "10.219.10.40" }, "192.168.32.2"), "ssh -J root@10.219.10.40 root@192.168.32.2");
        assert.equal(sshCommand({ host: "toolbox.corp", user: "ops", port: 2222 }, "192.168.32.9"), "ssh -J ops@toolbox.corp:2222 root@192.168.32.9");
        assert.equal(jumpSpec({ host: "fd00::1", port: 2222 }), "root@[fd00::1]:2222");
    });

    it("quotes what the shell would read otherwise", () => {
        assert.equal(sshCommand({ host: "tool box", user: "o'neil" }, "192.168.32.2"), "ssh -J 'o'\\''neil@tool box' root@192.168.32.2");
    });
});
