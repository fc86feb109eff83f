/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The control virtqueue, driven by the PMD itself: a command is a
 * header, its data and an ack byte, all in the queue's memzone; the PMD
 * kicks and polls the used ring for the answer with a bounded wait.
 * Only the control thread sends commands, one at a time.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>

#include "virtio_mdev.h"
#include "virtio_mdev_ctrl.h"
#include "virtio_mdev_logs.h"
#include "virtio_mdev_vq.h"
#include "vq_common.h"

/* How long the device may take to answer a command. */
#define VMDEV_CTRL_TIMEOUT_MS 1000

int
vmdev_ctrl_alloc(struct vmdev_hw *hw)
{
	uint16_t qid = 2 * hw->max_pairs;
	uint16_t size = RTE_MIN((uint16_t)VMDEV_CTRL_RING_SIZE,
			(uint16_t)rte_align32prevpow2(hw->vq_num_max));
	struct vmdev_ctrl *ctrl;
	int ret;

	if (!vmdev_with(hw, VIRTIO_NET_F_CTRL_VQ))
		return 0;
	if (size < 4) {
		VMDEV_LOG(ERR, hw->name,
			"control queue: the device allows %u descriptors per queue; a command needs 3",
			hw->vq_num_max);
		return -EINVAL;
	}
	ctrl = rte_zmalloc_socket("vmdev_ctrl", sizeof(*ctrl),
		RTE_CACHE_LINE_SIZE, hw->eth_dev->data->numa_node);
	if (ctrl == NULL)
		return -ENOMEM;
	ret = vmdev_vq_alloc(hw, &ctrl->vq, qid, size,
		sizeof(struct vmdev_ctrl_buf), hw->eth_dev->data->numa_node);
	if (ret != 0) {
		rte_free(ctrl);
		return ret;
	}
	ctrl->buf = (void *)((char *)ctrl->vq.mz->addr +
		RTE_ALIGN_CEIL(ctrl->vq.ring_bytes, RTE_CACHE_LINE_SIZE));
	hw->ctrl = ctrl;
	return 0;
}

void
vmdev_ctrl_free(struct vmdev_hw *hw)
{
	if (hw->ctrl == NULL)
		return;
	vmdev_vq_free(&hw->ctrl->vq);
	rte_free(hw->ctrl);
	hw->ctrl = NULL;
}

/* Reset and program the control ring (enabled with the others). */
int
vmdev_ctrl_start(struct vmdev_hw *hw)
{
	if (hw->ctrl == NULL)
		return 0;
	vmdev_vq_reset(hw, &hw->ctrl->vq);
	return vmdev_vq_program(hw, &hw->ctrl->vq);
}

static int
vmdev_ctrl_send(struct vmdev_hw *hw, const void *const *bufs,
		const uint32_t *lens, const bool *writable, unsigned int n)
{
	return hw->ring->ctrl_send(&hw->ctrl->vq, bufs, lens, writable, n);
}

/* 1 when the device returned the pending command, else 0. */
static int
vmdev_ctrl_poll(struct vmdev_hw *hw)
{
	return hw->ring->ctrl_poll(&hw->ctrl->vq);
}

