#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# dpdk-testpmd's txonly and rxonly modes over the sim's loopback wire.
#
# txonly: testpmd only transmits, so the rx ring fills up and the device
# must either hold back (tx ring full) or count every frame it cannot
# deliver as missed. After draining the ring (rxonly),
# TX-packets == RX-packets + RX-missed exactly.
# rxonly: "start tx_first 4" sends 4 bursts per queue and only receives:
# every one of them comes back or is counted missed, and none is in error.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init testpmd-txrx-only

# check_totals NAME LOG: the last "show port stats" balances.
check_totals() {
	# shellcheck disable=SC2046
	set -- "$1" "$2" $(port_stats_blocks "$2" | tail -n 1)
	if [ $# -ne 8 ]; then
		fail "$1" "no port statistics in the log (log $2)"
		return 1
	fi
	if [ "$7" -eq 0 ] || [ "$7" -ne $(($3 + $4)) ]; then
		fail "$1" "TX-packets $7 != RX-packets $3 + RX-missed $4 (log $2)"
		return 1
	fi
	if [ "$5" -ne 0 ] || [ "$8" -ne 0 ]; then
		fail "$1" "RX-errors $5, TX-errors $8 (log $2)"
		return 1
	fi
	echo "$1: TX $7 RX $3 missed $4" >&2
	return 0
}

# txonly NAME QUEUES TXPKTS
txonly() {
	name=txonly-$1
	q=$2
	log=$LOGDIR/$name.log
	offloads=""
	case $3 in *,*) offloads="--tx-offloads=0x8000" ;; esac
	script=$(fwd_script start 3 2)
	# shellcheck disable=SC2086
	run_testpmd "$log" 60 "$script" $EAL_COMMON \
		--lcores "$TESTPMD_LCORES" -d "$PLUGINS" \
		--vdev "mdev_sim0,queues=$q" -- -i $TESTPMD_MBUFS --forward-mode=txonly \
		--nb-cores=1 --rxq="$q" --txq="$q" --txpkts="$3" $offloads
	testpmd_ended "$name" "$log" $? || return
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$log" | sed -n 1p)
	if [ $# -ne 5 ]; then
		fail "$name" "no forwarding statistics in the log (log $log)"
		return
	fi
	if [ "$3" -eq 0 ]; then
		fail "$name" "txonly sent nothing (log $log)"
		return
	fi
	# (testpmd's "start" empties the rx queues before forwarding: those
	# packets count in the port's statistics only.)
	# shellcheck disable=SC2046
	set -- $(port_stats_blocks "$log" | tail -n 1)
	if [ $# -eq 6 ] && [ "$1" -eq 0 ]; then
		fail "$name" "nothing came back on the rx ring (log $log)"
		return
	fi
	check_totals "$name" "$log" && pass "$name"
}

# rxonly NAME QUEUES
rxonly() {
	name=rxonly-$1
	q=$2
	log=$LOGDIR/$name.log
	script=$(fwd_script "start tx_first 4" 2 0)
	# shellcheck disable=SC2086
	run_testpmd "$log" 60 "$script" $EAL_COMMON \
		--lcores "$TESTPMD_LCORES" -d "$PLUGINS" \
		--vdev "mdev_sim0,queues=$q" -- -i $TESTPMD_MBUFS --forward-mode=rxonly \
		--nb-cores=1 --rxq="$q" --txq="$q" --txpkts=1500
	testpmd_ended "$name" "$log" $? || return
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$log" | sed -n 1p)
	if [ $# -ne 5 ]; then
		fail "$name" "no forwarding statistics in the log (log $log)"
		return
	fi
	# Four bursts of 32 per queue went out before rxonly started.
	if [ "$3" -ne $((4 * 32 * q)) ] || [ "$1" -eq 0 ] ||
			[ "$3" -ne $(($1 + $2)) ]; then
		fail "$name" "TX $3 (expected $((4 * 32 * q))), RX $1, RX-dropped $2 (log $log)"
		return
	fi
	check_totals "$name" "$log" && pass "$name"
}

txonly 1q-64 1 64
txonly 2q-1500 2 1500
txonly 2q-4seg 2 64,64,400,972
rxonly 1q 1
rxonly 2q 2

e2e_exit
