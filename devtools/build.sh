#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Set the machine up (devtools/setup.sh) and build the tree.
#
#   devtools/build.sh          build/ (BUILD_DIR overrides)
#   devtools/build.sh --asan   build-asan/ (ASAN_BUILD_DIR overrides) with
#                              AddressSanitizer and UBSan
#
# Idempotent: meson setup only when the directory is not configured yet,
# then ninja. Quiet on success; on failure the step's log is printed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
asan=0

for arg in "$@"; do
	case $arg in
	--asan) asan=1 ;;
	-h|--help)
		sed -n '5,12s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	*)
		echo "build.sh: unknown option '$arg' (accepted: --asan)" >&2
		exit 2 ;;
	esac
done

# Run a step with its output in a log; show the log only when it fails.
quiet() {
	name=$1
	shift
	steplog=$logdir/$name.log
	if ! "$@" > "$steplog" 2>&1; then
		echo "build.sh: '$*' failed; last lines of $steplog:" >&2
		tail -n 60 "$steplog" >&2
		exit 1
	fi
}

# Configure a build directory once. A directory whose previous setup
# stopped half-way has coredata but no build.ninja: reconfigure it.
configure() {
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		return 0
	fi
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		quiet meson-setup meson setup --reconfigure "$@" "$dir" "$top"
	else
		quiet meson-setup meson setup "$@" "$dir" "$top"
	fi
}

# The SDK headers always live in the plain build directory.
mkdir -p "$build"
logdir=$build/build-logs
mkdir -p "$logdir"
quiet setup env BUILD_DIR="$build" "$top/devtools/setup.sh"

if [ "$asan" = 1 ]; then
	target=${ASAN_BUILD_DIR:-$top/build-asan}
	mkdir -p "$target"
	logdir=$target/build-logs
	mkdir -p "$logdir"
	configure "$target" -Dbuildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dsdk_dir="$build/sdk/include"
else
	target=$build
	configure "$target"
fi
quiet ninja ninja -C "$target"
