/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The PMD's log type, registered in the bottom layer: every file logs,
 * so defining it in an upper file would make each of them depend on it.
 */

#define RTE_LOG_DEFAULT_LOGTYPE net.virtio_mdev

#include <rte_log.h>

#include "virtio_mdev_logs.h"

RTE_LOG_REGISTER_DEFAULT(virtio_mdev_logtype, NOTICE);
