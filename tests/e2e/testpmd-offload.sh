#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Offloads and receive filters of the virtio_mdev PMD over the sim's
# loopback wire.
#
# Checksums: app/mdev-offload sends TCP and UDP frames over IPv4 and
# IPv6 with RTE_MBUF_F_TX_{TCP,UDP}_CKSUM (pseudo-header sums written by
# rte_eth_tx_prepare) and checks that every frame comes back intact with
# a right L4 checksum; with rx checksum offload enabled too, that every
# frame is flagged RTE_MBUF_F_RX_L4_CKSUM_NONE (the sim passes the partial
# checksum on, VIRTIO_NET_HDR_F_NEEDS_CSUM) and holds the pseudo-header
# sum the application can complete. Split and packed rings, mergeable
# and single rx buffers, in order and not. vm_csum=0
# must take the capability away; leaving out tx_prepare must be caught
# (a check of the checker). Then dpdk-testpmd's csum engine forwards with
# "csum set tcp hw" / "csum set udp hw" and rx checksum offloads on: the
# offload features are negotiated, nothing is dropped and Bad-l4csum
# stays 0.
#
# TSO and LRO (checked when the sim offers HOST_TSO4 / GUEST_TSO4, SKIP
# otherwise): app/mdev-offload --tso sends TCP frames over IPv4 and IPv6
# with 3000-9000 bytes of payload and RTE_MBUF_F_TX_TCP_SEG (MSS 536 to
# 1448). Without LRO every frame must come back as MSS-sized segments
# with right IPv4/TCP checksums, lengths, ids, sequence numbers and flags
# and the payload bytes exactly; with RTE_ETH_RX_OFFLOAD_TCP_LRO (sim
# guest_tso on, mergeable buffers) as one packet flagged RTE_MBUF_F_RX_LRO
# with tso_segsz the MSS. The sim's tx_tso_sw / tx_gso_passed counters
# (telemetry) must equal the segments / LRO packets received. vm_tso=0
# (PMD) and tso=0 (sim) must take the capability away.
#
# Receive filters: with promiscuous mode off, frames to a foreign MAC
# (testpmd's default peer) are dropped by the device and none arrive;
# with it on they arrive; with it off and the port's own MAC as peer
# they arrive. The sim's rx_filtered counter (telemetry) must count the
# first run's frames and no others.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init testpmd-offload

PMD_LOG="--log-level=net.virtio_mdev:info"
OFFLOAD=$BUILD_DIR/app/mdev-offload/mdev-offload
# Extra EAL options of the next offload run (offload_counted).
OFFLOAD_EAL=
SIM_MAC=02:11:22:33:44:55

# feature_offered LOG BIT: the PMD's probe log says the device offers BIT.
feature_offered() {
	hex=$(sed -n 's/.*features offered 0x\([0-9a-f]*\),.*/\1/p' "$1" |
		head -n 1)
	[ -n "$hex" ] || return 1
	[ $(((0x$hex >> $2) & 1)) -eq 1 ]
}

# offload NAME VDEV-ARGS WANT-RC SUMMARY-WORDS APP-ARGS...
# Runs mdev-offload; its exit status must be WANT-RC and its summary line
# must contain SUMMARY-WORDS.
offload() {
	name=offload-$1
	vdev=$2
	want=$3
	words=$4
	shift 4
	log=$LOGDIR/$name.log
	if [ ! -x "$OFFLOAD" ]; then
		fail "$name" "$OFFLOAD not built"
		return
	fi
	# shellcheck disable=SC2086
	run_dpdk "$log" 60 "$OFFLOAD" $EAL_COMMON $OFFLOAD_EAL --lcores 0@0 \
		$PMD_LOG -d "$PLUGINS" --vdev "mdev_sim0,$vdev" -- "$@"
	rc=$?
	summary=$(grep '^offload: ' "$log" | tail -n 1)
	if [ $rc -ne "$want" ]; then
		fail "$name" "$(status_words $rc) (expected $want): ${summary:-$(log_reason "$log")} (log $log)"
		return
	fi
	case $summary in
	*"$words"*) ;;
	*)
		fail "$name" "summary '$summary' lacks '$words' (log $log)"
		return ;;
	esac
	echo "$name: $summary" >&2
	pass "$name"
}

