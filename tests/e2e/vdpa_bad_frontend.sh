#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# A misbehaving vhost-user front end (tests/e2e/lib/bad_frontend.py)
# against our example serving the sim device through our vDPA driver:
#   oob   a transmit descriptor outside the front end's memory table
#   loop  a transmit chain that points back at itself
#   private  a transmit descriptor at the driver's own control queue page
#         (just above the front end's memory, in another address space)
#   ring  a used ring address off its required alignment
#   memtable  a memory table whose two regions overlap in guest addresses
#   memwrap   a memory table whose region ends at 2^64 (the driver's own
#         pages above it would wrap to IOVA 0)
# Checked: the device refused each chain (nothing used, front end memory
# untouched), counted it ("bad_desc_errors", "exceed_max_chain" on
# queue 1), the example kept running and logged the device reset; the
# bad ring was refused with a log line naming the queue; and a
# well-behaved front end (testpmd) then forwards through the same device,
# while a second front end on the same socket is refused.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/vdpa_lib.sh"
vdpa_init vdpa_bad_frontend

name=vdpa-bad-frontend
blog=$LOGDIR/backend.log
flog=$LOGDIR/frontend.log
if [ ! -x "$OUR_VDPA" ]; then
	fail $name "$OUR_VDPA not built (devtools/build.sh)"
	e2e_exit
fi
if ! python3 -c 'import os, socket; os.eventfd; socket.send_fds' \
		2> /dev/null; then
	skip $name "python3 >= 3.10 needed for the crafted front end"
	e2e_exit
fi
if ! backend_start "$blog" "$OUR_VDPA" "mdev_sim0,class=vdpa,cpu=$SIM_CPU" \
		-- --iface "$SOCKDIR/vdpa-sock-" --interactive; then
	fail $name "no socket $SOCKDIR/vdpa-sock-0 (log $blog)"
	e2e_exit
fi

# counter LINE-FROM NAME: the value of NAME for queue 1.
counter() {
	tail -n +"$1" "$blog" | awk -v key="$2" '
	/^ *queue [0-9]+:/ { q = $2 + 0; next }
	q == 1 && index($0, key) { print $NF; exit }'
}

round=0
for case in oob loop private ring memtable memwrap; do
	n=$name-$case
	round=$((round + 1))
	if ! timeout 30 python3 "$top/tests/e2e/lib/bad_frontend.py" \
			"$SOCKDIR/vdpa-sock-0" $case > "$LOGDIR/$case.log" 2>&1
	then
		fail "$n" "$(tail -n 1 "$LOGDIR/$case.log") (log $LOGDIR/$case.log)"
		continue
	fi
	# The connection is gone: the driver stopped the device.
	i=0
	while [ $i -lt 50 ] && [ "$(grep -c "front end disconnected" \
			"$blog")" -lt $round ]; do
		sleep 0.1
		i=$((i + 1))
	done
	case $case in
	ring) refusal="queue 1: .*refused" ;;
	memtable) refusal="cannot map front end region 1/2" ;;
	memwrap) refusal="ends above 0x[0-9a-f]*: memory table refused" ;;
	*) refusal="" ;;
	esac
	if [ -n "$refusal" ]; then
		if ! kill -0 "$BPID" 2> /dev/null; then
			fail "$n" "the example died (log $blog)"
		elif ! grep -q "$refusal" "$blog"; then
			fail "$n" "no log line \"$refusal\" (log $blog)"
		else
			pass "$n"
		fi
		continue
	fi
	from=$(our_stats "$blog" "mdev_sim0 1")
	case $case in
	oob|private) key="bad_desc_errors" ;;
	loop) key="exceed_max_chain" ;;
	esac
	v=$(counter "$from" "$key")
	if [ -z "$v" ] || [ "$v" -lt 1 ]; then
		fail "$n" "queue 1 \"$key\" is ${v:-missing} (log $blog)"
	elif ! kill -0 "$BPID" 2> /dev/null; then
		fail "$n" "the example died (log $blog)"
	elif ! grep -q "device needed a reset" "$blog"; then
		fail "$n" "the driver did not report the broken queue (log $blog)"
	else
		pass "$n"
	fi
done

# The device recovers for the next front end; meanwhile a second front
# end on the same socket (with a bad chain) is refused and changes
# nothing for the first.
n=$name-recover
FWD_SECONDS=8
frontend_run "$flog" "$SOCKDIR/vdpa-sock-0" 1 "" &
fr=$!
i=0
while [ $i -lt 300 ] && ! grep -q 'start tx_first' "$flog" 2> /dev/null; do
	sleep 0.1
	i=$((i + 1))
done
sleep 2
timeout 30 python3 "$top/tests/e2e/lib/bad_frontend.py" \
	"$SOCKDIR/vdpa-sock-0" oob > "$LOGDIR/second.log" 2>&1
src=$?
wait $fr
frc=$?
if [ $src -ne 0 ]; then
	fail $name-second "second front end: $(tail -n 1 "$LOGDIR/second.log") (log $LOGDIR/second.log)"
elif ! grep -q 'already serves front end' "$blog" ||
		! grep -q 'refused: front end' "$blog"; then
	fail $name-second "second front end not refused (log $blog)"
else
	pass $name-second
fi
our_quit_check "$n" 1 "$frc"
e2e_exit
