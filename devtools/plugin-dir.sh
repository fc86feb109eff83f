#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
#
# Print a directory of the built drivers that EAL's "-d" accepts:
# <build>/drivers when no parent directory is world-writable, else a
# root-owned copy under /var/lib/virtio-mdev/<hash of the build path>/.
#
#   devtools/plugin-dir.sh [BUILD_DIR]     (default: $BUILD_DIR or build/)
#   dpdk-testpmd -d "$(devtools/plugin-dir.sh)" --vdev mdev_sim0 ...
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/devtools/lib.sh"
plugin_dir "${1:-$BUILD_DIR}"
