/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The mdev vDPA driver: a class=vdpa consumer of virtio-mdev devices.
 * Probe registers the mdev device with the vhost library's vDPA layer
 * (the vDPA device takes the mdev device's name, its UUID); when a
 * vhost-user front end attached to it is ready, dev_conf maps the front
 * end's memory on the device and hands it the front end's own vrings.
 */

/* mremap */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_string_fns.h>

#include "vdpa_mdev.h"

#define BIT64(n) (UINT64_C(1) << (n))

/*
 * Device features never passed to a front end: vhost-user maps guest
 * physical addresses 1:1 (no IOTLB here), has no notification data and
 * no queue reset message.
 */
#define VDPA_MDEV_F_NOTIFICATION_DATA 38	/* not in every uapi header */
#define VDPA_MDEV_F_RING_RESET 40
#define VDPA_MDEV_MASKED_FEATURES \
	(BIT64(VIRTIO_F_ACCESS_PLATFORM) | \
	 BIT64(VDPA_MDEV_F_NOTIFICATION_DATA) | \
	 BIT64(VDPA_MDEV_F_RING_RESET))

/* Features of the vhost-user protocol itself, never set on the device. */
#define VDPA_MDEV_VHOST_FEATURES \
	(BIT64(VHOST_USER_F_PROTOCOL_FEATURES) | BIT64(VHOST_F_LOG_ALL))

#define VDPA_MDEV_PROTOCOL_FEATURES \
	(BIT64(VHOST_USER_PROTOCOL_F_MQ) | \
	 BIT64(VHOST_USER_PROTOCOL_F_REPLY_ACK) | \
	 BIT64(VHOST_USER_PROTOCOL_F_CONFIG) | \
	 BIT64(VHOST_USER_PROTOCOL_F_STATUS))

static bool
has_mdev_feature(const struct vdpa_mdev_device *vdev, unsigned int bit)
{
	return (vdev->mdev->mdev_features & RTE_VIRTIO_MDEV_FEATURE(bit)) != 0;
}

static struct vdpa_mdev_device *
vdev_of_vdpa(struct rte_vdpa_device *vdpa)
{
	struct rte_device *dev = rte_vdpa_get_rte_device(vdpa);

	if (vdpa == NULL || dev == NULL)
		return NULL;
	return RTE_DEV_TO_MDEV(dev)->driver_priv;
}

static struct vdpa_mdev_device *
vdev_of_vid(int vid)
{
	struct vdpa_mdev_device *vdev;

	vdev = vdev_of_vdpa(rte_vhost_get_vdpa_device(vid));
	if (vdev == NULL)
		VDPA_MDEV_LOG(ERR, "front end %d has no mdev vDPA device", vid);
	return vdev;
}

/* ---- Capabilities ---- */

static int
vdpa_mdev_get_queue_num(struct rte_vdpa_device *vdpa, uint32_t *queue_num)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);

	if (vdev == NULL)
		return -ENODEV;
	*queue_num = vdev->max_pairs;
	return 0;
}

/*
 * Live migration is offered only when no write can escape the log: the
 * device logs its writes (LOG_DIRTY), or the driver relays used rings,
 * which it can do for split rings only. A device that offers packed
 * rings without LOG_DIRTY does not offer migration at all: vhost asks
 * for features before the ring layout is known and ignores a refusal
 * later, so offering it would let a packed-ring guest lose pages.
 */
static bool
vdpa_mdev_can_log(const struct vdpa_mdev_device *vdev)
{
	return (vdev->mdev->mdev_features &
			RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_LOG_DIRTY)) ||
		(vdev->rings_private &&
		 !(vdev->dev_features & BIT64(VIRTIO_F_RING_PACKED)));
}

static int
vdpa_mdev_get_features(struct rte_vdpa_device *vdpa, uint64_t *features)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);

	if (vdev == NULL)
		return -ENODEV;
	*features = (vdev->dev_features & ~VDPA_MDEV_MASKED_FEATURES) |
		BIT64(VHOST_USER_F_PROTOCOL_FEATURES);
	if (vdpa_mdev_can_log(vdev))
		*features |= BIT64(VHOST_F_LOG_ALL);
	return 0;
}

