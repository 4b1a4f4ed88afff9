#!/bin/sh
# virtual-hypervisor first-boot step, run once by postinstall.service (see postinst.sh) on the first
# boot of a freshly installed XenServer. It disables its unit, waits (with a deadline) until xapi
# reports that its initialisation is complete, and powers the machine off: the lab, like the seed's
# _xs_vm_starter.sh, waits for the VM to halt to know the installation has fully finished.
set -eu

unit=postinstall.service
# xapi creates this cookie once it has finished initialising the host.
cookie=/var/run/xapi_init_complete.cookie
deadline=${VH_XAPI_WAIT_SECONDS:-600}

# Disable first, so that whatever happens below the host never powers off on a later boot.
systemctl disable "$unit"

waited=0
while [ ! -e "$cookie" ] && [ "$waited" -lt "$deadline" ]; do
    sleep 1
    waited=$((waited + 1))
done
if [ ! -e "$cookie" ]; then
    echo "first-boot: xapi did not report init complete ($cookie) within ${deadline}s; powering off anyway" >&2
fi

# --no-block: this runs inside a unit that the shutdown itself has to stop.
if ! systemctl --no-block poweroff; then
    halt -p
fi
