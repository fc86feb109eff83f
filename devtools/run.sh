#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# The main job: set up the machine, build, and run Debian's dpdk-testpmd
# in mac-forwarding mode over the sim device's loopback wire
# (mdev_sim0 -> virtio_mdev PMD -> testpmd -> back), then print the rate.
#
#   devtools/run.sh [--seconds S] [--size BYTES] [--queues N] [--devargs K=V,...]
#
# Lcores: testpmd's main lcore on CPU 0 (idle), its forwarding lcore on
# the last CPU; the sim's engine thread is pinned to CPU 0 (cpu=0).
# The full testpmd output is kept in build/run.log.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=10
size=64
queues=1
extra=""

usage() { sed -n '9,12s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; shift ;;
	--size) size=$2; shift ;;
	--queues) queues=$2; shift ;;
	--devargs) extra="$extra,$2"; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

"$top/devtools/build.sh"
. "$top/devtools/lib.sh"
plugins=$(plugin_dir "$BUILD_DIR")
log=$BUILD_DIR/run.log
vdev="mdev_sim0,queues=$queues,cpu=0$extra"

echo "testpmd mac fwd over $vdev, ${size} B frames, $queues queue pair(s), ${seconds} s ..."
script="@wait testpmd>
start tx_first 32
sleep 2
show port stats 0
sleep $seconds
show port stats 0
stop
quit"
# shellcheck disable=SC2086
if ! run_testpmd "$log" $((seconds + 60)) "$script" $EAL_COMMON \
		--lcores "$TESTPMD_LCORES" -d "$plugins" --vdev "$vdev" -- -i \
		$TESTPMD_MBUFS --forward-mode=mac --nb-cores=1 --rxq="$queues" \
		--txq="$queues" --txpkts="$size"; then
	echo "run.sh: testpmd failed; last lines of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi

# The second "show port stats" averages over the measured seconds.
rx_pps=$(awk '$1 == "Rx-pps:" { v = $2 } END { print v + 0 }' "$log")
tx_pps=$(awk '$1 == "Tx-pps:" { v = $2 } END { print v + 0 }' "$log")
acc=$(acc_blocks "$log" | tail -n 1)
echo "forwarding statistics (RX RX-dropped TX TX-dropped RX-nombufs): $acc"
awk -v r="$rx_pps" -v t="$tx_pps" -v s="$size" 'BEGIN {
	printf "rate: %.2f Mpps rx, %.2f Mpps tx (%.2f Gbit/s of %u B frames)\n",
		r / 1e6, t / 1e6, r * s * 8 / 1e9, s
}'
if [ "$rx_pps" -eq 0 ]; then
	echo "run.sh: no packets forwarded (see $log)" >&2
	exit 1
fi
