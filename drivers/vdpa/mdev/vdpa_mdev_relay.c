/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Used ring relay: dirty logging for a device without
 * RTE_VIRTIO_MDEV_F_LOG_DIRTY (split rings only). While the front end
 * logs, each split queue runs with its device area moved to a shadow
 * used ring in this process's memory, mapped on the device in the
 * private address space of the data queues' rings (vdpa_mdev_as.c), out
 * of the guest's reach; descriptors and avail ring stay the front end's.
 * A thread copies the entries the device completes into the front
 * end's used ring with rte_vdpa_relay_vring_used(), which logs the
 * writable buffers of every completed chain; the thread logs the used
 * ring bytes it changed and notifies the front end when it asked for it.
 *
 * The thread wakes up when the device invokes a queue's callback (the
 * callback writes the relay eventfd instead of the front end's call fd)
 * and at least every RELAY_POLL_MS, for front ends that suppress
 * notifications (the device then never calls back).
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_atomic.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "vdpa_mdev.h"

#define RELAY_POLL_MS	1
/* Granularity of the vhost dirty log and of our device mappings. */
#define RELAY_PAGE	4096

static bool
relay_event_idx(const struct vdpa_mdev_vq *vq)
{
	return (vq->vdev->features &
		(UINT64_C(1) << VIRTIO_RING_F_EVENT_IDX)) != 0;
}

static uint64_t
used_ring_len(uint32_t num)
{
	return sizeof(struct vring_used) +
		num * sizeof(struct vring_used_elem) + sizeof(uint16_t);
}

/* The avail_event field at the end of a used ring (EVENT_IDX). */
static uint16_t *
used_avail_event(struct vring_used *used, uint32_t num)
{
	return (uint16_t *)&used->ring[num];
}

/*
 * Log bytes [off, off + len) of the front end's used ring, by its guest
 * physical address (rte_vhost_log_used_vring would need the front end
 * to have flagged the ring for logging in SET_VRING_ADDR).
 */
static void
log_used(const struct vdpa_mdev_vq *vq, uint64_t off, uint64_t len)
{
	rte_vhost_log_write(vq->relay_vid, vq->device_iova + off, len);
}

/* Log used entries [old, old + n) of the front end's ring. */
static void
log_used_entries(const struct vdpa_mdev_vq *vq, uint16_t old, uint32_t n)
{
	uint32_t num = vq->shadow.num;
	uint32_t start = old & (num - 1);
	uint32_t first = RTE_MIN(n, num - start);
	uint64_t base = offsetof(struct vring_used, ring);
	uint64_t elem = sizeof(struct vring_used_elem);

	if (n >= num) {
		log_used(vq, base, num * elem);
		return;
	}
	log_used(vq, base + start * elem, first * elem);
	if (n > first)
		log_used(vq, base, (n - first) * elem);
}

/* Notify the front end unless it suppressed notifications. */
static void
relay_notify(const struct vdpa_mdev_vq *vq, uint16_t old, uint16_t new)
{
	const struct rte_vhost_vring *vr = &vq->vring;
	uint16_t event;
	bool need;

	if (vr->callfd < 0)
		return;
	/* Publish the used index before reading the suppression state. */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (relay_event_idx(vq)) {
		event = __atomic_load_n(&vr->avail->ring[vr->size],
			__ATOMIC_RELAXED);
		need = vring_need_event(event, new, old);
	} else {
		need = !(__atomic_load_n(&vr->avail->flags, __ATOMIC_RELAXED) &
			VRING_AVAIL_F_NO_INTERRUPT);
	}
	if (need)
		(void)eventfd_write(vr->callfd, 1);
}