# testpmd csum engine: tx and rx checksum offloads configured.
csum_engine() {
	name=offload-testpmd-csum-$1
	log=$LOGDIR/$name.log
	script="@wait testpmd>
port stop 0
csum set tcp hw 0
csum set udp hw 0
port config 0 rx_offload tcp_cksum on
port config 0 rx_offload udp_cksum on
port start 0
show port 0 tx_offload configuration
set fwd csum
start tx_first 8
sleep 2
stop
quit"
	# shellcheck disable=SC2086
	run_testpmd "$log" 60 "$script" $EAL_COMMON --lcores "$TESTPMD_LCORES" \
		$PMD_LOG -d "$PLUGINS" --vdev "mdev_sim0,$2" -- -i \
		$TESTPMD_MBUFS --nb-cores=1
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '^Bye' "$log"; then
		fail "$name" "testpmd $(status_words $rc) (log $log)"
		return
	fi
	# CSUM and GUEST_CSUM negotiated at the start after configure.
	if ! grep -q 'offload features 0x3$' "$log"; then
		fail "$name" "checksum features not negotiated (log $log)"
		return
	fi
	if grep -q -e 'Preparing packet burst to transmit failed' \
			-e 'csum offload is not supported' "$log"; then
		fail "$name" "testpmd could not use the offloads (log $log)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$log" | sed -n 1p)
	if [ $# -ne 5 ] || [ "$1" -eq 0 ]; then
		fail "$name" "nothing forwarded (log $log)"
		return
	fi
	if [ "$4" -ne 0 ] || [ "$5" -ne 0 ]; then
		fail "$name" "TX-dropped $4, RX-nombufs $5 (log $log)"
		return
	fi
	bad=$(sed -n 's/.*Bad-l4csum: *\([0-9]*\).*/\1/p' "$log" | head -n 1)
	if [ -z "$bad" ] || [ "$bad" -ne 0 ]; then
		fail "$name" "Bad-l4csum '${bad:-none printed}' (log $log)"
		return
	fi
	echo "$name: RX $1 TX $3, Bad-l4csum 0" >&2
	pass "$name"
}

# tel SOCK CMD: one telemetry reply (JSON) of a running DPDK process.
tel() {
	python3 - "$@" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(sys.argv[1])
s.recv(16384)
s.send(sys.argv[2].encode())
print(s.recv(1 << 20).decode())
EOF
}

# The sim's rx_filtered counter in a telemetry reply (empty: none).
rx_filtered() {
	sed -n 's/.*"rx_filtered":\([0-9]*\).*/\1/p' "$1" 2> /dev/null
}

