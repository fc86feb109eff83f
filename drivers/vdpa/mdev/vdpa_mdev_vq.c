/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Starting and stopping one virtqueue: the front end's vring (host
 * virtual addresses from vhost) becomes a device queue (IOVAs = guest
 * physical addresses), and its position goes back to vhost when it stops
 * so that the front end (GET_VRING_BASE) or a later start resumes there.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/eventfd.h>

#include <linux/virtio_ring.h>

#include <rte_common.h>

#include "vdpa_mdev.h"

#define PACKED_WRAP_BIT 15
#define PACKED_IDX_MASK ((1u << PACKED_WRAP_BIT) - 1)

/* Called by the device on its own thread when it used buffers. */
static void
vq_call(void *arg)
{
	struct vdpa_mdev_vq *vq = arg;
	int fd = __atomic_load_n(&vq->callfd, __ATOMIC_ACQUIRE);

	if (fd >= 0)
		(void)eventfd_write(fd, 1);
}

static bool
vq_packed(const struct vdpa_mdev_device *vdev)
{
	return (vdev->features & (UINT64_C(1) << VIRTIO_F_RING_PACKED)) != 0;
}

/* Translate one ring area; log which one and where when it is unmapped. */
static int
vq_area_iova(const struct vdpa_mdev_vq *vq, const char *area,
		const void *hva, uint64_t len, uint64_t *iova)
{
	const struct vdpa_mdev_device *vdev = vq->vdev;

	if (vdpa_mdev_hva_to_gpa(vdev->mem, (uintptr_t)hva, len, iova) == 0)
		return 0;
	VDPA_MDEV_LOG(ERR, "%s: queue %u: %s ring at host address %p (%" PRIu64 " bytes) is not inside the front end's memory table; queue refused",
		vdev->mdev->alias, vq->qid, area, hva, len);
	return -EFAULT;
}

static int
vq_ring_iovas(struct vdpa_mdev_vq *vq)
{
	uint64_t *desc = &vq->desc_iova;
	uint64_t *driver = &vq->driver_iova;
	uint64_t *device = &vq->device_iova;
	const struct rte_vhost_vring *vr = &vq->vring;
	uint64_t num = vr->size;
	int ret;

	if (vq_packed(vq->vdev)) {
		ret = vq_area_iova(vq, "descriptor", vr->desc_packed,
			num * sizeof(struct vring_packed_desc), desc);
		if (ret == 0)
			ret = vq_area_iova(vq, "driver event",
				vr->driver_event,
				sizeof(struct vring_packed_desc_event),
				driver);
		if (ret == 0)
			ret = vq_area_iova(vq, "device event",
				vr->device_event,
				sizeof(struct vring_packed_desc_event),
				device);
		return ret;
	}
	ret = vq_area_iova(vq, "descriptor", vr->desc,
		num * sizeof(struct vring_desc), desc);
	if (ret == 0)
		ret = vq_area_iova(vq, "avail", vr->avail,
			sizeof(struct vring_avail) + (num + 1) * sizeof(uint16_t),
			driver);
	if (ret == 0)
		ret = vq_area_iova(vq, "used", vr->used,
			sizeof(struct vring_used) +
			num * sizeof(struct vring_used_elem) +
			sizeof(uint16_t), device);
	return ret;
}

/* The position vhost holds for the vring (front end's or saved by us). */
static int
vq_vhost_state(const struct vdpa_mdev_vq *vq, int vid,
		struct rte_virtio_mdev_vq_state *state)
{
	uint16_t avail, used;

	if (rte_vhost_get_vring_base(vid, vq->qid, &avail, &used) != 0)
		return -EINVAL;
	memset(state, 0, sizeof(*state));
	if (!vq_packed(vq->vdev)) {
		state->split.avail_index = avail;
		return 0;
	}
	state->packed.last_avail_idx = avail & PACKED_IDX_MASK;
	state->packed.last_avail_counter = avail >> PACKED_WRAP_BIT;
	state->packed.last_used_idx = used & PACKED_IDX_MASK;
	state->packed.last_used_counter = used >> PACKED_WRAP_BIT;
	return 0;
}

/* Give the device's position back to vhost (the front end reads it). */
static void
vq_save_state(struct vdpa_mdev_vq *vq, int vid)
{
	struct rte_mdev_device *mdev = vq->vdev->mdev;
	struct rte_virtio_mdev_vq_state st;
	uint16_t avail, used;
	int ret;

	ret = mdev->ops->get_vq_state(mdev, vq->qid, &st);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: cannot read its position (%s); the front end keeps its own",
			mdev->alias, vq->qid, strerror(-ret));
		return;
	}
	if (vq_packed(vq->vdev)) {
		avail = (st.packed.last_avail_idx & PACKED_IDX_MASK) |
			(!!st.packed.last_avail_counter << PACKED_WRAP_BIT);
		used = (st.packed.last_used_idx & PACKED_IDX_MASK) |
			(!!st.packed.last_used_counter << PACKED_WRAP_BIT);
	} else {
		/* Used index as published in the ring: what was completed. */
		avail = st.split.avail_index;
		used = __atomic_load_n(&vq->vring.used->idx, __ATOMIC_ACQUIRE);
	}
	if (rte_vhost_set_vring_base(vid, vq->qid, avail, used) != 0)
		VDPA_MDEV_LOG(ERR, "%s: queue %u: cannot give vhost its position",
			mdev->alias, vq->qid);
}

