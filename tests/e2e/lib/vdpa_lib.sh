# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# shellcheck disable=SC2034 # variables are for the sourcing scripts
#
# Shell functions of the vDPA end-to-end tests (tests/e2e/vdpa_*.sh):
# a vDPA back end (DPDK's examples/vdpa or ours) serving the sim device
# (mdev_sim, class=vdpa) on vhost-user sockets, and dpdk-testpmd with
# virtio-user as the front end, forwarding in mac mode over the sim's
# loopback wire. POSIX sh; source after devtools/lib.sh.
#
# Every process: --in-memory --no-pci -m 256, pinned with --lcores,
# bounded by timeout; only PIDs started here are signalled.

OUR_VDPA=${OUR_VDPA:-$BUILD_DIR/examples/vdpa/vdpa-mdev}
DPDK_VDPA_SRC=${DPDK_VDPA_SRC:-/usr/share/dpdk/examples/vdpa}
FWD_SECONDS=${FWD_SECONDS:-3}
# Back end: main lcore and the sim's engine thread on the first CPU;
# front end: forwarding lcore on the last CPU.
BACKEND_LCORES="0@0"
SIM_CPU=0
FRONTEND_LCORES=$TESTPMD_LCORES
VIRTIO_F_RING_PACKED_BIT=34

# vdpa_init NAME: e2e_init, plus a socket directory (removed on exit).
vdpa_init() {
	e2e_init "$1"
	SOCKDIR=$(mktemp -d /tmp/vdpa-e2e.XXXXXX) || {
		fail "$1" "mktemp failed"
		e2e_exit
	}
	BPID=""
	trap vdpa_cleanup EXIT
	trap 'exit 1' INT TERM
	# Writing to the stdin FIFO of a process that died must fail, not
	# kill this script (and orphan the back end).
	trap '' PIPE
}

vdpa_cleanup() {
	if [ -n "$BPID" ] && kill -0 "$BPID" 2> /dev/null; then
		kill -TERM "$BPID" 2> /dev/null
		sleep 1
		kill -KILL "$BPID" 2> /dev/null
	fi
	rm -rf "$SOCKDIR"
}

# Wait (up to 120 s) until $1 MB of hugepages are free: other tests on
# the machine may hold them for a while.
wait_hugepages() {
	need=$(($1 / 2))
	i=0
	while [ $i -lt 120 ]; do
		free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
		[ "${free:-0}" -ge "$need" ] && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# Build DPDK's own vdpa example (Debian's dpdk-doc) in a copy under the
# build directory; prints the binary. Installs dpdk-doc when missing.
dpdk_vdpa_build() {
	if [ ! -f "$DPDK_VDPA_SRC/main.c" ]; then
		DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q \
			dpdk-doc > "$LOGDIR/apt-dpdk-doc.log" 2>&1 || return 1
	fi
	dst=$BUILD_DIR/dpdk-examples/vdpa
	mkdir -p "$dst" || return 1
	cp -r "$DPDK_VDPA_SRC/." "$dst/" || return 1
	timeout 300 make -C "$dst" > "$LOGDIR/dpdk-vdpa-build.log" 2>&1 ||
		return 1
	[ -x "$dst/build/vdpa" ] && echo "$dst/build/vdpa"
}

# The PID of the program run by timeout(1) as PID $1 (empty when gone:
# check before using it, "kill ''" may signal the whole process group).
timeout_child() {
	[ -n "$1" ] || return 0
	c=$(cat /proc/"$1"/task/"$1"/children 2> /dev/null)
	echo "${c%% *}"
}

# backend_start LOG BIN VDEVS -- APP-ARGS...
# Start a vDPA back end with the sim devices VDEVS (space separated
# --vdev values), stdin a FIFO kept open on fd 7 (DPDK's example spins
# at end of input). Waits until "$SOCKDIR/vdpa-sock-0" exists when the
# app args create sockets (--iface), else for the prompt.
backend_start() {
	blog=$1
	bin=$2
	vdevs=$3
	shift 3
	bfifo=$blog.stdin
	# APP-ARGS start with "--": put the EAL arguments in front.
	rev=""
	for v in $vdevs; do
		rev="$v $rev"
	done
	for v in $rev; do
		set -- --vdev "$v" "$@"
	done
	# shellcheck disable=SC2086
	set -- $EAL_COMMON --lcores "$BACKEND_LCORES" -d "$PLUGINS" \
		--log-level=vdpa.mdev:info "$@"
	echo "$bin $*" > "$blog.cmd"
	for _ in 1 2 3; do
		backend_start_once "$bin" "$@" && return 0
		[ -z "$BPID" ] && eal_no_memory "$blog" || return 1
		echo "$blog: too few free hugepages, trying again" >&2
		sleep 5
	done
	return 1
}

# backend_start_once BIN ARGS...: one try of backend_start; BPID is
# empty when the back end is gone.
backend_start_once() {
	bin=$1
	shift
	rm -f "$bfifo"
	mkfifo "$bfifo" || return 1
	wait_hugepages 300 || echo "# hugepages still short" >&2
	timeout -k 5 "${BACKEND_TIMEOUT:-300}" "$bin" "$@" \
		< "$bfifo" > "$blog" 2>&1 &
	BPID=$!
	exec 7> "$bfifo"
	i=0
	while [ $i -lt 300 ]; do
		if ! kill -0 "$BPID" 2> /dev/null; then
			exec 7>&-
			wait "$BPID"
			BPID=""
			return 1
		fi
		if [ -n "${BACKEND_READY:-}" ]; then
			grep -qF -- "$BACKEND_READY" "$blog" && return 0
		elif [ -S "$SOCKDIR/vdpa-sock-0" ]; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Send a line to the back end's stdin.
backend_send() {
	echo "$1" >&7 2> /dev/null
}

# backend_stop HOW: "q" or "quit" (a line on stdin), "signal" (SIGINT)
# or "term" (SIGTERM), sent to timeout(1), which passes it on to the
# back end. Sets BRC to the exit status.
backend_stop() {
	BRC=1
	[ -n "$BPID" ] || return 0
	case $1 in
	signal) kill -INT "$BPID" 2> /dev/null ;;
	term) kill -TERM "$BPID" 2> /dev/null ;;
	*) backend_send "$1" ;;
	esac
	wait_exit "$BPID" 200
	if kill -0 "$BPID" 2> /dev/null; then
		echo "# back end still running after 20 s: SIGKILL" >&2
		bp=$(timeout_child "$BPID")
		[ -n "$bp" ] && kill -KILL "$bp" 2> /dev/null
	fi
	exec 7>&-
	wait "$BPID"
	BRC=$?
	BPID=""
	rm -f "$blog.stdin"
}

