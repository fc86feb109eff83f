/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The virtio-mdev ops of a kernel vDPA device: vhost-vdpa ioctls on the
 * character device. The contract's rules the kernel does not check
 * itself (status steps for set_features, queue state only while the
 * queue is stopped, rings inside mapped memory) are checked here, with
 * the errno the contract names.
 *
 * The contract's addresses are IOVAs translated by dma_map: that is
 * VIRTIO_F_ACCESS_PLATFORM, which vhost-vdpa devices require. It is kept
 * out of the features a consumer sees and always accepted for it.
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>

#include <rte_common.h>

#include "vhost_vdpa.h"

#define VV_VENDOR_VIRTIO	0x1af4
#define VV_VQ_ALIGN		4096
#define VV_F(bit)		(UINT64_C(1) << (bit))

static struct vv_vq *
vv_vq_of(struct vv_dev *d, uint16_t qid)
{
	return qid < d->nvqs ? &d->vq[qid] : NULL;
}

/* An ioctl; 0 or -errno. */
static int
vv_ioctl(struct vv_dev *d, unsigned long req, void *arg)
{
	return ioctl(d->fd, req, arg) == 0 ? 0 : -errno;
}

static uint8_t
vv_status(struct vv_dev *d)
{
	uint8_t s = 0;

	if (vv_ioctl(d, VHOST_VDPA_GET_STATUS, &s) != 0)
		return VIRTIO_CONFIG_S_FAILED;
	return s;
}

static int
vv_set_vq_address(struct rte_mdev_device *dev, uint16_t qid,
		uint64_t desc_iova, uint64_t driver_iova, uint64_t device_iova)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);
	struct vhost_vring_addr a = { .index = qid,
		.desc_user_addr = desc_iova, .avail_user_addr = driver_iova,
		.used_user_addr = device_iova };
	int ret;

	if (vq == NULL)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	ret = vq->ready ? -EBUSY : vv_ioctl(d, VHOST_SET_VRING_ADDR, &a);
	if (ret == 0) {
		vq->desc_iova = desc_iova;
		vq->driver_iova = driver_iova;
		vq->device_iova = device_iova;
		vq->addr_set = true;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int
vv_set_vq_num(struct rte_mdev_device *dev, uint16_t qid, uint32_t num)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);
	struct vhost_vring_state s = { .index = qid, .num = num };
	int ret;

	if (vq == NULL || num == 0 || num > d->vq_num_max ||
			(!vv_has(d, VIRTIO_F_RING_PACKED) &&
			!rte_is_power_of_2(num)))
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	ret = vq->ready ? -EBUSY : vv_ioctl(d, VHOST_SET_VRING_NUM, &s);
	if (ret == 0)
		vq->num = num;
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static void
vv_kick_vq(struct rte_mdev_device *dev, uint16_t qid)
{
	struct vv_dev *d = vv_dev_of(dev);

	if (qid < d->nvqs)
		(void)eventfd_write(d->vq[qid].kickfd, 1);
}

static void
vv_set_vq_cb(struct rte_mdev_device *dev, uint16_t qid,
		const struct rte_virtio_mdev_callback *cb)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);

	if (vq == NULL)
		return;
	pthread_mutex_lock(&d->cb_lock);
	if (cb != NULL && cb->fn != NULL)
		vq->cb = *cb;
	else
		memset(&vq->cb, 0, sizeof(vq->cb));
	pthread_mutex_unlock(&d->cb_lock);
}

/* Group of a queue (0 on a device with one). */
static uint32_t
vv_group(struct vv_dev *d, uint16_t qid)
{
	struct vhost_vring_state s = { .index = qid };

	if (d->ngroups <= 1 || vv_ioctl(d, VHOST_VDPA_GET_VRING_GROUP, &s))
		return 0;
	return s.num;
}

/* Ring alignment (virtio spec minimums) and mapping; lock held. */
static int
vv_rings_ok(struct vv_dev *d, uint16_t qid, const struct vv_vq *vq)
{
	uint32_t g = vv_group(d, qid);
	uint32_t as = g < VV_MAX_GROUPS ? d->group_asid[g] : 0;
	uint64_t n = vq->num;
	bool packed = vv_has(d, VIRTIO_F_RING_PACKED);

	if (!vq->addr_set || n == 0)
		return -EINVAL;
	if ((vq->desc_iova & 15) || (vq->driver_iova & (packed ? 3 : 1)) ||
			(vq->device_iova & 3))
		return -EINVAL;
	if (!vv_dma_covers(d, as, vq->desc_iova, 16 * n) ||
			!vv_dma_covers(d, as, vq->driver_iova,
				packed ? 4 : 6 + 2 * n) ||
			!vv_dma_covers(d, as, vq->device_iova,
				packed ? 4 : 6 + 8 * n))
		return -EFAULT;
	return 0;
}

