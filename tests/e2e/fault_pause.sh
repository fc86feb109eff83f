#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Faults under traffic: the sim's engine thread stopped (SIGSTOP, which
# stops the whole process with it) and continued (SIGCONT), three times
# for a second each, while app/mdev-payload streams sequence-numbered,
# checksummed frames through the PMD and the sim, split and packed rings,
# two queue pairs. Nothing may be lost, corrupted, duplicated or
# reordered, and the run must end on its own after the pauses.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init fault_pause

COUNT=${PAUSE_COUNT:-30000000}

# engine_tid PID: the thread id of the sim's engine ("sim-mdev_sim0") in
# the child of PID (timeout(1)'s child: mdev-payload).
engine_tid() {
	child=$(pgrep -P "$1" | head -n 1)
	[ -n "$child" ] || return 1
	for t in /proc/$child/task/*; do
		if [ "$(cat "$t/comm" 2> /dev/null)" = sim-mdev_sim0 ]; then
			basename "$t"
			return 0
		fi
	done
	return 1
}

# pause_run NAME VDEV: stream, pause three times, check the summary.
pause_run() {
	name=fault-pause-$1
	log=$LOGDIR/$name.log
	# shellcheck disable=SC2086
	timeout -k 5 180 "$PAYLOAD" $EAL_COMMON --lcores 0@0 -d "$PLUGINS" \
		--vdev "$2" -- --count "$COUNT" --sizes 64,1500 --queues 2 \
		--timeout 150 > "$log" 2>&1 &
	pid=$!
	i=0
	tid=""
	while [ $i -lt 200 ] && [ -z "$tid" ] && kill -0 $pid 2> /dev/null; do
		tid=$(engine_tid $pid)
		sleep 0.1
		i=$((i + 1))
	done
	paused=0
	if [ -n "$tid" ]; then
		sleep 1
		for _ in 1 2 3; do
			kill -STOP "$tid" 2> /dev/null || break
			sleep 1
			kill -CONT "$tid"
			paused=$((paused + 1))
			sleep 1
		done
	fi
	wait $pid
	rc=$?
	summary=$(grep '^sent ' "$log" | tail -n 1)
	if [ -z "$tid" ]; then
		fail "$name" "no engine thread sim-mdev_sim0 found (log $log)"
	elif [ "$paused" -lt 3 ]; then
		fail "$name" "the run ended after $paused pause(s): raise PAUSE_COUNT (log $log)"
	elif [ $rc -ne 0 ]; then
		fail "$name" "$(status_words $rc): ${summary:-$(log_reason "$log")} (log $log)"
	else
		echo "$name: $summary after $paused pauses" >&2
		pass "$name"
	fi
}

if [ ! -x "$PAYLOAD" ]; then
	fail fault-pause "$PAYLOAD not built"
	e2e_exit
fi
pause_run split "mdev_sim0,queues=2,engine=thread"
pause_run packed "mdev_sim0,queues=2,engine=thread,packed_vq=1"
e2e_exit
