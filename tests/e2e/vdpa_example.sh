#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Our examples/vdpa (vdpa-mdev) serves the sim device through our vDPA
# driver; dpdk-testpmd with virtio-user forwards in mac mode over the
# sim's loopback wire.
#   - traffic variants as in vdpa_dpdk_example.sh (split with and without
#     mergeable buffers, 1 and 2 queue pairs, packed with packed_vq=1
#     on the sim and the front end),
#     accounting with the device's counters: after draining, the front
#     end's TX == RX + the packets the device dropped (completion_errors
#     of the receive queues);
#   - the command line: list, create (by mdev alias), stats, errors for
#     unknown devices and queues, quit;
#   - serving mode: two devices, two sockets, --stats-period, clean exit
#     on SIGTERM (sockets removed);
#   - client mode (--client) against a virtio-user server;
#   - bad command line arguments are refused with a message.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/vdpa_lib.sh"
vdpa_init vdpa_example

if [ ! -x "$OUR_VDPA" ]; then
	fail vdpa-example "$OUR_VDPA not built (devtools/build.sh)"
	e2e_exit
fi

# run NAME QUEUES FRONTEND-EXTRA
run() {
	name=vdpa-example-$1
	q=$2
	extra=$3
	vdpa_traffic "$name" "$OUR_VDPA" quit "$1" "$q" "$extra" \
		--interactive || return
	from=$(our_stats "$blog" mdev_sim0)
	drops=$(sum_counter "$blog" "$from" 0 "completion_errors")
	bad=$(sum_counter "$blog" "$from" 1 "bad_desc_errors")
	backend_stop quit
	vdpa_ended "$name" "$FRC" bye || return
	if ! grep -q 'front end connected' "$blog" ||
			! grep -q 'front end disconnected' "$blog"; then
		fail "$name" "connect/disconnect not logged (log $blog)"
		return
	fi
	check_packed "$name" "$extra" || return
	if [ "$bad" -ne 0 ]; then
		fail "$name" "device counted $bad bad descriptors (log $blog)"
		return
	fi
	check_loop "$name" "$flog" "$q" "$drops" && pass "$name"
}

vdpa_variants run
run packed-nomrg-2q 2 ",packed_vq=1,mrg_rxbuf=0"

# The command line, without --iface: sockets only through "create".
name=vdpa-example-cli
vdpa_case cli
if BACKEND_READY="vdpa>" backend_start "$blog" "$OUR_VDPA" \
		"mdev_sim0,class=vdpa,cpu=$SIM_CPU" -- --interactive; then
	backend_send list
	backend_send "create $SOCKDIR/vdpa-sock-x no-such-device"
	backend_send "stats mdev_sim0"
	backend_send "create $SOCKDIR/vdpa-sock-0 mdev_sim0"
	backend_send "create $SOCKDIR/vdpa-sock-1 mdev_sim0"
	wait_socket "$SOCKDIR/vdpa-sock-0"
	frontend_run "$flog" "$SOCKDIR/vdpa-sock-0" 1 ""
	frc=$?
	backend_send "stats mdev_sim0 7"
	drops=$(our_rx_drops "$blog" mdev_sim0)
	backend_stop quit
	why=""
	grep -Eq '^[0-9a-f]{8}-[0-9a-f-]{27} +1 +0x[0-9a-f]+ +-$' "$blog" ||
		why="\"list\" shows no free device"
	grep -q "no vDPA device 'no-such-device'" "$blog" ||
		why="no error for an unknown device"
	grep -q "serves no socket yet" "$blog" ||
		why="no error for stats before create"
	grep -q "already serves" "$blog" ||
		why="a device was attached to two sockets"
	grep -q "no statistics for 'mdev_sim0' queue 7" "$blog" ||
		why="no error for an unknown queue"
	[ -S "$SOCKDIR/vdpa-sock-0" ] &&
		why="socket not removed at quit"
	if ! vdpa_ended "$name" "$frc"; then
		: # its FAIL line is out
	elif [ -n "$why" ]; then
		fail "$name" "$why (log $blog)"
	else
		check_loop "$name" "$flog" 1 "$drops" && pass "$name"
	fi