static int
vdpa_mdev_get_protocol_features(struct rte_vdpa_device *vdpa,
		uint64_t *features)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);

	if (vdev == NULL)
		return -ENODEV;
	*features = VDPA_MDEV_PROTOCOL_FEATURES;
	if (vdpa_mdev_can_log(vdev))
		*features |= BIT64(VHOST_USER_PROTOCOL_F_LOG_SHMFD);
	return 0;
}

static int
vdpa_mdev_get_dev_type(struct rte_vdpa_device *vdpa, uint32_t *type)
{
	RTE_SET_USED(vdpa);
	*type = RTE_VHOST_VDPA_DEVICE_TYPE_NET;
	return 0;
}

/* ---- Dirty page logging ---- */

/*
 * vhost unmaps its log when the front end sends another SET_LOG_BASE,
 * without telling the vDPA driver, while the device may still be
 * marking it. The device therefore gets a second mapping of the same
 * shared pages (mremap with old size 0), which stays valid until
 * log_stop: marks made before the driver hears of the new log go to the
 * old one instead of faulting. A log vhost did not map page-aligned is
 * given as it is.
 */
static void *
log_alias(struct vdpa_mdev_device *vdev, uint64_t base, uint64_t size)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p;

	vdev->log_alias = NULL;
	if (pg <= 0 || (base & (pg - 1)) != 0)
		return (void *)(uintptr_t)base;
	p = mremap((void *)(uintptr_t)base, 0, size, MREMAP_MAYMOVE);
	if (p == MAP_FAILED) {
		VDPA_MDEV_LOG(WARNING, "%s: cannot map the dirty log a second time (%s); a log the front end replaces while logging may fault",
			vdev->mdev->alias, strerror(errno));
		return (void *)(uintptr_t)base;
	}
	vdev->log_alias = p;
	return p;
}

static void
log_alias_free(struct vdpa_mdev_device *vdev)
{
	if (vdev->log_alias != NULL)
		munmap(vdev->log_alias, vdev->log_size);
	vdev->log_alias = NULL;
}

static void
log_stop(struct vdpa_mdev_device *vdev)
{
	struct rte_mdev_device *mdev = vdev->mdev;

	if (!vdev->logging)
		return;
	(void)mdev->ops->set_log_enable(mdev, false);
	log_alias_free(vdev);
	vdev->logging = false;
}

/*
 * Give the device the front end's log and start logging; the device
 * marks every used ring as it starts. Called again while logging, it
 * moves the device to a log the front end replaced meanwhile.
 */
static int
log_start(struct vdpa_mdev_device *vdev, int vid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint64_t base, size;
	int ret;

	if (rte_vhost_get_log_base(vid, &base, &size) != 0 || base == 0 ||
			size == 0) {
		VDPA_MDEV_LOG(ERR, "%s: front end %d asked for dirty logging but gave no log area",
			mdev->alias, vid);
		return -EINVAL;
	}
	if (vdev->logging) {
		if (base == vdev->log_base && size == vdev->log_size)
			return 0;
		VDPA_MDEV_LOG(INFO, "%s: front end %d replaced its dirty log (%" PRIu64 " -> %" PRIu64 " bytes)",
			mdev->alias, vid, vdev->log_size, size);
		log_stop(vdev);
	}
	vdev->log_base = base;
	vdev->log_size = size;
	ret = mdev->ops->set_log_base(mdev, log_alias(vdev, base, size), size);
	if (ret == 0)
		ret = mdev->ops->set_log_enable(mdev, true);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: device refused dirty logging: %s",
			mdev->alias, strerror(-ret));
		log_alias_free(vdev);
		return ret;
	}
	vdev->logging = true;
	VDPA_MDEV_LOG(INFO, "%s: dirty logging on for front end %d (%" PRIu64 " bytes of log)",
		mdev->alias, vid, size);
	return 0;
}

/*
 * A device without LOG_DIRTY: restart every running split queue on a
 * shadow used ring that vdpa_mdev_relay.c copies to the front end's,
 * logging what it writes. Packed rings cannot be relayed
 * (rte_vdpa_relay_vring_used is split only): refused, loudly, since
 * vhost gives the front end no way to learn of it.
 */