static int
vq_program(struct vdpa_mdev_vq *vq, int vid)
{
	struct rte_mdev_device *mdev = vq->vdev->mdev;
	struct rte_virtio_mdev_vq_state state;
	uint64_t device;
	int ret;

	if (rte_vhost_get_vhost_vring(vid, vq->qid, &vq->vring) != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: front end %d gave no vring",
			mdev->alias, vq->qid, vid);
		return -EINVAL;
	}
	ret = vq_ring_iovas(vq);
	if (ret != 0)
		return ret;
	ret = mdev->ops->set_vq_num(mdev, vq->qid, vq->vring.size);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: size %u refused (device maximum %u): %s",
			mdev->alias, vq->qid, vq->vring.size,
			mdev->ops->get_vq_num_max(mdev), strerror(-ret));
		return ret;
	}
	/* Relayed (dirty logging without LOG_DIRTY): the shadow used ring. */
	device = vq->device_iova;
	if (vq->vdev->relaying && !vq_packed(vq->vdev)) {
		ret = vdpa_mdev_relay_vq_setup(vq, vid, &device);
		if (ret != 0)
			return ret;
	}
	ret = mdev->ops->set_vq_address(mdev, vq->qid, vq->desc_iova,
		vq->driver_iova, device);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: ring addresses refused: %s",
			mdev->alias, vq->qid, strerror(-ret));
		return ret;
	}
	ret = vq_vhost_state(vq, vid, &state);
	if (ret == 0)
		ret = mdev->ops->set_vq_state(mdev, vq->qid, &state);
	if (ret != 0)
		VDPA_MDEV_LOG(ERR, "%s: queue %u: start position refused: %s",
			mdev->alias, vq->qid, strerror(-ret));
	return ret;
}

/* Program a vring on the device and start it. */
int
vdpa_mdev_vq_start(struct vdpa_mdev_vq *vq, int vid)
{
	struct rte_mdev_device *mdev = vq->vdev->mdev;
	struct rte_virtio_mdev_callback cb = { .fn = vq_call, .arg = vq };
	int ret;

	ret = vq_program(vq, vid);
	if (ret != 0) {
		vdpa_mdev_relay_vq_teardown(vq);
		return ret;
	}
	/* A relayed queue's calls wake the relay, which calls the guest. */
	__atomic_store_n(&vq->callfd, vq->shadow.used != NULL ?
		vq->vdev->relay_evfd : vq->vring.callfd, __ATOMIC_RELEASE);
	mdev->ops->set_vq_cb(mdev, vq->qid, &cb);
	ret = mdev->ops->set_vq_ready(mdev, vq->qid, true);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: queue %u: device refused to start it: %s",
			mdev->alias, vq->qid, strerror(-ret));
		mdev->ops->set_vq_cb(mdev, vq->qid, NULL);
		__atomic_store_n(&vq->callfd, -1, __ATOMIC_RELEASE);
		vdpa_mdev_relay_vq_teardown(vq);
		return ret;
	}
	vq->running = true;
	if (vq->shadow.used != NULL)
		vdpa_mdev_relay_vq_activate(vq);
	(void)vdpa_mdev_kick_add(vq, vq->vring.kickfd);
	/* The front end may have kicked before the relay watched the fd. */
	mdev->ops->kick_vq(mdev, vq->qid);
	return 0;
}

/*
 * While the front end logs dirty pages (migration), mark the areas the
 * device wrote to: the used ring (split) or the descriptor ring (packed).
 */
static void
vq_log_rings(const struct vdpa_mdev_vq *vq, int vid)
{
	uint64_t num = vq->vring.size;

	if (!(vq->vdev->features & (UINT64_C(1) << VHOST_F_LOG_ALL)))
		return;
	if (vq_packed(vq->vdev))
		rte_vhost_log_write(vid, vq->desc_iova,
			num * sizeof(struct vring_packed_desc));
	else
		rte_vhost_log_write(vid, vq->device_iova,
			sizeof(struct vring_used) +
			num * sizeof(struct vring_used_elem) +
			sizeof(uint16_t));
}

/* Stop a running vring and give its position back to vhost. */
void
vdpa_mdev_vq_stop(struct vdpa_mdev_vq *vq, int vid)
{
	struct rte_mdev_device *mdev = vq->vdev->mdev;
	int ret;

	if (!vq->running)
		return;
	vdpa_mdev_kick_del(vq);
	ret = mdev->ops->set_vq_ready(mdev, vq->qid, false);
	if (ret != 0)
		VDPA_MDEV_LOG(ERR, "%s: queue %u: device did not stop it: %s",
			mdev->alias, vq->qid, strerror(-ret));
	mdev->ops->set_vq_cb(mdev, vq->qid, NULL);
	__atomic_store_n(&vq->callfd, -1, __ATOMIC_RELEASE);
	/* The front end's used index must be the device's before saving. */
	vdpa_mdev_relay_vq_teardown(vq);
	vq_save_state(vq, vid);
	vq_log_rings(vq, vid);
	vq->running = false;
}
