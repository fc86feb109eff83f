#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Bad devargs for mdev_sim0. For each one:
#   - mdev-payload (which needs the port) must exit with an error status,
#     not crash, and its log must name the offending key;
#   - dpdk-testpmd must not crash and must not get a port (testpmd itself
#     carries on without ports and exits 0), and its log must name the key.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init bad-devargs

# bad NAME KEY DEVARGS
bad() {
	name=bad-devargs-$1
	key=$2
	vdev=mdev_sim0,$3
	plog=$LOGDIR/$1-payload.log
	tlog=$LOGDIR/$1-testpmd.log
	why=""

	# shellcheck disable=SC2086
	run_dpdk "$plog" 60 "$PAYLOAD" $EAL_COMMON --lcores 0@0 \
		-d "$PLUGINS" --vdev "$vdev" -- --count 100 --timeout 5
	rc=$?
	if [ ! -x "$PAYLOAD" ]; then
		why="$PAYLOAD not built"
	elif [ $rc -eq 0 ]; then
		why="mdev-payload succeeded with '$vdev' (log $plog)"
	elif crashed_status $rc || [ $rc -eq 124 ]; then
		why="mdev-payload $(status_words $rc) (log $plog)"
	elif ! log_names_key "$plog" "$key" "$vdev"; then
		why="no log line names '$key' (log $plog)"
	fi

	# shellcheck disable=SC2086
	run_dpdk "$tlog" 60 "$TESTPMD" $EAL_COMMON --lcores "$TESTPMD_LCORES" \
		-d "$PLUGINS" --vdev "$vdev" -- $TESTPMD_MBUFS --nb-cores=1
	rc=$?
	if [ -n "$why" ]; then
		:
	elif crashed_status $rc || [ $rc -eq 124 ]; then
		why="testpmd $(status_words $rc) (log $tlog)"
	elif grep -q 'Configuring Port 0' "$tlog"; then
		why="testpmd got a port from '$vdev' (log $tlog)"
	elif ! log_names_key "$tlog" "$key" "$vdev"; then
		why="no testpmd log line names '$key' (log $tlog)"
	fi

	if [ -n "$why" ]; then
		fail "$name" "$why"
	else
		echo "$name: $(grep -v -F -- "$vdev" "$plog" | grep -i -m 1 -E -- "$key=|\"$key\"")" >&2
		pass "$name"
	fi
}

bad queues-abc queues queues=abc
bad queues-0 queues queues=0
bad queues-17 queues queues=17
bad queue-size queue_size queue_size=100
bad mtu-1 mtu mtu=1
bad mtu-big mtu mtu=9001
bad mac mac mac=zz:00:00:00:00:01
bad class class class=foo
bad engine engine engine=bogus
bad features features features=notahexmask
bad uuid uuid uuid=not-a-uuid
bad wire wire wire=nosuchport
bad cpu cpu cpu=99999
bad unknown-key nosuchkey nosuchkey=1
bad log-dirty log_dirty log_dirty=2
# The PMD's own keys (vm_*: refuse a feature) take 0 or 1.
bad vm-packed-vq vm_packed_vq vm_packed_vq=yes
bad vm-in-order vm_in_order vm_in_order=2
bad vm-csum vm_csum vm_csum=off
bad vm-tso vm_tso vm_tso=2

e2e_exit
