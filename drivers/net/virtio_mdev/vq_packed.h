/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VQ_PACKED_H
#define VQ_PACKED_H

/*
 * Packed virtqueues (VIRTIO_F_RING_PACKED): their operations, for the
 * one place that chooses the ring layout when the features are
 * negotiated.
 */

#include "vq_common.h"

extern const struct vmdev_ring_ops vq_packed_ops;

#endif /* VQ_PACKED_H */
