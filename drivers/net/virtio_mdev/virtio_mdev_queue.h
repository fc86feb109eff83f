/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_QUEUE_H
#define VIRTIO_MDEV_QUEUE_H

/* The rx and tx queues of the port (ethdev queue ops, start and stop). */

#include "virtio_mdev.h"

int vmdev_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *conf, struct rte_mempool *mp);
int vmdev_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *conf);
void vmdev_rx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id);
void vmdev_tx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id);
void vmdev_rxq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		struct rte_eth_rxq_info *qinfo);
void vmdev_txq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		struct rte_eth_txq_info *qinfo);
int vmdev_queues_start(struct vmdev_hw *hw);
void vmdev_queues_stop(struct vmdev_hw *hw);
void vmdev_queues_reclaim(struct vmdev_hw *hw);

#endif /* VIRTIO_MDEV_QUEUE_H */
