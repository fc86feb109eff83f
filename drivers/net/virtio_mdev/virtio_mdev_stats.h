/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_STATS_H
#define VIRTIO_MDEV_STATS_H

/* Basic stats and xstats: queue counters and the device's vq counters. */

#include "virtio_mdev.h"

int vmdev_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats);
int vmdev_stats_reset(struct rte_eth_dev *dev);
int vmdev_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n);
int vmdev_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size);
void vmdev_stats_save_device(struct vmdev_hw *hw);

#endif /* VIRTIO_MDEV_STATS_H */
