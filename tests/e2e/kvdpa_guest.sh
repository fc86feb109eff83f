#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The vhost_vdpa parent on a real kernel vDPA device: a Linux 6.12 guest
# (QEMU under TCG) with the kernel's vdpa_sim_net behind vhost_vdpa
# (tests/kvdpa/setup.sh builds it: Debian's kernel packages, the
# simulator built out of tree, this tree's drivers). Inside the guest
# (tests/kvdpa/init): the conformance suite against
# mdev_vhost_vdpa0,path=/dev/vhost-vdpa-0; testpmd with our PMD over it
# (io forwarding from tx_first, the MAC set through the device's control
# queue and read back with "vdpa dev config show", port detach/attach
# and forwarding again); DPDK's virtio-user on the same device, its rate
# beside ours; and our vDPA driver over the device (examples/vdpa with a
# virtio-user front end). One boot; each check is a result line.
#
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init kvdpa_guest

name=kvdpa
W=$BUILD_DIR/kvdpa
start=$(date +%s)
if ! "$top/tests/kvdpa/setup.sh" "$BUILD_DIR" > "$LOGDIR/setup.log" 2>&1
then
	fail $name-setup "tests/kvdpa/setup.sh failed: $(tail -n 1 "$LOGDIR/setup.log") (log $LOGDIR/setup.log)"
	e2e_exit
fi
pass $name-setup
glog=$LOGDIR/guest.log
timeout -k 5 780 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 \
	-nographic -no-reboot -nodefaults -serial stdio -display none \
	-kernel "$W/vmlinuz" -initrd "$W/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 quiet kvdpa.secs=8 kvdpa.watchdog=720 ${KVDPA_APPEND:-}" \
	< /dev/null > "$glog" 2>&1
qrc=$?
echo "# guest ran $(($(date +%s) - start)) s (qemu exit $qrc), log $glog" >&2
tr -d '\r' < "$glog" | grep -o 'KVDPA: .*' > "$LOGDIR/results"
while read -r tag verdict rest; do
	case $verdict in
	PASS) pass "$name/$rest" ;;
	FAIL) fail "$name/${rest%%:*}" "${rest#*: }" ;;
	SKIP) skip "$name/${rest%%:*}" "${rest#*: }" ;;
	esac
done < "$LOGDIR/results"
tr -d '\r' < "$glog" | grep '^KVDPA: RATIO' >&2
if ! tr -d '\r' < "$glog" | grep -q '^KVDPA: DONE'; then
	fail $name-guest "the guest did not finish (qemu exit $qrc, log $glog)"
fi
e2e_exit