static int
vv_set_vq_ready(struct rte_mdev_device *dev, uint16_t qid, bool ready)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);
	struct vhost_vring_state s = { .index = qid, .num = ready };
	int ret = 0;

	if (vq == NULL)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	if (ready && !vq->ready)
		ret = vv_rings_ok(d, qid, vq);
	if (ret == 0 && ready != vq->ready)
		ret = vv_ioctl(d, VHOST_VDPA_SET_VRING_ENABLE, &s);
	if (ret == 0)
		vq->ready = ready;
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static bool
vv_get_vq_ready(struct rte_mdev_device *dev, uint16_t qid)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);

	return vq != NULL && __atomic_load_n(&vq->ready, __ATOMIC_ACQUIRE);
}

/*
 * vhost's base: split, the avail index; packed, the avail position and
 * wrap counter in the low half, the used ones in the high half.
 */
static int
vv_set_vq_state(struct rte_mdev_device *dev, uint16_t qid,
		const struct rte_virtio_mdev_vq_state *st)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);
	struct vhost_vring_state s = { .index = qid };
	uint32_t num;
	int ret;

	if (vq == NULL || st == NULL)
		return -EINVAL;
	num = vq->num != 0 ? vq->num : d->vq_num_max;
	if (!vv_has(d, VIRTIO_F_RING_PACKED)) {
		s.num = st->split.avail_index;
	} else if (st->packed.last_avail_idx >= num ||
			st->packed.last_used_idx >= num) {
		return -EINVAL;
	} else {
		s.num = st->packed.last_avail_idx |
			(uint32_t)!!st->packed.last_avail_counter << 15 |
			(uint32_t)st->packed.last_used_idx << 16 |
			(uint32_t)!!st->packed.last_used_counter << 31;
	}
	pthread_mutex_lock(&d->lock);
	ret = vq->ready ? -EBUSY : vv_ioctl(d, VHOST_SET_VRING_BASE, &s);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int
vv_get_vq_state(struct rte_mdev_device *dev, uint16_t qid,
		struct rte_virtio_mdev_vq_state *st)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vv_vq *vq = vv_vq_of(d, qid);
	struct vhost_vring_state s = { .index = qid };
	int ret;

	if (vq == NULL || st == NULL)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&d->lock);
	ret = vq->ready ? -EBUSY : vv_ioctl(d, VHOST_GET_VRING_BASE, &s);
	pthread_mutex_unlock(&d->lock);
	if (ret != 0)
		return ret;
	if (vv_has(d, VIRTIO_F_RING_PACKED)) {
		st->packed.last_avail_idx = s.num & 0x7fff;
		st->packed.last_avail_counter = (s.num >> 15) & 1;
		st->packed.last_used_idx = (s.num >> 16) & 0x7fff;
		st->packed.last_used_counter = (s.num >> 31) & 1;
	} else {
		st->split.avail_index = s.num;
	}
	return 0;
}

static uint32_t
vv_get_vq_align(struct rte_mdev_device *dev __rte_unused)
{
	return VV_VQ_ALIGN;
}

static uint64_t
vv_get_features(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->offered;
}

