#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# A real Linux guest (Debian's kernel, QEMU under TCG) whose virtio-net
# device is served over vhost-user, with a TAP interface in a private
# network namespace as the host end of its wire. One boot per variant,
# each checking: boot, ping both ways at 64 and 1472 bytes of payload,
# a 4 MiB transfer each way with busybox nc and md5 on both ends, a
# virtio_net unload/reload in the guest (device reset) with pings after
# it, a clean power-off, and a clean backend exit.
#
# Variants (result names):
#   guest-dpdk-vhost-{split,packed}-*  DPDK's vhost PMD + net_tap, testpmd
#                                      io forwarding: the infrastructure
#                                      check, independent of our drivers
#   guest-mdev-vdpa-{split,packed}-*   the vDPA app with our vDPA driver
#                                      and the mdev sim whose wire is a
#                                      net_tap port (same checks)
#   guest-mdev-vdpa-loopback-{split,packed}-*
#                                      the same with the sim's loopback
#                                      wire: the guest checks that every
#                                      frame it sends (64 and 1472 bytes
#                                      of ICMP payload) comes back, before
#                                      and after a virtio_net reload
# GUEST_VARIANTS selects some (e.g. "dpdk-vhost-split mdev-vdpa-split").
# SKIP only when QEMU cannot start at all (or, for the mdev variants, a
# piece they need is not there yet, saying which).
# Guide: doc/guides/howto/guest.rst.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/guest/lib.sh"
. "$top/tests/guest/backend_mdev.sh"

GUEST_VARIANTS=${GUEST_VARIANTS:-"dpdk-vhost-split dpdk-vhost-packed
	mdev-vdpa-split mdev-vdpa-packed
	mdev-vdpa-loopback-split mdev-vdpa-loopback-packed"}
GUEST_RUNDIR=$(mktemp -d /tmp/guest-vdpa.XXXXXX)
# Keep the run directory (serial logs, backend logs) for a look.
keep=${GUEST_KEEP:-0}

cleanup() {
	guest_stop_pid "${QEMU_PID:-}" 5
	guest_stop_pid "${BACKEND_PID:-}" 5
	guest_net_cleanup 2> /dev/null
	if [ "$keep" = 1 ]; then
		echo "# logs kept in $GUEST_RUNDIR" >&2
	else
		# Copy the logs next to the test's own before removing them.
		if [ -d "$BUILD_DIR" ]; then
			mkdir -p "$BUILD_DIR/test-logs/guest_vdpa"
			for d in "$GUEST_RUNDIR"/*/; do
				[ -d "$d" ] || continue
				dst=$BUILD_DIR/test-logs/guest_vdpa/$(basename "$d")
				mkdir -p "$dst"
				cp "$d"/*.log "$d"/*.err "$dst"/ 2> /dev/null
			done
		fi
		rm -rf "$GUEST_RUNDIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" != 0 ]; then
	skip guest "needs root (network namespaces, TAP, QEMU)"
	exit 0
fi
# The guest build installs QEMU and the other host tools when they are
# missing (a fresh machine), so it comes before the check that QEMU runs.
if ! guest_prepare 2> "$GUEST_RUNDIR/build.err"; then
	fail guest-build "tests/guest/build.sh failed:" \
		"$(tail -n 3 "$GUEST_RUNDIR/build.err" | tr '\n' ' ')"
	exit 1
fi
if ! why=$(guest_qemu_can_start); then
	skip guest "QEMU cannot start: $why"
	exit 0
fi

# About 6 minutes in all: a variant (about 45 s here) starts only while
# 100 s of the budget are left, and is reported as not run otherwise.
# The worst case (every bound reached) stays inside its timeout in
# tests/meson.build, which also leaves room for a first guest build
# (QEMU install, kernel download).
budget=${GUEST_BUDGET:-390}
start=$(date +%s)
guest_stale_netns
for v in $GUEST_VARIANTS; do
	left=$((budget - ($(date +%s) - start)))
	if [ $left -lt 100 ]; then
		fail "guest-$v" "not run: ${left} s left of the ${budget} s budget"
		continue
	fi
	case $v in
	dpdk-vhost-split) guest_variant guest-$v dpdk_vhost "" ;;
	dpdk-vhost-packed) guest_variant guest-$v dpdk_vhost ",packed=on" ;;
	mdev-vdpa-split) GUEST_SIM_WIRE=tap \
		guest_variant guest-$v mdev_vdpa "" ;;
	mdev-vdpa-packed) GUEST_SIM_WIRE=tap GUEST_SIM_EXTRA=,packed_vq=1 \
		guest_variant guest-$v mdev_vdpa ",packed=on" ;;
	mdev-vdpa-loopback-split) GUEST_SIM_WIRE=loopback \
		guest_variant guest-$v mdev_vdpa "" loopback ;;
	mdev-vdpa-loopback-packed) GUEST_SIM_WIRE=loopback \
		GUEST_SIM_EXTRA=,packed_vq=1 guest_variant guest-$v mdev_vdpa ",packed=on" loopback ;;
	*) fail "guest-$v" "unknown variant (known: dpdk-vhost-split" \
		"dpdk-vhost-packed mdev-vdpa-split mdev-vdpa-packed" \
		"mdev-vdpa-loopback-split mdev-vdpa-loopback-packed)" ;;
	esac
done
exit 0
