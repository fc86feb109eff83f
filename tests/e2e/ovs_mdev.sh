#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# OVS-DPDK with a virtio-mdev port (issue 6).
#
# A private OVS-DPDK (Debian's openvswitch-switch-dpdk, installed when
# missing) loads our drivers with dpdk-extra="-d <plugin dir>" and gets a
# netdev bridge with three ports:
#   ofport 1  vhu0   dpdkvhostuserclient, fed by dpdk-testpmd (virtio-user,
#                    server=1) in flowgen mode: it sends continuously and
#                    counts and frees what it receives
#   ofport 2  mdev0  type=dpdk, dpdk-devargs=mdev_sim0,... (our PMD on the
#                    sim, whose wire is a loopback: what OVS sends out of
#                    the port comes back in on it)
#   ofport 3  null0  type=dpdk, net_null0 (rate reference only)
# Flows 1 -> 2 and 2 -> 1 make every frame go testpmd -> OVS -> mdev0 ->
# sim loopback -> mdev0 -> OVS -> testpmd. The test checks counts in both
# directions, deletes and re-adds the port under traffic, changes its MTU
# (9000 then 1500; at 9000 OVS sends 8000-byte frames through the
# loopback), reads its Interface row, scans ovs-vswitchd.log for warnings
# and errors about it, stops everything and checks that no process and no
# hugepage is left. It prints the OVS forwarding rate through mdev0 next to the
# rate through null0 (informational).
#
# Environment:
#   OVS_MDEV_DEVARGS  devargs of the port under test (default
#                     mdev_sim0,mtu=9000,cpu=0: a device whose MTU may go
#                     up to 9000, its engine thread sharing CPU 0 with
#                     testpmd while the OVS PMD thread has CPU 1); any
#                     other ethdev with a loopback wire works, e.g.
#                     net_ring0 to check the harness without our drivers
#   OVS_MDEV_EAL_EXTRA more EAL options for OVS's dpdk-extra, e.g.
#                     --log-level=*mdev*:debug
#   PLUGIN_DIR        plugin directory (default: devtools/plugin-dir.sh,
#                     else plugin_dir from devtools/lib.sh)
#   OVS_MDEV_IFACE    more "set Interface" columns for the port under test
#                     (net_ring0 needs options:n_rxq=2: OVS's PMD thread
#                     sends on tx queue 1, which net_ring loops to rx
#                     queue 1)
#
# Logs (ovs-vswitchd.log, testpmd.log, ...) go to
# $BUILD_DIR/test-logs/ovs_mdev/; OVS's database and sockets live in a
# scratch directory under /tmp (unix socket paths are short) that is
# removed at the end.
# Output: TAP (devtools/lib.sh); lines starting with "#" are information.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/ovs_lib.sh"

# The whole test is bounded (within its timeout in tests/meson.build); the
# TERM handler cleans up in the 40 s before the KILL.
if [ -z "${OVS_MDEV_BOUNDED:-}" ]; then
	OVS_MDEV_BOUNDED=1 exec timeout -k 40 270 sh "$0" "$@"
fi

P=ovs_mdev
failed=0
# Margin for frames in flight when counters are compared: the vhost
# ring (256), the device's rings (up to 1024 each way), OVS batches.
MARGIN=${OVS_MDEV_MARGIN:-4096}
BR=br0
VH_PORT=1
MD_PORT=2
NULL_PORT=3
MDEV_DEVARGS=${OVS_MDEV_DEVARGS:-mdev_sim0,mtu=9000,cpu=0}
MDEV_IFACE=${OVS_MDEV_IFACE:-}
NULL_DEVARGS="net_null0,no-rx=1"
# OVS: main thread on CPU 0, PMD thread on the last CPU; testpmd (main
# and forwarding lcore) on CPU 0.
PMD_MASK=$(printf '0x%x' $((1 << LAST_CPU)))
TP_LCORES="0@0,1@0"

W=
TP_PID=
TP_TMO_PID=
VSWITCHD_PID=
OVSDB_PID=
STARTED_PIDS=

ok() { pass "${P}_$1"; }
ko() {
	n=$1
	shift
	fail "${P}_$n" "$*"
	failed=1
}
no() {
	n=$1
	shift
	skip "${P}_$n" "$*"
}
info() { echo "# $*"; }

hugepages_free() { awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo; }

# ---- testpmd, driven line by line through a FIFO ----

tp_cmd() { echo "$*" >&3; }

