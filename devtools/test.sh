#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The test command. Sets everything up itself (devtools/build.sh, also the
# ASan build), then runs:
#   1. meson test in build/        (unit and conformance tests)
#   2. meson test in build-asan/   (the same under ASan and UBSan)
#   3. every tests/e2e/*.sh        (dpdk-testpmd and mdev-payload runs)
# Every test prints "PASS name", "FAIL name: why" or "SKIP name: why";
# the last line is the tally "N passed, N failed, N skipped", and the
# exit status is 1 when anything failed.
#
#   devtools/test.sh [--no-asan] [--e2e-only] [PATTERN...]
# PATTERNs select e2e scripts by name (e.g. "payload"); logs go to
# build/test-logs/. E2E_TIMEOUT bounds each e2e script (default 600 s).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR="${BUILD_DIR:-$top/build}"
export ASAN_BUILD_DIR="${ASAN_BUILD_DIR:-$top/build-asan}"
logs=$BUILD_DIR/test-logs
results=$logs/results.txt
asan=1
meson_tests=1
patterns=""

for arg in "$@"; do
	case $arg in
	--no-asan) asan=0 ;;
	--e2e-only) meson_tests=0; asan=0 ;;
	-h|--help) sed -n '5,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
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

# One result line per test from meson's JSON test log.
meson_results() {
	prefix=$1
	json=$2
	python3 - "$prefix" "$json" <<'PY'
import json, sys
prefix, path = sys.argv[1], sys.argv[2]
for line in open(path):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    name = prefix + t["name"].replace(" ", "_")
    r = t["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        print("PASS " + name)
    elif r == "SKIP":
        print("SKIP %s: skipped by the test" % name)
    else:
        print("FAIL %s: %s (exit status %s)" % (name, r, t.get("returncode")))
PY
}

# meson test in one build directory; results named "<label>:<test>".
run_meson_tests() {
	label=$1
	dir=$2
	shift 2
	log=$logs/meson-$label.log
	json=$dir/meson-logs/testlog.json
	rm -f "$json"
	meson test -C "$dir" --print-errorlogs "$@" > "$log" 2>&1
	rc=$?
	cp "$dir/meson-logs/testlog.txt" "$logs/meson-$label-testlog.txt" \
		2>/dev/null
	if grep -q '^No tests defined' "$log"; then
		result "SKIP $label: no meson tests defined"
	elif [ -s "$json" ]; then
		meson_results "$label:" "$json" > "$logs/meson-$label.results"
		while IFS= read -r line; do
			result "$line"
		done < "$logs/meson-$label.results"
		if [ "$rc" -ne 0 ] &&
				! grep -q '^FAIL ' "$logs/meson-$label.results"; then
			result "FAIL $label: meson test exited $rc (see $log)"
		fi
	else
		result "FAIL $label: meson test exited $rc, no results (see $log)"
	fi
}

# An e2e script may ask for its own bound with a line "# e2e-timeout: N".
run_e2e() {
	t=$1
	name=e2e/$(basename "$t" .sh)
	log=$logs/$(basename "$t" .sh).log
	tmo=$(sed -n 's/^# e2e-timeout: *\([0-9][0-9]*\).*/\1/p' "$t" |
		head -n 1)
	tmo=${E2E_TIMEOUT:-${tmo:-600}}
	out=$logs/$(basename "$t" .sh).results
	start=$(date +%s)
	echo "# $name (at most $tmo s)"
	# Through its own "#!" line when executable (some need bash).
	if [ -x "$t" ]; then
		timeout -k 10 "$tmo" "$t" > "$out" 2> "$log" < /dev/null
	else
		timeout -k 10 "$tmo" sh "$t" > "$out" 2> "$log" < /dev/null
	fi
	rc=$?
	grep -E '^(PASS|FAIL|SKIP) ' "$out" > "$out.lines"
	while IFS= read -r line; do
		result "$line"
	done < "$out.lines"
	cat "$out" >> "$log"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		result "FAIL $name: timed out after $tmo s (see $log)"
	elif [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out.lines"; then
		result "FAIL $name: exited with status $rc (see $log)"
	elif [ ! -s "$out.lines" ]; then
		result "FAIL $name: printed no result (see $log)"
	fi
	echo "# $name took $(($(date +%s) - start)) s" >> "$log"
	rm -f "$out.lines"
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
	run_meson_tests unit "$BUILD_DIR"
fi
if [ "$asan" = 1 ]; then
	# Sanitizers slow everything down; leaks are reported, not ignored.
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
	export ASAN_OPTIONS UBSAN_OPTIONS
	echo "# meson test (ASan, UBSan) in $ASAN_BUILD_DIR"
	run_meson_tests asan "$ASAN_BUILD_DIR" --timeout-multiplier 4
fi

# e2e scripts use the ASan build (tests/e2e/payload.sh) only when it is
# fresh from this run.
E2E_ASAN=$asan
export E2E_ASAN
for t in "$top"/tests/e2e/*.sh; do
	[ -e "$t" ] || continue
	if [ -n "$patterns" ]; then
		match=0
		for p in $patterns; do
			case $(basename "$t") in *"$p"*) match=1 ;; esac
		done
		[ "$match" = 1 ] || continue
	fi
	run_e2e "$t"
done

tally
