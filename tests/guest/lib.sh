# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Host side of the Linux-guest tests: a QEMU (TCG) guest built by
# tests/guest/build.sh, its virtio-net device served over vhost-user by
# a backend, and a private network namespace holding the backend's TAP
# interface (the host end of the guest's wire). POSIX sh; source after
# devtools/lib.sh.
#
#  host netns $GNS                    |  QEMU guest (TCG, 1 vCPU)
#  $GUEST_HOST_IP on TAP $GTAP        |  eth0 = virtio-net-pci, $GUEST_IP
#     ^ kernel tap                    |     ^ vhost-user socket $GSOCK
#     +-- backend: DPDK process ------+-----+
#         (testpmd io: net_tap <-> net_vhost, or a vDPA app with the
#          mdev sim whose wire is the net_tap port)
#
# All traffic stays inside the namespace made here (and the guest); the
# addresses are from 198.18.0.0/15, the block set aside for testing
# network devices (RFC 2544), so they mean nothing outside.
#
# A backend is a pair of functions backend_<name>_start/backend_<name>_stop;
# start must serve a vhost-user server socket at $GSOCK, create $GTAP in
# $GNS, set BACKEND_PID, and return non-zero with a reason on stderr
# (or return 2 and set BACKEND_SKIP to a reason when a piece it needs
# does not exist yet). guest_variant runs one boot with one backend.

GUEST_DIR=${GUEST_DIR:-$top/build/guest}
GUEST_QEMU=${GUEST_QEMU:-qemu-system-x86_64}
GUEST_HOST_IP=198.18.0.1
GUEST_IP=198.18.0.2
GUEST_PREFIX=24
GUEST_MAC=52:54:00:12:18:02
# Bytes each way in the bulk transfer (whole 64 KiB blocks).
GUEST_BULK=${GUEST_BULK:-4194304}
# Bounds: the guest's own watchdog, and QEMU's outer timeout.
# A variant's guest ends in about 20 s here; the bounds allow 5x that.
GUEST_WATCHDOG=${GUEST_WATCHDOG:-100}
GUEST_QEMU_BOUND=${GUEST_QEMU_BOUND:-120}
# Offloads off: the tap end (kernel) is given plain frames by the
# backends and nobody completes a partial checksum on the way.
GUEST_NET_OPTS=${GUEST_NET_OPTS:-csum=off,guest_csum=off}
BUSYBOX=${BUSYBOX:-/bin/busybox}

# ---- small helpers ----