# The PID of testpmd itself (child of the timeout wrapper).
tp_child_pid() {
	c=$(cat "/proc/$1/task/$1/children" 2> /dev/null)
	[ -n "$c" ] || c=$(ps -o pid= --ppid "$1" 2> /dev/null)
	echo "$c" | awk '{ print $1 }'
}

tp_launch() {
	rm -f "$W/tp.in"
	mkfifo "$W/tp.in" || return 1
	# Line-buffered: the statistics of each "stop" must reach the log
	# when they are printed.
	# shellcheck disable=SC2086
	timeout -k 5 240 stdbuf -oL -eL "$TESTPMD" --lcores "$TP_LCORES" \
		$EAL_COMMON --single-file-segments \
		--vdev "net_virtio_user0,path=$VHOST_SOCK,server=1,queues=1" \
		-- -i --total-num-mbufs=16384 \
		--forward-mode=flowgen \
		< "$W/tp.in" > "$L/testpmd.log" 2>&1 &
	TP_TMO_PID=$!
	exec 3> "$W/tp.in"
	TP_PID=
	n=100
	while [ -z "$TP_PID" ] && [ $n -gt 0 ]; do
		TP_PID=$(tp_child_pid "$TP_TMO_PID")
		[ -n "$TP_PID" ] || ovs_pid_alive "$TP_TMO_PID" || break
		n=$((n - 1))
		sleep 0.1
	done
	[ -n "$TP_PID" ] && STARTED_PIDS="$STARTED_PIDS $TP_PID"
	# Ready when the prompt is printed.
	n=300
	while ! grep -q 'testpmd> ' "$L/testpmd.log" 2> /dev/null; do
		ovs_pid_alive "$TP_PID" || return 1
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.1
	done
}

# Start testpmd; other people's DPDK programs may hold the hugepages for
# a moment: try again then.
tp_start() {
	for attempt in 1 2 3 4; do
		tp_launch && return 0
		exec 3>&-
		wait "$TP_TMO_PID" 2> /dev/null
		grep -q 'Cannot init memory' "$L/testpmd.log" || return 1
		[ $attempt = 4 ] && return 1
		info "testpmd: not enough free hugepages ($(hugepages_free) free), again in 10 s"
		sleep 10
	done
}

# tp_stop TAG: "stop" forwarding and set TP_RX / TP_TX / TP_TXDROP from
# its "Accumulated forward statistics" block (saved in stop-TAG.log).
tp_stop() {
	off=$(wc -c < "$L/testpmd.log")
	tp_cmd stop
	n=150
	while :; do
		tail -c +$((off + 1)) "$L/testpmd.log" > "$L/stop-$1.log"
		grep -q 'Accumulated forward statistics' "$L/stop-$1.log" &&
			grep -q '^Done\.' "$L/stop-$1.log" && break
		n=$((n - 1))
		[ $n -le 0 ] && break
		sleep 0.1
	done
	# "RX RX-dropped TX TX-dropped RX-nombufs"
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$L/stop-$1.log" | tail -n 1)
	TP_RX=${1:-}
	TP_TX=${3:-}
	TP_TXDROP=${4:-}
}

tp_quit() {
	[ -n "$TP_PID" ] || return 0
	if ovs_pid_alive "$TP_PID"; then
		tp_cmd quit 2> /dev/null
		if ! ovs_wait_gone "$TP_PID" 20; then
			info "testpmd did not quit: SIGTERM to $TP_PID"
			kill -TERM "$TP_PID" 2> /dev/null
			ovs_wait_gone "$TP_PID" 5 || kill -KILL "$TP_PID" 2> /dev/null
		fi
	fi
	exec 3>&-
	wait "$TP_TMO_PID" 2> /dev/null
	TP_TMO_PID=
}

