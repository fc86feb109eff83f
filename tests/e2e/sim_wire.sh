#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The sim's ethdev wire (wire=<port>), driven by Debian's dpdk-testpmd:
#
# sim-wire-ping: --vdev net_tap0,iface=T --vdev mdev_sim0,wire=net_tap0
#   with testpmd's icmpecho mode on the mdev port (testpmd never sees
#   net_tap0: the sim owns it). The host gives T an address and pings
#   another one of its subnet: icmpecho answers the ARP request and the
#   echo requests, 56 and 1472-byte payloads, no loss.
# sim-wire-lsc: in the same run, the link the driver sees follows T
#   (ip link set T down/up) and the telemetry command
#   /mdev_sim/link,mdev_sim0,down|up: testpmd reports a link state change
#   event each time, and /mdev_sim/stats shows the link.
# sim-wire-null-drops: wire=net_null (a port that receives without end)
#   with testpmd txonly (which never reads its rx ring): the wire sends,
#   the packets it receives find no rx buffer and are dropped and counted
#   (rx_nobuf_drops); testpmd ends cleanly.
# sim-wire-ring-multiseg: wire=net_ring0 (a port whose rx ring is its tx
#   ring) with testpmd flowgen sending 3500-byte, four-segment frames: the
#   sim copies each into a two-mbuf chain for the port and back into
#   mergeable rx buffers; the wire received all it sent, byte for byte,
#   every packet was delivered or counted, and testpmd received frames of
#   the length it sent.
# sim-wire-tap-down-drops: wire=net_tap with T down (the kernel refuses
#   its writes) and testpmd txonly: the tx drops are counted (tx_drops),
#   nothing is sent, testpmd ends cleanly.
#
# Needs root, /dev/net/tun, ip(8) and ping (iputils or busybox); SKIP
# lines say which is missing. testpmd runs in a network namespace of the
# test's own (ip netns exec), so its tap interface, the 198.18.x.x
# address and the pings never touch the host's network; each tap is made
# by the run that uses it and deleted after it (tap PMD close, else ip
# link del), the namespace at the end.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init sim-wire

# Short names: an interface name has 15 characters at most.
TAP=mdevw$$
# testpmd, its TAP, the address and the pings live in a network namespace
# of the test's own, deleted at the end.
NS=mdevw$$
PREFIX=simwire$$
SOCK=/var/run/dpdk/$PREFIX/dpdk_telemetry.v2
NET=198.18.$(($$ % 250 + 1))
RUN_SECONDS=${RUN_SECONDS:-3}

cleanup() {
	if ip -n "$NS" link show "$TAP" > /dev/null 2>&1; then
		ip -n "$NS" link del "$TAP" 2> /dev/null
	fi
	rm -rf "/var/run/dpdk/$PREFIX"
}
cleanup_all() {
	cleanup
	ip netns del "$NS" 2> /dev/null
}
trap cleanup_all EXIT
trap 'exit 1' INT TERM

if [ "$(id -u)" -ne 0 ]; then
	skip sim-wire "needs root (TAP interfaces)"
	e2e_exit
fi
if [ ! -c /dev/net/tun ] || ! command -v ip > /dev/null; then
	skip sim-wire "needs /dev/net/tun and ip(8)"
	e2e_exit
fi
if ! ip netns add "$NS" 2> "$LOGDIR/netns.err"; then
	skip sim-wire "cannot create a network namespace: $(cat "$LOGDIR/netns.err")"
	e2e_exit
fi
if command -v ping > /dev/null; then
	PING=ping
elif command -v busybox > /dev/null && busybox ping -h 2>&1 |
		grep -q -i usage; then
	PING="busybox ping"
else
	PING=""
fi

# tel CMD...: telemetry of the running testpmd, one JSON reply a line.
tel() {
	python3 - "$SOCK" "$@" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(5)
s.connect(sys.argv[1])
s.recv(16384)
for cmd in sys.argv[2:]:
    s.send(cmd.encode())
    print(s.recv(1 << 20).decode())
EOF
}

# json_get FILE KEY: the number (or quoted word) after "KEY": in FILE.
json_get() {
	sed -n "s/.*\"$2\":\"\{0,1\}\([A-Za-z0-9_]*\).*/\1/p" "$1" | tail -n 1
}

# wait_log LOG TEXT [TENTHS]: until LOG shows TEXT (default 30 s).
wait_log() {
	i=0
	while [ "$i" -lt "${3:-300}" ] && ! grep -qF -- "$2" "$1"; do
		kill -0 "$tpid" 2> /dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	grep -qF -- "$2" "$1"
}