static int
vmdev_ctrl_wait(struct vmdev_hw *hw, uint8_t class, uint8_t cmd)
{
	struct vmdev_ctrl *ctrl = hw->ctrl;
	uint64_t deadline = rte_get_timer_cycles() +
		rte_get_timer_hz() * VMDEV_CTRL_TIMEOUT_MS / 1000;

	while (!vmdev_ctrl_poll(hw)) {
		if (rte_get_timer_cycles() > deadline) {
			/* The device still owns the buffers: never reuse. */
			ctrl->vq.broken = true;
			VMDEV_LOG(ERR, hw->name,
				"control queue: no answer to command class %u cmd %u within %u ms; control queue unusable until the port restarts",
				class, cmd, VMDEV_CTRL_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		rte_delay_us_sleep(10);
	}
	return 0;
}

static int
vmdev_ctrl_cmd(struct vmdev_hw *hw, uint8_t class, uint8_t cmd,
		const void *data, uint32_t len)
{
	struct vmdev_ctrl *ctrl = hw->ctrl;
	struct vmdev_ctrl_buf *buf;
	const void *bufs[3];
	uint32_t lens[3];
	const bool writable[3] = { false, false, true };
	int ret;

	if (ctrl == NULL)
		return -ENOTSUP;
	if (ctrl->vq.broken || !hw->started)
		return -EIO;
	if (len > sizeof(ctrl->buf->data))
		return -E2BIG;
	buf = ctrl->buf;
	buf->hdr.class = class;
	buf->hdr.cmd = cmd;
	memcpy(buf->data, data, len);
	buf->ack = VIRTIO_NET_ERR;
	bufs[0] = &buf->hdr;
	lens[0] = sizeof(buf->hdr);
	bufs[1] = buf->data;
	lens[1] = len;
	bufs[2] = &buf->ack;
	lens[2] = sizeof(buf->ack);
	ret = vmdev_ctrl_send(hw, bufs, lens, writable, 3);
	if (ret != 0)
		return ret;
	ret = vmdev_ctrl_wait(hw, class, cmd);
	if (ret != 0)
		return ret;
	if (buf->ack != VIRTIO_NET_OK) {
		VMDEV_LOG(ERR, hw->name,
			"control queue: device refused command class %u cmd %u (ack %u)",
			class, cmd, buf->ack);
		return -EIO;
	}
	VMDEV_LOG(DEBUG, hw->name, "control queue: command class %u cmd %u done",
		class, cmd);
	return 0;
}

int
vmdev_ctrl_mq_pairs(struct vmdev_hw *hw, uint16_t pairs)
{
	struct virtio_net_ctrl_mq mq = { .virtqueue_pairs = pairs };
	int ret;

	ret = vmdev_ctrl_cmd(hw, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &mq, sizeof(mq));
	if (ret != 0)
		VMDEV_LOG(ERR, hw->name,
			"could not set %u queue pairs (device has %u)",
			pairs, hw->max_pairs);
	return ret;
}

/* cmd: VIRTIO_NET_CTRL_RX_PROMISC or VIRTIO_NET_CTRL_RX_ALLMULTI. */
int
vmdev_ctrl_rx_mode(struct vmdev_hw *hw, uint8_t cmd, bool on)
{
	uint8_t val = on;

	return vmdev_ctrl_cmd(hw, VIRTIO_NET_CTRL_RX, cmd, &val, sizeof(val));
}

int
vmdev_ctrl_mac_addr(struct vmdev_hw *hw, const struct rte_ether_addr *mac)
{
	int ret;

	ret = vmdev_ctrl_cmd(hw, VIRTIO_NET_CTRL_MAC,
		VIRTIO_NET_CTRL_MAC_ADDR_SET, mac->addr_bytes,
		RTE_ETHER_ADDR_LEN);
	if (ret != 0)
		VMDEV_LOG(ERR, hw->name, "device refused MAC " RTE_ETHER_ADDR_PRT_FMT,
			RTE_ETHER_ADDR_BYTES(mac));
	return ret;
}

/* One table of MAC_TABLE_SET at data + off: le32 count, the addresses. */
static uint32_t
vmdev_ctrl_put_macs(uint8_t *data, uint32_t off,
		const struct rte_ether_addr *a, uint32_t n)
{
	rte_le32_t count = rte_cpu_to_le_32(n);

	memcpy(data + off, &count, sizeof(count));
	off += sizeof(count);
	memcpy(data + off, a, (size_t)n * RTE_ETHER_ADDR_LEN);
	return off + n * RTE_ETHER_ADDR_LEN;
}

/*
 * VIRTIO_NET_CTRL_MAC_TABLE_SET: the addresses the device receives for
 * besides its own when not promiscuous (uc) or not all-multicast (mc).
 */
int
vmdev_ctrl_mac_table(struct vmdev_hw *hw, const struct rte_ether_addr *uc,
		uint32_t nb_uc, const struct rte_ether_addr *mc, uint32_t nb_mc)
{
	uint8_t data[VMDEV_CTRL_DATA_MAX];
	uint32_t len;
	int ret;

	if (nb_uc >= VMDEV_MAX_MAC_ADDRS || nb_mc > VMDEV_MAX_MC_ADDRS)
		return -E2BIG;
	len = vmdev_ctrl_put_macs(data, 0, uc, nb_uc);
	len = vmdev_ctrl_put_macs(data, len, mc, nb_mc);
	ret = vmdev_ctrl_cmd(hw, VIRTIO_NET_CTRL_MAC,
		VIRTIO_NET_CTRL_MAC_TABLE_SET, data, len);
	if (ret != 0)
		VMDEV_LOG(ERR, hw->name,
			"device refused its receive filter table (%u unicast, %u multicast addresses)",
			nb_uc, nb_mc);
	return ret;
}
