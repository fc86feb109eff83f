#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The ring feature matrix: dpdk-testpmd mac-forwards over the sim's
# loopback wire with split and packed rings, VIRTIO_F_IN_ORDER on and
# off, mergeable rx buffers on and off, one and two queue pairs (the
# sim offers the features with its devargs packed_vq=, in_order=,
# mrg_rxbuf=, event_idx=). Two-pair runs send three-segment frames
# (multi-descriptor tx chains). Then the PMD's own vm_* devargs refuse
# features the sim offers, app/mdev-payload checks every byte over
# packed rings (jumbo frames through mergeable buffers included), and
# app/mdev-rxintr checks rx interrupts over both layouts.
#
# Checked per run: the port negotiated the layout asked for (the PMD's
# probe log line); testpmd exits cleanly; packets flowed on every queue;
# no tx drops, rx errors or mbuf shortages; after draining,
# TX-packets == RX-packets + RX-missed (device-counted drops) exactly.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init testpmd-matrix

FWD_SECONDS=${FWD_SECONDS:-2}
PMD_LOG="--log-level=net.virtio_mdev:info"

# The layout words the PMD's probe line must show for a run.
expect_words() {
	ring=$1 inorder=$2 mrg=$3
	w="$ring rings"
	[ "$inorder" = 1 ] && w="$w, in order"
	echo "$w"
	[ "$mrg" = 1 ] && echo "mergeable rx buffers" ||
		echo "single rx buffers"
}

# check_layout NAME LOG RING INORDER MRG: the probe line says so.
check_layout() {
	line=$(grep -m 1 'queue pair(s), MTU up to' "$2")
	if [ -z "$line" ]; then
		fail "$1" "no probe line from the PMD (log $2)"
		return 1
	fi
	want=$(expect_words "$3" "$4" "$5")
	echo "$want" | while IFS= read -r w; do
		case $line in
		*"$w"*) ;;
		*) echo "$w" ;;
		esac
	done > "$2.missing"
	if [ -s "$2.missing" ]; then
		fail "$1" "negotiated '$line', expected '$(tr '\n' ';' < "$2.missing")' (log $2)"
		return 1
	fi
	if [ "$4" = 0 ] && echo "$line" | grep -q 'in order'; then
		fail "$1" "in order negotiated though not offered (log $2)"
		return 1
	fi
	return 0
}

# fwd NAME QUEUES TXPKTS VDEV-ARGS RING INORDER MRG
fwd() {
	name=matrix-$1
	q=$2
	txpkts=$3
	vdev=mdev_sim0,queues=$q,$4
	log=$LOGDIR/$name.log
	offloads=""
	case $txpkts in *,*) offloads="--tx-offloads=0x8000" ;; esac
	script=$(fwd_script "start tx_first 8" "$FWD_SECONDS" 1)
	# shellcheck disable=SC2086
	run_testpmd "$log" 60 "$script" $EAL_COMMON --lcores "$TESTPMD_LCORES" \
		$PMD_LOG -d "$PLUGINS" --vdev "$vdev" -- -i $TESTPMD_MBUFS \
		--forward-mode=mac --nb-cores=1 --rxq="$q" --txq="$q" \
		--txpkts="$txpkts" $offloads
	testpmd_ended "$name" "$log" $? "$vdev" || return
	check_layout "$name" "$log" "$5" "$6" "$7" || return
	fwd_counts_check "$name" "$log" "$q" "$FWD_SECONDS" || return
	pass "$name"
}

