/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * dma_map and dma_unmap as vhost-vdpa IOTLB messages (VHOST_IOTLB_MSG_V2,
 * one per address space with VHOST_BACKEND_F_IOTLB_ASID). The kernel
 * removes whatever lies in an invalidated range and does not say which
 * ranges it holds, so the parent keeps the contract's own view: a table
 * of the regions mapped, for the exact-unmap rule, for the ring checks
 * of set_vq_ready, and to map everything again after a reset on kernels
 * that drop the mappings with the device (no IOTLB_PERSIST).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <linux/vhost.h>

#include <rte_common.h>

#include "vhost_vdpa.h"

static uint8_t
vv_perm(uint32_t perm)
{
	switch (perm) {
	case RTE_VIRTIO_MDEV_DMA_READ:
		return VHOST_ACCESS_RO;
	case RTE_VIRTIO_MDEV_DMA_WRITE:
		return VHOST_ACCESS_WO;
	default:
		return VHOST_ACCESS_RW;
	}
}

/* One IOTLB message (update, invalidate, batch begin or end). */
static int
vv_iotlb(struct vv_dev *d, uint8_t type, const struct vv_region *r)
{
	struct vhost_msg_v2 m;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.type = VHOST_IOTLB_MSG_V2;
	m.iotlb.type = type;
	if (r != NULL) {
		m.asid = r->asid;
		m.iotlb.iova = r->iova;
		m.iotlb.size = r->size;
		m.iotlb.uaddr = r->vaddr;
		m.iotlb.perm = vv_perm(r->perm);
	}
	n = write(d->fd, &m, sizeof(m));
	if (n == (ssize_t)sizeof(m))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static bool
vv_overlaps(const struct vv_region *r, uint32_t asid, uint64_t iova,
		uint64_t size)
{
	return r->asid == asid && r->iova <= iova + (size - 1) &&
		iova <= r->iova + (r->size - 1);
}

static int
vv_map_check(const struct vv_dev *d, const struct vv_region *n)
{
	uint32_t i;

	if (n->asid >= d->nas || n->size == 0 ||
			n->iova + (n->size - 1) < n->iova ||
			n->vaddr == 0 || n->vaddr + (n->size - 1) < n->vaddr ||
			n->perm == 0 || (n->perm & ~RTE_VIRTIO_MDEV_DMA_RW) != 0)
		return -EINVAL;
	for (i = 0; i < d->nb_regions; i++)
		if (vv_overlaps(&d->regions[i], n->asid, n->iova, n->size))
			return -EEXIST;
	/* Rings aligned by IOVA must be aligned in memory too. */
	if (((n->vaddr ^ n->iova) & (RTE_VIRTIO_MDEV_DMA_ALIGN - 1)) != 0)
		return -EINVAL;
	if (d->nb_regions == VV_MAX_REGIONS)
		return -ENOSPC;
	return 0;
}

int
vv_dma_map(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size, void *vaddr, uint32_t perm)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_region n = { .asid = asid, .iova = iova, .size = size,
		.vaddr = (uintptr_t)vaddr, .perm = perm };
	int ret;

	pthread_mutex_lock(&d->lock);
	ret = vv_map_check(d, &n);
	if (ret == 0)
		ret = vv_iotlb(d, VHOST_IOTLB_UPDATE, &n);
	if (ret == 0)
		d->regions[d->nb_regions++] = n;
	pthread_mutex_unlock(&d->lock);
	if (ret != 0 && ret != -EEXIST && ret != -EINVAL && ret != -ENOSPC)
		VV_LOG(ERR, "%s: kernel refused IOTLB update [0x%" PRIx64 ", +0x%" PRIx64 ") in address space %u: %s",
			d->name, iova, size, asid, strerror(-ret));
	return ret;
}

int
vv_dma_unmap(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_region *r;
	uint32_t i;
	int ret = -ENOENT;

	pthread_mutex_lock(&d->lock);
	for (i = 0; i < d->nb_regions; i++) {
		r = &d->regions[i];
		if (r->asid != asid || r->iova != iova || r->size != size)
			continue;
		/* The kernel quiesces the device's use before it returns. */
		ret = vv_iotlb(d, VHOST_IOTLB_INVALIDATE, r);
		if (ret == 0)
			d->regions[i] = d->regions[--d->nb_regions];
		break;
	}
	pthread_mutex_unlock(&d->lock);
	if (ret != 0 && ret != -ENOENT)
		VV_LOG(ERR, "%s: kernel refused IOTLB invalidate [0x%" PRIx64 ", +0x%" PRIx64 "): %s",
			d->name, iova, size, strerror(-ret));
	return ret;
}

/* Is [iova, iova + len) of address space asid mapped? Lock held. */
bool
vv_dma_covers(const struct vv_dev *d, uint32_t asid, uint64_t iova,
		uint64_t len)
{
	const struct vv_region *r;
	uint32_t i;
	bool found;

	while (len > 0) {
		found = false;
		for (i = 0; i < d->nb_regions && !found; i++) {
			r = &d->regions[i];
			if (r->asid == asid && iova >= r->iova &&
					iova - r->iova < r->size) {
				found = true;
				if (len <= r->size - (iova - r->iova))
					return true;
				len -= r->size - (iova - r->iova);
				iova = r->iova + r->size;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * After a reset on a kernel that dropped the device's mappings: the
 * contract keeps them, so map them all again. vhost-vdpa still holds
 * its own copy, hence invalidate then update.
 */
int
vv_dma_replay(struct vv_dev *d)
{
	bool batch = d->backend_features &
		(UINT64_C(1) << VHOST_BACKEND_F_IOTLB_BATCH);
	uint32_t i;
	int ret = 0;

	if (d->nb_regions == 0)
		return 0;
	if (batch)
		ret = vv_iotlb(d, VHOST_IOTLB_BATCH_BEGIN, NULL);
	for (i = 0; i < d->nb_regions && ret == 0; i++) {
		(void)vv_iotlb(d, VHOST_IOTLB_INVALIDATE, &d->regions[i]);
		ret = vv_iotlb(d, VHOST_IOTLB_UPDATE, &d->regions[i]);
	}
	if (batch)
		(void)vv_iotlb(d, VHOST_IOTLB_BATCH_END, NULL);
	if (ret != 0)
		VV_LOG(ERR, "%s: cannot map region %u again after the reset: %s",
			d->name, i - 1, strerror(-ret));
	return ret;
}
