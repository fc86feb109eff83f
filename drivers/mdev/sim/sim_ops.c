/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The virtio-mdev ops of the sim device. Control ops take the device
 * lock, which the engine holds for a whole polling pass: when an op that
 * stops something (reset, set_vq_ready(false), dma_unmap) returns, the
 * engine is not inside the queue and will not enter it again.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/virtio_ids.h>

#include <rte_common.h>

#include "sim_log.h"
#include "sim_net.h"
#include "sim_vq_packed.h"
#include "sim_vq_split.h"

static struct sim_vq *
sim_vq_of(struct sim_dev *d, uint16_t qid)
{
	return qid < d->nb_vqs ? &d->vq[qid] : NULL;
}

static int
sim_set_vq_address(struct rte_mdev_device *dev, uint16_t qid,
		uint64_t desc_iova, uint64_t driver_iova, uint64_t device_iova)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);
	int ret = 0;

	if (vq == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	if (vq->ready) {
		ret = -EBUSY;
	} else {
		vq->desc_iova = desc_iova;
		vq->driver_iova = driver_iova;
		vq->device_iova = device_iova;
		vq->addr_set = true;
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static int
sim_set_vq_num(struct rte_mdev_device *dev, uint16_t qid, uint32_t num)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);
	int ret = 0;

	/* Packed rings may have any size, split ones a power of two. */
	if (vq == NULL || num == 0 || num > d->p.queue_size ||
			(!sim_has(d, VIRTIO_F_RING_PACKED) &&
			!rte_is_power_of_2(num)))
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	if (vq->ready)
		ret = -EBUSY;
	else
		vq->num = num;
	rte_spinlock_unlock(&d->lock);
	return ret;
}

/*
 * Data queues are polled: nothing to do. The control queue is answered
 * now, unless the lock is taken (the engine is in a pass, possibly on
 * this very thread through a callback); the engine then answers it.
 */
static void
sim_kick_vq(struct rte_mdev_device *dev, uint16_t qid)
{
	struct sim_dev *d = sim_dev_of(dev);

	if (qid >= d->nb_vqs || !__atomic_load_n(&d->running, __ATOMIC_ACQUIRE))
		return;
	if (!rte_spinlock_trylock(&d->lock))
		return;
	if (d->running && qid == sim_ctrl_qid(d))
		sim_net_ctrl_poll(d, true);
	rte_spinlock_unlock(&d->lock);
}

static void
sim_set_vq_cb(struct rte_mdev_device *dev, uint16_t qid,
		const struct rte_virtio_mdev_callback *cb)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);

	if (vq == NULL)
		return;
	rte_spinlock_lock(&d->lock);
	if (cb != NULL && cb->fn != NULL)
		vq->cb = *cb;
	else
		memset(&vq->cb, 0, sizeof(vq->cb));
	rte_spinlock_unlock(&d->lock);
}

static int
sim_set_vq_ready(struct rte_mdev_device *dev, uint16_t qid, bool ready)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);
	int ret = 0;

	if (vq == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	if (!ready) {
		vq->ready = false;
	} else if (!vq->ready) {
		/* A polled data queue needs no kicks. */
		vq->polled = d->engine.kind != SIM_ENGINE_NONE &&
			qid != sim_ctrl_qid(d);
		vq->event_idx = sim_has(d, VIRTIO_RING_F_EVENT_IDX);
		vq->in_order = sim_has(d, VIRTIO_F_IN_ORDER);
		vq->packed = sim_has(d, VIRTIO_F_RING_PACKED);
		vq->bufs = sim_group_as(d, sim_vq_group(d, qid));
		vq->rings = sim_group_as(d, sim_vq_desc_group(d, qid));
		ret = vq->packed ? sim_packed_enable(d, vq) :
			sim_split_enable(d, vq);
		vq->ready = ret == 0;
		if (ret == 0)
			sim_log_rings(d, vq);
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static bool
sim_get_vq_ready(struct rte_mdev_device *dev, uint16_t qid)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);

	return vq != NULL && __atomic_load_n(&vq->ready, __ATOMIC_ACQUIRE);
}

/*
 * Split rings: the avail index is free running, any value is valid.
 * Packed rings: positions inside the ring (its size, or the largest
 * size while none was set) and wrap counters.
 */