static int
relay_on(struct vdpa_mdev_device *vdev, int vid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint16_t i;
	int ret;

	if (vdev->relaying)
		return 0;
	if (!vdev->rings_private) {
		VDPA_MDEV_LOG(ERR, "%s: front end %d asked for dirty logging; the device cannot log its writes (no LOG_DIRTY) and cannot keep shadow used rings out of the guest's reach (no ring group in an address space of its own): logging refused",
			mdev->alias, vid);
		return -ENOTSUP;
	}
	if (vdev->features & BIT64(VIRTIO_F_RING_PACKED)) {
		VDPA_MDEV_LOG(ERR, "%s: front end %d asked for dirty logging with packed rings; the device cannot log its writes (no LOG_DIRTY) and packed rings cannot be relayed: logging refused, a migration of this front end would lose pages (use split rings or a parent with dirty logging)",
			mdev->alias, vid);
		return -ENOTSUP;
	}
	ret = vdpa_mdev_relay_enable(vdev);
	if (ret != 0)
		return ret;
	for (i = 0; i < vdev->nr_vq; i++) {
		if (!vdev->vqs[i].running)
			continue;
		vdpa_mdev_vq_stop(&vdev->vqs[i], vid);
		ret = vdpa_mdev_vq_start(&vdev->vqs[i], vid);
		if (ret != 0)
			VDPA_MDEV_LOG(ERR, "%s: queue %u stays stopped: it could not move to its shadow used ring",
				mdev->alias, i);
	}
	VDPA_MDEV_LOG(INFO, "%s: dirty logging on for front end %d (used ring relay: the device cannot log)",
		mdev->alias, vid);
	return ret;
}

/* Back to the front end's used rings, then stop the relay thread. */
static void
relay_off(struct vdpa_mdev_device *vdev, int vid)
{
	uint16_t i;

	if (!vdev->relaying)
		return;
	vdev->relaying = false;
	for (i = 0; i < vdev->nr_vq; i++) {
		if (!vdev->vqs[i].running)
			continue;
		vdpa_mdev_vq_stop(&vdev->vqs[i], vid);
		if (vdpa_mdev_vq_start(&vdev->vqs[i], vid) != 0)
			VDPA_MDEV_LOG(ERR, "%s: queue %u stays stopped: it could not move back to the front end's used ring",
				vdev->mdev->alias, i);
	}
	vdpa_mdev_relay_disable(vdev);
	VDPA_MDEV_LOG(INFO, "%s: dirty logging off for front end %d (used ring relay stopped)",
		vdev->mdev->alias, vid);
}

static int
logging_on(struct vdpa_mdev_device *vdev, int vid)
{
	if (has_mdev_feature(vdev, RTE_VIRTIO_MDEV_F_LOG_DIRTY))
		return log_start(vdev, vid);
	return relay_on(vdev, vid);
}

static void
logging_off(struct vdpa_mdev_device *vdev, int vid)
{
	if (has_mdev_feature(vdev, RTE_VIRTIO_MDEV_F_LOG_DIRTY))
		log_stop(vdev);
	else
		relay_off(vdev, vid);
}

/* ---- Configuration ---- */

/* Reset the device and negotiate the front end's features with it. */
static int
device_negotiate(struct vdpa_mdev_device *vdev)
{
	uint64_t features = vdev->features & ~VDPA_MDEV_VHOST_FEATURES;

	/* The control queue is ours (see vdpa_mdev_ctrl.c). */
	features |= vdev->dev_features & BIT64(VIRTIO_NET_F_CTRL_VQ);
	return rte_virtio_mdev_negotiate(vdev->mdev, features,
		vdev->mdev->alias);
}

static void
device_stop(struct vdpa_mdev_device *vdev, int vid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint8_t status;
	uint16_t i;

	status = mdev->ops->get_status(mdev);
	if (status & VIRTIO_CONFIG_S_NEEDS_RESET)
		VDPA_MDEV_LOG(WARNING, "%s: device needed a reset (a queue broke: bad descriptors from front end %d?)",
			mdev->alias, vid);
	for (i = 0; i < vdev->nr_vq; i++)
		vdpa_mdev_vq_stop(&vdev->vqs[i], vid);
	vdpa_mdev_ctrl_stop(vdev);
	log_stop(vdev);
	vdpa_mdev_relay_disable(vdev);
	mdev->ops->set_status(mdev, 0);
	vdpa_mdev_mem_unmap(vdev);
	vdev->configured = false;
}