# lsc_count LOG: link state change events testpmd printed so far.
lsc_count() {
	grep -c 'link state change event' "$1"
}

# run_wire NAME ACTIONS VDEV... -- TESTPMD-ARGS...: start testpmd in the
# background with a FIFO on its stdin, run the shell function ACTIONS
# (its stdout goes to testpmd), then quit. Sets rc, log.
run_wire() {
	name=$1
	actions=$2
	shift 2
	log=$LOGDIR/$name.log
	fifo=$log.fifo
	rm -f "$fifo"
	mkfifo "$fifo" || return 1
	vdevs=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		vdevs="$vdevs --vdev $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	echo "$TESTPMD $EAL_COMMON --file-prefix $PREFIX --lcores $TESTPMD_LCORES -d $PLUGINS $vdevs -- -i $TESTPMD_MBUFS $*" > "$log.cmd"
	# shellcheck disable=SC2086
	timeout -k 5 90 ip netns exec "$NS" "$TESTPMD" $EAL_COMMON \
		--file-prefix "$PREFIX" \
		--lcores "$TESTPMD_LCORES" -d "$PLUGINS" $vdevs -- -i \
		$TESTPMD_MBUFS "$@" < "$fifo" > "$log" 2>&1 &
	tpid=$!
	(
		trap '' PIPE
		if wait_log "$log" "testpmd>"; then
			"$actions"
		fi
		echo "show port stats all"
		sleep 0.5
		echo quit
		# Keep stdin open while testpmd quits: EOF would end it early.
		wait_exit "$tpid" 100
	) > "$fifo" 2> "$log.actions"
	wait "$tpid"
	rc=$?
	rm -f "$fifo"
	cleanup
}

# ---- sim-wire-ping and sim-wire-lsc ----

ping_actions() {
	echo start
	ip -n "$NS" addr add "$NET.1/24" dev "$TAP" >&2 &&
		ip -n "$NS" link set "$TAP" up >&2
	if [ -n "$PING" ]; then
		ip netns exec "$NS" $PING -c 3 -W 2 "$NET.2" > "$LOGDIR/ping-56.log" 2>&1
		echo "ping-56 $?" >> "$LOGDIR/results"
		ip netns exec "$NS" $PING -c 3 -W 2 -s 1472 "$NET.2" > "$LOGDIR/ping-1472.log" 2>&1
		echo "ping-1472 $?" >> "$LOGDIR/results"
	fi
	sleep 0.5
	n0=$(lsc_count "$log")
	ip -n "$NS" link set "$TAP" down >&2
	sleep 1
	tel /mdev_sim/stats,mdev_sim0 > "$LOGDIR/stats-tap-down.json"
	ip -n "$NS" link set "$TAP" up >&2
	sleep 1
	tel /mdev_sim/link,mdev_sim0,down /mdev_sim/stats,mdev_sim0 \
		> "$LOGDIR/stats-forced-down.json"
	sleep 1
	tel /mdev_sim/link,mdev_sim0,up /mdev_sim/stats,mdev_sim0 \
		> "$LOGDIR/stats-up.json"
	sleep 1
	echo "lsc $n0 $(lsc_count "$log")" >> "$LOGDIR/results"
	echo stop
	sleep 0.5
}

result() {
	sed -n "s/^$1 //p" "$LOGDIR/results" | tail -n 1
}

