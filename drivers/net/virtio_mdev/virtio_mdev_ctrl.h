/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_CTRL_H
#define VIRTIO_MDEV_CTRL_H

/* The control virtqueue and the commands sent on it. */

#include "virtio_mdev.h"

int vmdev_ctrl_alloc(struct vmdev_hw *hw);
void vmdev_ctrl_free(struct vmdev_hw *hw);
int vmdev_ctrl_start(struct vmdev_hw *hw);
int vmdev_ctrl_mq_pairs(struct vmdev_hw *hw, uint16_t pairs);
int vmdev_ctrl_rx_mode(struct vmdev_hw *hw, uint8_t cmd, bool on);
int vmdev_ctrl_mac_addr(struct vmdev_hw *hw,
		const struct rte_ether_addr *mac);
int vmdev_ctrl_mac_table(struct vmdev_hw *hw,
		const struct rte_ether_addr *uc, uint32_t nb_uc,
		const struct rte_ether_addr *mc, uint32_t nb_mc);

#endif /* VIRTIO_MDEV_CTRL_H */
