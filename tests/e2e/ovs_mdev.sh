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
#   ofport 2  mdev0  type=dpdk, dpdk-devargs=mdev_sim0 (our PMD on the sim,
#                    whose wire is a loopback: what OVS sends out of the
#                    port comes back in on it)
#   ofport 3  null0  type=dpdk, net_null0 (rate reference only)
# Flows 1 -> 2 and 2 -> 1 make every frame go testpmd -> OVS -> mdev0 ->
# sim loopback -> mdev0 -> OVS -> testpmd. The test checks counts in both
# directions, deletes and re-adds the port under traffic, changes its MTU,
# reads its Interface row, scans ovs-vswitchd.log for warnings and errors
# about it, stops everything and checks that no process and no hugepage
# is left. It prints the OVS forwarding rate through mdev0 next to the
# rate through null0 (informational).
#
# Environment:
#   OVS_MDEV_DEVARGS  devargs of the port under test (default
#                     mdev_sim0,cpu=0: the sim's engine thread shares CPU 0
#                     with testpmd, the OVS PMD thread has CPU 1); any
#                     other ethdev with a loopback wire works, e.g.
#                     net_ring0 to check the harness without our drivers
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
# Output: PASS/FAIL/SKIP lines; lines starting with "#" are information.
#
# e2e-timeout: 330
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/ovs_lib.sh"

# The whole test is bounded; the TERM handler below cleans up.
if [ -z "${OVS_MDEV_BOUNDED:-}" ]; then
	OVS_MDEV_BOUNDED=1 exec timeout -k 15 280 "$0" "$@"
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
MDEV_DEVARGS=${OVS_MDEV_DEVARGS:-mdev_sim0,cpu=0}
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
	echo $c | awk '{ print $1 }'
}

tp_start() {
	mkfifo "$W/tp.in" || return 1
	# shellcheck disable=SC2086
	# Line-buffered: the statistics of each "stop" must reach the log
	# when they are printed.
	timeout -k 5 240 stdbuf -oL -eL "$TESTPMD" --lcores "$TP_LCORES" $EAL_COMMON \
		--single-file-segments \
		--vdev "net_virtio_user0,path=$VHOST_SOCK,server=1,queues=1" \
		-- -i --total-num-mbufs=32768 --forward-mode=flowgen \
		< "$W/tp.in" > "$L/testpmd.log" 2>&1 &
	TP_TMO_PID=$!
	exec 3> "$W/tp.in"
	n=100
	while [ -z "$TP_PID" ] && [ $n -gt 0 ]; do
		TP_PID=$(tp_child_pid "$TP_TMO_PID")
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
	ko whole "stopped by a signal or the 280 s bound"
	trap - EXIT
	cleanup
	exit 1
}
trap cleanup EXIT
trap on_signal TERM INT HUP

# ---- counters ----