test_ping() {
	: > "$LOGDIR/results"
	run_wire ping ping_actions "net_tap0,iface=$TAP" \
		"mdev_sim0,wire=net_tap0" -- --forward-mode=icmpecho
	if [ "$rc" -ne 0 ] || ! grep -q '^Bye' "$log"; then
		fail sim-wire-ping "testpmd $(status_words "$rc") (log $log)"
		fail sim-wire-lsc "testpmd $(status_words "$rc") (log $log)"
		return
	fi
	if grep -q 'Port 0:' "$log"; then
		fail sim-wire-ping "testpmd sees net_tap0 as a port: the sim does not own it (log $log)"
	elif [ -z "$PING" ]; then
		skip sim-wire-ping "no ping (iputils-ping or busybox)"
	elif [ "$(result ping-56)" != 0 ] || [ "$(result ping-1472)" != 0 ]
	then
		fail sim-wire-ping "ping $NET.2 via $TAP failed (logs $LOGDIR/ping-*.log, $log)"
	else
		pass sim-wire-ping
	fi
	# shellcheck disable=SC2046
	set -- $(result lsc)
	down=$(json_get "$LOGDIR/stats-tap-down.json" port_link)
	forced=$(json_get "$LOGDIR/stats-forced-down.json" link)
	up=$(json_get "$LOGDIR/stats-up.json" link)
	if [ $# -ne 2 ] || [ $(($2 - $1)) -lt 4 ]; then
		fail sim-wire-lsc "expected 4 link state change events (tap down, up, forced down, up), got ${2:-?} - ${1:-?} (log $log)"
	elif [ "$down" != down ] || [ "$forced" != down ] || [ "$up" != up ]
	then
		fail sim-wire-lsc "telemetry link: tap down -> port_link $down, forced down -> $forced, back up -> $up (logs $LOGDIR/stats-*.json)"
	else
		pass sim-wire-lsc
	fi
}

# ---- drops ----

txonly_actions() {
	echo start
	sleep "$RUN_SECONDS"
	tel /mdev_sim/stats,mdev_sim0 > "$LOGDIR/stats-$name.json"
	echo stop
	sleep 0.5
}

tapdown_actions() {
	ip -n "$NS" link set "$TAP" down >&2
	txonly_actions
}

# check_drops NAME: testpmd ended well; print "tx drops rx_nobuf".
check_drops() {
	st=$LOGDIR/stats-$1.json
	if [ "$rc" -ne 0 ] || ! grep -q '^Bye' "$log"; then
		fail "sim-wire-$1" "testpmd $(status_words "$rc") (log $log)"
		return 1
	fi
	if [ ! -s "$st" ]; then
		fail "sim-wire-$1" "no telemetry reply (log $log)"
		return 1
	fi
	tx=$(json_get "$st" tx_packets)
	txd=$(json_get "$st" tx_drops)
	rxd=$(json_get "$st" rx_nobuf_drops)
	echo "sim-wire-$1: wire tx_packets $tx tx_drops $txd rx_nobuf_drops $rxd" >&2
}

test_null() {
	name=null-drops
	run_wire "$name" txonly_actions "net_null0" "mdev_sim0,wire=net_null0" \
		-- --forward-mode=txonly
	check_drops "$name" || return
	if [ "${tx:-0}" -eq 0 ] || [ "${rxd:-0}" -eq 0 ]; then
		fail "sim-wire-$name" "expected wire tx_packets > 0 and rx_nobuf_drops > 0, got $tx and $rxd ($st)"
		return
	fi
	pass "sim-wire-$name"
}

test_ring() {
	name=ring-multiseg
	run_wire "$name" txonly_actions "net_ring0" "mdev_sim0,wire=net_ring0" \
		-- --forward-mode=flowgen --txpkts=64,400,1036,2000 \
		--tx-offloads=0x8000
	check_drops "$name" || return
	rx=$(json_get "$st" rx_packets)
	txb=$(json_get "$st" tx_bytes)
	rxb=$(json_get "$st" rx_bytes)
	dlv=$(json_get "$st" rx_delivered)
	if [ "${tx:-0}" -eq 0 ] || [ "$tx" != "$rx" ] || [ "$txb" != "$rxb" ]
	then
		fail "sim-wire-$name" "wire sent $tx packets ($txb bytes), received $rx ($rxb bytes) ($st)"
		return
	fi
	if [ $((dlv + rxd)) -ne "$rx" ]; then
		fail "sim-wire-$name" "rx_delivered $dlv + rx_nobuf_drops $rxd != rx_packets $rx ($st)"
		return
	fi
	# shellcheck disable=SC2046
	set -- $(port_stats_blocks "$log" | tail -n 1)
	rxbytes=$(sed -n 's/.*RX-bytes: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	txbytes=$(sed -n 's/.*TX-bytes: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	if [ $# -ne 6 ] || [ "$1" -eq 0 ] || [ "$5" -eq 0 ] ||
		[ $((rxbytes * $5)) -ne $((txbytes * $1)) ]; then
		fail "sim-wire-$name" "testpmd port: RX $1 packets $rxbytes bytes, TX $5 packets $txbytes bytes: not the same frame length (log $log)"
		return
	fi
	pass "sim-wire-$name"
}

test_tapdown() {
	name=tap-down-drops
	run_wire "$name" tapdown_actions "net_tap0,iface=$TAP" \
		"mdev_sim0,wire=net_tap0" -- --forward-mode=txonly
	check_drops "$name" || return
	if [ "${txd:-0}" -eq 0 ] || [ "${tx:-1}" -ne 0 ]; then
		fail "sim-wire-$name" "expected tx_drops > 0 and tx_packets 0 with $TAP down, got $txd and $tx ($st)"
		return
	fi
	pass "sim-wire-$name"
}

test_ping
test_null
test_ring
test_tapdown
e2e_exit