# Receive filters through the control queue (promiscuous mode). After
# each run the sim's counters are read through telemetry.
promisc() {
	name=offload-promisc
	log=$LOGDIR/$name.log
	prefix=offload$$
	sock=/var/run/dpdk/$prefix/dpdk_telemetry.v2
	script="@wait testpmd>
set fwd mac
set promisc 0 off
start tx_first 8
sleep 1
stop
sleep 2
set promisc 0 on
start tx_first 8
sleep 1
stop
sleep 2
set promisc 0 off
set eth-peer 0 $SIM_MAC
start tx_first 8
sleep 1
stop
sleep 2
quit"
	rm -f "$log".tel*
	# testpmd's own output is buffered, its prompts are not: the prompt
	# after each "stop" is the 5th, 8th and 12th (the first comes before
	# any command); telemetry is read in the pause that follows.
	(
		n=0
		for p in 5 8 12; do
			n=$((n + 1))
			i=0
			while [ $i -lt 600 ] && [ "$(grep -o 'testpmd> ' "$log" 2> /dev/null | wc -l)" -lt $p ]; do
				sleep 0.1
				i=$((i + 1))
			done
			tel "$sock" /mdev_sim/stats,mdev_sim0 > "$log.tel$n" 2>&1
		done
	) &
	poller=$!
	# shellcheck disable=SC2086
	run_testpmd "$log" 60 "$script" $EAL_COMMON --file-prefix "$prefix" \
		--lcores "$TESTPMD_LCORES" $PMD_LOG -d "$PLUGINS" \
		--vdev "mdev_sim0,mac=$SIM_MAC" -- -i $TESTPMD_MBUFS --nb-cores=1
	rc=$?
	wait $poller
	rm -rf "/var/run/dpdk/$prefix"
	if [ "$rc" -ne 0 ] || ! grep -q '^Bye' "$log"; then
		fail "$name" "testpmd $(status_words $rc) (log $log)"
		return
	fi
	if ! feature_offered "$log" 18; then
		skip "$name" "the device does not offer VIRTIO_NET_F_CTRL_RX"
		return
	fi
	acc_blocks "$log" > "$log.acc"
	if [ "$(wc -l < "$log.acc")" -ne 3 ]; then
		fail "$name" "expected 3 forwarding runs (log $log)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(sed -n 1p "$log.acc")
	if [ "$3" -eq 0 ] || [ "$1" -ne 0 ]; then
		fail "$name" "promiscuous off, foreign MAC: TX $3 RX $1, expected RX 0 (log $log)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(sed -n 2p "$log.acc")
	if [ "$1" -eq 0 ]; then
		fail "$name" "promiscuous on, foreign MAC: nothing received (log $log)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(sed -n 3p "$log.acc")
	if [ "$1" -eq 0 ]; then
		fail "$name" "promiscuous off, own MAC: nothing received (log $log)"
		return
	fi
	# The sim counted the first run's frames as filtered, no others.
	f1=$(rx_filtered "$log.tel1")
	f2=$(rx_filtered "$log.tel2")
	f3=$(rx_filtered "$log.tel3")
	if [ -z "$f1" ] || [ -z "$f2" ] || [ -z "$f3" ]; then
		echo "$name: no rx_filtered counter from the sim's telemetry ($log.tel1)" >&2
	elif [ "$f1" -eq 0 ] || [ "$f2" -ne "$f1" ] || [ "$f3" -ne "$f1" ]; then
		fail "$name" "sim rx_filtered after each run: $f1 $f2 $f3, expected N>0 N N (log $log)"
		return
	else
		echo "$name: sim rx_filtered $f1 after the foreign-MAC run, unchanged after" >&2
	fi
	pass "$name"
}

# offload_counted NAME VDEV-ARGS COUNTER FIELD APP-ARGS...: offload NAME
# (exit 0, summary with FIELD), then the sim's telemetry COUNTER, read
# while the application lingers at its end, must equal the number after
# FIELD in the summary (result offload-NAME-counter).
offload_counted() {
	cname=$1
	cvdev=$2
	counter=$3
	field=$4
	shift 4
	cprefix=offload$$
	csock=/var/run/dpdk/$cprefix/dpdk_telemetry.v2
	clog=$LOGDIR/offload-$cname.log
	rm -f "$clog" "$clog.tel"
	(
		i=0
		while [ $i -lt 300 ] && ! grep -q '^offload: lingering' \
				"$clog" 2> /dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		tel "$csock" /mdev_sim/stats,mdev_sim0 > "$clog.tel" 2>&1
	) &
	cpoller=$!
	OFFLOAD_EAL="--file-prefix $cprefix"
	offload "$cname" "$cvdev" 0 "$field" "$@" --linger 3000
	OFFLOAD_EAL=
	wait $cpoller
	rm -rf "/var/run/dpdk/$cprefix"
	got=$(sed -n "s/.*\"$counter\":\([0-9]*\).*/\1/p" "$clog.tel")
	want=$(grep '^offload: tso' "$clog" | tail -n 1 |
		sed -n "s/.* $field \([0-9]*\).*/\1/p")
	if [ -z "$got" ] || [ -z "$want" ] || [ "$got" -ne "$want" ]; then
		fail "offload-$cname-counter" "sim $counter '$got', application $field '$want' (log $clog.tel)"
		return
	fi
	echo "offload-$cname-counter: sim $counter $got = $field received" >&2
	pass "offload-$cname-counter"
}

