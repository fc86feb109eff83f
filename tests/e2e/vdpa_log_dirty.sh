#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Dirty page logging through the vDPA path: a vhost-user front end
# (tests/e2e/lib/log_frontend.py) does to our example, serving the sim
# device through our vDPA driver, what a migrating QEMU does: SET_LOG_BASE,
# VHOST_F_LOG_ALL on, traffic, VHOST_F_LOG_ALL off, traffic, SEND_RARP.
# Checked: the bitmap holds exactly the pages the device wrote (used
# rings when logging starts; then the rx buffer and the used rings, never
# the tx buffer), nothing once logging is off; the driver logged logging
# on and migration_done; the example kept running.
#
# Two variants: the sim logs its writes itself (RTE_VIRTIO_MDEV_F_LOG_DIRTY,
# vdpa-log-dirty), and the sim withholds it (log_dirty=0,
# vdpa-log-dirty-relay): the driver then relays the used rings through
# shadow rings (rte_vdpa_relay_vring_used) and the same exact page set
# must come out, with packets still looping before, during and after
# (once more with VIRTIO_RING_F_EVENT_IDX negotiated).
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
. "$top/tests/e2e/lib/vdpa_lib.sh"
vdpa_init vdpa_log_dirty

if [ ! -x "$OUR_VDPA" ]; then
	fail vdpa-log-dirty "$OUR_VDPA not built (devtools/build.sh)"
	e2e_exit
fi
if ! python3 -c 'import os, socket; os.eventfd; socket.send_fds' \
		2> /dev/null; then
	skip vdpa-log-dirty "python3 >= 3.10 needed for the crafted front end"
	e2e_exit
fi

# run_variant NAME EXTRA_DEVARGS EXPECTED_LOG_LINE [FRONT_END_ARG]
run_variant() {
	name=$1
	blog=$LOGDIR/$name-backend.log
	flog=$LOGDIR/$name-frontend.log
	if ! backend_start "$blog" "$OUR_VDPA" \
			"mdev_sim0,class=vdpa,cpu=$SIM_CPU$2" \
			-- --iface "$SOCKDIR/vdpa-sock-" --interactive; then
		fail "$name" "no socket $SOCKDIR/vdpa-sock-0 (log $blog)"
		return
	fi
	timeout 30 python3 "$top/tests/e2e/lib/log_frontend.py" \
		"$SOCKDIR/vdpa-sock-0" ${4:+"$4"} > "$flog" 2>&1
	frc=$?
	sleep 0.5
	if [ $frc -ne 0 ]; then
		fail "$name" "$(grep -v ': ok$' "$flog" | tail -n 3 | tr '\n' ' ')(log $flog)"
	elif ! kill -0 "$BPID" 2> /dev/null; then
		fail "$name" "the example died (log $blog)"
	elif ! grep -q "$3" "$blog"; then
		fail "$name" "the driver did not report \"$3\" (log $blog)"
	elif ! grep -q "migration of front end .* done" "$blog"; then
		fail "$name" "migration_done not reported (log $blog)"
	else
		pass "$name"
	fi
	backend_stop quit
	if [ "$BRC" -ne 0 ] || ! grep -q '^bye' "$blog"; then
		fail "$name-exit" "the example $(status_words "$BRC") (log $blog)"
	fi
}

run_variant vdpa-log-dirty "" "dirty logging on for front end .*bytes of log"
run_variant vdpa-log-dirty-relay ",log_dirty=0" \
	"dirty logging on for front end .*used ring relay"
# The relay copies the device's avail_event and honours used_event.
run_variant vdpa-log-dirty-relay-event-idx ",log_dirty=0" \
	"dirty logging on for front end .*used ring relay" event_idx
e2e_exit
