/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The device's control queue, driven by this driver. vhost-user front
 * ends keep their control queue to themselves (QEMU and virtio-user
 * answer it in the front end), so a device that follows the virtio spec
 * would serve only queue pair 0: with VIRTIO_NET_F_MQ, more pairs are
 * used only after VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET. The driver therefore
 * negotiates VIRTIO_NET_F_CTRL_VQ with the device on its own, keeps a
 * small ring in its own memory (mapped in an address space of its own,
 * vdpa_mdev_as.c, that the guest's descriptors cannot name) and tells
 * the device how many pairs the
 * front end has enabled. The ring has the layout the front end
 * negotiated (split or VIRTIO_F_RING_PACKED): the device uses one layout
 * for all its queues.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>

#include "vdpa_mdev.h"

#define CTRL_RING_SIZE	64
#define CTRL_PAGE	4096
/*
 * Layout of the page: rings, then one command. Packed rings use the same
 * offsets: descriptor ring, then the driver and device event areas in
 * place of the avail and used rings.
 */
#define CTRL_DESC_OFF	0
#define CTRL_AVAIL_OFF	(CTRL_RING_SIZE * sizeof(struct vring_desc))
#define CTRL_USED_OFF	2048
#define CTRL_CMD_OFF	3072
#define CTRL_ACK_OFF	3328
/* How long a command may take (the device answers from its engine). */
#define CTRL_TIMEOUT_MS	1000

_Static_assert(CTRL_AVAIL_OFF + sizeof(struct vring_avail) +
	(CTRL_RING_SIZE + 1) * sizeof(uint16_t) <= CTRL_USED_OFF,
	"avail ring overlaps the used ring");
_Static_assert(CTRL_USED_OFF + sizeof(struct vring_used) +
	CTRL_RING_SIZE * sizeof(struct vring_used_elem) + sizeof(uint16_t) <=
	CTRL_CMD_OFF, "used ring overlaps the command");
_Static_assert(sizeof(struct vring_packed_desc) == sizeof(struct vring_desc),
	"packed descriptor ring does not end where the split one does");
/* A packed command takes two ring positions: it never straddles the end. */
_Static_assert(CTRL_RING_SIZE % 2 == 0, "odd control ring size");

int
vdpa_mdev_ctrl_alloc(struct vdpa_mdev_device *vdev)
{
	void *page;

	if (posix_memalign(&page, CTRL_PAGE, CTRL_PAGE) != 0)
		return -ENOMEM;
	memset(page, 0, CTRL_PAGE);
	vdev->ctrl.page = page;
	return 0;
}

void
vdpa_mdev_ctrl_free(struct vdpa_mdev_device *vdev)
{
	free(vdev->ctrl.page);
	vdev->ctrl.page = NULL;
}

static int
ctrl_program(struct vdpa_mdev_device *vdev)
{
	struct vdpa_mdev_ctrl *c = &vdev->ctrl;
	struct rte_mdev_device *mdev = vdev->mdev;
	const struct rte_virtio_mdev_ops *ops = mdev->ops;
	struct rte_virtio_mdev_vq_state state;
	int ret;

	/* Start at 0; packed wrap counters start at 1. */
	memset(&state, 0, sizeof(state));
	if (c->packed) {
		state.packed.last_avail_counter = 1;
		state.packed.last_used_counter = 1;
	}
	ret = ops->set_vq_num(mdev, c->qid, CTRL_RING_SIZE);
	if (ret == 0)
		ret = ops->set_vq_address(mdev, c->qid,
			c->iova + CTRL_DESC_OFF, c->iova + CTRL_AVAIL_OFF,
			c->iova + CTRL_USED_OFF);
	if (ret == 0)
		ret = ops->set_vq_state(mdev, c->qid, &state);
	if (ret == 0)
		ret = ops->set_vq_ready(mdev, c->qid, true);
	return ret;
}

/*
 * Map the page and start the control queue; status FEATURES_OK with
 * VIRTIO_NET_F_CTRL_VQ accepted. qid: the control queue's index.
 */
int
vdpa_mdev_ctrl_start(struct vdpa_mdev_device *vdev, uint16_t qid)
{
	struct vdpa_mdev_ctrl *c = &vdev->ctrl;
	struct rte_mdev_device *mdev = vdev->mdev;
	int ret;

	memset(c->page, 0, CTRL_PAGE);
	c->qid = qid;
	c->packed = (vdev->features &
		(UINT64_C(1) << VIRTIO_F_RING_PACKED)) != 0;
	c->avail_idx = 0;
	c->used_idx = 0;
	c->wrap = 1;
	c->pairs = 1;
	c->iova = vdpa_mdev_mem_end(vdev->mem);
	ret = mdev->ops->dma_map(mdev, VDPA_MDEV_AS_PRIVATE, c->iova,
		CTRL_PAGE, c->page, RTE_VIRTIO_MDEV_DMA_RW);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: cannot map the control queue at IOVA 0x%" PRIx64 ": %s",
			mdev->alias, c->iova, strerror(-ret));
		return ret;
	}
	c->mapped = true;
	ret = ctrl_program(vdev);
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: control queue %u refused: %s",
			mdev->alias, qid, strerror(-ret));
		vdpa_mdev_ctrl_stop(vdev);
		return ret;
	}
	c->running = true;
	return 0;
}