/* Claim the device for front end vid; another front end is refused. */
static int
vdev_claim(struct vdpa_mdev_device *vdev, int vid)
{
	uint16_t i;

	if (vdev->vid == vid)
		return 0;
	if (vdev->vid >= 0 && vdev->configured) {
		VDPA_MDEV_LOG(ERR, "%s: already serves front end %d, front end %d refused",
			vdev->mdev->alias, vdev->vid, vid);
		return -EBUSY;
	}
	/* A new connection: forget what the previous one enabled. */
	vdev->vid = vid;
	for (i = 0; i < vdev->nr_vq; i++)
		vdev->vqs[i].enabled = false;
	return 0;
}

/* The device's control queue, UINT16_MAX when the driver has none. */
static uint16_t
ctrl_qid(const struct vdpa_mdev_device *vdev, uint64_t features)
{
	if (!(vdev->dev_features & BIT64(VIRTIO_NET_F_CTRL_VQ)))
		return UINT16_MAX;
	return 2 * (features & BIT64(VIRTIO_NET_F_MQ) ? vdev->max_pairs : 1);
}

static int
vdev_start(struct vdpa_mdev_device *vdev, int vid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint64_t features;
	uint16_t i;
	int ret;

	if (rte_vhost_get_negotiated_features(vid, &features) != 0)
		return -EINVAL;
	vdev->features = features;
	/* Without protocol features vhost enables every vring at once. */
	if (!(features & BIT64(VHOST_USER_F_PROTOCOL_FEATURES)))
		for (i = 0; i < vdev->nr_vq && i < rte_vhost_get_vring_num(vid);
				i++)
			vdev->vqs[i].enabled = true;
	ret = device_negotiate(vdev);
	if (ret == 0)
		ret = vdpa_mdev_as_bind(vdev, ctrl_qid(vdev, features));
	if (ret == 0)
		ret = vdpa_mdev_mem_map(vdev, vid);
	if (ret != 0)
		return ret;
	if (vdev->dev_features & BIT64(VIRTIO_NET_F_CTRL_VQ)) {
		ret = vdpa_mdev_ctrl_start(vdev, ctrl_qid(vdev, features));
		if (ret != 0)
			return ret;
	}
	if (features & BIT64(VHOST_F_LOG_ALL)) {
		ret = logging_on(vdev, vid);
		/* Refused for packed rings: serve the front end anyway. */
		if (ret != 0 && ret != -ENOTSUP)
			return ret;
	}
	for (i = 0; i < vdev->nr_vq; i++) {
		if (!vdev->vqs[i].enabled)
			continue;
		ret = vdpa_mdev_vq_start(&vdev->vqs[i], vid);
		if (ret != 0)
			return ret;
	}
	mdev->ops->set_status(mdev, mdev->ops->get_status(mdev) |
		VIRTIO_CONFIG_S_DRIVER_OK);
	if (!(mdev->ops->get_status(mdev) & VIRTIO_CONFIG_S_DRIVER_OK)) {
		VDPA_MDEV_LOG(ERR, "%s: device did not accept DRIVER_OK",
			mdev->alias);
		return -EIO;
	}
	return vdpa_mdev_ctrl_update_pairs(vdev);
}

static int
vdpa_mdev_dev_conf(int vid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	int ret;

	if (vdev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&vdev->lock);
	ret = vdev_claim(vdev, vid);
	if (ret == 0 && vdev->configured)
		ret = -EALREADY;
	if (ret != 0)
		goto out;
	vdev->configured = true;
	ret = vdev_start(vdev, vid);
	if (ret != 0) {
		device_stop(vdev, vid);
		goto out;
	}
	VDPA_MDEV_LOG(INFO, "%s: serving front end %d (features 0x%" PRIx64 ", %u memory regions)",
		vdev->mdev->alias, vid, vdev->features, vdev->nr_mapped);
out:
	pthread_mutex_unlock(&vdev->lock);
	if (ret != 0)
		VDPA_MDEV_LOG(ERR, "%s: cannot serve front end %d: %s",
			vdev->mdev->alias, vid, strerror(-ret));
	return ret;
}

/*
 * The front end stops (GET_VRING_BASE), goes away, or changes its memory
 * table (dev_conf follows). Positions go back to vhost on the way.
 */
