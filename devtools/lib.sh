# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Shell functions shared by the devtools and tests/e2e scripts.
# Source it after setting "top" (the repository root); POSIX sh.
# shellcheck disable=SC2034 # variables are for the sourcing scripts

: "${top:?set top to the repository root before sourcing devtools/lib.sh}"
BUILD_DIR=${BUILD_DIR:-$top/build}
TESTPMD=${TESTPMD:-dpdk-testpmd}

# Where safe copies of the plugins go when the build tree is not safe.
PLUGIN_STORE=${PLUGIN_STORE:-/var/lib/virtio-mdev}

# Print the first world-writable directory on the way from / to $1, or
# nothing. EAL checks the real path of every plugin it loads this way.
world_writable_parent() {
	p=$(realpath "$1") || return 1
	while :; do
		# find prints the path when its mode has the o+w bit.
		if [ -n "$(find "$p" -maxdepth 0 -perm -0002 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
		[ "$p" = / ] && return 0
		p=$(dirname "$p")
	done
}

# Print a directory EAL will accept for "-d": <build>/drivers itself when
# no directory above it (nor any .so in it) is world-writable, else a
# fresh root-owned 0755 copy under $PLUGIN_STORE named after a hash of the
# build path (a clone under /tmp, as CI may use, lands here).
# The drivers find each other through $ORIGIN-relative run paths, so the
# copies work together just like the originals.
plugin_dir() {
	build=${1:-$BUILD_DIR}
	src=$build/drivers
	if ! ls "$src"/*.so > /dev/null 2>&1; then
		echo "plugin_dir: no driver in $src: build first" >&2
		return 1
	fi
	src=$(realpath "$src")
	if [ -z "$(world_writable_parent "$src")" ] &&
			[ -z "$(find "$src" -maxdepth 1 -name '*.so' -perm -0002)" ]; then
		echo "$src"
		return 0
	fi
	hash=$(printf '%s' "$src" | sha256sum | cut -c1-16)
	dst=$PLUGIN_STORE/$hash/drivers
	bad=$(world_writable_parent "$PLUGIN_STORE" 2>/dev/null || true)
	if [ -n "$bad" ]; then
		echo "plugin_dir: $bad is world-writable: set PLUGIN_STORE" >&2
		return 1
	fi
	(umask 022 && mkdir -p "$dst") || return 1
	chmod 0755 "$PLUGIN_STORE" "$PLUGIN_STORE/$hash" "$dst" || return 1
	# Same set of files as the build: drop what the build no longer has.
	for f in "$dst"/*.so; do
		[ -e "$f" ] || continue
		[ -e "$src/$(basename "$f")" ] || rm -f "$f"
	done
	for f in "$src"/*.so; do
		if ! cmp -s "$f" "$dst/$(basename "$f")"; then
			install -m 0644 "$f" "$dst/.tmp.$$" &&
				mv -f "$dst/.tmp.$$" "$dst/$(basename "$f")" ||
				return 1
		fi
	done
	echo "$dst"
}

# ---- end-to-end test helpers ----

# Results in TAP on stdout, for meson (tests/meson.build, protocol tap)
# and devtools/test.sh:
#   pass NAME         ok N - NAME
#   fail NAME WHY...  not ok N - NAME # WHY
#   skip NAME WHY...  ok N - NAME # SKIP WHY
# and e2e_exit prints the plan "1..N" (N results) and exits with status 1
# when one failed. Report from the script's own shell, not from a
# subshell: TAP_N and FAILS count there. Anything else a script prints on
# stdout should be a "# " comment line.
FAILS=0
TAP_N=0
tap_result() {
	TAP_N=$((TAP_N + 1))
	# A "#" would end the name: no directive may hide in it.
	_tn=$(printf '%s' "$2" | tr '#\n' '__')
	_tw=$(printf '%s' "$3" | tr '\n' ' ')
	echo "$1 $TAP_N - $_tn${_tw:+ # $_tw}"
}
pass() { tap_result ok "$1" ""; }
fail() {
	FAILS=$((FAILS + 1))
	n=$1
	shift
	# meson would take a reason "TODO..." for a directive.
	case $* in
	[Tt][Oo][Dd][Oo]*|[Ss][Kk][Ii][Pp]*) tap_result "not ok" "$n" "- $*" ;;
	*) tap_result "not ok" "$n" "$*" ;;
	esac
}
skip() { n=$1; shift; tap_result ok "$n" "SKIP $*"; }
e2e_exit() {
	echo "1..$TAP_N"
	[ "$FAILS" -eq 0 ]
	exit $?
}

# The EAL options every test process uses: its own memory (no files in
# /dev/hugepages, no clash with other processes) and no PCI scan.
EAL_COMMON="--in-memory --no-pci -m 256"

# testpmd sizes its mbuf pool for 32 ports (about 340 MB of 2 KiB mbufs),
# more than -m 256 holds: the rest then depends on free hugepages at that
# moment. 32768 mbufs (70 MB) are plenty for one port.
TESTPMD_MBUFS="--total-num-mbufs=32768"

# testpmd's lcores: main lcore on CPU 0, forwarding lcore on the last CPU
# (the same CPU on a one-CPU machine).
ncpu=$(nproc 2> /dev/null || echo 1)
LAST_CPU=$((ncpu - 1))
TESTPMD_LCORES="0@0,1@$LAST_CPU"

# e2e_init NAME: logs go to $LOGDIR, the plugin directory is $PLUGINS,
# the payload program $PAYLOAD. Exits with a FAIL when a piece is missing.
e2e_init() {
	E2E_NAME=$1
	LOGDIR=$BUILD_DIR/test-logs/$1
	rm -rf "$LOGDIR"
	mkdir -p "$LOGDIR"
	if ! command -v "$TESTPMD" > /dev/null; then
		fail "$1" "$TESTPMD not found (devtools/setup.sh installs dpdk)"
		e2e_exit
	fi
	if ! PLUGINS=$(plugin_dir "$BUILD_DIR" 2> "$LOGDIR/plugin-dir.err")
	then
		fail "$1" "no plugin directory: $(cat "$LOGDIR/plugin-dir.err")"
		e2e_exit
	fi
	PAYLOAD=$BUILD_DIR/app/mdev-payload/mdev-payload
}

# Did a process die of a signal? (132 SIGILL, 134 SIGABRT, 135 SIGBUS,
# 136 SIGFPE, 139 SIGSEGV.)
crashed_status() {
	case $1 in
	132|134|135|136|139) return 0 ;;
	*) return 1 ;;
	esac
}

# How a process ended, in words, for FAIL lines.
status_words() {
	case $1 in
	124|137) echo "timed out (killed)" ;;
	132) echo "crashed with SIGILL" ;;
	134) echo "crashed with SIGABRT" ;;
	135) echo "crashed with SIGBUS" ;;
	136) echo "crashed with SIGFPE" ;;
	139) echo "crashed with SIGSEGV" ;;
	*) echo "exit status $1" ;;
	esac
}

# Open file descriptors of the process that timeout(1) with PID runs.
child_fds() {
	c=$(cat /proc/"$1"/task/"$1"/children 2> /dev/null)
	c=${c%% *}
	[ -n "$c" ] && ls /proc/"$c"/fd 2> /dev/null | wc -l
}

# Did EAL fail for want of hugepages (taken by other processes just then)?
eal_no_memory() {
	grep -q -E -e 'EAL: (FATAL: )?Cannot init memory' \
		-e 'EAL: Not enough memory available' \
		-e 'Creation of mbuf pool .* Cannot allocate memory' "$1"
}

# retry_no_memory LOG COMMAND...: run COMMAND (which writes LOG); when
# EAL found too few free hugepages (other processes hold them for a
# while), wait and try again (twice). Returns COMMAND's last status.
retry_no_memory() {
	_rlog=$1
	shift
	for try in 1 2 3; do
		"$@"
		rc=$?
		if [ $rc -eq 0 ] || [ "$try" -eq 3 ] || ! eal_no_memory "$_rlog"
		then
			break
		fi
		echo "$_rlog: too few free hugepages, trying again" >&2
		sleep 5
	done
	return "$rc"
}

# run_dpdk LOG TIMEOUT COMMAND...: run a DPDK program under timeout with
# no stdin and its output in LOG, tried again when short of hugepages
# (retry_no_memory). Returns the program's exit status.
run_dpdk() {
	log=$1
	tmo=$2
	shift 2
	echo "$*" > "$log.cmd"
	retry_no_memory "$log" run_dpdk_once "$@"
}

run_dpdk_once() {
	timeout -k 5 "$tmo" "$@" > "$log" 2>&1 < /dev/null
}

# run_testpmd LOG TIMEOUT SCRIPT ARGS...: run_testpmd_once, tried again
# when short of hugepages (retry_no_memory).
run_testpmd() {
	retry_no_memory "$1" run_testpmd_once "$@"
}

# fwd_script START SECONDS DRAINS: a run_testpmd script that forwards
# ("START", e.g. "start tx_first 8") for SECONDS, then DRAINS times
# drains the loop for a second in rxonly mode, shows the port's
# statistics and quits.
fwd_script() {
	printf '@wait testpmd>\n%s\nsleep %s\nstop\n' "$1" "$2"
	[ "$3" -gt 0 ] && echo "set fwd rxonly"
	_d=0
	while [ $_d -lt "$3" ]; do
		printf 'start\nsleep 1\nstop\n'
		_d=$((_d + 1))
	done
	printf 'show port stats 0\nquit\n'
}

# testpmd_ended NAME LOG RC [VDEV]: testpmd ended well (status RC, "Bye")
# and had a port (the PMD probed VDEV); else FAIL NAME and return 1.
testpmd_ended() {
	if [ "$3" -ne 0 ] || ! grep -q '^Bye' "$2"; then
		fail "$1" "testpmd $(status_words "$3") (log $2)"
		return 1
	fi
	if grep -q 'No probed ethernet devices' "$2"; then
		fail "$1" "no port: the PMD did not probe${4:+ $4} (log $2)"
		return 1
	fi
	return 0
}

# wait_exit PID TENTHS: wait (up to TENTHS tenths of a second) while the
# process PID runs.
wait_exit() {
	_w=0
	while [ $_w -lt "$2" ] && kill -0 "$1" 2> /dev/null; do
		sleep 0.1
		_w=$((_w + 1))
	done
}

# run_testpmd_once LOG TIMEOUT SCRIPT ARGS...
# Run testpmd (interactive: "-i" must be in ARGS) under timeout, feeding
# it the lines of SCRIPT through a FIFO. Directives in SCRIPT:
#   sleep N      pause N seconds
#   @wait TEXT   wait (up to 60 s) until the log shows TEXT
#   @fds TAG     append "TAG <open fds of testpmd>" to LOG.fds
# Every other line is sent as a command. Output goes to LOG; returns
# testpmd's exit status (124: timed out).
run_testpmd_once() {
	log=$1
	tmo=$2
	script=$3
	shift 3
	fifo=$log.fifo
	rm -f "$fifo" "$log.fds"
	mkfifo "$fifo" || return 1
	echo "$TESTPMD $*" > "$log.cmd"
	timeout -k 5 "$tmo" "$TESTPMD" "$@" < "$fifo" > "$log" 2>&1 &
	tpid=$!
	printf '%s\n' "$script" | (
		trap '' PIPE
		while IFS= read -r line; do
			kill -0 "$tpid" 2> /dev/null || break
			case $line in
			"sleep "*) sleep "${line#sleep }" ;;
			"@wait "*)
				i=0
				while [ $i -lt 600 ] &&
					kill -0 "$tpid" 2> /dev/null &&
					! grep -qF -- "${line#@wait }" "$log"
				do
					sleep 0.1
					i=$((i + 1))
				done ;;
			"@fds "*)
				echo "${line#@fds } $(child_fds "$tpid")" \
					>> "$log.fds" ;;
			*) echo "$line" ;;
			esac
		done
		# Keep stdin open while testpmd quits: EOF would end it early.
		wait_exit "$tpid" 100
	) > "$fifo" 2> /dev/null
	wait "$tpid"
	rc=$?
	rm -f "$fifo"
	return "$rc"
}

# awk: val(k) is the field after the field k of the line ("" if none).
# shellcheck disable=SC2016 # awk code: nothing to expand
AWK_VAL='
	function val(k,   i) {
		for (i = 1; i < NF; i++)
			if ($i == k)
				return $(i + 1)
		return ""
	}'

# The "Accumulated forward statistics" blocks of LOG (one per "stop"),
# one line each: "RX RX-dropped TX TX-dropped RX-nombufs".
acc_blocks() {
	awk "$AWK_VAL"'
	/Accumulated forward statistics for all ports/ {
		inblk = 1; nb = 0; next
	}
	inblk && /RX-packets:/ {
		rx = val("RX-packets:"); rxd = val("RX-dropped:")
	}
	inblk && /RX-nombufs:/ { nb = val("RX-nombufs:") }
	inblk && /TX-packets:/ {
		print rx, rxd, val("TX-packets:"), val("TX-dropped:"), nb
		inblk = 0
	}' "$1"
}

# The "NIC statistics" blocks of LOG (one per "show port stats"), one
# line each: "RX-packets RX-missed RX-errors RX-nombuf TX-packets TX-errors".
port_stats_blocks() {
	awk "$AWK_VAL"'
	/NIC statistics for port/ { inblk = 1; next }
	inblk && /RX-packets:/ {
		rx = val("RX-packets:"); miss = val("RX-missed:")
	}
	inblk && /RX-errors:/ { rxe = val("RX-errors:") }
	inblk && /RX-nombuf:/ { nb = val("RX-nombuf:") }
	inblk && /TX-packets:/ {
		print rx, miss, rxe, nb, val("TX-packets:"), val("TX-errors:")
		inblk = 0
	}' "$1"
}

# Per-stream counts of the first "stop" in LOG (printed when there are
# more streams than ports): "queue rx-packets" per line.
stream_rx() {
	awk '
	/Forward Stats for RX Port=/ {
		s = $0
		sub(/.*RX Port= *[0-9]+\/Queue= */, "", s)
		sub(/[^0-9].*/, "", s)
		q = s
		next
	}
	q != "" && /RX-packets:/ { print q, $2; q = "" }
	/Accumulated forward statistics/ { exit }' "$1"
}