# Does the sim offer the checksum features at all (PMD probe line)?
probe_log=$LOGDIR/probe.log
# shellcheck disable=SC2086
run_dpdk "$probe_log" 60 "$OFFLOAD" $EAL_COMMON --lcores 0@0 $PMD_LOG \
	-d "$PLUGINS" --vdev mdev_sim0 -- --count 1 --no-tx-csum
if ! feature_offered "$probe_log" 0 || ! feature_offered "$probe_log" 1; then
	skip offload-csum "the sim offers no VIRTIO_NET_F_CSUM / GUEST_CSUM"
else
	for ring in split packed; do
		p=0
		[ "$ring" = packed ] && p=1
		offload "tx-$ring" "packed_vq=$p" 0 "tx offloaded" \
			--count 4000
		offload "tx-rx-partial-$ring" "packed_vq=$p" 0 "tx offloaded" \
			--count 4000 --rx-csum --expect none
	done
	# The single-buffer rx paths, out of order.
	for ring in split packed; do
		p=0
		[ "$ring" = packed ] && p=1
		offload "single-$ring" "packed_vq=$p,mrg_rxbuf=0,in_order=0" 0 \
			"tx offloaded" --count 4000 --rx-csum --expect none
	done
	offload refused "vm_csum=0" 0 "tx software" --count 500
	offload checker "packed_vq=0" 1 "tx offloaded" --count 500 \
		--skip-prepare
	csum_engine split "packed_vq=0"
	csum_engine packed "packed_vq=1"
fi

# TSO: the sim cuts the frames into segments (no LRO asked for), on
# both ring layouts and without mergeable buffers.
if ! feature_offered "$probe_log" 11; then
	skip offload-tso "the sim offers no VIRTIO_NET_F_HOST_TSO4"
else
	for ring in split packed; do
		p=0
		[ "$ring" = packed ] && p=1
		offload_counted "tso-$ring" "packed_vq=$p" tx_tso_sw segments \
			--count 2000 --tso --expect-rx segments
	done
	offload tso-single "packed_vq=0,mrg_rxbuf=0,in_order=0" 0 "lro off" \
		--count 2000 --tso --expect-rx segments
	offload tso-refused "vm_tso=0" 3 "tso not offered" --count 10 --tso
	offload tso-sim-off "tso=0" 3 "tso not offered" --count 10 --tso
fi
# LRO: the sim passes the frames whole (GUEST_TSO4/6 negotiated), or
# segments them when the PMD cannot take LRO (no mergeable buffers) or
# the sim does not offer it (guest_tso=0); expecting LRO there must fail.
if ! feature_offered "$probe_log" 7; then
	skip offload-lro "the sim offers no VIRTIO_NET_F_GUEST_TSO4"
else
	for ring in split packed; do
		p=0
		[ "$ring" = packed ] && p=1
		offload_counted "lro-$ring" "packed_vq=$p" tx_gso_passed lro \
			--count 2000 --tso --lro --expect-rx lro
	done
	offload lro-out-of-order "packed_vq=0,in_order=0" 0 "lro on" \
		--count 2000 --tso --lro --expect-rx lro
	offload lro-single "packed_vq=1,mrg_rxbuf=0" 0 "lro off" --count 1000 \
		--tso --lro --expect-rx segments
	offload lro-sim-off "guest_tso=0" 0 "lro off" --count 1000 \
		--tso --lro --expect-rx segments
	offload lro-checker "guest_tso=0" 1 "lro off" --count 100 \
		--tso --lro --expect-rx lro