# Is PID a live process (a zombie not yet reaped counts as gone)?
guest_pid_alive() {
	[ -n "$1" ] || return 1
	kill -0 "$1" 2> /dev/null || return 1
	st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2> /dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# guest_wait_gone PID SEC
guest_wait_gone() {
	n=$(($2 * 10))
	while guest_pid_alive "$1"; do
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

# guest_stop_pid PID SEC: SIGTERM, wait SEC, then SIGKILL (only PIDs the
# caller started).
guest_stop_pid() {
	[ -n "$1" ] || return 0
	guest_pid_alive "$1" || return 0
	kill -TERM "$1" 2> /dev/null
	guest_wait_gone "$1" "$2" && return 0
	kill -KILL "$1" 2> /dev/null
	guest_wait_gone "$1" 5
}

# Run a command in the test's network namespace.
gns() { ip netns exec "$GNS" "$@"; }

# The guest's result lines (serial log, CR stripped).
guest_serial() { grep -a '^VMTEST ' "$GSERIAL" 2> /dev/null | tr -d '\r'; }

# guest_wait_mark KEY SEC: wait for "VMTEST MARK KEY..." and put the
# line in GMARK; give up early when the guest ended or QEMU is gone.
# (Not meant for $(...): a signal to the script is handled only when
# the foreground command ends, so waits stay in the script's own shell.)
guest_wait_mark() {
	GMARK=
	n=$(($2 * 5))
	while :; do
		GMARK=$(guest_serial | grep "^VMTEST MARK $1\( \|$\)" | head -n 1)
		[ -n "$GMARK" ] && return 0
		guest_serial | grep -q '^VMTEST END' && return 1
		guest_pid_alive "$QEMU_PID" || return 1
		n=$((n - 1))
		[ $n -le 0 ] && return 1
		sleep 0.2
	done
}

# ---- preparation ----

# Build the guest; print why on stderr when it cannot be built.
guest_prepare() {
	sh "$top/tests/guest/build.sh" -q >&2 &&
		[ -f "$GUEST_DIR/vmlinuz" ] && [ -f "$GUEST_DIR/initrd.gz" ]
}

# Can QEMU start a (TCG) machine here at all? Prints why not.
guest_qemu_can_start() {
	if ! command -v "$GUEST_QEMU" > /dev/null; then
		echo "$GUEST_QEMU not installed"
		return 1
	fi
	out=$(echo quit | timeout 30 "$GUEST_QEMU" -accel tcg -nodefaults \
		-display none -S -monitor stdio 2>&1)
	rc=$?
	if [ $rc != 0 ]; then
		echo "$GUEST_QEMU -accel tcg cannot start: exit $rc:" \
			"$(echo "$out" | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
}

# Namespaces left by a run that was killed outright (SIGKILL): named
# vmtest-<pid of the script>-..., removed when that PID is gone.
guest_stale_netns() {
	for ns in $(ip netns list 2> /dev/null | sed -n 's/^\(vmtest-[0-9]*-[^ ]*\).*/\1/p'); do
		pid=${ns#vmtest-}
		pid=${pid%%-*}
		[ "$pid" = $$ ] && continue
		kill -0 "$pid" 2> /dev/null || ip netns del "$ns" 2> /dev/null
	done
}

# guest_net_setup RUNDIR: a fresh namespace, names for the socket, tap.
guest_net_setup() {
	GRUN=$1
	GNS=vmtest-$$-$(basename "$GRUN")
	GTAP=vmt$$
	GTAP=$(echo "$GTAP" | cut -c1-15)
	GSOCK=$GRUN/vhost.sock
	GSERIAL=$GRUN/serial.log
	BACKEND_PID=
	QEMU_PID=
	HOSTNC_PID=
	ip netns add "$GNS" || return 1
	ip -n "$GNS" link set lo up
}

# Remove what guest_net_setup and the variant made (idempotent).
guest_net_cleanup() {
	guest_stop_pid "${HOSTNC_PID:-}" 2
	HOSTNC_PID=
	[ -n "${GNS:-}" ] && ip netns del "$GNS" 2> /dev/null
	rm -f "${GSOCK:-}"
}

# Wait for $GTAP in the namespace and give it the host address.
guest_tap_up() {
	n=300
	while ! ip -n "$GNS" link show "$GTAP" > /dev/null 2>&1; do
		guest_pid_alive "$BACKEND_PID" || {
			echo "backend exited before creating $GTAP" >&2
			return 1
		}
		n=$((n - 1))
		[ $n -le 0 ] && { echo "no $GTAP after 30 s" >&2; return 1; }
		sleep 0.1
	done
	ip -n "$GNS" addr add "$GUEST_HOST_IP/$GUEST_PREFIX" dev "$GTAP" &&
		ip -n "$GNS" link set "$GTAP" up
}

# Wait for the backend's vhost-user socket.
guest_sock_wait() {
	n=300
	while [ ! -S "$GSOCK" ]; do
		guest_pid_alive "$BACKEND_PID" || {
			echo "backend exited before creating $GSOCK" >&2
			return 1
		}
		n=$((n - 1))
		[ $n -le 0 ] && { echo "no $GSOCK after 30 s" >&2; return 1; }
		sleep 0.1
	done
}

# ---- backend: DPDK's own vhost PMD, testpmd io-forwarding to a TAP ----

backend_dpdk_vhost_start() {
	mkfifo "$GRUN/backend.in" || return 1
	# Held open read-write: testpmd's stdin stays open until "quit".
	exec 7<> "$GRUN/backend.in"
	# shellcheck disable=SC2086
	ip netns exec "$GNS" timeout -k 5 $((GUEST_QEMU_BOUND + 60)) \
		"$TESTPMD" --lcores "$TESTPMD_LCORES" $GUEST_EAL \
		--vdev "net_vhost0,iface=$GSOCK,queues=1" \
		--vdev "net_tap0,iface=$GTAP" \
		-- -i --forward-mode=io --auto-start --nb-cores=1 \
		--total-num-mbufs=8192 \
		< "$GRUN/backend.in" > "$GRUN/backend.log" 2>&1 &
	BACKEND_PID=$!
	guest_sock_wait && guest_tap_up
}

backend_dpdk_vhost_stop() {
	BACKEND_RC=
	[ -n "$BACKEND_PID" ] || return 0
	if guest_pid_alive "$BACKEND_PID"; then
		echo "show port stats all" >&7
		sleep 1
		echo "quit" >&7
	fi
	guest_wait_gone "$BACKEND_PID" 20 || guest_stop_pid "$BACKEND_PID" 5
	wait "$BACKEND_PID"
	BACKEND_RC=$?
	exec 7>&-
}

# ---- the guest ----

# guest_qemu_start EXTRA_DEVICE_OPTS TEST: boot the guest on $GSOCK,
# running /tests/TEST.sh (tests/guest/scripts/TEST.sh).
guest_qemu_start() {
	append="console=ttyS0 panic=-1 quiet vmtest.test=$2"
	append="$append vmtest.timeout=$GUEST_WATCHDOG"
	append="$append vmtest.ip=$GUEST_IP/$GUEST_PREFIX vmtest.peer=$GUEST_HOST_IP"
	append="$append vmtest.bulk=$GUEST_BULK"
	# vectors=0: QEMU 7.2 under TCG crashes with MSI-X on vhost-user
	# virtio-net. The memory must be a shared fd for the backend.
	timeout -k 5 "$GUEST_QEMU_BOUND" "$GUEST_QEMU" -accel tcg -smp 1 \
		-m 512 -object memory-backend-memfd,id=mem,size=512M,share=on \
		-numa node,memdev=mem \
		-chardev "socket,id=c0,path=$GSOCK" \
		-netdev type=vhost-user,id=n0,chardev=c0 \
		-device "virtio-net-pci,netdev=n0,vectors=0,mac=$GUEST_MAC,$GUEST_NET_OPTS$1" \
		-kernel "$GUEST_DIR/vmlinuz" -initrd "$GUEST_DIR/initrd.gz" \
		-append "$append" \
		-nodefaults -display none -serial "file:$GSERIAL" -no-reboot \
		< /dev/null > "$GRUN/qemu.log" 2>&1 &
	QEMU_PID=$!
}

# host_ping NAME SIZE: like the guest's: a warm-up, then 3 of 3 back.
host_ping() {
	gns "$BUSYBOX" ping -c 1 -W 10 -s "$2" "$GUEST_IP" > /dev/null 2>&1 ||
		gns "$BUSYBOX" ping -c 1 -W 10 -s "$2" "$GUEST_IP" \
			> /dev/null 2>&1
	out=$(gns "$BUSYBOX" ping -c 3 -W 5 -s "$2" "$GUEST_IP" 2>&1)
	got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	full=$(echo "$out" | grep -c "^$(($2 + 8)) bytes from")
	if [ "$got" = 3 ] && [ "$full" = 3 ]; then
		pass "$GPFX-$1"
	else
		fail "$GPFX-$1" "$got of 3 replies ($full at $(($2 + 8)) bytes):" \
			"$(echo "$out" | tail -n 2 | tr '\n' ' ')"
	fi
}

# Host to guest: send a random file to the guest's port 5001 and compare
# the checksum the guest reports.
host_bulk_to_guest() {
	head -c "$GUEST_BULK" /dev/urandom > "$GRUN/h2g.bin"
	want=$(md5sum < "$GRUN/h2g.bin" | cut -d' ' -f1)
	sent=0
	for i in 1 2 3 4 5; do
		if gns timeout 60 "$BUSYBOX" nc -w 10 "$GUEST_IP" 5001 \
				< "$GRUN/h2g.bin" 2> /dev/null; then
			sent=1
			break
		fi
		guest_pid_alive "$QEMU_PID" || break
		sleep 1
	done
	if [ $sent = 0 ]; then
		fail "$GPFX-bulk-to-guest" "cannot connect to $GUEST_IP:5001"
		return 1
	fi
	guest_wait_mark rx-md5 60
	# shellcheck disable=SC2086
	set -- $GMARK
	if [ "${4:-}" = "$want" ] && [ "${5:-}" = "$GUEST_BULK" ]; then
		pass "$GPFX-bulk-to-guest"
	elif [ -z "${4:-}" ]; then
		fail "$GPFX-bulk-to-guest" "the guest reported no checksum"
	else
		fail "$GPFX-bulk-to-guest" "guest got $5 bytes md5 $4," \
			"sent $GUEST_BULK md5 $want"
	fi
}

# Listen on the host's port 5002 (before the guest can connect).
host_bulk_listen() {
	mkfifo "$GRUN/hold" || return 1
	exec 8<> "$GRUN/hold"
	# Not through gns: $! must be timeout itself (ip netns exec execs
	# it), which passes a SIGTERM on to nc.
	ip netns exec "$GNS" timeout -k 5 $((GUEST_QEMU_BOUND + 60)) \
		"$BUSYBOX" nc -l -p 5002 < "$GRUN/hold" > "$GRUN/g2h.bin" &
	HOSTNC_PID=$!
}

# Guest to host: the guest announces its checksum, then sends.
host_bulk_from_guest() {
	guest_wait_mark tx-md5 60
	# shellcheck disable=SC2086
	set -- $GMARK
	want=${4:-}
	len=${5:-}
	if [ -z "$want" ]; then
		fail "$GPFX-bulk-from-guest" "the guest announced no transfer"
		return 1
	fi
	# Until nc has the whole file (it ends when the guest closes), the
	# guest is gone, or a minute has passed.
	n=600
	while guest_pid_alive "$HOSTNC_PID"; do
		n=$((n - 1))
		if [ $n -le 0 ] || ! guest_pid_alive "$QEMU_PID"; then
			fail "$GPFX-bulk-from-guest" "transfer not finished" \
				"($(wc -c < "$GRUN/g2h.bin") of $len bytes;" \
				"QEMU $(guest_pid_alive "$QEMU_PID" ||
				echo "gone, ")up to 60 s)"
			return 1
		fi
		sleep 0.1
	done
	HOSTNC_PID=
	got=$(md5sum < "$GRUN/g2h.bin" | cut -d' ' -f1)
	glen=$(wc -c < "$GRUN/g2h.bin")
	if [ "$got" = "$want" ] && [ "$glen" = "$len" ]; then
		pass "$GPFX-bulk-from-guest"
	else
		fail "$GPFX-bulk-from-guest" "host got $glen bytes md5 $got," \
			"guest sent $len md5 $want"
	fi
}

# guest_check_ring DEVICE_OPTS READY-LINE: the ring layout the guest
# negotiated (VIRTIO_F_RING_PACKED, bit 34 of the features sysfs shows
# as a string of bits) is the one the variant asked for.
guest_check_ring() {
	want="split"
	case $1 in *packed=on*) want=packed ;; esac
	bits=$(echo "$2" | sed -n 's/.*features=\([01]*\).*/\1/p')
	case $(echo "$bits" | cut -c35) in
	1) got=packed ;;
	0) got="split" ;;
	*) got="unknown (features '$bits')" ;;
	esac
	if [ "$got" = "$want" ]; then
		pass "$GPFX-ring-$want"
	else
		fail "$GPFX-ring-$want" "asked for $want rings, the guest" \
			"negotiated $got (VIRTIO_F_RING_PACKED" \
			"$([ "$want" = packed ] && echo "not offered" ||
			echo "offered, QEMU did not mask it"))"
	fi
}