# payload NAME VDEV-ARGS RING INORDER MRG APP-ARGS...
payload() {
	name=matrix-payload-$1
	vdev=$2
	ring=$3 inorder=$4 mrg=$5
	shift 5
	log=$LOGDIR/$name.log
	if [ ! -x "$PAYLOAD" ]; then
		fail "$name" "$PAYLOAD not built"
		return
	fi
	# shellcheck disable=SC2086
	run_dpdk "$log" 90 "$PAYLOAD" $EAL_COMMON --lcores 0@0 $PMD_LOG \
		-d "$PLUGINS" --vdev "$vdev" -- --count 50000 --timeout 40 "$@"
	rc=$?
	summary=$(grep '^sent ' "$log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		fail "$name" "$(status_words $rc): ${summary:-$(log_reason "$log")} (log $log)"
		return
	fi
	check_layout "$name" "$log" "$ring" "$inorder" "$mrg" || return
	echo "$name: $summary" >&2
	pass "$name"
}

# rxintr NAME VDEV-ARGS: app/mdev-rxintr (rx interrupts through eventfds).
rxintr() {
	name=matrix-rxintr-$1
	log=$LOGDIR/$name.log
	prog=$BUILD_DIR/app/mdev-rxintr/mdev-rxintr
	if [ ! -x "$prog" ]; then
		fail "$name" "$prog not built"
		return
	fi
	# shellcheck disable=SC2086
	run_dpdk "$log" 90 "$prog" $EAL_COMMON --lcores 0@0 \
		-d "$PLUGINS" --vdev "mdev_sim0,$2" -- 10
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name" "$(status_words $rc): $(grep -m 1 -E 'FAILED|Cause' "$log") (log $log)"
		return
	fi
	echo "$name: $(grep 'RESULT' "$log")" >&2
	pass "$name"
}

# The sim offers packed rings and in-order use only with these keys.
if ! grep -q '"packed_vq"' "$top/drivers/mdev/sim/sim_devargs.c" ||
		! grep -q '"in_order"' "$top/drivers/mdev/sim/sim_devargs.c"; then
	skip testpmd-matrix "the sim has no packed_vq= / in_order= devargs"
	e2e_exit
fi

for ring in split packed; do
	p=0
	[ "$ring" = packed ] && p=1
	for io in 0 1; do
		for mrg in 0 1; do
			sim="packed_vq=$p,in_order=$io,mrg_rxbuf=$mrg,event_idx=1"
			tag=$ring-io$io-mrg$mrg
			fwd "$tag-1q" 1 64 "$sim" $ring $io $mrg
			fwd "$tag-2q-3seg" 2 64,400,1036 "$sim" $ring $io $mrg
		done
	done
done

# Without EVENT_IDX (flags-only notification suppression).
fwd packed-noevidx-2q 2 64 "packed_vq=1,in_order=0,mrg_rxbuf=1,event_idx=0" \
	packed 0 1
fwd split-noevidx-2q 2 64 "packed_vq=0,in_order=1,mrg_rxbuf=1,event_idx=0" \
	split 1 1
# The PMD refuses what the sim offers (vm_* devargs).
fwd refuse-packed 1 64 \
	"packed_vq=1,in_order=1,mrg_rxbuf=1,vm_packed_vq=0" split 1 1
fwd refuse-inorder-mrg 1 64 \
	"packed_vq=1,in_order=1,mrg_rxbuf=1,vm_in_order=0,vm_mrg_rxbuf=0" \
	packed 0 0
fwd refuse-evidx 2 64 "packed_vq=1,in_order=1,event_idx=1,vm_event_idx=0" \
	packed 1 1

# Every byte checked, over packed rings.
P="packed_vq=1,event_idx=1"
payload packed-1q "mdev_sim0,$P,in_order=0" packed 0 1 --sizes 64,1500
payload packed-2q-3seg "mdev_sim0,queues=2,$P,in_order=0" packed 0 1 \
	--sizes 64,1500,777 --segs 3
payload packed-2q-inorder "mdev_sim0,queues=2,$P,in_order=1" packed 1 1 \
	--sizes 64,1514 --segs 2
payload packed-2q-burst1 "mdev_sim0,queues=2,$P,in_order=1" packed 1 1 \
	--sizes 64,1500 --burst 1 --count 2000
payload packed-2q-jumbo "mdev_sim0,queues=2,mtu=9000,$P,in_order=0" \
	packed 0 1 --sizes 9000,64,1514,4000 --segs 4
payload packed-1q-single "mdev_sim0,$P,in_order=1,mrg_rxbuf=0" packed 1 0 \
	--sizes 64,1500 --segs 2

# Rx interrupts: split and packed, with and without EVENT_IDX.
rxintr split-evidx "queues=2,packed_vq=0,event_idx=1"
rxintr split-flags "queues=2,packed_vq=0,event_idx=0"
rxintr packed-evidx "queues=2,packed_vq=1,event_idx=1"
rxintr packed-flags "queues=2,packed_vq=1,event_idx=0"

e2e_exit