cleanup() {
	[ -n "$TP_PID" ] && tp_quit > /dev/null 2>&1
	if [ -n "$VSWITCHD_PID$OVSDB_PID" ]; then
		ovs_stop > /dev/null 2>&1
	fi
	if [ -n "$W" ] && [ -d "$W" ]; then
		cp "$W"/log/*.log "$L"/ 2> /dev/null
		rm -rf "$W"
	fi
}

on_signal() {
	ko whole "stopped by a signal or the 270 s bound"
	trap - EXIT
	OVS_STOP_WAIT=5
	cleanup
	exit 1
}
trap cleanup EXIT
trap on_signal TERM INT HUP
# A write to testpmd's FIFO after it died must fail, not kill the test.
trap '' PIPE

# ---- counters ----

# An Ethernet frame of $1 bytes (without CRC) in hex: broadcast, a
# local experimental ethertype, zero payload.
frame_hex() {
	printf 'ffffffffffff020000000001' && printf '88b5' &&
		head -c $(($1 - 14)) /dev/zero | od -An -v -tx1 | tr -d ' \n'
}

# jumbo_check COUNT SIZE: with testpmd stopped, OVS sends COUNT frames of
# SIZE bytes out of mdev0; all must come back in on it, byte for byte.
# Sets JUMBO_WHY when not.
jumbo_check() {
	JUMBO_WHY=
	hex=$(frame_hex "$2")
	ovs_ofctl del-flows "$BR" &&
	ovs_ofctl add-flow "$BR" "in_port=$MD_PORT,actions=drop" || {
		JUMBO_WHY="ovs-ofctl add-flow failed"
		return 1
	}
	counters j0 $MD_PORT
	i=0
	while [ $i -lt "$1" ]; do
		ovs_ofctl packet-out "$BR" \
			"in_port=controller packet=$hex actions=output:$MD_PORT" ||
			{ JUMBO_WHY="ovs-ofctl packet-out failed"; return 1; }
		i=$((i + 1))
	done
	sleep 1
	counters j1 $MD_PORT
	ovs_ofctl del-flows "$BR"
	ovs_ofctl add-flow "$BR" "in_port=$VH_PORT,actions=output:$MD_PORT"
	ovs_ofctl add-flow "$BR" "in_port=$MD_PORT,actions=output:$VH_PORT"
	# shellcheck disable=SC2154
	got="out $((j1_tx - j0_tx)) frames / $((j1_txb - j0_txb)) B (dropped $((j1_txd - j0_txd))), back $((j1_rx - j0_rx)) frames / $((j1_rxb - j0_rxb)) B (dropped $((j1_rxd - j0_rxd)))"
	info "jumbo: $1 x $2 B: $got"
	if [ $((j1_tx - j0_tx)) != "$1" ] || [ $((j1_rx - j0_rx)) != "$1" ] ||
			[ $((j1_txb - j0_txb)) != $(($1 * $2)) ] ||
			[ $((j1_rxb - j0_rxb)) != $(($1 * $2)) ]; then
		JUMBO_WHY="$1 frames of $2 B sent: $got"
		return 1
	fi
	return 0
}

# counters NAME OFPORT: set NAME_rx NAME_rxd NAME_tx NAME_txd.
counters() {
	c=$(ovs_port_counters "$BR" "$2")
	[ -n "$c" ] || c="0 0 0 0 0 0"
	# shellcheck disable=SC2086
	set -- "$1" $c
	eval "$1_rx=$2 $1_rxd=$3 $1_tx=$4 $1_txd=$5 $1_rxb=$6 $1_txb=$7"
}

# set_mtu IFACE MTU: request an MTU and check OVS applied it; prints why
# not. When a PMD refuses rte_eth_dev_set_mtu with -ENOTSUP, OVS only
# warns and the mtu column still shows the request: the log says.
set_mtu() {
	l0=$(wc -l < "$VSWITCHD_LOG")
	if ! ovs_vsctl set Interface "$1" mtu_request="$2"; then
		echo "ovs-vsctl set mtu_request=$2 failed"
		return 1
	fi
	if ! ovs_wait_iface "$1" mtu "$2" 15; then
		echo "mtu_request=$2: mtu reads '$(ovs_iface_get "$1" mtu)', error '$(ovs_iface_get "$1" error)'"
		return 1
	fi
	sleep 1
	why=$(tail -n +$((l0 + 1)) "$VSWITCHD_LOG" | grep -E \
		"$1 (does not support MTU|MTU \([0-9]+\) setup error)|Failed to (set interface $1|create memory pool for netdev $1)" |
		head -n 1 | sed 's/^[^|]*|[^|]*|//')
	if [ -n "$why" ]; then
		echo "mtu_request=$2: $why"
		return 1
	fi
	return 0
}

now() { date +%s.%N; }

# rate COUNT0 COUNT1 T0 T1: packets per second, in Mpps with 2 decimals.
rate() {
	awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" \
		'BEGIN { d = t1 - t0; if (d <= 0) d = 1; printf "%.2f", (b - a) / d / 1e6 }'
}

abs_diff() {
	d=$(($1 - $2))
	[ $d -lt 0 ] && d=$((-d))
	echo $d
}

# Wait up to $1 seconds for OFPORT $2's rx and tx counters both to grow
# by more than 1000 frames.
wait_flowing() {
	counters w0 "$2"
	n=$(($1 * 2))
	while [ $n -gt 0 ]; do
		sleep 0.5
		counters w1 "$2"
		# shellcheck disable=SC2154
		if [ $((w1_rx - w0_rx)) -gt 1000 ] &&
				[ $((w1_tx - w0_tx)) -gt 1000 ]; then
			return 0
		fi
		n=$((n - 1))
	done
	return 1
}

vswitchd_alive() {
	if ! ovs_pid_alive "$VSWITCHD_PID"; then
		ko alive "ovs-vswitchd (pid $VSWITCHD_PID) died during $1; last log lines:"
		tail -n 20 "$VSWITCHD_LOG" 2> /dev/null | sed 's/^/#   /'
		return 1
	fi
	return 0
}

# Add the port under test and check that OVS took it.
add_mdev_port() {
	# shellcheck disable=SC2086
	ovs_vsctl add-port "$BR" mdev0 -- set Interface mdev0 type=dpdk \
		"options:dpdk-devargs=$MDEV_DEVARGS" \
		ofport_request=$MD_PORT $MDEV_IFACE > "$L/add.out" 2>&1 || {
		echo "ovs-vsctl add-port: $(cat "$L/add.out")"
		return 1
	}
	ovs_wait_iface mdev0 ofport $MD_PORT 20 || {
		echo "ofport '$(ovs_iface_get mdev0 ofport)'," \
			"error '$(ovs_iface_get mdev0 error)'"
		return 1
	}
	e=$(ovs_iface_get mdev0 error)
	if [ -n "$e" ] && [ "$e" != "[]" ]; then
		echo "error column: $e"
		return 1
	fi
	return 0
}

# The DPDK port ids our device had (for the log scan).
record_port_no() {
	pn=$(ovs_iface_get mdev0 status:port_no)
	[ -n "$pn" ] && MD_PORT_NOS="$MD_PORT_NOS $pn"
}

# ======================================================================

if [ "$(id -u)" != 0 ]; then
	no setup "needs root (hugepages, apt-get)"
	exit 0
fi

L=$BUILD_DIR/test-logs/ovs_mdev
rm -rf "$L"
mkdir -p "$L" || exit 1

OVS_INSTALL_LOG=$L/apt-get.log
if ! ovs_install_if_missing; then
	no setup "openvswitch-switch-dpdk is not installed and apt-get install failed (see $OVS_INSTALL_LOG)"
	exit 0
fi

# OVS takes 256 MB and may grow to 512 MB, testpmd 256 MB. Other
# people's DPDK programs come and go: wait a while for room.
HP0=$(hugepages_free)
n=60
while [ "${HP0:-0}" -lt 400 ] && [ $n -gt 0 ]; do
	sleep 1
	HP0=$(hugepages_free)
	n=$((n - 1))
done
if [ "${HP0:-0}" -lt 400 ]; then
	no setup "needs 400 free 2 MB hugepages (OVS up to 512 MB, testpmd 256 MB), $HP0 free"
	exit 0
fi

case $MDEV_DEVARGS in
mdev_*)
	if [ -n "${PLUGIN_DIR:-}" ]; then
		plugins=$PLUGIN_DIR
	elif [ -x "$top/devtools/plugin-dir.sh" ]; then
		plugins=$("$top/devtools/plugin-dir.sh")
	else
		plugins=$(plugin_dir)
	fi
	if [ -z "$plugins" ] || [ ! -d "$plugins" ]; then
		no setup "no plugin directory (build first: devtools/build.sh)"
		exit 0
	fi
	for so in librte_bus_mdev.so librte_mdev_sim.so librte_net_virtio_mdev.so; do
		if [ ! -e "$plugins/$so" ]; then
			ko setup "$plugins/$so not built (devtools/build.sh)"
			exit 1
		fi
	done
	;;
*)
	# A DPDK built-in port: no plugin needed; still load ours if built
	# so that the EAL command line is the real one.
	plugins=${PLUGIN_DIR:-$(plugin_dir 2> /dev/null)}
	;;
esac
bad=$(world_writable_parent "$plugins")
if [ -n "$bad" ]; then
	no setup "$bad is world-writable: EAL would refuse plugins in $plugins"
	exit 0
fi

W=$(mktemp -d /tmp/ovs_mdev.XXXXXX) || exit 1
VHOST_SOCK=$W/run/vhu0.sock
info "logs in $L, plugins $plugins, port devargs $MDEV_DEVARGS"
HP_UNMAPPED0=$(ovs_hugepages_unmapped_kb)
MD_PORT_NOS=

# ---- start OVS ----
DPDK_EXTRA="--no-pci -d $plugins${OVS_MDEV_EAL_EXTRA:+ $OVS_MDEV_EAL_EXTRA}"
# Other people's DPDK programs may hold the hugepages for a moment: when
# EAL finds too little memory, stop and try again.
for attempt in 1 2 3 4; do
	ovs_start "$W" "$DPDK_EXTRA" "$PMD_MASK" 2> "$L/start.err" && break
	[ -n "$OVSDB_PID" ] && STARTED_PIDS="$STARTED_PIDS $OVSDB_PID"
	[ -n "$VSWITCHD_PID" ] && STARTED_PIDS="$STARTED_PIDS $VSWITCHD_PID"
	if [ $attempt -lt 4 ] &&
			grep -q 'Cannot init memory' "$W/log/ovs-vswitchd.log"; then
		info "ovs-vswitchd: not enough free hugepages ($(hugepages_free) free), again in 10 s"
		ovs_stop > /dev/null 2>&1
		cp "$W/log/ovs-vswitchd.log" "$L/ovs-vswitchd-attempt$attempt.log"
		rm -rf "${W:?}/run" "${W:?}/db" "${W:?}/log" "${W:?}/etc"
		sleep 10
		continue
	fi
	ko start "$(grep -v '|INFO|' "$L/start.err" | tail -n 3 | tr '\n' ' ')(see $L/ovs-vswitchd.log)"
	grep -E '\|(ERR|EMER)\|' "$W/log/ovs-vswitchd.log" 2> /dev/null |
		tail -n 5 | sed 's/^/#   /'
	exit 1
done
STARTED_PIDS="$STARTED_PIDS $OVSDB_PID $VSWITCHD_PID"
ok start

ovs_vsctl add-br "$BR" -- set Bridge "$BR" datapath_type=netdev &&
ovs_vsctl add-port "$BR" vhu0 -- set Interface vhu0 \
	type=dpdkvhostuserclient "options:vhost-server-path=$VHOST_SOCK" \
	ofport_request=$VH_PORT &&
ovs_vsctl add-port "$BR" null0 -- set Interface null0 type=dpdk \
	"options:dpdk-devargs=$NULL_DEVARGS" ofport_request=$NULL_PORT ||
	{ ko bridge "could not create the bridge and reference ports"; exit 1; }
[ "$(ovs_iface_get null0 ofport)" = $NULL_PORT ] ||
	info "reference port null0 not added: $(ovs_iface_get null0 error)"

if why=$(add_mdev_port); then
	ok port_add
	have_mdev=1
	record_port_no
	info "mdev0: $(ovs_iface_get mdev0 status)"
else
	ko port_add "$MDEV_DEVARGS: $why"
	grep -E '\|(WARN|ERR|EMER)\|' "$VSWITCHD_LOG" | tail -n 10 | sed 's/^/#   /'
	have_mdev=0
fi
vswitchd_alive "port add" || exit 1

ovs_ofctl del-flows "$BR" &&
ovs_ofctl add-flow "$BR" "in_port=$VH_PORT,actions=output:$MD_PORT" &&
ovs_ofctl add-flow "$BR" "in_port=$MD_PORT,actions=output:$VH_PORT" ||
	ko flows "ovs-ofctl add-flow failed"

if ! tp_start; then
	ko testpmd "virtio-user testpmd did not start; last lines:"
	tail -n 15 "$L/testpmd.log" | sed 's/^/#   /'
	exit 1
fi
if ! ovs_wait_iface vhu0 link_state up 30; then
	ko vhost "vhu0 did not come up (testpmd's virtio-user never connected)"
	tail -n 15 "$L/testpmd.log" | sed 's/^/#   /'
	exit 1
fi

# ---- traffic through the port: counts in both directions ----
if [ "$have_mdev" = 1 ]; then
	counters vh0 $VH_PORT
	counters md0 $MD_PORT
	tp_cmd start
	sleep 5
	tp_stop traffic
	sleep 2
	counters vh1 $VH_PORT
	counters md1 $MD_PORT
	vswitchd_alive traffic || exit 1
	# shellcheck disable=SC2154
	{
	d_vh_rx=$((vh1_rx - vh0_rx))
	d_vh_tx=$((vh1_tx - vh0_tx))
	d_vh_txd=$((vh1_txd - vh0_txd))
	d_md_rx=$((md1_rx - md0_rx))
	d_md_rxd=$((md1_rxd - md0_rxd))
	d_md_tx=$((md1_tx - md0_tx))
	d_md_txd=$((md1_txd - md0_txd))
	}
	info "testpmd: tx $TP_TX (dropped ${TP_TXDROP:-?}) rx $TP_RX"
	info "OVS vhu0: rx $d_vh_rx, tx $d_vh_tx (dropped $d_vh_txd)"
	info "OVS mdev0: tx $d_md_tx (dropped $d_md_txd), rx $d_md_rx (dropped $d_md_rxd)"
	if [ -z "$TP_RX" ] || [ -z "$TP_TX" ]; then
		ko traffic "no forward statistics from testpmd (see $L/stop-traffic.log)"
	elif [ "$d_md_tx" -le 0 ] || [ "$d_md_rx" -le 0 ] || [ "$TP_RX" -le 0 ]; then
		ko traffic "a direction is idle: OVS->mdev0 $d_md_tx, mdev0->OVS $d_md_rx, OVS->testpmd $TP_RX"
	else
		ok traffic
		bad=
		# testpmd -> OVS over vhost-user.
		d=$(abs_diff "$TP_TX" "$d_vh_rx")
		[ "$d" -le "$MARGIN" ] ||
			bad="$bad; testpmd sent $TP_TX but OVS got $d_vh_rx on vhu0"
		# OVS -> mdev0 -> loopback -> mdev0: every frame comes back or
		# is counted as dropped by the port.
		d=$(abs_diff "$d_md_tx" $((d_md_rx + d_md_rxd)))
		[ "$d" -le "$MARGIN" ] ||
			bad="$bad; $d_md_tx frames left by mdev0 but $d_md_rx came back (+$d_md_rxd counted dropped)"
		# mdev0 -> OVS -> testpmd: what came back reaches testpmd
		# unless OVS counted it dropped on vhu0.
		d=$(abs_diff "$TP_RX" $((d_md_rx - d_vh_txd)))
		[ "$d" -le "$MARGIN" ] ||
			bad="$bad; testpmd received $TP_RX, expected $d_md_rx - $d_vh_txd dropped on vhu0"
		if [ -z "$bad" ]; then
			ok counts
		else
			ko counts "beyond the $MARGIN in-flight margin${bad}"
		fi
	fi
else
	no traffic "port not added"
	no counts "port not added"
fi

# ---- delete and re-add the port under traffic, twice ----
if [ "$have_mdev" = 1 ]; then
	tp_cmd start
	sleep 2
	hp_bad=
	for cycle in 1 2; do
		if ! ovs_vsctl del-port "$BR" mdev0 > "$L/del.out" 2>&1; then
			hp_bad="cycle $cycle: del-port: $(cat "$L/del.out")"
			break
		fi
		vswitchd_alive "del-port" || exit 1
		# OVS keeps forwarding on its other ports meanwhile.
		counters h0 $VH_PORT
		sleep 1
		counters h1 $VH_PORT
		# shellcheck disable=SC2154
		if [ $((h1_rx - h0_rx)) -le 0 ]; then
			hp_bad="cycle $cycle: OVS stopped receiving on vhu0 after del-port"
			break
		fi
		if ! why=$(add_mdev_port); then
			hp_bad="cycle $cycle: re-add: $why"
			have_mdev=0
			break
		fi
		vswitchd_alive "add-port" || exit 1
		record_port_no
		if ! wait_flowing 10 $MD_PORT; then
			hp_bad="cycle $cycle: no traffic through mdev0 within 10 s of re-adding it"
			break
		fi
	done
	tp_stop hotplug
	if [ -z "$hp_bad" ]; then
		ok hotplug
	else
		ko hotplug "$hp_bad"
		grep -E '\|(WARN|ERR|EMER)\|' "$VSWITCHD_LOG" | tail -n 10 |
			sed 's/^/#   /'
	fi
else
	no hotplug "port not added"
fi

# ---- MTU 9000, jumbo frames, MTU 1500 ----
if [ "$have_mdev" = 1 ]; then
	mtu_bad=
	tp_cmd start
	sleep 1
	why=$(set_mtu mdev0 9000) || mtu_bad=$why
	vswitchd_alive "MTU 9000" || exit 1
	if [ -z "$mtu_bad" ] && ! wait_flowing 10 $MD_PORT; then
		mtu_bad="no traffic through mdev0 at MTU 9000"
	fi
	tp_stop mtu9000

	# 8000 B frames out of mdev0 and back in from its loopback, sent
	# by OVS itself (OpenFlow packet-out): exact counts, and no jumbo
	# mempool for the vhost-user port (the 512 MB limit has no room).
	if [ -n "$mtu_bad" ]; then
		no mtu_jumbo "MTU 9000 not in place"
	else
		if jumbo_check 16 8000; then
			ok mtu_jumbo
		else
			ko mtu_jumbo "$JUMBO_WHY"
		fi
	fi

	if [ -z "$mtu_bad" ]; then
		tp_cmd start
		why=$(set_mtu mdev0 1500) || mtu_bad=$why
		vswitchd_alive "MTU 1500" || exit 1
		if [ -z "$mtu_bad" ] && ! wait_flowing 10 $MD_PORT; then
			mtu_bad="no traffic through mdev0 at MTU 1500"
		fi
		tp_stop mtu1500
	fi
	if [ -z "$mtu_bad" ]; then
		ok mtu
	else
		ko mtu "$mtu_bad"
		grep -E '\|(WARN|ERR|EMER)\|' "$VSWITCHD_LOG" | grep -i mtu |
			tail -n 5 | sed 's/^/#   /'
	fi
else
	no mtu "port not added"
	no mtu_jumbo "port not added"
fi

# ---- the Interface row: statistics and link state ----
if [ "$have_mdev" = 1 ]; then
	# The database statistics refresh every 5 s.
	sleep 6
	ovs_vsctl list Interface mdev0 > "$L/iface.txt" 2>&1
	st=$(awk -F': ' '$1 ~ /^statistics/ { print $2 }' "$L/iface.txt")
	ls_=$(awk -F': ' '$1 ~ /^link_state/ { print $2 }' "$L/iface.txt" | tr -d ' ')
	rxp=$(echo "$st" | tr ',{}' '\n' | awk -F= '$1 ~ /^ *rx_packets$/ { print $2 }')
	txp=$(echo "$st" | tr ',{}' '\n' | awk -F= '$1 ~ /^ *tx_packets$/ { print $2 }')
	info "mdev0 link_state $ls_, statistics $st"
	if [ "$ls_" != up ]; then
		ko iface_status "link_state is '$ls_', not up"
	elif [ -z "$rxp" ] || [ -z "$txp" ] || [ "$rxp" -le 0 ] ||
			[ "$txp" -le 0 ]; then
		ko iface_status "statistics have no rx_packets/tx_packets > 0: $st"
	else
		ok iface_status
	fi
else
	no iface_status "port not added"
fi

# ---- rates: OVS forwarding through mdev0 and through null0 ----
# Alternating, best of two 3 s samples each; never a failure.
# measure OFPORT FLOWS...: "Mpps-out Mpps-in" of OFPORT under FLOWS.
measure() {
	mp=$1
	shift
	ovs_ofctl del-flows "$BR" || return 1
	for f in "$@"; do
		ovs_ofctl add-flow "$BR" "$f" || return 1
	done
	tp_cmd start
	sleep 1
	counters m0 "$mp"
	t0=$(now)
	sleep 3
	counters m1 "$mp"
	t1=$(now)
	tp_stop "rate-$mp"
	# shellcheck disable=SC2154
	echo "$(rate "$m0_tx" "$m1_tx" "$t0" "$t1") $(rate "$m0_rx" "$m1_rx" "$t0" "$t1")"
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b + 0 > a + 0) ? b : a }'; }
MD_RATE=
MD_RX_RATE=
NULL_RATE=
null_ok=0
[ "$(ovs_iface_get null0 ofport)" = $NULL_PORT ] && null_ok=1
for _ in 1 2; do
	if [ "$have_mdev" = 1 ] &&
			[ "$(ovs_iface_get mdev0 link_state)" = up ]; then
		# shellcheck disable=SC2046
		set -- $(measure $MD_PORT \
			"in_port=$VH_PORT,actions=output:$MD_PORT" \
			"in_port=$MD_PORT,actions=output:$VH_PORT")
		MD_RATE=$(best "$MD_RATE" "${1:-}")
		MD_RX_RATE=$(best "$MD_RX_RATE" "${2:-}")
	fi
	if [ "$null_ok" = 1 ]; then
		# shellcheck disable=SC2046
		set -- $(measure $NULL_PORT \
			"in_port=$VH_PORT,actions=output:$NULL_PORT")
		NULL_RATE=$(best "$NULL_RATE" "${1:-}")
	fi
done
info "rate (64 B, one OVS PMD core, best of 2 x 3 s, shared machine): OVS -> mdev0 ${MD_RATE:-n/a} Mpps, back in from its loopback ${MD_RX_RATE:-n/a} Mpps (each frame crosses OVS twice); OVS -> null0 ${NULL_RATE:-n/a} Mpps"

vswitchd_alive "the rate run" || exit 1

# ---- shut down: testpmd, ovs-vswitchd --cleanup, ovsdb-server ----
tp_quit
down_bad=
if ovs_pid_alive "$TP_PID"; then
	down_bad="testpmd $TP_PID still running"
fi
if ! ovs_stop 2> "$L/stop.err"; then
	down_bad="$down_bad $(cat "$L/stop.err")"
fi
if [ -z "$down_bad" ]; then
	ok shutdown
else
	ko shutdown "$down_bad"
fi
left=
for p in $STARTED_PIDS; do
	ovs_pid_alive "$p" && left="$left $p"
done
if [ -z "$left" ]; then
	ok no_process_left
else
	ko no_process_left "still running:$left"
	for p in $left; do
		kill -KILL "$p" 2> /dev/null
	done
fi
TP_PID=
VSWITCHD_PID=
OVSDB_PID=

# ---- the log: warnings and errors about our port or drivers ----
pat='mdev'
for pn in $MD_PORT_NOS; do
	pat="$pat|[Pp]ort $pn([^0-9]|\$)|port_id=$pn([^0-9]|\$)"
done
# (The vhost socket path under /tmp/ovs_mdev.* is not about our port.)
grep -E '\|(WARN|ERR|EMER)\|' "$VSWITCHD_LOG" | grep -v -F "$W" |
	grep -Ei "$pat" > "$L/ours.log"
nwarn=$(grep -c '|WARN|' "$L/ours.log")
nerr=$(grep -Ec '\|(ERR|EMER)\|' "$L/ours.log")
info "ovs-vswitchd.log: $nwarn warning(s), $nerr error(s) about mdev0 / our drivers (DPDK port ids:${MD_PORT_NOS:- none})"
sed 's/^[^|]*|[^|]*|/#   /' "$L/ours.log" | sort | uniq -c | sort -rn |
	head -n 20
if [ "$nerr" -gt 0 ]; then
	ko log "$nerr error line(s) about our port in ovs-vswitchd.log (above)"
else
	ok log
fi

# ---- hugepages: back to where they were ----
# Other people's DPDK processes take and give back hugepages while this
# test runs: when HugePages_Free is lower than before, what counts is
# whether pages are held that no running process has mapped (files left
# in hugetlbfs, or memory not given back).
n=30
HP1=$(hugepages_free)
while [ "$HP1" -lt "$HP0" ] && [ $n -gt 0 ]; do
	sleep 0.5
	HP1=$(hugepages_free)
	n=$((n - 1))
done
if [ "$HP1" -ge "$HP0" ]; then
	ok hugepages
else
	HP_UNMAPPED1=$(ovs_hugepages_unmapped_kb)
	users=$(grep -l '^HugetlbPages:[[:space:]]*[1-9]' /proc/[0-9]*/status \
		2> /dev/null | cut -d/ -f3 | tr '\n' ' ')
	if [ "$HP_UNMAPPED1" -le "$HP_UNMAPPED0" ]; then
		ok hugepages
		info "HugePages_Free $HP1 < $HP0 before, held by running processes not started here: $users"
	else
		ko hugepages "HugePages_Free $HP1 after, $HP0 before; $(((HP_UNMAPPED1 - HP_UNMAPPED0) / 1024)) MB more held by no running process (processes with hugepages: ${users:-none})"
		find /dev/hugepages -maxdepth 1 -type f 2> /dev/null |
			head -n 10 | sed 's/^/#   /'
	fi
fi

[ "$failed" = 0 ]