# "count alloc" of the "Total" lines of testpmd's dump_socket_mem.
socket_mem_allocs() {
	sed -n 's/^Total *:.*count alloc: *\([0-9]*\).*/\1/p' "$1"
}

# log_names_key LOG KEY FULLARG: does a line of LOG name the devargs key
# KEY (as "KEY=", "KEY" in quotes, or "key KEY"), other than lines that
# merely repeat the whole devargs string FULLARG?
log_names_key() {
	grep -v -F -- "$3" "$1" |
		grep -q -i -E -- "(^|[^a-z0-9_])$2=|[\"'\`]$2[\"'\`]|key:? $2([^a-z0-9_]|\$)"
}

# Why a DPDK program stopped, from its log: EAL's "Cause:" line, else the
# last line that says error or fail, else the last line.
log_reason() {
	r=$(sed -n 's/^ *Cause: *//p' "$1" | tail -n 1)
	[ -n "$r" ] || r=$(grep -i -E 'error|fail' "$1" | tail -n 1)
	[ -n "$r" ] || r=$(tail -n 1 "$1")
	echo "$r"
}

# fwd_counts_check NAME LOG QUEUES SECONDS: the counts of a testpmd
# forwarding loop that was stopped, drained in rxonly mode and asked
# "show port stats 0": traffic on every queue, no drops, errors or mbuf
# shortages, and after draining TX == RX + RX-missed exactly. Calls fail
# and returns 1, or prints the rate on stderr and returns 0.
fwd_counts_check() {
	_n=$1 _log=$2 _q=$3 _secs=$4
	# shellcheck disable=SC2046
	set -- $(acc_blocks "$_log" | sed -n 1p)
	if [ $# -ne 5 ]; then
		fail "$_n" "no forwarding statistics in the log (log $_log)"
		return 1
	fi
	_rx=$1 _tx=$3
	if [ "$_rx" -eq 0 ] || [ "$_tx" -eq 0 ]; then
		fail "$_n" "nothing forwarded: RX $_rx TX $_tx (log $_log)"
		return 1
	fi
	if [ "$4" -ne 0 ] || [ "$5" -ne 0 ]; then
		fail "$_n" "TX-dropped $4, RX-nombufs $5 (log $_log)"
		return 1
	fi
	if grep -q 'RX-error: *[1-9]' "$_log"; then
		fail "$_n" "RX errors while forwarding (log $_log)"
		return 1
	fi
	_i=0
	while [ "$_q" -gt 1 ] && [ $_i -lt "$_q" ]; do
		_c=$(stream_rx "$_log" | awk -v q="$_i" '$1 == q { print $2 }')
		if [ -z "$_c" ] || [ "$_c" -eq 0 ]; then
			fail "$_n" "queue $_i forwarded nothing (log $_log)"
			return 1
		fi
		_i=$((_i + 1))
	done
	# shellcheck disable=SC2046
	set -- $(port_stats_blocks "$_log" | tail -n 1)
	if [ $# -ne 6 ]; then
		fail "$_n" "no port statistics in the log (log $_log)"
		return 1
	fi
	if [ "$5" -ne $(($1 + $2)) ]; then
		fail "$_n" "after draining: TX-packets $5 != RX-packets $1 + RX-missed $2 (log $_log)"
		return 1
	fi
	if [ "$3" -ne 0 ] || [ "$6" -ne 0 ]; then
		fail "$_n" "RX-errors $3, TX-errors $6 (log $_log)"
		return 1
	fi
	awk -v n="$_rx" -v s="$_secs" -v name="$_n" -v tx="$5" -v rx="$1" \
		-v m="$2" 'BEGIN { printf "%s: ~%.2f Mpps, total TX %d RX %d missed %d\n", name, n / s / 1e6, tx, rx, m }' >&2
}