# Report the guest's own verdicts under this variant's prefix.
guest_report() {
	guest_serial | sed -n 's/^VMTEST \(PASS\|FAIL\) /\1 /p' |
		while IFS= read -r l; do
			echo "${l%% *} $GPFX-${l#* }"
		done
}

# The host's part of the "net" guest test (tests/guest/scripts/net.sh).
# Each step first checks that the guest is still there: a dead guest
# makes one failure, not a minute of time-outs per step.
host_steps_net() {
	for step in "host_ping ping-from-host 56" \
			"host_ping ping-from-host-1472 1472" \
			host_bulk_to_guest host_bulk_from_guest; do
		if ! guest_pid_alive "$QEMU_PID"; then
			fail "$GPFX-host-steps" "QEMU gone before: $step"
			return 1
		fi
		$step
	done
	if guest_wait_mark RELOADED 60; then
		host_ping ping-from-host-after-reload 56
		host_ping ping-from-host-1472-after-reload 1472
	fi
	# Let the guest power off.
	gns timeout 10 "$BUSYBOX" nc -w 5 "$GUEST_IP" 5009 \
		< /dev/null > /dev/null 2>&1
}

# The "loopback" guest test needs nothing from the host.
host_steps_loopback() { :; }

# Did the backend's EAL fail for want of hugepages?
guest_no_hugepages() {
	grep -q -E 'EAL: (FATAL: )?(Cannot get hugepage information|Cannot init memory|Not enough memory available)' \
		"$1" 2> /dev/null
}

