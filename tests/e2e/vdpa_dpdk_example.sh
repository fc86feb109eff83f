#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# DPDK's own examples/vdpa (from Debian's dpdk-doc, built here with
# pkg-config) serves the sim device through our vDPA driver:
#   vdpa -d <plugins> --vdev mdev_sim0,class=vdpa -- --iface <dir>/vdpa-sock-
# and dpdk-testpmd with virtio-user on <dir>/vdpa-sock-0 forwards in mac
# mode over the sim's loopback wire. Variants: split ring with and
# without mergeable buffers, one and two queue pairs, packed ring with
# one and two queue pairs (sim and front end with packed_vq=1). Checked:
# the example finds the device by itself (RTE_DEV_FOREACH class=vdpa),
# traffic flows on every queue, TX == RX after draining, the example
# exits cleanly on "q".
# Then the example's interactive mode: list, create, stats.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/vdpa_lib.sh"
vdpa_init vdpa_dpdk_example

if ! DPDK_VDPA=$(dpdk_vdpa_build); then
	fail vdpa-dpdk-example "cannot build DPDK's examples/vdpa (logs in $LOGDIR)"
	e2e_exit
fi

# run NAME QUEUES FRONTEND-EXTRA
run() {
	name=vdpa-dpdk-example-$1
	q=$2
	extra=$3
	vdpa_traffic "$name" "$DPDK_VDPA" q "$1" "$q" "$extra" || return
	backend_stop q
	vdpa_ended "$name" "$FRC" || return
	if ! grep -q 'new port .*vdpa-sock-0' "$blog"; then
		fail "$name" "the example never saw the front end (log $blog)"
		return
	fi
	check_packed "$name" "$extra" || return
	f=$(negotiated_features "$blog")
	case $extra in
	*mrg_rxbuf=0*)
		if has_bit "$f" 15; then
			fail "$name" "mrg_rxbuf=0 but MRG_RXBUF negotiated ($f)"
			return
		fi ;;
	esac
	check_loop "$name" "$flog" "$q" 0 && pass "$name"
}

vdpa_variants run
run packed-2q 2 ",packed_vq=1"

# Interactive: "list" finds the device, "create" serves a socket with it
# (the vDPA device is named after the mdev device: its UUID), traffic,
# then "stats" shows the device's counters with our names.
name=vdpa-dpdk-example-interactive
vdpa_case interactive
if BACKEND_READY="vdpa>" backend_start "$blog" "$DPDK_VDPA" \
		"mdev_sim0,class=vdpa,cpu=$SIM_CPU" -- --interactive; then
	backend_send list
	sleep 1
	uuid=$(grep -o '[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}' \
		"$blog" | head -n 1)
	if [ -z "$uuid" ]; then
		fail "$name" "\"list\" shows no vDPA device (log $blog)"
		backend_stop quit
	else
		backend_send "create $SOCKDIR/vdpa-sock-0 $uuid"
		wait_socket "$SOCKDIR/vdpa-sock-0"
		frontend_run "$flog" "$SOCKDIR/vdpa-sock-0" 1 ""
		frc=$?
		backend_send "stats $uuid 0"
		backend_send "stats $uuid 1"
		sleep 1
		backend_stop quit
		if ! vdpa_ended "$name" "$frc"; then
			: # its FAIL line is out
		elif ! grep -q 'received_descs' "$blog" ||
				! grep -q 'completion_errors' "$blog"; then
			fail "$name" "\"stats\" shows no device counters (log $blog)"
		else
			# Receive queue 0: drops are its completion_errors.
			drops=$(awk '/Virtq 0:/ { q = 1 } /Virtq 1:/ { q = 0 }
				q && /completion_errors/ { print $NF; exit }' "$blog")
			check_loop "$name" "$flog" 1 "${drops:-0}" &&
				pass "$name"
		fi
	fi
else
	fail "$name" "the example gave no prompt (log $blog)"
	[ -n "$BPID" ] && backend_stop quit
fi

e2e_exit
