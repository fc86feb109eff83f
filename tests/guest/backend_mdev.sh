# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The guest tests' backend made of this project's pieces: a vDPA app
# (ours, examples/vdpa, or DPDK's examples/vdpa) serving the mdev sim
# (class=vdpa) on a vhost-user socket. The sim's wire is
#   GUEST_SIM_WIRE=tap       a net_tap port in the test's namespace
#                            (--vdev net_tap0,iface=$GTAP and wire=net_tap0)
#   GUEST_SIM_WIRE=loopback  the sim's loopback (the guest hears itself)
# Source after tests/guest/lib.sh; see backend_<name>_start there.

# The vDPA app: ours by default; GUEST_VDPA_APP=/path/to/DPDK's vdpa
# works too (same --iface convention: sockets <prefix>0, <prefix>1 ...).
GUEST_VDPA_APP=${GUEST_VDPA_APP:-$BUILD_DIR/examples/vdpa/vdpa-mdev}
GUEST_SIM_WIRE=${GUEST_SIM_WIRE:-tap}
# The sim engine polls on the last CPU; the app's main lcore on CPU 0.
GUEST_SIM_CPU=${GUEST_SIM_CPU:-$LAST_CPU}

backend_mdev_vdpa_start() {
	if [ ! -x "$GUEST_VDPA_APP" ]; then
		echo "no vDPA app $GUEST_VDPA_APP (build examples/vdpa)"
		return 1
	fi
	plugins=$(plugin_dir "$BUILD_DIR") || return 1
	sim="mdev_sim0,class=vdpa,cpu=$GUEST_SIM_CPU${GUEST_SIM_EXTRA:-}"
	case $GUEST_SIM_WIRE in
	tap) set -- --vdev "net_tap0,iface=$GTAP" \
		--vdev "$sim,wire=net_tap0" ;;
	loopback) set -- --vdev "$sim,wire=loopback" ;;
	*) echo "GUEST_SIM_WIRE=$GUEST_SIM_WIRE: accepted tap, loopback"
		return 1 ;;
	esac
	GSOCK=$GRUN/vdpa-sock-0
	mkfifo "$GRUN/backend.in" || return 1
	# stdin stays open (DPDK's example reads it for "q" and spins on EOF).
	exec 7<> "$GRUN/backend.in"
	# shellcheck disable=SC2086
	ip netns exec "$GNS" timeout -k 5 $((GUEST_QEMU_BOUND + 60)) \
		"$GUEST_VDPA_APP" $GUEST_EAL --lcores 0@0 -d "$plugins" \
		--log-level=vdpa.mdev:info --log-level=mdev.sim:info "$@" \
		-- --iface "$GRUN/vdpa-sock-" \
		< "$GRUN/backend.in" > "$GRUN/backend.log" 2>&1 &
	BACKEND_PID=$!
	if ! guest_sock_wait; then
		guest_wait_gone "$BACKEND_PID" 5
		# Say so plainly when the sim does not know wire=<ethdev> yet.
		why=$(grep -m 1 'invalid devarg wire=' "$GRUN/backend.log")
		if [ -n "$why" ]; then
			BACKEND_SKIP="the sim has no wire=<ethdev port> yet: $why"
			return 2
		fi
		return 1
	fi
	[ "$GUEST_SIM_WIRE" = loopback ] || guest_tap_up
}

backend_mdev_vdpa_stop() {
	BACKEND_RC=
	[ -n "$BACKEND_PID" ] || return 0
	# The app serves until SIGINT/SIGTERM (timeout passes it on).
	if guest_pid_alive "$BACKEND_PID"; then
		kill -TERM "$BACKEND_PID" 2> /dev/null
		guest_wait_gone "$BACKEND_PID" 20 ||
			guest_stop_pid "$BACKEND_PID" 5
	fi
	wait "$BACKEND_PID" 2> /dev/null
	BACKEND_RC=$?
	exec 7>&-
}
