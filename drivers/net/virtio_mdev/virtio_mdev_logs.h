/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_LOGS_H
#define VIRTIO_MDEV_LOGS_H

#include <rte_log.h>

extern int virtio_mdev_logtype;

/* Every line names the port (the mdev alias) it is about. */
#define VMDEV_LOG(level, name, fmt, ...) \
	rte_log(RTE_LOG_ ## level, virtio_mdev_logtype, \
		"virtio_mdev: %s: " fmt "\n", (name), ##__VA_ARGS__)

#endif /* VIRTIO_MDEV_LOGS_H */