static int
sim_set_vq_state(struct rte_mdev_device *dev, uint16_t qid,
		const struct rte_virtio_mdev_vq_state *state)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);
	uint32_t num;
	int ret = 0;

	if (vq == NULL || state == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	num = vq->num != 0 ? vq->num : d->p.queue_size;
	if (vq->ready) {
		ret = -EBUSY;
	} else if (!sim_has(d, VIRTIO_F_RING_PACKED)) {
		vq->last_avail = state->split.avail_index;
	} else if (state->packed.last_avail_idx >= num ||
			state->packed.last_used_idx >= num) {
		ret = -EINVAL;
	} else {
		vq->last_avail = state->packed.last_avail_idx;
		vq->avail_wrap = state->packed.last_avail_counter != 0;
		vq->used_idx = state->packed.last_used_idx;
		vq->used_wrap = state->packed.last_used_counter != 0;
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static int
sim_get_vq_state(struct rte_mdev_device *dev, uint16_t qid,
		struct rte_virtio_mdev_vq_state *state)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);
	int ret = 0;

	if (vq == NULL || state == NULL)
		return -EINVAL;
	memset(state, 0, sizeof(*state));
	rte_spinlock_lock(&d->lock);
	if (vq->ready) {
		ret = -EBUSY;
	} else if (sim_has(d, VIRTIO_F_RING_PACKED)) {
		state->packed.last_avail_idx = vq->last_avail;
		state->packed.last_avail_counter = vq->avail_wrap;
		state->packed.last_used_idx = vq->used_idx;
		state->packed.last_used_counter = vq->used_wrap;
	} else {
		state->split.avail_index = vq->last_avail;
	}
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static uint32_t
sim_get_vq_align(struct rte_mdev_device *dev __rte_unused)
{
	return SIM_VQ_ALIGN;
}

static uint64_t
sim_get_features(struct rte_mdev_device *dev)
{
	return sim_dev_of(dev)->offered;
}

static int
sim_set_features(struct rte_mdev_device *dev, uint64_t features)
{
	struct sim_dev *d = sim_dev_of(dev);
	int ret = 0;

	rte_spinlock_lock(&d->lock);
	if (!(d->status & VIRTIO_CONFIG_S_DRIVER) ||
			(d->status & VIRTIO_CONFIG_S_FEATURES_OK))
		ret = -EBUSY;
	else if (features & ~d->offered)
		ret = -EINVAL;
	else
		d->features = features;
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static void
sim_set_config_cb(struct rte_mdev_device *dev,
		const struct rte_virtio_mdev_callback *cb)
{
	struct sim_dev *d = sim_dev_of(dev);

	rte_spinlock_lock(&d->lock);
	if (cb != NULL && cb->fn != NULL)
		d->config_cb = *cb;
	else
		memset(&d->config_cb, 0, sizeof(d->config_cb));
	rte_spinlock_unlock(&d->lock);
}

static uint16_t
sim_get_vq_num_max(struct rte_mdev_device *dev)
{
	return sim_dev_of(dev)->p.queue_size;
}

static uint32_t
sim_get_device_id(struct rte_mdev_device *dev __rte_unused)
{
	return VIRTIO_ID_NET;
}

static uint32_t
sim_get_vendor_id(struct rte_mdev_device *dev __rte_unused)
{
	return SIM_VENDOR_ID;
}

static uint8_t
sim_get_status(struct rte_mdev_device *dev)
{
	return __atomic_load_n(&sim_dev_of(dev)->status, __ATOMIC_ACQUIRE);
}

/* The status the device keeps after the driver wrote "status". */
static uint8_t
sim_next_status(struct sim_dev *d, uint8_t status)
{
	uint8_t old = d->status;
	bool failed;
	/* Any offered set is taken, with VERSION_1 (no legacy device). */
	uint8_t s = rte_virtio_mdev_next_status(old, status,
		sim_has(d, VIRTIO_F_VERSION_1), &failed);

	if (failed && !(old & VIRTIO_CONFIG_S_FAILED))
		SIM_LOG(ERR, "%s: status 0x%02x after 0x%02x skips a step or clears one: FAILED",
			d->name, status, old);
	return s;
}

static void
sim_set_status(struct rte_mdev_device *dev, uint8_t status)
{
	struct sim_dev *d = sim_dev_of(dev);
	uint8_t s;

	if (status == 0) {
		sim_dev_reset(d);
		return;
	}
	rte_spinlock_lock(&d->lock);
	s = sim_next_status(d, status);
	d->mrg_rxbuf = sim_has(d, VIRTIO_NET_F_MRG_RXBUF);
	__atomic_store_n(&d->status, s, __ATOMIC_RELEASE);
	__atomic_store_n(&d->running, (s & VIRTIO_CONFIG_S_DRIVER_OK) &&
		!(s & VIRTIO_CONFIG_S_FAILED), __ATOMIC_RELEASE);
	rte_spinlock_unlock(&d->lock);
}

static size_t
sim_get_config_size(struct rte_mdev_device *dev __rte_unused)
{
	return sizeof(struct virtio_net_config);
}

static void
sim_get_config(struct rte_mdev_device *dev, unsigned int offset, void *buf,
		unsigned int len)
{
	struct sim_dev *d = sim_dev_of(dev);
	size_t size = sizeof(d->cfg), n = 0;

	if (offset < size)
		n = RTE_MIN((size_t)len, size - offset);
	rte_spinlock_lock(&d->lock);
	memcpy(buf, (const uint8_t *)&d->cfg + offset, n);
	rte_spinlock_unlock(&d->lock);
	memset((uint8_t *)buf + n, 0, len - n);
}

/* Every virtio-net config field is read-only for a VERSION_1 driver. */
static void
sim_set_config(struct rte_mdev_device *dev, unsigned int offset,
		const void *buf __rte_unused, unsigned int len)
{
	SIM_LOG(DEBUG, "%s: config write [%u, +%u) ignored (read-only)",
		sim_dev_of(dev)->name, offset, len);
}

static uint32_t
sim_get_generation(struct rte_mdev_device *dev)
{
	return __atomic_load_n(&sim_dev_of(dev)->generation, __ATOMIC_ACQUIRE);
}

static uint64_t
sim_get_mdev_features(struct rte_mdev_device *dev)
{
	uint64_t f = RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VERSION_1) |
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VQ_STATS) |
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_ASID);

	/* The ops stay in the table: the bus only checks advertised ones. */
	if (!sim_dev_of(dev)->p.no_log_dirty)
		f |= RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_LOG_DIRTY);
	return f;
}