static int
vv_set_features(struct rte_mdev_device *dev, uint64_t features)
{
	struct vv_dev *d = vv_dev_of(dev);
	uint64_t f = features;
	uint8_t s;
	int ret;

	if (features & ~d->offered)
		return -EINVAL;
	f |= d->kernel_features & VV_F(VIRTIO_F_ACCESS_PLATFORM);
	pthread_mutex_lock(&d->lock);
	s = vv_status(d);
	if (!(s & VIRTIO_CONFIG_S_DRIVER) || (s & VIRTIO_CONFIG_S_FEATURES_OK))
		ret = -EBUSY;
	else
		ret = vv_ioctl(d, VHOST_SET_FEATURES, &f);
	if (ret == 0) {
		d->features = features;
		d->features_set = true;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static void
vv_set_config_cb(struct rte_mdev_device *dev,
		const struct rte_virtio_mdev_callback *cb)
{
	struct vv_dev *d = vv_dev_of(dev);

	pthread_mutex_lock(&d->cb_lock);
	if (cb != NULL && cb->fn != NULL)
		d->config_cb = *cb;
	else
		memset(&d->config_cb, 0, sizeof(d->config_cb));
	pthread_mutex_unlock(&d->cb_lock);
}

static uint16_t
vv_get_vq_num_max(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->vq_num_max;
}

static uint32_t
vv_get_device_id(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->device_id;
}

/* vhost-vdpa does not tell the vendor: every virtio device's stands in. */
static uint32_t
vv_get_vendor_id(struct rte_mdev_device *dev __rte_unused)
{
	return VV_VENDOR_VIRTIO;
}

static uint8_t
vv_get_status(struct rte_mdev_device *dev)
{
	return vv_status(vv_dev_of(dev));
}

/* The parent's view after a reset: queues off, callbacks cleared. */
void
vv_reset_state(struct vv_dev *d)
{
	uint32_t q;

	pthread_mutex_lock(&d->cb_lock);
	for (q = 0; q < d->nvqs; q++)
		memset(&d->vq[q].cb, 0, sizeof(d->vq[q].cb));
	memset(&d->config_cb, 0, sizeof(d->config_cb));
	pthread_mutex_unlock(&d->cb_lock);
	for (q = 0; q < d->nvqs; q++) {
		d->vq[q].ready = false;
		d->vq[q].addr_set = false;
		d->vq[q].num = 0;
	}
	d->features = 0;
	d->features_set = false;
	memset(d->group_asid, 0, sizeof(d->group_asid));
}

/*
 * The status the contract asks for after the driver wrote "status".
 * Kernel devices differ here (vdpa_sim takes any status), so the parent
 * applies the rules itself: FEATURES_OK only for features set, with
 * VERSION_1, since the reset.
 */
static uint8_t
vv_next_status(struct vv_dev *d, uint8_t old, uint8_t status)
{
	bool failed;
	uint8_t s = rte_virtio_mdev_next_status(old, status,
		d->features_set && vv_has(d, VIRTIO_F_VERSION_1), &failed);

	if (!failed)
		return s;
	if (!(old & VIRTIO_CONFIG_S_FAILED))
		VV_LOG(ERR, "%s: status 0x%02x after 0x%02x skips a step or clears one: FAILED",
			d->name, status, old);
	/* The kernel takes no cleared bit but for a reset: keep them. */
	return old | VIRTIO_CONFIG_S_FAILED;
}

/*
 * A device forgets its queues' callbacks at a reset, and vhost-vdpa
 * gives them to it only with VHOST_SET_VRING_CALL: give the call
 * eventfds again (vdpa_sim would otherwise never call back, nor, on
 * some kernels, run its queues).
 */
static void
vv_rearm_calls(struct vv_dev *d)
{
	struct vhost_vring_file f;
	uint32_t q;

	for (q = 0; q < d->nvqs; q++) {
		f.index = q;
		f.fd = d->vq[q].callfd;
		if (vv_ioctl(d, VHOST_SET_VRING_CALL, &f) != 0)
			VV_LOG(ERR, "%s: queue %u: call eventfd refused after reset",
				d->name, q);
	}
}

/*
 * Kernel devices work on kicks: one sent before DRIVER_OK was not
 * acted on. The contract's DRIVER_OK starts the ready queues with what
 * they hold, so kick them once.
 */
static void
vv_kick_ready(struct vv_dev *d)
{
	uint32_t q;

	for (q = 0; q < d->nvqs; q++)
		if (d->vq[q].ready)
			(void)eventfd_write(d->vq[q].kickfd, 1);
}

static void
vv_set_status(struct rte_mdev_device *dev, uint8_t status)
{
	struct vv_dev *d = vv_dev_of(dev);
	uint8_t old, s = 0;
	int ret;

	pthread_mutex_lock(&d->lock);
	old = vv_status(d);
	if (status != 0)
		s = vv_next_status(d, old, status);
	ret = s == old && s != 0 ? 0 : vv_ioctl(d, VHOST_VDPA_SET_STATUS, &s);
	if (ret != 0)
		VV_LOG(ERR, "%s: kernel refused status 0x%02x: %s", d->name,
			s, strerror(-ret));
	if (s == 0) {
		vv_reset_state(d);
		vv_rearm_calls(d);
		if (!(d->backend_features &
				VV_F(VHOST_BACKEND_F_IOTLB_PERSIST)))
			(void)vv_dma_replay(d);
	} else if (ret == 0 && (s & ~old & VIRTIO_CONFIG_S_DRIVER_OK)) {
		vv_kick_ready(d);
	}
	pthread_mutex_unlock(&d->lock);
}

static size_t
vv_get_config_size(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->config_size;
}

static void
vv_get_config(struct rte_mdev_device *dev, unsigned int offset, void *buf,
		unsigned int len)
{
	struct vv_dev *d = vv_dev_of(dev);
	uint8_t raw[sizeof(struct vhost_vdpa_config) + 256];
	struct vhost_vdpa_config *c = (void *)raw;
	unsigned int n = 0;

	if (offset < d->config_size)
		n = RTE_MIN(len, d->config_size - offset);
	n = RTE_MIN(n, 256u);
	c->off = offset;
	c->len = n;
	if (n > 0 && vv_ioctl(d, VHOST_VDPA_GET_CONFIG, c) == 0)
		memcpy(buf, c->buf, n);
	else
		n = 0;
	memset((uint8_t *)buf + n, 0, len - n);
}

/*
 * Every field of a virtio-net config space is read-only for a VERSION_1
 * driver (the contract ignores such writes; vdpa_sim_net would take
 * them): only other device types reach the kernel.
 */
static void
vv_set_config(struct rte_mdev_device *dev, unsigned int offset,
		const void *buf, unsigned int len)
{
	struct vv_dev *d = vv_dev_of(dev);
	uint8_t raw[sizeof(struct vhost_vdpa_config) + 256];
	struct vhost_vdpa_config *c = (void *)raw;

	if (d->device_id == VIRTIO_ID_NET || offset >= d->config_size ||
			len > 256 ||
			len > d->config_size - offset)
		return;
	c->off = offset;
	c->len = len;
	memcpy(c->buf, buf, len);
	(void)vv_ioctl(d, VHOST_VDPA_SET_CONFIG, c);
}

static uint64_t
vv_get_mdev_features(struct rte_mdev_device *dev)
{
	struct vv_dev *d = vv_dev_of(dev);
	uint64_t f = RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_VERSION_1);

	if (d->nas >= 2)
		f |= RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_ASID);
	return f;
}

