/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Address spaces: the driver's own memory out of the guest's reach.
 *
 * The device translates an address that a queue's driver wrote (a
 * descriptor, an indirect table) only in the address space the queue's
 * group is bound to. The front end's memory is mapped in address space
 * 0, IOVA = guest physical address, and the data queues' buffers stay
 * there. This driver's own pages, the control queue it drives and the
 * shadow used rings of the relay, go to VDPA_MDEV_AS_PRIVATE, bound to
 * the control queue's group and, where the device has one, to the group
 * of the data queues' ring areas. That space holds the front end's
 * memory as well (same IOVAs), because the data queues' descriptor
 * tables and avail rings stay in guest memory. Whatever a guest writes
 * in a descriptor, it names address space 0 only: the private pages are
 * out of its reach.
 *
 * A device that cannot do this (no RTE_VIRTIO_MDEV_F_ASID, one address
 * space, or no group of its own for the control queue or the rings)
 * gets no private page at all: the driver does without its control
 * queue (one queue pair) or without the relay (migration then needs a
 * device that logs, LOG_DIRTY).
 */

#include <errno.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "vdpa_mdev.h"

/* Features that need the device's control queue. */
#define CTRL_FEATURES \
	((UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ) | \
	 (UINT64_C(1) << VIRTIO_NET_F_CTRL_RX) | \
	 (UINT64_C(1) << VIRTIO_NET_F_CTRL_VLAN) | \
	 (UINT64_C(1) << VIRTIO_NET_F_GUEST_ANNOUNCE) | \
	 (UINT64_C(1) << VIRTIO_NET_F_MQ) | \
	 (UINT64_C(1) << VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	 (UINT64_C(1) << VIRTIO_NET_F_RSS))

static bool
has_asid(struct rte_mdev_device *mdev)
{
	const struct rte_virtio_mdev_ops *ops = mdev->ops;

	return (mdev->mdev_features &
			RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_ASID)) &&
		ops->get_as_num(mdev) > VDPA_MDEV_AS_PRIVATE &&
		ops->get_group_num(mdev) >= 2;
}

/*
 * Can the data queues' ring areas move to the private space without
 * their buffers? Every data queue must have a ring group apart from its
 * buffer group. The groups of data queues do not depend on features.
 */
static bool
rings_apart(const struct vdpa_mdev_device *vdev)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint32_t data = mdev->ops->get_vq_group(mdev, 0);
	uint32_t rings = mdev->ops->get_vq_desc_group(mdev, 0);
	uint16_t q;

	if (data == UINT32_MAX || rings == UINT32_MAX || rings == data)
		return false;
	for (q = 1; q < vdev->nr_vq; q++)
		if (mdev->ops->get_vq_group(mdev, q) != data ||
				mdev->ops->get_vq_desc_group(mdev, q) != rings)
			return false;
	return true;
}

/*
 * At probe, before the queue count is known: the device features this
 * driver can use. Without a private address space, none that needs the
 * control queue.
 */
uint64_t
vdpa_mdev_as_features(struct rte_mdev_device *mdev, uint64_t features)
{
	if (has_asid(mdev) ||
			!(features & (UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ)))
		return features;
	VDPA_MDEV_LOG(WARNING, "%s: the device has a single address space (no mdev feature ASID): a control queue would be reachable from the guest's descriptors, so it is not used (one queue pair, no receive filters)",
		mdev->alias);
	return features & ~CTRL_FEATURES;
}

/* At probe: what the device lets this driver keep private. */
void
vdpa_mdev_as_probe(struct vdpa_mdev_device *vdev)
{
	struct rte_mdev_device *mdev = vdev->mdev;

	vdev->ctrl_private = has_asid(mdev);
	vdev->rings_private = vdev->ctrl_private && rings_apart(vdev);
	if (vdev->ctrl_private && !vdev->rings_private)
		VDPA_MDEV_LOG(INFO, "%s: the data queues' rings have no group of their own: no used ring relay (dirty logging needs LOG_DIRTY)",
			mdev->alias);
}

static int
bind(struct vdpa_mdev_device *vdev, const char *what, uint32_t group)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	int ret;

	ret = mdev->ops->set_group_asid(mdev, group, VDPA_MDEV_AS_PRIVATE);
	if (ret != 0)
		VDPA_MDEV_LOG(ERR, "%s: cannot move the %s (group %u) to address space %u: %s",
			mdev->alias, what, group, VDPA_MDEV_AS_PRIVATE,
			strerror(-ret));
	return ret;
}

/*
 * After FEATURES_OK (the control queue's index is known), before any
 * queue is ready: bind the private groups. ctrl_qid: UINT16_MAX when
 * the control queue is not used.
 */
int
vdpa_mdev_as_bind(struct vdpa_mdev_device *vdev, uint16_t ctrl_qid)
{
	struct rte_mdev_device *mdev = vdev->mdev;
	uint32_t data, ctrl;
	int ret;

	if (!vdev->ctrl_private)
		return 0;
	data = mdev->ops->get_vq_group(mdev, 0);
	if (ctrl_qid != UINT16_MAX) {
		ctrl = mdev->ops->get_vq_group(mdev, ctrl_qid);
		if (ctrl == data || ctrl == UINT32_MAX) {
			VDPA_MDEV_LOG(ERR, "%s: the control queue %u shares group %u with the data queues: it cannot be kept from the guest",
				mdev->alias, ctrl_qid, data);
			return -ENOTSUP;
		}
		ret = bind(vdev, "control queue", ctrl);
		if (ret != 0)
			return ret;
	}
	if (vdev->rings_private)
		return bind(vdev, "data queues' rings",
			mdev->ops->get_vq_desc_group(mdev, 0));
	return 0;
}