static int
sim_dma_map(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size, void *vaddr, uint32_t perm)
{
	struct sim_dev *d = sim_dev_of(dev);
	int ret;

	if (asid >= SIM_NAS)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	ret = sim_iova_add(&d->as[asid], iova, size, vaddr, perm);
	rte_spinlock_unlock(&d->lock);
	return ret;
}

/* Do [a, a + alen) and [b, b + blen) share a byte? (lengths > 0) */
static bool
sim_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

/* Does any ring area of vq use [iova, iova + size)? */
static bool
sim_rings_in(const struct sim_vq *vq, uint64_t iova, uint64_t size)
{
	uint64_t n = vq->num;

	if (vq->packed)
		return sim_overlaps(vq->desc_iova, 16 * n, iova, size) ||
			sim_overlaps(vq->driver_iova, 4, iova, size) ||
			sim_overlaps(vq->device_iova, 4, iova, size);
	return sim_overlaps(vq->desc_iova, 16 * n, iova, size) ||
		sim_overlaps(vq->driver_iova, 6 + 2 * n, iova, size) ||
		sim_overlaps(vq->device_iova, 6 + 8 * n, iova, size);
}

/* A ready queue whose rings were just unmapped cannot go on. */
static void
sim_check_rings(struct sim_dev *d, uint32_t asid, uint64_t iova,
		uint64_t size)
{
	struct sim_vq *vq;
	uint16_t i;

	for (i = 0; i < d->nb_vqs; i++) {
		vq = &d->vq[i];
		if (vq->ready && !vq->broken && vq->rings == &d->as[asid] &&
				sim_rings_in(vq, iova, size))
			sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
				"ring memory [0x%" PRIx64 ", +0x%" PRIx64 ") was unmapped",
				iova, size);
	}
}