static uint32_t
vv_get_group_num(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->ngroups;
}

static uint32_t
vv_get_as_num(struct rte_mdev_device *dev)
{
	return vv_dev_of(dev)->nas;
}

static uint32_t
vv_get_vq_group(struct rte_mdev_device *dev, uint16_t qid)
{
	struct vv_dev *d = vv_dev_of(dev);

	return qid < d->nvqs ? vv_group(d, qid) : UINT32_MAX;
}

static int
vv_set_group_asid(struct rte_mdev_device *dev, uint32_t group,
		uint32_t asid)
{
	struct vv_dev *d = vv_dev_of(dev);
	struct vhost_vring_state s = { .index = group, .num = asid };
	uint32_t q;
	int ret = 0;

	if (group >= d->ngroups || group >= VV_MAX_GROUPS || asid >= d->nas)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	for (q = 0; q < d->nvqs && ret == 0; q++)
		if (d->vq[q].ready && vv_group(d, q) == group)
			ret = -EBUSY;
	if (ret == 0)
		ret = vv_ioctl(d, VHOST_VDPA_SET_GROUP_ASID, &s);
	if (ret == 0)
		d->group_asid[group] = asid;
	pthread_mutex_unlock(&d->lock);
	return ret;
}

const struct rte_virtio_mdev_ops vv_ops = {
	.set_vq_address = vv_set_vq_address,
	.set_vq_num = vv_set_vq_num,
	.kick_vq = vv_kick_vq,
	.set_vq_cb = vv_set_vq_cb,
	.set_vq_ready = vv_set_vq_ready,
	.get_vq_ready = vv_get_vq_ready,
	.set_vq_state = vv_set_vq_state,
	.get_vq_state = vv_get_vq_state,
	.get_vq_align = vv_get_vq_align,
	.get_features = vv_get_features,
	.set_features = vv_set_features,
	.set_config_cb = vv_set_config_cb,
	.get_vq_num_max = vv_get_vq_num_max,
	.get_device_id = vv_get_device_id,
	.get_vendor_id = vv_get_vendor_id,
	.get_status = vv_get_status,
	.set_status = vv_set_status,
	.get_config_size = vv_get_config_size,
	.get_config = vv_get_config,
	.set_config = vv_set_config,
	.get_mdev_features = vv_get_mdev_features,
	.dma_map = vv_dma_map,
	.dma_unmap = vv_dma_unmap,
	/* The groups of a vhost-vdpa queue's rings are its own. */
	.get_group_num = vv_get_group_num,
	.get_as_num = vv_get_as_num,
	.get_vq_group = vv_get_vq_group,
	.get_vq_desc_group = vv_get_vq_group,
	.set_group_asid = vv_set_group_asid,
};