fi

# Run testpmd on $script (the MAC tests, bounded to $1 s) and write its
# forwarding runs to $log.acc; false (a FAIL said) when testpmd failed.
mac_runs() {
	# shellcheck disable=SC2086
	run_testpmd "$log" "$1" "$script" $EAL_COMMON \
		--lcores "$TESTPMD_LCORES" $PMD_LOG -d "$PLUGINS" \
		--vdev "mdev_sim0,mac=$SIM_MAC" -- -i $TESTPMD_MBUFS --nb-cores=1
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '^Bye' "$log"; then
		fail "$name" "testpmd $(status_words $rc) (log $log)"
		return 1
	fi
	acc_blocks "$log" > "$log.acc"
}

# A MAC set with "mac_addr set" reaches the device (CTRL_MAC_ADDR_SET):
# with promiscuous off, frames to the new MAC are received and frames to
# the device's original MAC are not.
macaddr() {
	name=offload-mac-addr-set
	log=$LOGDIR/$name.log
	new=02:00:00:00:00:99
	script="@wait testpmd>
set fwd mac
mac_addr set 0 $new
set promisc 0 off
set eth-peer 0 $new
start tx_first 8
sleep 1
stop
sleep 1
set eth-peer 0 $SIM_MAC
start tx_first 8
sleep 1
stop
sleep 1
quit"
	mac_runs 60 || return
	# shellcheck disable=SC2046
	set -- $(sed -n 1p "$log.acc") x x x x x $(sed -n 2p "$log.acc")
	if [ $# -ne 15 ]; then
		fail "$name" "expected 2 forwarding runs (log $log)"
	elif [ "$1" -eq 0 ]; then
		fail "$name" "promiscuous off, frames to the new MAC $new: nothing received (log $log)"
	elif [ "${13}" -eq 0 ] || [ "${11}" -ne 0 ]; then
		fail "$name" "frames to the old MAC $SIM_MAC: TX ${13} RX ${11}, expected RX 0 (log $log)"
	else
		pass "$name"
	fi
}

# The receive filter table (VIRTIO_NET_CTRL_MAC_TABLE_SET), promiscuous
# and all-multicast off: a unicast address added with "mac_addr add" and
# a multicast one with "mcast_addr add" are received, and no longer once
# removed. One forwarding run each, RX counted per run.
macfilter() {
	name=offload-mac-filter-table
	log=$LOGDIR/$name.log
	uc=02:00:00:00:00:77
	mc=01:00:5e:00:00:fb
	run="start tx_first 8
sleep 1
stop
sleep 1"
	script="@wait testpmd>
set fwd mac
set promisc 0 off
set allmulti 0 off
mac_addr add 0 $uc
set eth-peer 0 $uc
$run
mac_addr remove 0 $uc
$run
mcast_addr add 0 $mc
set eth-peer 0 $mc
$run
mcast_addr remove 0 $mc
$run
quit"
	mac_runs 90 || return
	# RX and TX of the four runs: added, removed, added, removed.
	# shellcheck disable=SC2046
	set -- $(awk '{ print $1, $3 }' "$log.acc")
	if [ $# -ne 8 ]; then
		fail "$name" "expected 4 forwarding runs, got $(($# / 2)) (log $log)"
	elif [ "$1" -eq 0 ] || [ "$5" -eq 0 ]; then
		fail "$name" "added addresses not received: unicast RX $1, multicast RX $5 (log $log)"
	elif [ "$4" -eq 0 ] || [ "$8" -eq 0 ] || [ "$3" -ne 0 ] || \
			[ "$7" -ne 0 ]; then
		fail "$name" "removed addresses: unicast TX $4 RX $3, multicast TX $8 RX $7, expected TX > 0 RX 0 (log $log)"
	else
		pass "$name"
	fi
}

promisc
macaddr
macfilter

e2e_exit