static int
sim_dma_unmap(struct rte_mdev_device *dev, uint32_t asid, uint64_t iova,
		uint64_t size)
{
	struct sim_dev *d = sim_dev_of(dev);
	int ret;

	if (asid >= SIM_NAS)
		return -ENOENT;
	rte_spinlock_lock(&d->lock);
	ret = sim_iova_del(&d->as[asid], iova, size);
	if (ret == 0)
		sim_check_rings(d, asid, iova, size);
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static uint32_t
sim_get_group_num(struct rte_mdev_device *dev __rte_unused)
{
	return SIM_NGROUPS;
}

static uint32_t
sim_get_as_num(struct rte_mdev_device *dev __rte_unused)
{
	return SIM_NAS;
}

static uint32_t
sim_get_vq_group(struct rte_mdev_device *dev, uint16_t qid)
{
	struct sim_dev *d = sim_dev_of(dev);

	return qid < d->nb_vqs ? sim_vq_group(d, qid) : UINT32_MAX;
}

static uint32_t
sim_get_vq_desc_group(struct rte_mdev_device *dev, uint16_t qid)
{
	struct sim_dev *d = sim_dev_of(dev);

	return qid < d->nb_vqs ? sim_vq_desc_group(d, qid) : UINT32_MAX;
}

/* Does a ready queue translate its buffers or rings in group's space? */
static bool
sim_group_busy(struct sim_dev *d, uint32_t group)
{
	uint16_t i;

	for (i = 0; i < d->nb_vqs; i++)
		if (d->vq[i].ready && (sim_vq_group(d, i) == group ||
				sim_vq_desc_group(d, i) == group))
			return true;
	return false;
}

static int
sim_set_group_asid(struct rte_mdev_device *dev, uint32_t group,
		uint32_t asid)
{
	struct sim_dev *d = sim_dev_of(dev);
	int ret = 0;

	if (group >= SIM_NGROUPS || asid >= SIM_NAS)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	if (sim_group_busy(d, group))
		ret = -EBUSY;
	else
		d->group_asid[group] = asid;
	rte_spinlock_unlock(&d->lock);
	return ret;
}

static int
sim_get_vq_stats(struct rte_mdev_device *dev, uint16_t qid,
		struct rte_virtio_mdev_vq_stats *stats)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);

	if (vq == NULL || stats == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	*stats = vq->stats;
	rte_spinlock_unlock(&d->lock);
	return 0;
}

static int
sim_reset_vq_stats(struct rte_mdev_device *dev, uint16_t qid)
{
	struct sim_dev *d = sim_dev_of(dev);
	struct sim_vq *vq = sim_vq_of(d, qid);

	if (vq == NULL)
		return -EINVAL;
	rte_spinlock_lock(&d->lock);
	memset(&vq->stats, 0, sizeof(vq->stats));
	rte_spinlock_unlock(&d->lock);
	return 0;
}

const struct rte_virtio_mdev_ops sim_ops = {
	.set_vq_address = sim_set_vq_address,
	.set_vq_num = sim_set_vq_num,
	.kick_vq = sim_kick_vq,
	.set_vq_cb = sim_set_vq_cb,
	.set_vq_ready = sim_set_vq_ready,
	.get_vq_ready = sim_get_vq_ready,
	.set_vq_state = sim_set_vq_state,
	.get_vq_state = sim_get_vq_state,
	.get_vq_align = sim_get_vq_align,
	.get_features = sim_get_features,
	.set_features = sim_set_features,
	.set_config_cb = sim_set_config_cb,
	.get_vq_num_max = sim_get_vq_num_max,
	.get_device_id = sim_get_device_id,
	.get_vendor_id = sim_get_vendor_id,
	.get_status = sim_get_status,
	.set_status = sim_set_status,
	.get_config_size = sim_get_config_size,
	.get_config = sim_get_config,
	.set_config = sim_set_config,
	.get_generation = sim_get_generation,
	.get_mdev_features = sim_get_mdev_features,
	.dma_map = sim_dma_map,
	.dma_unmap = sim_dma_unmap,
	.set_log_base = sim_set_log_base,
	.set_log_enable = sim_set_log_enable,
	.get_vq_stats = sim_get_vq_stats,
	.reset_vq_stats = sim_reset_vq_stats,
	.get_group_num = sim_get_group_num,
	.get_as_num = sim_get_as_num,
	.get_vq_group = sim_get_vq_group,
	.get_vq_desc_group = sim_get_vq_desc_group,
	.set_group_asid = sim_set_group_asid,
};
