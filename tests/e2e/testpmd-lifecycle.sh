#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Port life cycle under dpdk-testpmd, with two queue pairs:
#   - "port stop 0" / "port start 0", 20 times;
#   - "port stop 0" / "port detach 0" / "port attach mdev_sim0,...", 10
#     times (detach removes the mdev device, and with it the sim vdev
#     that made it; attach creates both again);
#   - "port close 0" / "device detach mdev_sim0" / "port attach ...", 5
#     times (the parent vdev goes first, after the port was closed);
# with a short mac-forwarding run after each cycle. Checked: traffic flows
# after every cycle, every detach and attach succeeds, testpmd survives
# and quits cleanly, and neither file descriptors nor DPDK heap
# allocations grow from cycle to cycle.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init testpmd-lifecycle

STOP_CYCLES=${STOP_CYCLES:-20}
ATTACH_CYCLES=${ATTACH_CYCLES:-10}
DEVDETACH_CYCLES=${DEVDETACH_CYCLES:-5}
VDEV=mdev_sim0,queues=2
TRAFFIC="start tx_first 4
sleep 1
stop"

name=lifecycle
log=$LOGDIR/$name.log

script="@wait testpmd>
$TRAFFIC
dump_socket_mem
@fds start"
# cycles COUNT TAG STEPS: add to the script COUNT times STEPS, then
# traffic, the memory dump and the fds count "TAG-<cycle>".
cycles() {
	i=1
	while [ $i -le "$1" ]; do
		script="$script
$3
$TRAFFIC
dump_socket_mem
@fds $2-$i"
		i=$((i + 1))
	done
}
cycles "$STOP_CYCLES" stop-start "port stop 0
port start 0"
cycles "$ATTACH_CYCLES" attach "port stop 0
port detach 0
port attach $VDEV
port start all"
cycles "$DEVDETACH_CYCLES" devdetach "port stop 0
port close 0
device detach ${VDEV%%,*}
port attach $VDEV
port start all"
script="$script
quit"

runs=$((1 + STOP_CYCLES + ATTACH_CYCLES + DEVDETACH_CYCLES))
# Each run takes about two seconds; leave room for a slow machine.
# shellcheck disable=SC2086
run_testpmd "$log" $((30 + runs * 6)) "$script" $EAL_COMMON \
	--lcores "$TESTPMD_LCORES" -d "$PLUGINS" --vdev "$VDEV" -- -i \
	$TESTPMD_MBUFS --forward-mode=mac --nb-cores=1 --rxq=2 --txq=2
rc=$?

if [ $rc -ne 0 ] || ! grep -q '^Bye' "$log"; then
	fail "$name-survives" "testpmd $(status_words $rc) (log $log)"
else
	pass "$name-survives"
fi

# One forwarding run per cycle, and every one of them moved packets.
acc_blocks "$log" > "$LOGDIR/runs.txt"
n=$(wc -l < "$LOGDIR/runs.txt")
bad=$(awk '$1 == 0 || $3 == 0 { print NR; exit }' "$LOGDIR/runs.txt")
if [ "$n" -ne "$runs" ]; then
	fail "$name-traffic" "$n forwarding runs of $runs completed (log $log)"
elif [ -n "$bad" ]; then
	if [ "$bad" -eq 1 ]; then
		what="before any cycle"
	elif [ "$bad" -le $((STOP_CYCLES + 1)) ]; then
		what="after stop/start cycle $((bad - 1))"
	elif [ "$bad" -le $((STOP_CYCLES + ATTACH_CYCLES + 1)) ]; then
		what="after detach/attach cycle $((bad - 1 - STOP_CYCLES))"
	else
		what="after device detach/attach cycle $((bad - 1 - STOP_CYCLES - ATTACH_CYCLES))"
	fi
	fail "$name-traffic" "no packets $what (log $log)"
else
	pass "$name-traffic"
fi

# Every detach and attach said it succeeded.
detached=$(grep -c -E '^Device (is|.*is) detached' "$log")
attached=$(grep -c -E '^Port [0-9]+ is attached' "$log")
want=$((ATTACH_CYCLES + DEVDETACH_CYCLES))
if [ "$detached" -ne "$want" ] || [ "$attached" -ne "$want" ]; then
	fail "$name-hotplug" "$detached detaches and $attached attaches succeeded of $want (log $log)"
else
	pass "$name-hotplug"
fi
if grep -q -i -E 'fail|error' "$log"; then
	echo "$name: errors in the log:" >&2
	grep -i -E 'fail|error' "$log" | sort | uniq -c | head -n 20 >&2
fi

# Leaks: compare the second cycle of each kind with the last one (the
# first one may allocate what stays for the life of the process).
fds() { awk -v t="$1" '$1 == t { print $2 }' "$log.fds"; }
leak_check() {
	what=$1
	first=$2
	last=$3
	a=$(fds "$first")
	b=$(fds "$last")
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "$name-fd-leak-$what" "no fd counts (testpmd ended early?)"
	elif [ "$b" -gt "$a" ]; then
		fail "$name-fd-leak-$what" "open fds grew from $a after $first to $b after $last"
	else
		pass "$name-fd-leak-$what"
	fi
}
leak_check stop-start stop-start-2 "stop-start-$STOP_CYCLES"
leak_check attach attach-2 "attach-$ATTACH_CYCLES"
leak_check devdetach devdetach-2 "devdetach-$DEVDETACH_CYCLES"

socket_mem_allocs "$log" > "$LOGDIR/allocs.txt"
m=$(wc -l < "$LOGDIR/allocs.txt")
if [ "$m" -ne "$runs" ]; then
	fail "$name-mem-leak" "$m memory dumps of $runs (log $log)"
else
	# Line 1 is before any cycle, then one line per cycle.
	nth() { sed -n "$1p" "$LOGDIR/allocs.txt"; }
	s2=$(nth 3)
	sN=$(nth $((STOP_CYCLES + 1)))
	a2=$(nth $((STOP_CYCLES + 3)))
	aN=$(nth $((STOP_CYCLES + ATTACH_CYCLES + 1)))
	d2=$(nth $((STOP_CYCLES + ATTACH_CYCLES + 3)))
	dN=$(nth "$runs")
	if [ "$sN" -gt "$s2" ]; then
		fail "$name-mem-leak" "heap allocations grew from $s2 to $sN over stop/start cycles 2..$STOP_CYCLES"
	elif [ "$aN" -gt "$a2" ]; then
		fail "$name-mem-leak" "heap allocations grew from $a2 to $aN over detach/attach cycles 2..$ATTACH_CYCLES"
	elif [ "$dN" -gt "$d2" ]; then
		fail "$name-mem-leak" "heap allocations grew from $d2 to $dN over device detach cycles 2..$DEVDETACH_CYCLES"
	else
		pass "$name-mem-leak"
	fi
fi

e2e_exit
