#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The libFuzzer harnesses of tests/fuzz (device-side split and packed
# rings, the vDPA driver's memory table, devargs, the PMD against a
# hostile device), each run for a short bounded time by devtools/fuzz.sh
# (FUZZ_MINUTES, default 0.5) with ASan and UBSan: one result per
# harness, FAIL with the reproducer on any crash. Longer runs:
# devtools/fuzz.sh --minutes N (doc/guides/prog_guide/fuzzing.rst).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/devtools/lib.sh"
e2e_init fuzz_short

log=$LOGDIR/fuzz.log
FUZZ_BUILD_DIR=${FUZZ_BUILD_DIR:-$BUILD_DIR/../build-fuzz} \
	"$top/devtools/fuzz.sh" --minutes "${FUZZ_MINUTES:-0.5}" > "$log" 2>&1
rc=$?
n=0
while IFS= read -r line; do
	case $line in
	"PASS fuzz/"*)
		name=${line#PASS }
		pass "${name%%:*} (${name#*: })"
		n=$((n + 1)) ;;
	"FAIL fuzz/"*)
		name=${line#FAIL }
		fail "${name%%:*}" "${name#*: } (log $log)"
		n=$((n + 1)) ;;
	esac
done < "$log"
if [ "$n" -eq 0 ]; then
	fail fuzz "devtools/fuzz.sh ran no harness, exit $rc: $(tail -n 1 "$log") (log $log)"
fi
e2e_exit
