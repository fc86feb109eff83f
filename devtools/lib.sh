# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Shell functions shared by the devtools and tests/e2e scripts.
# Source it after setting "top" (the repository root); POSIX sh.

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

# ---- test result lines (read by devtools/test.sh) ----

pass() { echo "PASS $1"; }
fail() { n=$1; shift; echo "FAIL $n: $*"; }
skip() { n=$1; shift; echo "SKIP $n: $*"; }

# The EAL options every test process uses: its own memory (no files in
# /dev/hugepages, no clash with other processes) and no PCI scan.
EAL_COMMON="--in-memory --no-pci -m 256"

# The lcores for testpmd: main lcore on CPU 0, forwarding lcore on the
# last CPU (the same CPU on a one-CPU machine).
ncpu=$(nproc 2>/dev/null || echo 1)
LAST_CPU=$((ncpu - 1))
TESTPMD_LCORES="0@0,1@$LAST_CPU"

# Did a process die of a signal or abort? (134 = SIGABRT, 139 = SIGSEGV,
# 135 = SIGBUS, 136 = SIGFPE, 132 = SIGILL.)
crashed_status() {
	case $1 in
	132|134|135|136|139) return 0 ;;
	*) return 1 ;;
	esac
}

# run_testpmd LOG TIMEOUT SCRIPT EAL-AND-APP-ARGS...
# Run testpmd interactively, feeding it the lines of SCRIPT; a line
# "sleep N" pauses N seconds instead of being sent. All output goes to
# LOG; the exit status is testpmd's (124 if timeout killed it).
# The feeder keeps stdin open until testpmd has read "quit" and exited.
run_testpmd() {
	log=$1
	tmo=$2
	script=$3
	shift 3
	# shellcheck disable=SC2086
	(
		while IFS= read -r line; do
			case $line in
			"sleep "*) sleep "${line#sleep }" ;;
			*) echo "$line" ;;
			esac
		done <<EOF
$script
EOF
		sleep 2
	) | timeout -k 5 "$tmo" "$TESTPMD" "$@" > "$log" 2>&1
}

# The "Accumulated forward statistics for all ports" block of the last
# "stop" in LOG, as shell assignments: RX_PKTS RX_DROPPED RX_TOTAL
# TX_PKTS TX_DROPPED TX_TOTAL (empty when no such block).
acc_stats() {
	awk '
	/Accumulated forward statistics for all ports/ {
		inblk = 1; rxp = rxd = rxt = txp = txd = txt = ""; next
	}
	inblk && /RX-packets:/ {
		rxp = $2; rxd = $4; rxt = $6
	}
	inblk && /TX-packets:/ {
		txp = $2; txd = $4; txt = $6; inblk = 0
	}
	END {
		printf "RX_PKTS=%s RX_DROPPED=%s RX_TOTAL=%s ", rxp, rxd, rxt
		printf "TX_PKTS=%s TX_DROPPED=%s TX_TOTAL=%s\n", txp, txd, txt
	}' "$1"
}

# The last "show port stats" / "show port xstats" numbers of a port in
# LOG: value of the last line matching "NAME: <number>" (e.g. rx_missed_errors).
last_xstat() {
	awk -v k="$2:" '$1 == k { v = $2 } END { print v }' "$1"
}
