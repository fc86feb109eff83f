/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VQ_SPLIT_H
#define VQ_SPLIT_H

/*
 * Split virtqueues: their operations, for the one place that chooses
 * the ring layout when the features are negotiated.
 */

#include "vq_common.h"

extern const struct vmdev_ring_ops vq_split_ops;

#endif /* VQ_SPLIT_H */
