/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Dirty page logging: the bitmap, the two ops that set it up, and the
 * slow path of the marking helpers of sim_log.h.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_atomic.h>
#include <rte_common.h>

#include "sim_log.h"

#define SIM_LOG_PAGE	(UINT64_C(1) << SIM_LOG_PAGE_SHIFT)

/* A page beyond the bitmap: not marked (no room), counted, said once. */
static void
sim_log_beyond(struct sim_dev *d, uint64_t page)
{
	if (d->dlog.beyond++ == 0)
		SIM_LOG(WARNING, "%s: device wrote IOVA 0x%" PRIx64 ", beyond the dirty log (%" PRIu64 " bytes cover IOVAs below 0x%" PRIx64 "); such pages are counted, not logged",
			d->name, page << SIM_LOG_PAGE_SHIFT, d->dlog.size,
			d->dlog.pages << SIM_LOG_PAGE_SHIFT);
}

void
sim_log_mark(struct sim_dev *d, uint64_t iova, uint64_t len)
{
	uint64_t page, last;

	if (len == 0)
		return;
	/* A range that wraps was refused when the chain was parsed. */
	page = iova >> SIM_LOG_PAGE_SHIFT;
	last = (iova + (len - 1)) >> SIM_LOG_PAGE_SHIFT;
	/* The data the bits stand for is visible before the bits. */
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	for (; page <= last; page++) {
		if (unlikely(page >= d->dlog.pages)) {
			sim_log_beyond(d, page);
			return;
		}
		__atomic_fetch_or(&d->dlog.base[page >> 3],
			(uint8_t)(1u << (page & 7)), __ATOMIC_RELAXED);
	}
}

void
sim_log_mark_segs(struct sim_dev *d, const struct sim_seg *seg,
		uint16_t nseg, uint64_t len)
{
	uint64_t n;
	uint16_t i;

	for (i = 0; i < nseg && len > 0; i++) {
		n = RTE_MIN(len, (uint64_t)seg[i].len);
		sim_log_mark(d, seg[i].iova, n);
		len -= n;
	}
}

/* IOVA of byte off of a chain, the chain holding it. */
static uint64_t
sim_log_chain_iova(const struct sim_seg *seg, uint16_t nseg, uint64_t off)
{
	uint16_t i;

	for (i = 0; i < nseg; i++) {
		if (off < seg[i].len)
			return seg[i].iova + off;
		off -= seg[i].len;
	}
	return UINT64_MAX;
}

void
sim_log_nb_find(struct sim_log_nb *nb, const struct sim_seg *seg,
		uint16_t nseg)
{
	const uint64_t off = offsetof(struct virtio_net_hdr_mrg_rxbuf,
		num_buffers);

	/* The caller checked that the chain holds the whole header. */
	nb->iova[0] = sim_log_chain_iova(seg, nseg, off);
	nb->iova[1] = sim_log_chain_iova(seg, nseg, off + 1);
	nb->found = nb->iova[0] != UINT64_MAX && nb->iova[1] != UINT64_MAX;
}

void
sim_split_log_mark_used(struct sim_dev *d, const struct sim_vq *vq,
		uint16_t from, uint16_t to)
{
	const uint64_t elem = sizeof(struct vring_used_elem);
	uint64_t ring = vq->device_iova + offsetof(struct vring_used, ring);
	uint16_t first = from & vq->mask, n = to - from;
	uint16_t tail = RTE_MIN(n, (uint16_t)(vq->mask + 1 - first));

	sim_log_mark(d, vq->device_iova + offsetof(struct vring_used, idx),
		sizeof(uint16_t));
	sim_log_mark(d, ring + first * elem, tail * elem);
	if (n > tail)
		sim_log_mark(d, ring, (n - tail) * elem);
}

void
sim_log_mark_rings(struct sim_dev *d, const struct sim_vq *vq)
{
	uint64_t n = vq->num;

	if (sim_has(d, VIRTIO_F_RING_PACKED)) {
		sim_log_mark(d, vq->desc_iova,
			n * sizeof(struct vring_packed_desc));
		sim_log_mark(d, vq->device_iova,
			sizeof(struct vring_packed_desc_event));
	} else {
		/* flags, idx, the entries and avail_event (EVENT_IDX) */
		sim_log_mark(d, vq->device_iova, sizeof(struct vring_used) +
			n * sizeof(struct vring_used_elem) + sizeof(uint16_t));
	}
}

int
sim_set_log_base(struct rte_mdev_device *dev, void *base, uint64_t size)
{
	struct sim_dev *d = sim_dev_of(dev);
	int ret = 0;

	if (base == NULL && size != 0) {
		SIM_LOG(ERR, "%s: set_log_base: NULL bitmap of %" PRIu64 " bytes (a NULL bitmap must have size 0)",
			d->name, size);
		return -EINVAL;
	}
	rte_spinlock_lock(&d->lock);
	if (d->dlog.on) {
		ret = -EBUSY;
	} else {
		d->dlog.base = base;
		d->dlog.size = size;
		/* 8 pages a byte; a bitmap that large covers every IOVA. */
		d->dlog.pages = size > UINT64_MAX >> 3 ? UINT64_MAX : size << 3;
		d->dlog.beyond = 0;
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}

/*
 * Logging starts with every ring area the device writes marked: what it
 * wrote there before is part of the state the other side needs.
 */
int
sim_set_log_enable(struct rte_mdev_device *dev, bool enable)
{
	struct sim_dev *d = sim_dev_of(dev);
	uint16_t i;
	int ret = 0;

	rte_spinlock_lock(&d->lock);
	if (!enable) {
		if (d->dlog.on && d->dlog.beyond != 0)
			SIM_LOG(WARNING, "%s: dirty logging stopped; %" PRIu64 " writes fell beyond the log",
				d->name, d->dlog.beyond);
		d->dlog.on = false;
	} else if (d->dlog.base == NULL) {
		SIM_LOG(ERR, "%s: set_log_enable: no dirty log given (set_log_base first)",
			d->name);
		ret = -EINVAL;
	} else if (!d->dlog.on) {
		d->dlog.on = true;
		for (i = 0; i < d->nb_vqs; i++)
			if (d->vq[i].ready)
				sim_log_mark_rings(d, &d->vq[i]);
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}
