/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * One virtqueue of the port (rx, tx or control), whatever its layout:
 * the ring operations chosen with the features (hw->ring) lay it out and
 * reset it; this file gives it memory and hands it to the device.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_memzone.h>

#include "virtio_mdev.h"
#include "virtio_mdev_logs.h"
#include "virtio_mdev_vq.h"
#include "vq_common.h"

/* Ring memory, followed by extra bytes the caller uses (tx headers). */
int
vmdev_vq_alloc(struct vmdev_hw *hw, struct vmdev_vq *vq, uint16_t qid,
		uint16_t size, size_t extra, unsigned int socket_id)
{
	char name[RTE_MEMZONE_NAMESIZE];
	size_t ring = RTE_ALIGN_CEIL(hw->ring->ring_size(size, hw->vq_align),
			RTE_CACHE_LINE_SIZE);
	const struct rte_memzone *mz;

	snprintf(name, sizeof(name), "vmdev%u_vq%u",
		hw->eth_dev->data->port_id, qid);
	mz = rte_memzone_reserve_aligned(name, ring + extra, (int)socket_id,
		0, RTE_MAX(hw->vq_align, (uint32_t)RTE_CACHE_LINE_SIZE));
	if (mz == NULL) {
		VMDEV_LOG(ERR, hw->name,
			"virtqueue %u: cannot reserve %zu bytes of ring memory: %s",
			qid, ring + extra, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	memset(mz->addr, 0, ring + extra);
	vq->mz = mz;
	vq->qid = qid;
	vq->mdev = hw->mdev;
	vq->kick = hw->ops->kick_vq;
	vq->name = hw->name;
	hw->ring->init(vq, mz->addr, size, hw->vq_align);
	return 0;
}

/* Back to a new ring with the negotiated ring features. */
void
vmdev_vq_reset(struct vmdev_hw *hw, struct vmdev_vq *vq)
{
	vq->event_idx = vmdev_with(hw, VIRTIO_RING_F_EVENT_IDX);
	vq->in_order = vmdev_with(hw, VIRTIO_F_IN_ORDER);
	hw->ring->reset(vq);
}

void
vmdev_vq_free(struct vmdev_vq *vq)
{
	rte_memzone_free(vq->mz);
	vq->mz = NULL;
}

/* Tell the device where a reset ring is; it is enabled separately. */
int
vmdev_vq_program(struct vmdev_hw *hw, struct vmdev_vq *vq)
{
	uint64_t desc, driver, device;
	int ret;

	ret = hw->ops->set_vq_num(hw->mdev, vq->qid, vq->size);
	if (ret != 0) {
		VMDEV_LOG(ERR, hw->name,
			"virtqueue %u: device refused size %u: %s",
			vq->qid, vq->size, strerror(-ret));
		return ret;
	}
	hw->ring->addresses(vq, &desc, &driver, &device);
	ret = hw->ops->set_vq_address(hw->mdev, vq->qid, desc, driver, device);
	if (ret != 0)
		VMDEV_LOG(ERR, hw->name,
			"virtqueue %u: device refused ring addresses 0x%" PRIx64
			"/0x%" PRIx64 "/0x%" PRIx64 ": %s",
			vq->qid, desc, driver, device, strerror(-ret));
	return ret;
}

int
vmdev_vq_enable(struct vmdev_hw *hw, struct vmdev_vq *vq)
{
	int ret = hw->ops->set_vq_ready(hw->mdev, vq->qid, true);

	if (ret != 0)
		VMDEV_LOG(ERR, hw->name,
			"virtqueue %u: device refused to enable it: %s",
			vq->qid, strerror(-ret));
	return ret;
}

/* A queue never allocated is not on the device either. */
int
vmdev_vq_disable(struct vmdev_hw *hw, struct vmdev_vq *vq)
{
	if (vq->mz != NULL)
		hw->ops->set_vq_ready(hw->mdev, vq->qid, false);
	return 0;
}
