#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Debian's dpdk-testpmd forwards (mac mode) over the sim's loopback wire:
# mdev_sim0 -> virtio_mdev PMD -> testpmd -> back out the same port.
# One and two queue pairs; 64 B, 1500 B and three-segment frames; the
# sim engine on its own thread and on a service lcore.
#
# Checked per run: testpmd exits cleanly; packets flowed on every queue;
# no tx drops, rx errors or mbuf shortages while forwarding; and, once the
# loop is drained (rxonly), every packet sent was received or counted as
# missed by the device: TX-packets == RX-packets + RX-missed exactly.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init testpmd-macfwd

FWD_SECONDS=${FWD_SECONDS:-4}

# macfwd NAME QUEUES TXPKTS VDEV-EXTRA LCORES [EAL-EXTRA...]
macfwd() {
	name=macfwd-$1
	q=$2
	txpkts=$3
	vdev=mdev_sim0,queues=$q$4
	lcores=$5
	shift 5
	log=$LOGDIR/$name.log
	offloads=""
	case $txpkts in *,*) offloads="--tx-offloads=0x8000" ;; esac
	script=$(fwd_script "start tx_first 8" "$FWD_SECONDS" 2)
	# shellcheck disable=SC2086
	run_testpmd "$log" 90 "$script" $EAL_COMMON --lcores "$lcores" \
		"$@" -d "$PLUGINS" --vdev "$vdev" -- -i $TESTPMD_MBUFS --forward-mode=mac \
		--nb-cores=1 --rxq="$q" --txq="$q" --txpkts="$txpkts" $offloads
	testpmd_ended "$name" "$log" $? "$vdev" || return
	fwd_counts_check "$name" "$log" "$q" "$FWD_SECONDS" || return
	pass "$name"
}

L=$TESTPMD_LCORES
macfwd 1q-64 1 64 "" "$L"
macfwd 1q-1500 1 1500 "" "$L"
macfwd 1q-3seg 1 64,400,1036 "" "$L"
macfwd 2q-64 2 64 "" "$L"
macfwd 2q-1500 2 1500 "" "$L"
macfwd 2q-3seg 2 64,400,1036 "" "$L"
# The engine on a service lcore instead of a thread: EAL takes service
# lcores only among lcore ids of existing CPUs, so lcore 1 (on CPU 0)
# serves and lcore 2 forwards.
macfwd 2q-64-service 2 64 ",engine=service" "0@0,1@0,2@$LAST_CPU" -s 0x2

e2e_exit