# counters NAME OFPORT: set NAME_rx NAME_rxd NAME_tx NAME_txd.
counters() {
	c=$(ovs_port_counters "$BR" "$2")
	[ -n "$c" ] || c="0 0 0 0"
	# shellcheck disable=SC2086
	set -- "$1" $c
	eval "$1_rx=$2 $1_rxd=$3 $1_tx=$4 $1_txd=$5"
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

OVS_INSTALL_LOG=/dev/null
if ! ovs_install_if_missing; then
	no setup "openvswitch-switch-dpdk is not installed and apt-get install failed"
	exit 0
fi

HP0=$(hugepages_free)
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

L=$BUILD_DIR/test-logs/ovs_mdev
rm -rf "$L"
mkdir -p "$L" || exit 1
W=$(mktemp -d /tmp/ovs_mdev.XXXXXX) || exit 1
VHOST_SOCK=$W/run/vhu0.sock
info "logs in $L, plugins $plugins, port devargs $MDEV_DEVARGS"
HP_UNMAPPED0=$(ovs_hugepages_unmapped_kb)
MD_PORT_NOS=

# ---- start OVS ----
if ! ovs_start "$W" "$plugins" "$PMD_MASK" 2> "$L/start.err"; then
	[ -n "$OVSDB_PID" ] && STARTED_PIDS="$STARTED_PIDS $OVSDB_PID"
	[ -n "$VSWITCHD_PID" ] && STARTED_PIDS="$STARTED_PIDS $VSWITCHD_PID"
	ko start "$(cat "$L/start.err"); see $L/ovs-vswitchd.log"
	tail -n 20 "$W/log/ovs-vswitchd.log" 2> /dev/null | sed 's/^/#   /'
	exit 1
fi
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
	sleep 2
	counters r0 $MD_PORT
	t0=$(now)
	sleep 4
	counters r1 $MD_PORT
	t1=$(now)
	tp_stop traffic
	sleep 2
	counters vh1 $VH_PORT
	counters md1 $MD_PORT
	vswitchd_alive traffic || exit 1
	# shellcheck disable=SC2154
	{
	MD_TX_PPS=$(rate "$r0_tx" "$r1_tx" "$t0" "$t1")
	MD_RX_PPS=$(rate "$r0_rx" "$r1_rx" "$t0" "$t1")
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

# ---- MTU 9000 then 1500, under traffic ----
if [ "$have_mdev" = 1 ]; then
	tp_cmd start
	sleep 1
	mtu_bad=
	for m in 9000 1500; do
		l0=$(wc -l < "$VSWITCHD_LOG")
		ovs_vsctl set Interface mdev0 mtu_request=$m ||
			{ mtu_bad="ovs-vsctl set mtu_request=$m failed"; break; }
		if ! ovs_wait_iface mdev0 mtu $m 15; then
			mtu_bad="mtu_request=$m: mtu reads '$(ovs_iface_get mdev0 mtu)', error '$(ovs_iface_get mdev0 error)'"
			break
		fi
		# When the PMD refuses rte_eth_dev_set_mtu with -ENOTSUP, OVS
		# only warns and the mtu column still shows the request.
		sleep 1
		why=$(tail -n +$((l0 + 1)) "$VSWITCHD_LOG" | grep -E \
			'mdev0 (does not support MTU|MTU \([0-9]+\) setup error)|Failed to (set interface mdev0|create memory pool for netdev mdev0)' |
			head -n 1 | sed 's/^[^|]*|[^|]*|//')
		if [ -n "$why" ]; then
			mtu_bad="mtu_request=$m: $why"
			break
		fi
		vswitchd_alive "MTU $m" || exit 1
		if ! wait_flowing 10 $MD_PORT; then
			mtu_bad="no traffic through mdev0 at MTU $m"
			break
		fi
	done
	tp_stop mtu
	if [ -z "$mtu_bad" ]; then
		ok mtu
	else
		ko mtu "$mtu_bad"
		grep -E '\|(WARN|ERR|EMER)\|' "$VSWITCHD_LOG" | grep -i mtu |
			tail -n 5 | sed 's/^/#   /'
	fi
else
	no mtu "port not added"
fi

# ---- the Interface row: statistics and link state ----
if [ "$have_mdev" = 1 ]; then
	# The database statistics refresh every 5 s.
	sleep 6
	ovs_vsctl list Interface mdev0 > "$L/iface.txt" 2>&1
	st=$(awk -F': ' '$1 ~ /^statistics/ { print $2 }' "$L/iface.txt")
	ls_=$(awk -F': ' '$1 ~ /^link_state/ { print $2 }' "$L/iface.txt" | tr -d ' ')
	rxp=$(echo "$st" | tr ',{}' '\n\n\n' | awk -F= '$1 ~ /^ *rx_packets$/ { print $2 }')
	txp=$(echo "$st" | tr ',{}' '\n\n\n' | awk -F= '$1 ~ /^ *tx_packets$/ { print $2 }')
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
MD_RATE=${MD_TX_PPS:-}
NULL_RATE=
if [ "$(ovs_iface_get null0 ofport)" = $NULL_PORT ]; then
	ovs_ofctl del-flows "$BR" &&
	ovs_ofctl add-flow "$BR" "in_port=$VH_PORT,actions=output:$NULL_PORT"
	tp_cmd start
	sleep 2
	counters n0 $NULL_PORT
	t0=$(now)
	sleep 4
	counters n1 $NULL_PORT
	t1=$(now)
	tp_stop null
	# shellcheck disable=SC2154
	NULL_RATE=$(rate "$n0_tx" "$n1_tx" "$t0" "$t1")
fi
info "rate: OVS -> mdev0 ${MD_RATE:-n/a} Mpps (back from its loopback ${MD_RX_PPS:-n/a} Mpps); OVS -> null0 ${NULL_RATE:-n/a} Mpps; 64 B flowgen, one OVS PMD core, shared machine"

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
		ls -la /dev/hugepages 2> /dev/null | head -n 10 | sed 's/^/#   /'
	fi
fi

[ "$failed" = 0 ]
