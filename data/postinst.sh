#!/bin/sh
# virtual-hypervisor post-install script for XenServer 7+ / XCP-ng 8 (systemd hosts).
#
# `vh remaster` puts this file at /postinst.sh in the installer ramdisk, and the answer file names it:
#   <script stage="filesystem-populated" type="url">file:///postinst.sh</script>
# The installer runs it once the new system's files are in place, with the mount point of the new
# root file system as $1. It copies /firstboot.sh (also in the ramdisk) into the new system and
# enables a one-shot systemd unit that runs it on the first boot after xapi has started; that
# script disables the unit and powers the machine off, which is how the lab knows the first boot
# has finished. (Plain $1 and NAME=value variables only: the simulated installer reads this script.)
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: postinst.sh NEW_ROOT_MOUNT_POINT" >&2
    exit 2
fi
root=$1

# A trace on the installed system that this script ran (the seed left the same file).
mkdir -p "$root/root"
touch "$root/root/post-executed"

cp /firstboot.sh "$root/root/first-boot-script.sh"
chmod 0755 "$root/root/first-boot-script.sh"

mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
cat > "$root/etc/systemd/system/postinstall.service" <<'UNIT'
[Unit]
Description=virtual-hypervisor first boot: power off once after installation
# The host must be set up (xapi running, XenServer's own first-boot scripts done) before it goes down.
After=xapi.service xs-firstboot.service
ConditionPathExists=/root/first-boot-script.sh

[Service]
Type=oneshot
ExecStart=/root/first-boot-script.sh
TimeoutStartSec=15min

[Install]
WantedBy=multi-user.target
UNIT
chmod 0644 "$root/etc/systemd/system/postinstall.service"
ln -sf /etc/systemd/system/postinstall.service "$root/etc/systemd/system/multi-user.target.wants/postinstall.service"