void
vdpa_mdev_ctrl_stop(struct vdpa_mdev_device *vdev)
{
	struct vdpa_mdev_ctrl *c = &vdev->ctrl;
	struct rte_mdev_device *mdev = vdev->mdev;

	if (c->running)
		(void)mdev->ops->set_vq_ready(mdev, c->qid, false);
	c->running = false;
	if (c->mapped)
		(void)mdev->ops->dma_unmap(mdev, VDPA_MDEV_AS_PRIVATE, c->iova,
			CTRL_PAGE);
	c->mapped = false;
}

/*
 * Split: one chain (command, then the ack byte) in descriptors 0 and 1,
 * reused for every command as only one is in flight.
 */
static void
ctrl_post_split(struct vdpa_mdev_ctrl *c, uint32_t cmd_len)
{
	uint8_t *page = c->page;
	struct vring_desc *desc = (void *)(page + CTRL_DESC_OFF);
	struct vring_avail *avail = (void *)(page + CTRL_AVAIL_OFF);

	desc[0].addr = rte_cpu_to_le_64(c->iova + CTRL_CMD_OFF);
	desc[0].len = rte_cpu_to_le_32(cmd_len);
	desc[0].flags = rte_cpu_to_le_16(VRING_DESC_F_NEXT);
	desc[0].next = rte_cpu_to_le_16(1);
	desc[1].addr = rte_cpu_to_le_64(c->iova + CTRL_ACK_OFF);
	desc[1].len = rte_cpu_to_le_32(1);
	desc[1].flags = rte_cpu_to_le_16(VRING_DESC_F_WRITE);
	desc[1].next = 0;
	avail->ring[c->avail_idx % CTRL_RING_SIZE] = 0;
	c->avail_idx++;
	__atomic_store_n(&avail->idx, rte_cpu_to_le_16(c->avail_idx),
		__ATOMIC_RELEASE);
}

/* Split: has the device returned the command? */
static bool
ctrl_used_split(struct vdpa_mdev_ctrl *c)
{
	struct vring_used *used = (void *)((uint8_t *)c->page + CTRL_USED_OFF);

	if (rte_le_to_cpu_16(__atomic_load_n(&used->idx, __ATOMIC_ACQUIRE)) ==
			c->used_idx)
		return false;
	c->used_idx++;
	return true;
}

/* Packed: AVAIL and USED flags that make a descriptor available. */
static uint16_t
ctrl_avail_flags(uint8_t wrap)
{
	return wrap ? 1u << VRING_PACKED_DESC_F_AVAIL :
		1u << VRING_PACKED_DESC_F_USED;
}

/*
 * Packed: the same chain at the next two ring positions (c->avail_idx,
 * driver wrap counter c->wrap), buffer id 0. The head's flags go last,
 * with release order, so the device never sees half a chain.
 */