/* Copy what the device completed on one queue; relay lock held. */
static void
relay_one(struct vdpa_mdev_vq *vq)
{
	struct vring_used *gu = vq->vring.used;
	struct vring_used *su = vq->shadow.used;
	uint32_t num = vq->shadow.num;
	uint16_t old, flags, ae;
	bool hdr;
	int n;

	old = __atomic_load_n(&gu->idx, __ATOMIC_ACQUIRE);
	flags = gu->flags;
	n = rte_vdpa_relay_vring_used(vq->relay_vid, vq->qid, &vq->shadow);
	if (n < 0) {
		/* Once per queue start: the thread retries every interval. */
		if (vq->relay_err++ == 0)
			VDPA_MDEV_LOG(ERR, "%s: queue %u: vhost cannot relay the used ring (bad descriptor id or chain from the device or front end %d)",
				vq->vdev->mdev->alias, vq->qid,
				vq->relay_vid);
		return;
	}
	hdr = n > 0 || gu->flags != flags;
	if (hdr)
		log_used(vq, 0, offsetof(struct vring_used, ring));
	if (n > 0)
		log_used_entries(vq, old, n);
	if (relay_event_idx(vq)) {
		ae = __atomic_load_n(used_avail_event(su, num),
			__ATOMIC_RELAXED);
		if (*used_avail_event(gu, num) != ae) {
			__atomic_store_n(used_avail_event(gu, num), ae,
				__ATOMIC_RELEASE);
			log_used(vq, (uintptr_t)used_avail_event(gu, num) -
				(uintptr_t)gu, sizeof(uint16_t));
		}
	}
	if (n > 0)
		relay_notify(vq, old, old + n);
}

static void *
relay_thread(void *arg)
{
	struct vdpa_mdev_device *vdev = arg;
	struct pollfd pfd = { .fd = vdev->relay_evfd, .events = POLLIN };
	eventfd_t value;
	uint16_t i;

	while (!__atomic_load_n(&vdev->relay_stop, __ATOMIC_ACQUIRE)) {
		if (poll(&pfd, 1, RELAY_POLL_MS) > 0)
			(void)eventfd_read(vdev->relay_evfd, &value);
		pthread_mutex_lock(&vdev->relay_lock);
		for (i = 0; i < vdev->nr_vq; i++)
			if (vdev->vqs[i].relayed)
				relay_one(&vdev->vqs[i]);
		pthread_mutex_unlock(&vdev->relay_lock);
	}
	return NULL;
}

/* Start the relay thread; split queues started from now on are relayed. */
int
vdpa_mdev_relay_enable(struct vdpa_mdev_device *vdev)
{
	int ret;

	if (!vdev->relay_thread) {
		vdev->relay_evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vdev->relay_evfd < 0) {
			ret = -errno;
			goto fail;
		}
		vdev->relay_stop = false;
		ret = -rte_ctrl_thread_create(&vdev->relay_tid,
			"vdpa-mdev-relay", NULL, relay_thread, vdev);
		if (ret != 0) {
			close(vdev->relay_evfd);
			vdev->relay_evfd = -1;
			goto fail;
		}
		vdev->relay_thread = true;
	}
	vdev->relaying = true;
	return 0;
fail:
	VDPA_MDEV_LOG(ERR, "%s: cannot start the used ring relay thread: %s",
		vdev->mdev->alias, strerror(-ret));
	return ret;
}

/* Stop the relay thread; every queue must have been torn down before. */
void
vdpa_mdev_relay_disable(struct vdpa_mdev_device *vdev)
{
	vdev->relaying = false;
	if (!vdev->relay_thread)
		return;
	__atomic_store_n(&vdev->relay_stop, true, __ATOMIC_RELEASE);
	(void)eventfd_write(vdev->relay_evfd, 1);
	pthread_join(vdev->relay_tid, NULL);
	close(vdev->relay_evfd);
	vdev->relay_evfd = -1;
	vdev->relay_thread = false;
}

/*
 * Allocate and map a queue's shadow used ring, starting where the front
 * end's used ring is; *device_iova: the device area to program.
 */
