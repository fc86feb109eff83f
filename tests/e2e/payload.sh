#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# app/mdev-payload over the sim's loopback wire: sequence-numbered,
# checksummed frames, every byte checked on the way back. One and two
# queue pairs, 64 and 1500 byte frames, frames sent as several mbuf
# segments, and 9000 byte frames (mtu=9000) received into chained mbufs.
# Each run must end with nothing lost, corrupted, duplicated, reordered or
# delivered to the wrong queue (the program's exit status says so).
# The same program and drivers from the ASan/UBSan build (build-asan/,
# made by devtools/test.sh) run a few of the cases again: any sanitizer
# report fails them.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init payload

COUNT=${PAYLOAD_COUNT:-100000}

# payload NAME VDEV-ARGS APP-ARGS...
payload() {
	name=payload-$1
	vdev=$2
	shift 2
	log=$LOGDIR/$name.log
	if [ ! -x "$PAYLOAD" ]; then
		fail "$name" "$PAYLOAD not built"
		return
	fi
	# shellcheck disable=SC2086
	run_dpdk "$log" 120 "$PAYLOAD" $EAL_COMMON --lcores 0@0 \
		-d "$PLUGINS" --vdev "$vdev" -- --count "$COUNT" --timeout 60 "$@"
	rc=$?
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"
	then
		fail "$name" "sanitizer report: $(grep -m 1 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log") (log $log)"
		return
	fi
	summary=$(grep '^sent ' "$log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		fail "$name" "$(status_words $rc): ${summary:-$(log_reason "$log")} (log $log)"
	elif [ -z "$summary" ]; then
		fail "$name" "no summary line (log $log)"
	else
		echo "$name: $summary" >&2
		pass "$name"
	fi
}

# The checker itself, on DPDK's own net_ring loopback (no driver of
# ours): frames dropped and damaged on purpose must be counted exactly.
selfcheck() {
	name=payload-selfcheck
	log=$LOGDIR/$name.log
	# shellcheck disable=SC2086
	run_dpdk "$log" 60 "$PAYLOAD" $EAL_COMMON --lcores 0@0 \
		--vdev net_ring0 -- --count 20000 --queues 2 --segs 2 \
		--inject-loss 997 --inject-corruption 1009
	rc=$?
	want="sent 20000 received 19979 lost 21 corrupted 19 duplicated 0 out-of-order 0 misrouted 0"
	if [ $rc -ne 1 ] || ! grep -q "^$want\$" "$log"; then
		fail "$name" "expected exit 1 and '$want', got $(status_words $rc): $(grep '^sent ' "$log") (log $log)"
	else
		pass "$name"
	fi
}

selfcheck
payload 1q mdev_sim0 --sizes 64,1500
payload 2q mdev_sim0,queues=2 --sizes 64,1500
payload 1q-3seg mdev_sim0 --sizes 64,1514 --segs 3
payload 2q-3seg mdev_sim0,queues=2 --sizes 64,1500,777 --segs 3
payload 2q-burst1 mdev_sim0,queues=2 --sizes 64,1500 --burst 1 --count 2000
payload 2q-jumbo mdev_sim0,queues=2,mtu=9000 --sizes 9000,64,1514,4000 --segs 4

# Under ASan and UBSan: the program, the bus, the sim and the PMD.
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-$top/build-asan}
if [ "${E2E_ASAN:-1}" = 0 ]; then
	skip payload-asan "the ASan build is off (E2E_ASAN=0)"
elif [ -x "$ASAN_BUILD_DIR/app/mdev-payload/mdev-payload" ] &&
		PLUGINS=$(plugin_dir "$ASAN_BUILD_DIR" 2> /dev/null); then
	PAYLOAD=$ASAN_BUILD_DIR/app/mdev-payload/mdev-payload
	export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	COUNT=20000
	payload asan-2q mdev_sim0,queues=2 --sizes 64,1500
	payload asan-2q-3seg mdev_sim0,queues=2 --sizes 64,1514 --segs 3
	payload asan-2q-jumbo mdev_sim0,queues=2,mtu=9000 \
		--sizes 9000,64,1514 --segs 4
else
	skip payload-asan "no ASan build in $ASAN_BUILD_DIR (devtools/build.sh --asan)"
fi

e2e_exit