# The last "0x..." features of the driver's "serving front end" log line.
negotiated_features() {
	sed -n 's/.*serving front end .*(features \(0x[0-9a-f]*\),.*/\1/p' \
		"$1" | tail -n 1
}

has_bit() {
	[ -n "$1" ] && [ $(( ($1 >> $2) & 1 )) -eq 1 ]
}

# frontend_run LOG SOCK QUEUES VDEV-EXTRA: testpmd with virtio-user on
# SOCK, mac forwarding for FWD_SECONDS, then drained (rxonly) so that
# the port counters are final. Returns testpmd's status.
frontend_run() {
	flog=$1
	sock=$2
	q=$3
	extra=$4
	script=$(fwd_script "start tx_first 8" "$FWD_SECONDS" 1)
	wait_hugepages 260 || echo "# hugepages still short" >&2
	# shellcheck disable=SC2086
	run_testpmd "$flog" 90 "$script" $EAL_COMMON --single-file-segments \
		--lcores "$FRONTEND_LCORES" \
		--vdev "net_virtio_user0,path=$sock,queues=$q$extra" -- -i \
		--forward-mode=mac --nb-cores=1 --rxq="$q" --txq="$q" \
		--total-num-mbufs=16384
}

# check_loop NAME FLOG QUEUES DROPS: the front end forwarded on every
# queue, and after draining TX-packets == RX-packets + DROPS (packets the
# device dropped for want of a receive buffer; 0 when the back end
# cannot show device counters). Prints PASS or FAIL.
check_loop() {
	name=$1
	flog=$2
	q=$3
	drops=${4:-0}
	if ! grep -q '^Bye' "$flog"; then
		fail "$name" "front end did not end cleanly (log $flog)"
		return 1
	fi
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$flog" | sed -n 1p)
	if [ $# -ne 5 ] || [ "$1" -eq 0 ] || [ "$3" -eq 0 ]; then
		fail "$name" "nothing forwarded through the device: ${*:-no statistics} (log $flog)"
		return 1
	fi
	fwd_rx=$1
	if [ "$q" -gt 1 ]; then
		for i in $(seq 0 $((q - 1))); do
			n=$(stream_rx "$flog" | awk -v q="$i" '$1 == q { print $2 }')
			if [ -z "$n" ] || [ "$n" -eq 0 ]; then
				fail "$name" "queue pair $i forwarded nothing (log $flog)"
				return 1
			fi
		done
	fi
	# shellcheck disable=SC2046
	set -- $(port_stats_blocks "$flog" | tail -n 1)
	if [ $# -ne 6 ]; then
		fail "$name" "no port statistics (log $flog)"
		return 1
	fi
	if [ "$5" -ne $(($1 + drops)) ]; then
		fail "$name" "TX-packets $5 != RX-packets $1 + device drops $drops (log $flog)"
		return 1
	fi
	echo "$name: forwarded $fwd_rx in ${FWD_SECONDS}s; total TX $5 RX $1 device drops $drops" >&2
	return 0
}

# Sum of one counter over the queues of one parity (0: rx, 1: tx) in our
# example's "stats" output, from line FROM of LOG on.
# sum_counter LOG FROM PARITY NAME
sum_counter() {
	tail -n +"$2" "$1" | awk -v par="$3" -v key="$4" '
	/^ *queue [0-9]+:/ { q = $2; sub(/:/, "", q); next }
	q != "" && index($0, key) {
		n = split($0, f, " ")
		if (q % 2 == par)
			s += f[n]
	}
	END { print s + 0 }'
}

# our_stats LOG DEVICE: ask our example (interactive) for DEVICE's
# counters; prints the log line where the answer starts.
our_stats() {
	from=$(($(wc -l < "$1") + 1))
	backend_send "stats $2"
	i=0
	while [ $i -lt 50 ]; do
		sleep 0.1
		tail -n +"$from" "$1" | grep -q 'completion_errors' && break
		i=$((i + 1))
	done
	sleep 0.3
	echo "$from"
}

# our_rx_drops LOG DEVICE: the packets DEVICE dropped for want of a
# receive buffer (completion_errors of its receive queues), asked of our
# example (interactive).
our_rx_drops() {
	sum_counter "$1" "$(our_stats "$1" "$2")" 0 "completion_errors"
}

# vdpa_case TAG: a case's logs, $blog ($LOGDIR/TAG-backend.log) and $flog
# (TAG-frontend.log), and no socket left by the case before.
vdpa_case() {
	blog=$LOGDIR/$1-backend.log
	flog=$LOGDIR/$1-frontend.log
	rm -f "$SOCKDIR"/vdpa-sock-*
}

# wait_socket PATH: wait (up to 5 s) until the back end has created PATH.
wait_socket() {
	i=0
	while [ $i -lt 50 ] && [ ! -S "$1" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# vdpa_variants FN: FN TAG QUEUES FRONTEND-EXTRA for the traffic variants
# both examples run (split rings with and without mergeable buffers, 1
# and 2 queue pairs, packed rings); each script adds its last one.
vdpa_variants() {
	$1 split-1q 1 ""
	$1 split-nomrg-1q 1 ",mrg_rxbuf=0"
	$1 split-2q 2 ""
	$1 split-nomrg-2q 2 ",mrg_rxbuf=0"
	$1 packed-1q 1 ",packed_vq=1"
}

# vdpa_traffic NAME BIN STOP TAG QUEUES EXTRA APP-ARGS...: the back end
# BIN serving mdev_sim0 with QUEUES pairs on $SOCKDIR/vdpa-sock-0 (logs
# of vdpa_case TAG), then the front end with EXTRA through it; FRC is
# the front end's status. The sim offers packed rings only when EXTRA
# asks for them. When the back end does not start: FAIL NAME, stop it
# with STOP (backend_stop) and return 1.
vdpa_traffic() {
	_name=$1 _bin=$2 _stop=$3 _q=$5 _extra=$6
	vdpa_case "$4"
	shift 6
	_sim=""
	case $_extra in
	*packed_vq=1*) _sim=",packed_vq=1" ;;
	esac
	if ! backend_start "$blog" "$_bin" \
			"mdev_sim0,class=vdpa,queues=$_q,cpu=$SIM_CPU$_sim" \
			-- --iface "$SOCKDIR/vdpa-sock-" "$@"; then
		fail "$_name" "the example did not create $SOCKDIR/vdpa-sock-0 (log $blog)"
		[ -n "$BPID" ] && backend_stop "$_stop"
		return 1
	fi
	frontend_run "$flog" "$SOCKDIR/vdpa-sock-0" "$_q" "$_extra"
	FRC=$?
	return 0
}

# check_packed NAME EXTRA: when EXTRA asked the front end for packed
# rings, the back end's log $blog shows them negotiated; else FAIL NAME
# and return 1.
check_packed() {
	case $2 in
	*packed_vq=1*) ;;
	*) return 0 ;;
	esac
	_f=$(negotiated_features "$blog")
	has_bit "$_f" $VIRTIO_F_RING_PACKED_BIT && return 0
	fail "$1" "packed_vq=1 but VIRTIO_F_RING_PACKED not negotiated (${_f:-nothing}; log $blog)"
	return 1
}

# vdpa_ended NAME FRC [bye [WHEN]]: the front end (status FRC, log
# $flog) and the stopped back end (status BRC, log $blog) both ended
# well, the back end saying "bye" when asked; else FAIL NAME (WHEN, e.g.
# " after SIGTERM", tells how the back end was stopped) and return 1.
vdpa_ended() {
	if [ "$2" -ne 0 ]; then
		fail "$1" "front end $(status_words "$2") (log $flog)"
		return 1
	fi
	if [ "$BRC" -ne 0 ] ||
			{ [ "${3:-}" = bye ] && ! grep -q '^bye' "$blog"; }; then
		fail "$1" "the example $(status_words "$BRC")${4:-} (log $blog)"
		return 1
	fi
	return 0
}

# our_quit_check NAME QUEUES FRC: after the front end (status FRC) ran
# through our example (interactive): take mdev_sim0's receive drops,
# "quit", both ends ended well and check_loop holds: PASS or FAIL NAME.
our_quit_check() {
	_drops=$(our_rx_drops "$blog" mdev_sim0)
	backend_stop quit
	vdpa_ended "$1" "$3" bye &&
		check_loop "$1" "$flog" "$2" "$_drops" && pass "$1"
}
