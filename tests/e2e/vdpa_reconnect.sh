#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Front end restarts under traffic: our example (vdpa-mdev) serves the
# sim device on one socket; a testpmd virtio-user front end connects,
# forwards over the device, and is then killed (SIGKILL, in the middle
# of forwarding) or quits cleanly, in turn, RECONNECT_ROUNDS times
# (default 100, about 4.5 minutes here; RECONNECT_ROUNDS=20 for a
# quicker run).
# Checked every round: the example is still running, traffic flows
# again through the device; at the end: the example's open file
# descriptors and its mappings of front end memory did not grow, and it
# exits cleanly.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/vdpa_lib.sh"
vdpa_init vdpa_reconnect

ROUNDS=${RECONNECT_ROUNDS:-100}
# The example must outlive every round (about 3 s each, more when loaded).
BACKEND_TIMEOUT=$((ROUNDS * 8 + 120))
name=vdpa-reconnect
blog=$LOGDIR/backend.log

if [ ! -x "$OUR_VDPA" ]; then
	fail $name "$OUR_VDPA not built (devtools/build.sh)"
	e2e_exit
fi

# Open fds and mappings of front end memory (vhost maps the front end's
# memfd/hugepage files; our own memory is --in-memory too, constant).
app_fds() {
	find /proc/"$1"/fd -mindepth 1 -maxdepth 1 2> /dev/null | wc -l
}
app_maps() {
	grep -c -e memfd: -e hugepages "/proc/$1/maps" 2> /dev/null
}

# frontend_round LOG HOW: frontend_once, tried again (twice) when EAL
# found too few free hugepages (other tests share the machine).
frontend_round() {
	for try in 1 2 3; do
		frontend_once "$@" && return 0
		eal_no_memory "$1" || return 1
		echo "$1: too few free hugepages, trying again" >&2
		sleep 5
	done
	return 1
}

# One front end: forward, print port statistics, then quit or die.
# frontend_once LOG HOW (kill|quit); returns 0 when traffic flowed.
frontend_once() {
	flog=$1
	ffifo=$flog.fifo
	rm -f "$ffifo"
	mkfifo "$ffifo"
	wait_hugepages 260 || echo "# hugepages still short" >&2
	# shellcheck disable=SC2086
	timeout -k 5 60 stdbuf -oL "$TESTPMD" $EAL_COMMON --single-file-segments \
		--lcores "$FRONTEND_LCORES" \
		--vdev "net_virtio_user0,path=$SOCKDIR/vdpa-sock-0,queues=1" \
		-- -i --forward-mode=mac --nb-cores=1 --total-num-mbufs=8192 \
		< "$ffifo" > "$flog" 2>&1 &
	fpid=$!
	exec 8> "$ffifo"
	i=0
	while [ $i -lt 300 ] && kill -0 "$fpid" 2> /dev/null &&
			! grep -q 'testpmd>' "$flog"; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "start tx_first 8" >&8 2> /dev/null
	sleep 1
	echo "show port stats 0" >&8 2> /dev/null
	i=0
	while [ $i -lt 50 ] && ! grep -q 'TX-packets' "$flog"; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$2" = kill ]; then
		# Never "kill ''": some shells take it as 0, the process group.
		tp=$(timeout_child "$fpid")
		[ -n "$tp" ] && kill -KILL "$tp" 2> /dev/null
	else
		echo stop >&8 2> /dev/null
		echo quit >&8 2> /dev/null
	fi
	wait_exit "$fpid" 100
	exec 8>&-
	wait "$fpid"
	rm -f "$ffifo"
	# shellcheck disable=SC2046
	set -- $(port_stats_blocks "$flog" | tail -n 1)
	[ $# -eq 6 ] && [ "$1" -gt 0 ] && [ "$5" -gt 0 ]
}

if ! backend_start "$blog" "$OUR_VDPA" "mdev_sim0,class=vdpa,cpu=$SIM_CPU" \
		-- --iface "$SOCKDIR/vdpa-sock-"; then
	fail $name "no socket $SOCKDIR/vdpa-sock-0 (log $blog)"
	e2e_exit
fi
app=$(timeout_child "$BPID")
why=""
if [ -z "$app" ]; then
	backend_stop term
	fail $name "the example is gone (log $blog)"
	e2e_exit
fi
fds0="" maps0=""
r=1
while [ $r -le "$ROUNDS" ]; do
	how="kill"
	[ $((r % 2)) -eq 0 ] && how=quit
	flog=$LOGDIR/frontend-$r.log
	if ! frontend_round "$flog" $how; then
		why="round $r ($how): no traffic through the device (log $flog)"
		break
	fi
	# The example saw the front end go away.
	i=0
	while [ $i -lt 100 ] &&
			[ "$(grep -c 'front end disconnected' "$blog")" -lt $r ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! kill -0 "$app" 2> /dev/null; then
		why="round $r ($how): the example died (log $blog)"
		break
	fi
	if [ "$(grep -c 'front end disconnected' "$blog")" -lt $r ]; then
		why="round $r ($how): the example did not see the front end leave (log $blog)"
		break
	fi
	fds=$(app_fds "$app")
	maps=$(app_maps "$app")
	echo "round $r ($how): fds $fds, front end mappings $maps" >&2
	if [ -z "$fds0" ]; then
		fds0=$fds
		maps0=$maps
	fi
	r=$((r + 1))
done
backend_stop term
if [ -n "$why" ]; then
	fail $name "$why"
elif [ "$BRC" -ne 0 ] || ! grep -q '^bye' "$blog"; then
	fail $name "the example $(status_words "$BRC") at exit (log $blog)"
elif [ "$fds" -gt "$fds0" ]; then
	fail $name "open fds grew from $fds0 to $fds over $ROUNDS reconnects"
elif [ "$maps" -gt "$maps0" ]; then
	fail $name "front end memory mappings grew from $maps0 to $maps over $ROUNDS reconnects"
else
	echo "$name: $ROUNDS reconnects (half killed under traffic), fds $fds0 -> $fds, mappings $maps0 -> $maps" >&2
	pass "$name-$ROUNDS"
fi
e2e_exit
