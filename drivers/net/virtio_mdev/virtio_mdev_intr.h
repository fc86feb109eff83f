/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_INTR_H
#define VIRTIO_MDEV_INTR_H

/* Rx interrupts: an eventfd per rx queue, written by the device. */

#include "virtio_mdev.h"

int vmdev_rx_intr_start(struct vmdev_hw *hw);
void vmdev_rx_intr_stop(struct vmdev_hw *hw);
void vmdev_rx_intr_free(struct vmdev_hw *hw);
int vmdev_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t queue_id);
int vmdev_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t queue_id);

#endif /* VIRTIO_MDEV_INTR_H */