int
vdpa_mdev_relay_vq_setup(struct vdpa_mdev_vq *vq, int vid,
		uint64_t *device_iova)
{
	struct vdpa_mdev_device *vdev = vq->vdev;
	struct rte_mdev_device *mdev = vdev->mdev;
	struct vring_used *gu = vq->vring.used;
	uint32_t num = vq->vring.size;
	uint64_t map_len, avail_len, iova;
	struct vring_used *su;
	void *buf;
	int ret;

	map_len = RTE_ALIGN_CEIL(used_ring_len(num), (uint64_t)RELAY_PAGE);
	avail_len = sizeof(struct vring_avail) + (num + 1) * sizeof(uint16_t);
	if (map_len > VDPA_MDEV_SHADOW_SLOT || !rte_is_power_of_2(num)) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: size %u cannot be relayed",
			mdev->alias, vq->qid, num);
		return -EINVAL;
	}
	/* The scratch avail ring takes vhost's used_event write (EVENT_IDX). */
	buf = rte_zmalloc("vdpa_mdev_shadow", map_len + avail_len, RELAY_PAGE);
	if (buf == NULL) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: no memory for a shadow used ring (%" PRIu64 " bytes)",
			mdev->alias, vq->qid, map_len + avail_len);
		return -ENOMEM;
	}
	su = buf;
	su->flags = gu->flags;
	su->idx = __atomic_load_n(&gu->idx, __ATOMIC_ACQUIRE);
	*used_avail_event(su, num) = *used_avail_event(gu, num);
	iova = vdpa_mdev_mem_end(vdev->mem) + VDPA_MDEV_SHADOW_OFF +
		vq->qid * VDPA_MDEV_SHADOW_SLOT;
	ret = mdev->ops->dma_map(mdev, VDPA_MDEV_AS_PRIVATE, iova, map_len,
		buf, RTE_VIRTIO_MDEV_DMA_RW);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: cannot map its shadow used ring at 0x%" PRIx64 ": %s",
			mdev->alias, vq->qid, iova, strerror(-ret));
		rte_free(buf);
		return ret;
	}
	vq->shadow_buf = buf;
	vq->shadow_iova = iova;
	vq->shadow_len = map_len;
	vq->relay_vid = vid;
	vq->relay_err = 0;
	vq->shadow.num = num;
	vq->shadow.desc = NULL;	/* never read by the relay */
	vq->shadow.avail = (struct vring_avail *)((char *)buf + map_len);
	vq->shadow.used = su;
	*device_iova = iova;
	return 0;
}

/* The queue runs on its shadow ring: hand it to the thread. */
void
vdpa_mdev_relay_vq_activate(struct vdpa_mdev_vq *vq)
{
	struct vdpa_mdev_device *vdev = vq->vdev;

	/* Like a device that logs: the whole used ring once at start. */
	log_used(vq, 0, used_ring_len(vq->shadow.num));
	pthread_mutex_lock(&vdev->relay_lock);
	vq->relayed = true;
	pthread_mutex_unlock(&vdev->relay_lock);
	(void)eventfd_write(vdev->relay_evfd, 1);
	VDPA_MDEV_LOG(DEBUG, "%s: queue %u: used ring relayed through 0x%" PRIx64,
		vdev->mdev->alias, vq->qid, vq->shadow_iova);
}

/*
 * The device stopped using the queue: relay what is left, so that the
 * front end's used index is the device's, then drop the shadow ring.
 */
void
vdpa_mdev_relay_vq_teardown(struct vdpa_mdev_vq *vq)
{
	struct vdpa_mdev_device *vdev = vq->vdev;
	struct rte_mdev_device *mdev = vdev->mdev;
	int ret;

	if (vq->shadow.used == NULL)
		return;
	pthread_mutex_lock(&vdev->relay_lock);
	if (vq->relayed)
		relay_one(vq);
	vq->relayed = false;
	pthread_mutex_unlock(&vdev->relay_lock);
	ret = mdev->ops->dma_unmap(mdev, VDPA_MDEV_AS_PRIVATE,
		vq->shadow_iova, vq->shadow_len);
	if (ret != 0)
		VDPA_MDEV_LOG(ERR, "%s: queue %u: cannot unmap its shadow used ring: %s",
			mdev->alias, vq->qid, strerror(-ret));
	rte_free(vq->shadow_buf);
	vq->shadow_buf = NULL;
	memset(&vq->shadow, 0, sizeof(vq->shadow));
}
