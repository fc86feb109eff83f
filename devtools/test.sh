#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The test command: a wrapper around meson test. Sets everything up itself
# (devtools/build.sh, also the ASan build), then runs:
#   1. meson test -C build --suite unit --suite conformance
#   2. the same in build-asan/ (under ASan and UBSan)
#   3. meson test -C build --suite e2e (tests/e2e/*.sh, one at a time)
# It prints one line per result, "PASS name", "FAIL name: why" or
# "SKIP name: why" (every TAP line of an e2e script is one), and last the
# tally "N passed, N failed, N skipped"; the exit status is 1 when
# anything failed.
#
#   devtools/test.sh [--no-asan] [--e2e-only] [PATTERN...]
# PATTERNs select e2e tests by name (e.g. "payload"); logs go to
# build/test-logs/ (meson's own in build/meson-logs/). Each e2e test's
# timeout is in tests/meson.build; E2E_TIMEOUT_MULTIPLIER scales them.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR="${BUILD_DIR:-$top/build}"
export ASAN_BUILD_DIR="${ASAN_BUILD_DIR:-$top/build-asan}"
logs=$BUILD_DIR/test-logs
results=$logs/results.txt
mres="python3 $top/devtools/meson-results.py"
asan=1
meson_tests=1
patterns=""

for arg in "$@"; do
	case $arg in
	--no-asan) asan=0 ;;
	--e2e-only) meson_tests=0; asan=0 ;;
	-h|--help) sed -n '5,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) echo "test.sh: unknown option '$arg'" >&2; exit 2 ;;
	*) patterns="$patterns $arg" ;;
	esac
done

mkdir -p "$logs"
: > "$results"

# Print a result line and keep it for the tally.
result() {
	echo "$1"
	echo "$1" >> "$results"
}

tally() {
	p=$(grep -c '^PASS ' "$results")
	f=$(grep -c '^FAIL ' "$results")
	s=$(grep -c '^SKIP ' "$results")
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
	exit $?
}

# run_meson LABEL DIR PREFIX MESON-TEST-ARGS...: meson test in DIR with
# its logs as meson-logs/LABEL.*, its progress shown as "# " lines, then
# one result line per result (tests of protocol exitcode named
# PREFIX<test>). Per-test output goes to $logs/<test>.log.
run_meson() {
	label=$1
	dir=$2
	prefix=$3
	shift 3
	log=$logs/meson-$label.log
	json=$dir/meson-logs/$label.json
	rm -f "$json"
	{
		meson test -C "$dir" --logbase "$label" --print-errorlogs "$@" \
			< /dev/null 2>&1
		echo $? > "$log.rc"
	} | tee "$log" | sed -u -n 's/^ *[0-9][0-9]*\/[0-9][0-9]* /# /p'
	rc=$(cat "$log.rc")
	rm -f "$log.rc"
	cp "$dir/meson-logs/$label.txt" "$logs/meson-$label-testlog.txt" \
		2> /dev/null
	if [ -s "$json" ]; then
		$mres results "$dir" "$label" "$prefix" "$logs" \
			> "$logs/meson-$label.results" 2>> "$log" ||
			echo "FAIL $label: cannot read $json (see $log)" \
				>> "$logs/meson-$label.results"
		while IFS= read -r line; do
			result "$line"
		done < "$logs/meson-$label.results"
		if [ "$rc" -ne 0 ] &&
				! grep -q '^FAIL ' "$logs/meson-$label.results"; then
			result "FAIL $label: meson test exited $rc (see $log)"
		fi
	elif grep -q '^No tests defined\|^No suitable tests' "$log"; then
		result "SKIP $label: no meson tests to run"
	else
		result "FAIL $label: meson test exited $rc, no results (see $log)"
	fi
}

echo "# devtools/build.sh (logs in $logs)"
if ! "$top/devtools/build.sh" > "$logs/build.log" 2>&1; then
	cat "$logs/build.log"
	result "FAIL build: devtools/build.sh failed (see $logs/build.log)"
	tally
fi
result "PASS build"

if [ "$asan" = 1 ]; then
	if "$top/devtools/build.sh" --asan > "$logs/build-asan.log" 2>&1; then
		result "PASS build-asan"
	else
		tail -n 40 "$logs/build-asan.log"
		result "FAIL build-asan: devtools/build.sh --asan failed (see $logs/build-asan.log)"
		asan=0
	fi
fi

if [ "$meson_tests" = 1 ]; then
	echo "# meson test in $BUILD_DIR"
	run_meson unit "$BUILD_DIR" unit: --suite unit --suite conformance
fi
# Sanitizers slow everything down; leaks are reported, not ignored. The
# e2e run gets the same options (tests/e2e/payload.sh uses build-asan/).
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if [ "$asan" = 1 ]; then
	export ASAN_OPTIONS UBSAN_OPTIONS
	echo "# meson test (ASan, UBSan) in $ASAN_BUILD_DIR"
	run_meson asan "$ASAN_BUILD_DIR" asan: --suite unit --suite conformance \
		--timeout-multiplier 4
fi

# Every e2e script must be a meson test (tests/meson.build).
# shellcheck disable=SC2046
for t in $($mres unregistered "$BUILD_DIR" "$top"/tests/e2e/*.sh); do
	result "FAIL e2e/$(basename "$t" .sh): not a test in tests/meson.build"
done

# e2e scripts use the ASan build (tests/e2e/payload.sh) only when it is
# fresh from this run. One at a time: each uses both CPUs.
E2E_ASAN=$asan
export E2E_ASAN
# shellcheck disable=SC2086
names=$($mres list "$BUILD_DIR" e2e $patterns)
tmo="--timeout-multiplier ${E2E_TIMEOUT_MULTIPLIER:-1}"
if [ -z "$patterns" ]; then
	echo "# meson test --suite e2e in $BUILD_DIR"
	# shellcheck disable=SC2086
	run_meson e2e "$BUILD_DIR" e2e/ --suite e2e --num-processes 1 $tmo
elif [ -n "$names" ]; then
	# shellcheck disable=SC2086
	echo "# meson test" $names "in $BUILD_DIR"
	# shellcheck disable=SC2086
	run_meson e2e "$BUILD_DIR" e2e/ --num-processes 1 $tmo $names
fi

tally
