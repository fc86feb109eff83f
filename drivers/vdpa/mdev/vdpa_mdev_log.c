/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/* The driver's log type, at the bottom: every file logs, none calls up. */

#include <rte_log.h>

RTE_LOG_REGISTER(vdpa_mdev_logtype, vdpa.mdev, NOTICE);