static void
ctrl_post_packed(struct vdpa_mdev_ctrl *c, uint32_t cmd_len)
{
	struct vring_packed_desc *desc = (void *)((uint8_t *)c->page +
		CTRL_DESC_OFF);
	struct vring_packed_desc *head = &desc[c->avail_idx];
	struct vring_packed_desc *ack = &desc[c->avail_idx + 1];
	uint16_t avail = ctrl_avail_flags(c->wrap);

	ack->addr = rte_cpu_to_le_64(c->iova + CTRL_ACK_OFF);
	ack->len = rte_cpu_to_le_32(1);
	ack->id = 0;
	ack->flags = rte_cpu_to_le_16(avail | VRING_DESC_F_WRITE);
	head->addr = rte_cpu_to_le_64(c->iova + CTRL_CMD_OFF);
	head->len = rte_cpu_to_le_32(cmd_len);
	head->id = 0;
	__atomic_store_n(&head->flags,
		rte_cpu_to_le_16(avail | VRING_DESC_F_NEXT), __ATOMIC_RELEASE);
}

/*
 * Packed: the device writes the used entry over the head (commands are
 * answered in order, one at a time) with both flags equal to our wrap
 * counter. Then the next command goes two positions further.
 */
static bool
ctrl_used_packed(struct vdpa_mdev_ctrl *c)
{
	struct vring_packed_desc *desc = (void *)((uint8_t *)c->page +
		CTRL_DESC_OFF);
	uint16_t flags = rte_le_to_cpu_16(__atomic_load_n(
		&desc[c->avail_idx].flags, __ATOMIC_ACQUIRE));

	if (!!(flags & (1u << VRING_PACKED_DESC_F_USED)) != c->wrap)
		return false;
	c->avail_idx += 2;
	if (c->avail_idx >= CTRL_RING_SIZE) {
		c->avail_idx = 0;
		c->wrap ^= 1;
	}
	return true;
}

/* Send one command (header + data) and wait for the device's ack. */
static int
ctrl_send(struct vdpa_mdev_device *vdev, uint8_t cls, uint8_t cmd,
		const void *data, uint32_t len)
{
	struct vdpa_mdev_ctrl *c = &vdev->ctrl;
	struct rte_mdev_device *mdev = vdev->mdev;
	uint8_t *page = c->page;
	struct virtio_net_ctrl_hdr hdr = { .class = cls, .cmd = cmd };
	uint64_t deadline;
	uint8_t *ack = page + CTRL_ACK_OFF;

	if (!c->running)
		return -ENODEV;
	memcpy(page + CTRL_CMD_OFF, &hdr, sizeof(hdr));
	memcpy(page + CTRL_CMD_OFF + sizeof(hdr), data, len);
	*ack = 0xff;
	if (c->packed)
		ctrl_post_packed(c, sizeof(hdr) + len);
	else
		ctrl_post_split(c, sizeof(hdr) + len);
	mdev->ops->kick_vq(mdev, c->qid);
	deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * CTRL_TIMEOUT_MS / 1000;
	while (!(c->packed ? ctrl_used_packed(c) : ctrl_used_split(c))) {
		if (rte_get_timer_cycles() > deadline) {
			VDPA_MDEV_LOG(ERR, "%s: control command %u.%u not answered in %d ms",
				mdev->alias, cls, cmd, CTRL_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(10);
		/* A device may answer only when kicked again. */
		mdev->ops->kick_vq(mdev, c->qid);
	}
	return *ack == VIRTIO_NET_OK ? 0 : -EIO;
}

/*
 * Tell the device how many queue pairs to serve: up to the highest pair
 * the front end has a running queue in (at least one).
 */
int
vdpa_mdev_ctrl_update_pairs(struct vdpa_mdev_device *vdev)
{
	struct virtio_net_ctrl_mq mq;
	uint16_t pairs = 1, i;
	int ret;

	if (!vdev->ctrl.running ||
			!(vdev->features & (UINT64_C(1) << VIRTIO_NET_F_MQ)))
		return 0;
	for (i = 0; i < vdev->nr_vq; i++)
		if (vdev->vqs[i].running)
			pairs = RTE_MAX(pairs, (uint16_t)(i / 2 + 1));
	if (pairs == vdev->ctrl.pairs)
		return 0;
	mq.virtqueue_pairs = rte_cpu_to_le_16(pairs);
	ret = ctrl_send(vdev, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &mq, sizeof(mq));
	if (ret != 0) {
		VDPA_MDEV_LOG(ERR, "%s: device refused %u queue pairs: %s",
			vdev->mdev->alias, pairs, strerror(-ret));
		return ret;
	}
	VDPA_MDEV_LOG(INFO, "%s: %u queue pair(s) active", vdev->mdev->alias,
		pairs);
	vdev->ctrl.pairs = pairs;
	return 0;
}
