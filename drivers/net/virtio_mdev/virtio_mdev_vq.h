/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_VQ_H
#define VIRTIO_MDEV_VQ_H

/*
 * One virtqueue of the port, whatever its layout (through hw->ring):
 * memory, reset with the negotiated ring features, programming.
 */

#include "virtio_mdev.h"

int vmdev_vq_alloc(struct vmdev_hw *hw, struct vmdev_vq *vq, uint16_t qid,
		uint16_t size, size_t extra, unsigned int socket_id);
void vmdev_vq_free(struct vmdev_vq *vq);
void vmdev_vq_reset(struct vmdev_hw *hw, struct vmdev_vq *vq);
int vmdev_vq_program(struct vmdev_hw *hw, struct vmdev_vq *vq);
int vmdev_vq_enable(struct vmdev_hw *hw, struct vmdev_vq *vq);
int vmdev_vq_disable(struct vmdev_hw *hw, struct vmdev_vq *vq);

#endif /* VIRTIO_MDEV_VQ_H */