else
	fail "$name" "no prompt (log $blog)"
	[ -n "$BPID" ] && backend_stop quit
fi

# Serving mode: two devices, traffic on the second socket, periodic
# statistics, SIGTERM ends it cleanly.
name=vdpa-example-serve
vdpa_case serve
if backend_start "$blog" "$OUR_VDPA" \
		"mdev_sim0,class=vdpa,cpu=$SIM_CPU mdev_sim1,class=vdpa,queues=2,cpu=$SIM_CPU" \
		-- --iface "$SOCKDIR/vdpa-sock-" --stats-period 1; then
	wait_socket "$SOCKDIR/vdpa-sock-1"
	frontend_run "$flog" "$SOCKDIR/vdpa-sock-1" 2 ""
	frc=$?
	sleep 1.5
	backend_stop term
	if ! vdpa_ended "$name" "$frc" bye " after SIGTERM"; then
		: # its FAIL line is out
	elif ! grep -q 'signal 15 received' "$blog"; then
		fail "$name" "SIGTERM not reported (log $blog)"
	elif [ -e "$SOCKDIR/vdpa-sock-0" ] || [ -e "$SOCKDIR/vdpa-sock-1" ]; then
		fail "$name" "sockets left behind after exit"
	elif [ "$(grep -c 'served by vDPA device' "$blog")" -ne 2 ]; then
		fail "$name" "not one socket per device (log $blog)"
	elif ! grep -q 'queue 3:' "$blog"; then
		fail "$name" "--stats-period printed no statistics of queue 3 (log $blog)"
	else
		# Receive queue drops of mdev_sim1: its last periodic print.
		from=$(grep -n "vdpa-sock-1, front end" "$blog" | tail -n 1 |
			cut -d: -f1)
		drops=$(tail -n +"$from" "$blog" | sed '/vdpa-sock-0, front end/q' |
			awk '/^ *queue [0-9]+:/ { q = $2 + 0 }
			/completion_errors/ && q % 2 == 0 { s += $NF }
			END { print s + 0 }')
		check_loop "$name" "$flog" 2 "$drops" && pass "$name"
	fi
else
	fail "$name" "no socket (log $blog)"
	[ -n "$BPID" ] && backend_stop signal
fi

# Client mode: the example connects (and retries) to the front end's
# socket (virtio-user server=1), started after it.
name=vdpa-example-client
vdpa_case client
if BACKEND_READY="serving 1 socket" backend_start "$blog" "$OUR_VDPA" \
		"mdev_sim0,class=vdpa,cpu=$SIM_CPU" \
		-- --iface "$SOCKDIR/vdpa-sock-" --client --interactive; then
	frontend_run "$flog" "$SOCKDIR/vdpa-sock-0" 1 ",server=1"
	our_quit_check "$name" 1 $?
else
	fail "$name" "the example did not start (log $blog)"
	backend_stop quit
fi

# Bad arguments: a message naming the problem, a failure status.
name=vdpa-example-badargs
why=""
for args in "--stats-period x --iface $SOCKDIR/s" "--stats-period 5" \
		"--iface $SOCKDIR/s --bogus"; do
	# shellcheck disable=SC2086
	timeout 30 "$OUR_VDPA" $EAL_COMMON --no-huge -m 64 --lcores 0@0 \
		-- $args > "$LOGDIR/badargs.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] || crashed_status "$rc"; then
		why="'$args' gave status $rc"
	elif ! grep -q -e '--iface\|--stats-period\|unrecognized\|Usage' \
			"$LOGDIR/badargs.log"; then
		why="'$args' printed no explanation"
	fi
done
if [ -n "$why" ]; then
	fail "$name" "$why (log $LOGDIR/badargs.log)"
else
	pass "$name"
fi

e2e_exit
