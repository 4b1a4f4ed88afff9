import * as assert from "node:assert";
import { analyseFirstBoot, haltCommand } from "../../../sim/installer/firstboot";
import { seedFile } from "./installerIso";

const analyse = (postinst: string, initrd: Record<string, string>) =>
    analyseFirstBoot([{ url: "file:///postinst.sh", text: postinst }], (p) => initrd[p.replace(/^\//, "")]);

describe("sim/installer/firstboot", () => {
    it("recognises the seed's XenServer 7 postinst.sh: a systemd unit running firstboot.sh, which halts -p once", () => {
        const r = analyse(seedFile("postinst.sh").toString(), { "firstboot.sh": seedFile("firstboot.sh").toString() });
        assert.deepStrictEqual(r.steps, [{ where: "/etc/systemd/system/postinstall.service", halts: true, repeats: false }]);
        assert.deepStrictEqual(r.log, ["first boot: postinstall.service (ExecStart=/root/first-boot-script.sh) is enabled and powers off (halt -p)"]);
    });

    it("recognises the seed's XenServer 6 variant: a script copied into /etc/firstboot.d", () => {
        const r = analyse("#!/bin/sh\ntouch $1/tmp/postinst.sh.executed\ncp /firstboot.sh $1/etc/firstboot.d/95-firstboot\nchmod 777 $1/etc/firstboot.d/95-firstboot\n", { "firstboot.sh": "#!/bin/bash\nhalt -p\n" });
        assert.deepStrictEqual(r.steps, [{ where: "/etc/firstboot.d/95-firstboot", halts: true, repeats: false }]);
    });

    it("follows variables, copies into directories, heredocs with quoted markers and systemctl --root/chroot enables", () => {
        const postinst = [
            "#!/bin/bash", "set -e", 'ROOT="$1"', "install -m 0755 /opt/fb.sh ${ROOT}/usr/local/bin/",
            "cat > \"$ROOT/etc/systemd/system/fb.service\" <<'UNIT'", "[Service]", "Type=oneshot", "ExecStart=-/bin/bash /usr/local/bin/fb.sh", "UNIT",
            "chroot $ROOT systemctl enable fb", // enable by bare name
        ].join("\n");
        const r = analyse(postinst, { "opt/fb.sh": "#!/bin/sh\n# power off when done\nsystemctl disable fb.service && shutdown -h now\n" });
        assert.deepStrictEqual(r.steps, [{ where: "/etc/systemd/system/fb.service", halts: true, repeats: false }]);
    });

    it("marks a halting unit that never disables itself as repeating, and an ExecStart that is itself a power-off", () => {
        const r = analyse("#!/bin/sh\nprintf '[Service]\\nExecStart=/sbin/poweroff\\n' > $1/etc/systemd/system/off.service\nln -s /etc/systemd/system/off.service $1/etc/systemd/system/multi-user.target.wants/\n", {});
        assert.deepStrictEqual(r.steps, [{ where: "/etc/systemd/system/off.service", halts: true, repeats: true }]);
    });

    it("does not count a unit that is never enabled, a script that does not power off, or files outside the target", () => {
        assert.deepStrictEqual(analyse("#!/bin/sh\ncp /fb.sh $1/etc/systemd/system/fb.service\n", { "fb.sh": "[Service]\nExecStart=/sbin/poweroff\n" }).steps, []);
        const noHalt = analyse("#!/bin/sh\ncp /fb.sh $1/etc/firstboot.d/10-x\n", { "fb.sh": "#!/bin/sh\nhalt\nreboot\n" });
        assert.deepStrictEqual(noHalt.steps, [{ where: "/etc/firstboot.d/10-x", halts: false, repeats: false }]);
        assert.deepStrictEqual(analyse("#!/bin/sh\ncp /fb.sh /etc/firstboot.d/10-x\n", { "fb.sh": "poweroff\n" }).steps, []);
        const unknown = analyse("#!/bin/sh\necho '[Service]' > $1/etc/systemd/system/x.service\nsystemctl --root=$1 enable x\n", {});
        assert.deepStrictEqual(unknown.steps, []);
    });

    it("knows which commands power off", () => {
        for (const yes of ["halt -p", "halt --poweroff", "/sbin/poweroff", "shutdown -h now", "shutdown now", "shutdown -P +1", "systemctl poweroff", "sudo init 0", "telinit 0", "sync; poweroff -f"]) {
            assert.ok(haltCommand(yes), yes);
        }
        for (const no of ["halt", "reboot", "shutdown -r now", "shutdown -H now", "shutdown -c", "systemctl halt", "echo poweroff", "# poweroff", "init 6"]) {
            assert.strictEqual(haltCommand(no), undefined, no);
        }
    });
});
