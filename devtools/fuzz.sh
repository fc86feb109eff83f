#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Build the libFuzzer harnesses of tests/fuzz with clang and run them.
#
#   devtools/fuzz.sh [--minutes N] [--keep] [--build-only] [harness...]
#
# Harnesses: fuzz_sim_split fuzz_sim_packed fuzz_vdpa_mem fuzz_devargs
# fuzz_pmd (default: all). Each runs N minutes (default 0.5), niced, on a
# copy of its seed corpus (tests/fuzz/corpus/<harness>) in
# build-fuzz/work/<harness> (--keep: added to what the previous runs left
# there), and prints one line:
#   PASS fuzz/<harness>: <execs> executions, <cov> coverage, 0 crashes
#   FAIL fuzz/<harness>: crash, reproducer <file>
# Exit status 1 if any harness crashed. Rates go to build-fuzz/summary.txt.
# Installs clang when missing. FUZZ_BUILD_DIR overrides build-fuzz/;
# FUZZ_ARGS adds libFuzzer options.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${FUZZ_BUILD_DIR:-$top/build-fuzz}
minutes=0.5
build_only=0
keep=0
all="fuzz_sim_split fuzz_sim_packed fuzz_vdpa_mem fuzz_devargs fuzz_pmd"
harnesses=""

while [ $# -gt 0 ]; do
	case $1 in
	--minutes)
		[ $# -ge 2 ] || { echo "fuzz.sh: --minutes needs a value" >&2; exit 2; }
		minutes=$2
		shift ;;
	--build-only) build_only=1 ;;
	--keep) keep=1 ;;
	-h|--help)
		sed -n '5,19s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	fuzz_*)
		case " $all " in
		*" $1 "*) harnesses="$harnesses $1" ;;
		*) echo "fuzz.sh: unknown harness '$1' (accepted: $all)" >&2
			exit 2 ;;
		esac ;;
	*)
		echo "fuzz.sh: unknown option '$1'" >&2
		exit 2 ;;
	esac
	shift
done
[ -n "$harnesses" ] || harnesses=$all
seconds=$(awk -v m="$minutes" 'BEGIN { s = int(m * 60 + 0.5); print s < 1 ? 1 : s }')

mkdir -p "$out/obj" "$out/logs" "$out/work"

# ---- tools ----
if ! command -v clang > /dev/null 2>&1; then
	echo "fuzz.sh: installing clang" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang \
		> "$out/logs/apt.log" 2>&1 || {
		echo "fuzz.sh: apt-get install clang failed ($out/logs/apt.log)" >&2
		exit 1
	}
fi
# The driver-SDK headers (bus_vdev_driver.h ...) come with the main setup.
sdk=${SDK_DIR:-$top/build/sdk/include}
if [ ! -f "$sdk/ethdev_driver.h" ]; then
	BUILD_DIR=$top/build "$top/devtools/setup.sh" > "$out/logs/setup.log" 2>&1 || {
		echo "fuzz.sh: devtools/setup.sh failed ($out/logs/setup.log)" >&2
		exit 1
	}
fi

# ---- build ----
CC=${FUZZ_CC:-clang}
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
# shellcheck disable=SC2046
cflags="-g -O1 -std=gnu11 -fno-omit-frame-pointer $san \
	$(pkg-config --cflags libdpdk) -I$sdk \
	-I$top/drivers/bus/mdev -I$top/drivers/mdev/sim -I$top/drivers/vdpa/mdev \
	-I$top/tests/fuzz -DALLOW_INTERNAL_API -DALLOW_EXPERIMENTAL_API \
	-Wall -Wno-unused-parameter -Wno-missing-field-initializers"
libs="$(pkg-config --libs libdpdk) -lrte_bus_vdev -lpthread"

# Is any of the files after the first newer than the first (or is it missing)?
stale() {
	t=$1
	shift
	[ ! -f "$t" ] || [ -n "$(find "$@" -newer "$t" 2>/dev/null)" ]
}

# obj <source> <object> [extra flags]: compile when the object is stale
# (older than its source, any header of the tree or this script).
headers=$(find "$top/drivers" "$top/tests/fuzz" -name '*.h')
obj() {
	src=$1
	o=$2
	shift 2
	# shellcheck disable=SC2086
	if stale "$o" "$src" "$0" $headers; then
		# shellcheck disable=SC2086
		if ! $CC $cflags -fsanitize=fuzzer-no-link "$@" -c "$src" -o "$o" \
				> "$out/logs/cc.log" 2>&1; then
			echo "fuzz.sh: compiling $src failed:" >&2
			cat "$out/logs/cc.log" >&2
			exit 1
		fi
	fi
	echo "$o"
}