static int
vdpa_mdev_dev_close(int vid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);

	if (vdev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->configured && vdev->vid == vid) {
		device_stop(vdev, vid);
		VDPA_MDEV_LOG(INFO, "%s: stopped serving front end %d",
			vdev->mdev->alias, vid);
	}
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

/* The connection is gone: the device is free for the next front end. */
static int
vdpa_mdev_dev_cleanup(int vid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	uint16_t i;

	if (vdev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->vid == vid) {
		if (vdev->configured)
			device_stop(vdev, vid);
		vdev->vid = -1;
		for (i = 0; i < vdev->nr_vq; i++)
			vdev->vqs[i].enabled = false;
	}
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

static int
vdpa_mdev_set_vring_state(int vid, int vring, int state)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	struct vdpa_mdev_vq *vq;
	int ret = 0;

	if (vdev == NULL)
		return -ENODEV;
	if (vring < 0 || vring >= vdev->nr_vq) {
		if (!state)
			return 0;
		VDPA_MDEV_LOG(ERR, "%s: front end %d enables vring %d, the device has %u (%u queue pairs)",
			vdev->mdev->alias, vid, vring, vdev->nr_vq,
			vdev->max_pairs);
		return -EINVAL;
	}
	pthread_mutex_lock(&vdev->lock);
	ret = vdev_claim(vdev, vid);
	if (ret != 0)
		goto out;
	vq = &vdev->vqs[vring];
	vq->enabled = !!state;
	if (!vdev->configured)
		goto out;
	if (state && !vq->running)
		ret = vdpa_mdev_vq_start(vq, vid);
	else if (!state)
		vdpa_mdev_vq_stop(vq, vid);
	if (ret == 0)
		ret = vdpa_mdev_ctrl_update_pairs(vdev);
	VDPA_MDEV_LOG(DEBUG, "%s: vring %d %s", vdev->mdev->alias, vring,
		state ? "enabled" : "disabled");
out:
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

/*
 * Features change while the device runs: only dirty logging can
 * (VHOST_F_LOG_ALL, live migration); before dev_conf there is nothing
 * to do, dev_conf reads them.
 */
static int
vdpa_mdev_set_features(int vid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	uint64_t features;
	int ret = 0;

	if (vdev == NULL)
		return -ENODEV;
	if (rte_vhost_get_negotiated_features(vid, &features) != 0)
		return -EINVAL;
	pthread_mutex_lock(&vdev->lock);
	if (!vdev->configured || vdev->vid != vid)
		goto out;
	if ((features ^ vdev->features) & ~BIT64(VHOST_F_LOG_ALL))
		VDPA_MDEV_LOG(WARNING, "%s: front end %d changed features 0x%" PRIx64 " -> 0x%" PRIx64 " while running; only dirty logging is applied",
			vdev->mdev->alias, vid, vdev->features, features);
	if (features & BIT64(VHOST_F_LOG_ALL))
		ret = logging_on(vdev, vid);
	else
		logging_off(vdev, vid);
	if (ret == 0)
		vdev->features = (vdev->features & ~BIT64(VHOST_F_LOG_ALL)) |
			(features & BIT64(VHOST_F_LOG_ALL));
out:
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

/*
 * Destination side, the front end announced the guest moved here (vhost
 * calls this on SEND_RARP). The device already serves the queues from
 * the positions vhost gave; kick each so that a parent that does not
 * poll looks at buffers posted while the guest was moving.
 */
static int
vdpa_mdev_migration_done(int vid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	struct rte_mdev_device *mdev;
	uint16_t i;

	if (vdev == NULL)
		return -ENODEV;
	mdev = vdev->mdev;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->configured && vdev->vid == vid) {
		for (i = 0; i < vdev->nr_vq; i++)
			if (vdev->vqs[i].running)
				mdev->ops->kick_vq(mdev, i);
		VDPA_MDEV_LOG(INFO, "%s: migration of front end %d done",
			mdev->alias, vid);
	}
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

/* ---- Config space ---- */

static int
vdpa_mdev_get_config(int vid, uint8_t *config, uint32_t size)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);
	struct rte_mdev_device *mdev;
	size_t len;

	if (vdev == NULL)
		return -ENODEV;
	mdev = vdev->mdev;
	memset(config, 0, size);
	pthread_mutex_lock(&vdev->lock);
	len = RTE_MIN((size_t)size, mdev->ops->get_config_size(mdev));
	rte_virtio_mdev_read_config(mdev, 0, config, len);
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

static int
vdpa_mdev_set_config(int vid, uint8_t *config, uint32_t offset,
		uint32_t size, uint32_t flags)
{
	struct vdpa_mdev_device *vdev = vdev_of_vid(vid);

	RTE_SET_USED(flags);
	if (vdev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&vdev->lock);
	vdev->mdev->ops->set_config(vdev->mdev, offset, config, size);
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

/* ---- Statistics: the bus's names (rte_virtio_mdev_vq_stat_names) ---- */

static int
stats_check(struct vdpa_mdev_device *vdev, int qid)
{
	if (vdev == NULL)
		return -ENODEV;
	if (!has_mdev_feature(vdev, RTE_VIRTIO_MDEV_F_VQ_STATS))
		return -ENOTSUP;
	if (qid < 0 || qid >= vdev->nr_vq) {
		VDPA_MDEV_LOG(ERR, "%s: no queue %d (queues 0..%u)",
			vdev->mdev->alias, qid, vdev->nr_vq - 1);
		return -EINVAL;
	}
	return 0;
}

static int
vdpa_mdev_get_stats_names(struct rte_vdpa_device *vdpa,
		struct rte_vdpa_stat_name *names, unsigned int size)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);
	unsigned int i;

	if (vdev == NULL)
		return -ENODEV;
	if (!has_mdev_feature(vdev, RTE_VIRTIO_MDEV_F_VQ_STATS))
		return -ENOTSUP;
	if (names == NULL)
		return RTE_VIRTIO_MDEV_VQ_STATS_NB;
	for (i = 0; i < RTE_VIRTIO_MDEV_VQ_STATS_NB && i < size; i++)
		strlcpy(names[i].name, rte_virtio_mdev_vq_stat_names[i].name,
			sizeof(names[i].name));
	return i;
}

