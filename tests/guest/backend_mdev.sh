# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 virtio-mdev for DPDK authors
backend_mdev_vdpa_start() { BACKEND_SKIP="not written yet"; return 2; }
backend_mdev_vdpa_stop() { BACKEND_RC=0; }