# The sim device and the bus, instrumented, in every sim harness.
drv_objs=""
for src in "$top"/drivers/bus/mdev/*.c "$top"/drivers/mdev/sim/*.c; do
	drv_objs="$drv_objs $(obj "$src" "$out/obj/$(basename "$src" .c).o")"
done
common=$(obj "$top/tests/fuzz/fuzz_common.c" "$out/obj/fuzz_common.o")

link() {
	bin=$1
	shift
	# shellcheck disable=SC2086
	if ! $CC $san -fsanitize=fuzzer "$@" $libs -o "$out/$bin" \
			> "$out/logs/ld-$bin.log" 2>&1; then
		echo "fuzz.sh: linking $bin failed:" >&2
		cat "$out/logs/ld-$bin.log" >&2
		exit 1
	fi
}

for h in $harnesses; do
	case $h in
	fuzz_sim_split)
		o=$(obj "$top/tests/fuzz/fuzz_sim.c" "$out/obj/fuzz_sim_split.o")
		# shellcheck disable=SC2086
		link "$h" "$o" $common $drv_objs ;;
	fuzz_sim_packed)
		o=$(obj "$top/tests/fuzz/fuzz_sim.c" "$out/obj/fuzz_sim_packed.o" \
			-DFUZZ_PACKED)
		# shellcheck disable=SC2086
		link "$h" "$o" $common $drv_objs ;;
	fuzz_devargs)
		o=$(obj "$top/tests/fuzz/fuzz_devargs.c" "$out/obj/fuzz_devargs.o")
		# shellcheck disable=SC2086
		link "$h" "$o" $common $drv_objs ;;
	fuzz_pmd)
		pmd_objs=""
		for src in "$top"/drivers/net/virtio_mdev/*.c; do
			pmd_objs="$pmd_objs $(obj "$src" \
				"$out/obj/$(basename "$src" .c).o" \
				-I"$top/drivers/net/virtio_mdev")"
		done
		o=$(obj "$top/tests/fuzz/fuzz_pmd.c" "$out/obj/fuzz_pmd.o")
		# shellcheck disable=SC2086
		link "$h" "$o" $common $drv_objs $pmd_objs ;;
	fuzz_vdpa_mem)
		o=$(obj "$top/tests/fuzz/fuzz_vdpa_mem.c" "$out/obj/fuzz_vdpa_mem.o")
		m=$(obj "$top/drivers/vdpa/mdev/vdpa_mdev_mem.c" \
			"$out/obj/vdpa_mdev_mem.o")
		i=$(obj "$top/drivers/mdev/sim/sim_iova.c" "$out/obj/sim_iova.o")
		link "$h" "$o" "$m" "$i" "$common" ;;
	esac
done
[ "$build_only" = 1 ] && exit 0

# ---- run ----
fails=0
for h in $harnesses; do
	work=$out/work/$h
	if [ "$keep" = 1 ]; then
		rm -rf "$work/crashes"
	else
		rm -rf "$work"
	fi
	mkdir -p "$work/corpus" "$work/crashes"
	if [ -d "$top/tests/fuzz/corpus/$h" ]; then
		cp "$top/tests/fuzz/corpus/$h"/* "$work/corpus/" 2>/dev/null || true
	fi
	log=$out/logs/$h.log
	# shellcheck disable=SC2086
	(cd "$work" && nice -n 10 "$out/$h" -max_total_time="$seconds" \
		-max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/crashes/" ${FUZZ_ARGS:-} corpus \
		> "$log" 2>&1) && rc=0 || rc=$?
	crash=$(find "$work/crashes" -type f | head -n 1)
	if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
		fails=$((fails + 1))
		echo "FAIL fuzz/$h: crash, reproducer ${crash:-none (exit $rc, see $log)}"
		continue
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	echo "PASS fuzz/$h: ${execs:-?} executions, ${cov:-?} coverage, 0 crashes"
	echo "$h: ${execs:-?} executions in ${seconds}s (${rate:-?} exec/s), ${cov:-?} coverage, $(find "$work/corpus" -type f | wc -l) corpus entries" \
		>> "$out/summary.txt"
done
[ "$fails" -eq 0 ]