static int
vdpa_mdev_get_stats(struct rte_vdpa_device *vdpa, int qid,
		struct rte_vdpa_stat *stats, unsigned int n)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);
	struct rte_virtio_mdev_vq_stats vs;
	unsigned int i;
	int ret;

	ret = stats_check(vdev, qid);
	if (ret != 0)
		return ret;
	pthread_mutex_lock(&vdev->lock);
	ret = vdev->mdev->ops->get_vq_stats(vdev->mdev, qid, &vs);
	pthread_mutex_unlock(&vdev->lock);
	if (ret != 0)
		return ret;
	for (i = 0; i < RTE_VIRTIO_MDEV_VQ_STATS_NB && i < n; i++) {
		stats[i].id = i;
		stats[i].value = *(const uint64_t *)
			((const char *)&vs + rte_virtio_mdev_vq_stat_names[i].offset);
	}
	return i;
}

static int
vdpa_mdev_reset_stats(struct rte_vdpa_device *vdpa, int qid)
{
	struct vdpa_mdev_device *vdev = vdev_of_vdpa(vdpa);
	int ret;

	ret = stats_check(vdev, qid);
	if (ret != 0)
		return ret;
	pthread_mutex_lock(&vdev->lock);
	ret = vdev->mdev->ops->reset_vq_stats(vdev->mdev, qid);
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

static struct rte_vdpa_dev_ops vdpa_mdev_ops = {
	.get_queue_num = vdpa_mdev_get_queue_num,
	.get_features = vdpa_mdev_get_features,
	.get_protocol_features = vdpa_mdev_get_protocol_features,
	.dev_conf = vdpa_mdev_dev_conf,
	.dev_close = vdpa_mdev_dev_close,
	.dev_cleanup = vdpa_mdev_dev_cleanup,
	.set_vring_state = vdpa_mdev_set_vring_state,
	.set_features = vdpa_mdev_set_features,
	.migration_done = vdpa_mdev_migration_done,
	.get_stats_names = vdpa_mdev_get_stats_names,
	.get_stats = vdpa_mdev_get_stats,
	.reset_stats = vdpa_mdev_reset_stats,
	.get_config = vdpa_mdev_get_config,
	.set_config = vdpa_mdev_set_config,
	.get_dev_type = vdpa_mdev_get_dev_type,
};

/* ---- mdev driver ---- */

static int
vdpa_mdev_probe(struct rte_mdev_device *mdev)
{
	struct vdpa_mdev_device *vdev;
	uint64_t features;
	uint32_t id;
	uint16_t pairs, nr_vq, i;
	int ret;

	id = mdev->ops->get_device_id(mdev);
	if (id != VIRTIO_ID_NET) {
		VDPA_MDEV_LOG(ERR, "%s: virtio device id %u not supported (accepted: %u = net)",
			mdev->alias, id, VIRTIO_ID_NET);
		return -ENOTSUP;
	}
	features = vdpa_mdev_as_features(mdev, mdev->ops->get_features(mdev));
	ret = rte_virtio_mdev_net_max_pairs(mdev, features, &pairs, mdev->alias);
	if (ret != 0)
		return ret;
	nr_vq = pairs * 2;
	vdev = calloc(1, sizeof(*vdev) + nr_vq * sizeof(vdev->vqs[0]));
	if (vdev == NULL)
		return -ENOMEM;
	vdev->mdev = mdev;
	vdev->dev_features = features;
	vdev->max_pairs = pairs;
	vdev->nr_vq = nr_vq;
	vdev->vid = -1;
	vdev->relay_evfd = -1;
	pthread_mutex_init(&vdev->lock, NULL);
	pthread_mutex_init(&vdev->relay_lock, NULL);
	for (i = 0; i < nr_vq; i++) {
		vdev->vqs[i].vdev = vdev;
		vdev->vqs[i].qid = i;
		vdev->vqs[i].callfd = -1;
		vdev->vqs[i].kickfd = -1;
	}
	vdpa_mdev_as_probe(vdev);
	if (features & BIT64(VIRTIO_NET_F_CTRL_VQ)) {
		ret = vdpa_mdev_ctrl_alloc(vdev);
		if (ret != 0)
			goto fail;
	}
	ret = vdpa_mdev_kick_get();
	if (ret != 0)
		goto fail;
	mdev->driver_priv = vdev;
	vdev->vdpa = rte_vdpa_register_device(&mdev->device, &vdpa_mdev_ops);
	if (vdev->vdpa == NULL) {
		VDPA_MDEV_LOG(ERR, "%s: vhost refused the vDPA device %s",
			mdev->alias, mdev->name);
		vdpa_mdev_kick_put();
		mdev->driver_priv = NULL;
		ret = -EINVAL;
		goto fail;
	}
	VDPA_MDEV_LOG(INFO, "%s: vDPA device %s, %u queue pairs, features 0x%" PRIx64,
		mdev->alias, mdev->name, pairs, features);
	return 0;
fail:
	vdpa_mdev_ctrl_free(vdev);
	pthread_mutex_destroy(&vdev->relay_lock);
	pthread_mutex_destroy(&vdev->lock);
	free(vdev);
	return ret;
}

static int
vdpa_mdev_remove(struct rte_mdev_device *mdev)
{
	struct vdpa_mdev_device *vdev = mdev->driver_priv;

	if (vdev == NULL)
		return 0;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->configured) {
		VDPA_MDEV_LOG(ERR, "%s: still serves front end %d: detach it from its vhost-user socket first",
			mdev->alias, vdev->vid);
		pthread_mutex_unlock(&vdev->lock);
		return -EBUSY;
	}
	pthread_mutex_unlock(&vdev->lock);
	if (rte_vdpa_unregister_device(vdev->vdpa) != 0) {
		VDPA_MDEV_LOG(ERR, "%s: cannot unregister vDPA device %s",
			mdev->alias, mdev->name);
		return -EBUSY;
	}
	vdpa_mdev_kick_put();
	mdev->driver_priv = NULL;
	vdpa_mdev_ctrl_free(vdev);
	pthread_mutex_destroy(&vdev->relay_lock);
	pthread_mutex_destroy(&vdev->lock);
	free(vdev);
	return 0;
}

static struct rte_mdev_driver vdpa_mdev_driver = {
	.class_id = RTE_MDEV_CLASS_ID_VIRTIO,
	.consumer = RTE_MDEV_CONSUMER_VDPA,
	.devargs_keys = NULL,
	.probe = vdpa_mdev_probe,
	.remove = vdpa_mdev_remove,
};

RTE_PMD_REGISTER_MDEV(vdpa_mdev, vdpa_mdev_driver);