# guest_backend_start BACKEND: start it; when EAL found no free
# hugepages (other tests hold them), once more with --no-huge (neither
# backend needs physical addresses: guest memory comes as a shared fd).
guest_backend_start() {
	GUEST_EAL=$EAL_COMMON
	"backend_${1}_start" 2> "$GRUN/start.err" && return 0
	rc=$?
	[ $rc = 2 ] && return 2
	guest_no_hugepages "$GRUN/backend.log" || return $rc
	"backend_${1}_stop" 2> /dev/null
	echo "# $GPFX: no free hugepages, backend runs with --no-huge" >&2
	mv -f "$GRUN/backend.log" "$GRUN/backend-hugepages.log"
	rm -f "$GSOCK" "$GRUN/backend.in"
	# (--in-memory does not combine with --no-huge; --no-shconf keeps
	# the run free of files all the same.)
	GUEST_EAL="--no-huge --no-shconf --no-pci -m 256"
	"backend_${1}_start" 2> "$GRUN/start.err"
}

# guest_variant PREFIX BACKEND DEVICE_OPTS [TEST]: one boot, every check.
# PREFIX names the results (e.g. guest-dpdk-vhost-split); BACKEND is
# the suffix of backend_<name>_start/stop; DEVICE_OPTS is appended to
# the -device virtio-net-pci options (e.g. ",packed=on"); TEST is the
# guest script (net: default, with host_steps_net; loopback).
guest_variant() {
	GPFX=$1
	backend=$2
	gtest=${4:-net}
	run=$GUEST_RUNDIR/$1
	rm -rf "$run"
	mkdir -p "$run"
	if ! guest_net_setup "$run"; then
		fail "$GPFX-setup" "cannot create a network namespace"
		return 1
	fi
	BACKEND_SKIP=
	BACKEND_RC=
	guest_backend_start "$backend"
	rc=$?
	if [ $rc != 0 ]; then
		if [ $rc = 2 ] && [ -n "$BACKEND_SKIP" ]; then
			skip "$GPFX" "$BACKEND_SKIP"
		else
			fail "$GPFX-backend" "$(tr '\n' ' ' < "$run/start.err")" \
				"(log: $run/backend.log)"
		fi
		"backend_${backend}_stop" 2> /dev/null
		guest_net_cleanup
		return 1
	fi
	[ "$gtest" = net ] && host_bulk_listen
	guest_qemu_start "$3" "$gtest"

	if guest_wait_mark READY 90; then
		pass "$GPFX-boot"
		echo "# $GPFX: $GMARK" >&2
		guest_check_ring "$3" "$GMARK"
		"host_steps_$gtest"
	else
		fail "$GPFX-boot" "the guest's network never came up" \
			"(serial: $(guest_serial | tail -n 3 | tr '\n' ' ');" \
			"qemu: $(tail -n 2 "$run/qemu.log" | tr '\n' ' '))"
	fi

	# The guest powers itself off; QEMU's timeout is the last resort.
	guest_wait_gone "$QEMU_PID" 60 || guest_stop_pid "$QEMU_PID" 5
	wait "$QEMU_PID"
	qrc=$?
	QEMU_PID=
	guest_report
	if guest_serial | grep -q '^VMTEST END' && [ $qrc = 0 ]; then
		pass "$GPFX-poweroff"
	else
		fail "$GPFX-poweroff" "QEMU exit $qrc," \
			"$(guest_serial | grep -c '^VMTEST END') END lines;" \
			"qemu: $(tail -n 2 "$run/qemu.log" | tr '\n' ' ')"
	fi
	"backend_${backend}_stop"
	BACKEND_PID=
	if crashed_status "$BACKEND_RC"; then
		fail "$GPFX-backend-exit" "backend crashed (status $BACKEND_RC)"
	elif [ "$BACKEND_RC" != 0 ]; then
		fail "$GPFX-backend-exit" "backend exited with $BACKEND_RC" \
			"(log: $run/backend.log)"
	else
		pass "$GPFX-backend-exit"
	fi
	[ "$gtest" = net ] && exec 8>&-
	guest_net_cleanup
	if ip link show "$GTAP" > /dev/null 2>&1; then
		fail "$GPFX-cleanup" "$GTAP still exists"
	fi
}
