/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The rx and tx queues of the port. Queue setup only allocates (so
 * that the memory event callback never runs while the device is being
 * programmed); dev_start resets the rings and hands them to the device,
 * every time, because dev_stop resets the device.
 */

#include <errno.h>

#include <rte_malloc.h>

#include "virtio_mdev.h"
#include "virtio_mdev_ctrl.h"
#include "virtio_mdev_logs.h"
#include "virtio_mdev_queue.h"
#include "virtio_mdev_vq.h"
#include "vq_common.h"

/*
 * A ring of any size up to what the device supports, or a power of two
 * within it for layouts that need one (split rings).
 */
static int
vmdev_ring_size(struct vmdev_hw *hw, const char *dir, uint16_t queue_id,
		uint16_t nb_desc, uint16_t *size)
{
	uint32_t n;

	if (nb_desc > hw->vq_num_max) {
		VMDEV_LOG(INFO, hw->name,
			"%s queue %u: %u descriptors clamped to the device's %u",
			dir, queue_id, nb_desc, hw->vq_num_max);
		nb_desc = hw->vq_num_max;
	}
	if (!hw->ring->pow2_size && nb_desc > 0) {
		*size = nb_desc;
		return 0;
	}
	n = rte_align32pow2(nb_desc);
	if (n > hw->vq_num_max)
		n = rte_align32prevpow2(nb_desc);
	if (n == 0 || n > hw->vq_num_max) {
		VMDEV_LOG(ERR, hw->name,
			"%s queue %u: %u descriptors not supported: the device takes 1 to %u",
			dir, queue_id, nb_desc, hw->vq_num_max);
		return -EINVAL;
	}
	if (n != nb_desc)
		VMDEV_LOG(INFO, hw->name,
			"%s queue %u: %u descriptors rounded to %u (%s rings are powers of two)",
			dir, queue_id, nb_desc, n, hw->ring->name);
	*size = n;
	return 0;
}

static void
vmdev_rxq_free(struct vmdev_rxq *rxq)
{
	if (rxq == NULL)
		return;
	vmdev_vq_free(&rxq->vq);
	rte_free(rxq->sw_ring);
	rte_free(rxq->free_ids);
	rte_free(rxq);
}

static void
vmdev_txq_free(struct vmdev_txq *txq)
{
	if (txq == NULL)
		return;
	vmdev_vq_free(&txq->vq);
	rte_free(txq->slots);
	rte_free(txq->next);
	rte_free(txq);
}

static uint16_t
vmdev_free_thresh(uint16_t asked, uint16_t dflt, uint16_t size)
{
	uint16_t t = asked != 0 ? asked : dflt;

	return RTE_MIN(t, (uint16_t)(size / 2));
}

int
vmdev_rx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *conf, struct rte_mempool *mp)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	uint16_t room = rte_pktmbuf_data_room_size(mp);
	struct vmdev_rxq *rxq;
	uint16_t size;
	int ret;

	ret = vmdev_ring_size(hw, "rx", queue_id, nb_desc, &size);
	if (ret != 0)
		return ret;
	if (room < RTE_PKTMBUF_HEADROOM + VMDEV_MIN_RX_BUFSIZE) {
		VMDEV_LOG(ERR, hw->name,
			"rx queue %u: mbufs of pool %s have %u bytes of data room; at least %u needed",
			queue_id, mp->name, room,
			RTE_PKTMBUF_HEADROOM + VMDEV_MIN_RX_BUFSIZE);
		return -EINVAL;
	}
	rxq = rte_zmalloc_socket("vmdev_rxq", sizeof(*rxq),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq == NULL)
		goto nomem;
	rxq->sw_ring = rte_zmalloc_socket("vmdev_rx_sw_ring",
		sizeof(rxq->sw_ring[0]) * size, RTE_CACHE_LINE_SIZE, socket_id);
	rxq->free_ids = rte_zmalloc_socket("vmdev_rx_free_ids",
		sizeof(rxq->free_ids[0]) * size, RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq->sw_ring == NULL || rxq->free_ids == NULL)
		goto nomem;
	if (vmdev_vq_alloc(hw, &rxq->vq, vmdev_rx_vq(queue_id), size, 0,
			socket_id) != 0)
		goto nomem;
	rxq->mp = mp;
	rxq->buf_len = room - RTE_PKTMBUF_HEADROOM + VMDEV_NET_HDR_SIZE;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = queue_id;
	rxq->nb_desc = size;
	rxq->socket_id = socket_id;
	rxq->hw = hw;
	rxq->intr_fd = -1;
	rxq->free_thresh = vmdev_free_thresh(conf->rx_free_thresh,
		VMDEV_RX_FREE_THRESH, size);
	dev->data->rx_queues[queue_id] = rxq;
	return 0;
nomem:
	VMDEV_LOG(ERR, hw->name, "rx queue %u: out of memory for %u descriptors",
		queue_id, size);
	if (rxq != NULL && rxq->vq.mz == NULL) {
		rte_free(rxq->sw_ring);
		rte_free(rxq->free_ids);
		rte_free(rxq);
	}
	return -ENOMEM;
}

int
vmdev_tx_queue_setup(struct rte_eth_dev *dev, uint16_t queue_id,
		uint16_t nb_desc, unsigned int socket_id,
		const struct rte_eth_txconf *conf)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct vmdev_txq *txq;
	size_t hdr_bytes;
	uint16_t size;
	int ret;

	ret = vmdev_ring_size(hw, "tx", queue_id, nb_desc, &size);
	if (ret != 0)
		return ret;
	txq = rte_zmalloc_socket("vmdev_txq", sizeof(*txq),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (txq == NULL)
		goto nomem;
	txq->slots = rte_zmalloc_socket("vmdev_tx_slots",
		sizeof(txq->slots[0]) * size, RTE_CACHE_LINE_SIZE, socket_id);
	txq->next = rte_zmalloc_socket("vmdev_tx_next",
		sizeof(txq->next[0]) * size, RTE_CACHE_LINE_SIZE, socket_id);
	if (txq->slots == NULL || txq->next == NULL)
		goto nomem;
	hdr_bytes = sizeof(txq->hdrs[0]) * size;
	if (vmdev_vq_alloc(hw, &txq->vq, vmdev_tx_vq(queue_id), size,
			hdr_bytes, socket_id) != 0)
		goto nomem;
	txq->hdrs = (void *)((char *)txq->vq.mz->addr +
		RTE_ALIGN_CEIL(txq->vq.ring_bytes, RTE_CACHE_LINE_SIZE));
	txq->queue_id = queue_id;
	txq->nb_desc = size;
	txq->socket_id = socket_id;
	txq->hw = hw;
	txq->free_thresh = vmdev_free_thresh(conf->tx_free_thresh,
		VMDEV_TX_FREE_THRESH, size);
	dev->data->tx_queues[queue_id] = txq;
	return 0;
nomem:
	VMDEV_LOG(ERR, hw->name, "tx queue %u: out of memory for %u descriptors",
		queue_id, size);
	if (txq != NULL && txq->vq.mz == NULL) {
		rte_free(txq->slots);
		rte_free(txq->next);
		rte_free(txq);
	}
	return -ENOMEM;
}

void
vmdev_rx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id)
{
	vmdev_rxq_free(dev->data->rx_queues[queue_id]);
	dev->data->rx_queues[queue_id] = NULL;
}

void
vmdev_tx_queue_release(struct rte_eth_dev *dev, uint16_t queue_id)
{
	vmdev_txq_free(dev->data->tx_queues[queue_id]);
	dev->data->tx_queues[queue_id] = NULL;
}

void
vmdev_rxq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		struct rte_eth_rxq_info *qinfo)
{
	struct vmdev_rxq *rxq = dev->data->rx_queues[queue_id];

	qinfo->mp = rxq->mp;
	qinfo->nb_desc = rxq->nb_desc;
	qinfo->scattered_rx = dev->data->scattered_rx;
	qinfo->conf.rx_free_thresh = rxq->free_thresh;
	qinfo->rx_buf_size = rxq->buf_len - VMDEV_NET_HDR_SIZE;
}

void
vmdev_txq_info_get(struct rte_eth_dev *dev, uint16_t queue_id,
		struct rte_eth_txq_info *qinfo)
{
	struct vmdev_txq *txq = dev->data->tx_queues[queue_id];

	qinfo->nb_desc = txq->nb_desc;
	qinfo->conf.tx_free_thresh = txq->free_thresh;
}

/* Reset one rx ring, program it, fill it with mbufs. */
static int
vmdev_rxq_start(struct vmdev_hw *hw, struct vmdev_rxq *rxq)
{
	int ret, filled;

	vmdev_vq_reset(hw, &rxq->vq);
	hw->ring->rx_start(rxq);
	ret = vmdev_vq_program(hw, &rxq->vq);
	if (ret != 0)
		return ret;
	filled = hw->ring->rx_refill(rxq);
	if (filled == 0) {
		VMDEV_LOG(ERR, hw->name,
			"rx queue %u: no mbuf available in pool %s",
			rxq->queue_id, rxq->mp->name);
		return -ENOMEM;
	}
	if (filled < rxq->vq.size)
		VMDEV_LOG(NOTICE, hw->name,
			"rx queue %u: pool %s gave %d of %u mbufs; the rest is refilled later",
			rxq->queue_id, rxq->mp->name, filled, rxq->vq.size);
	return 0;
}

static int
vmdev_txq_start(struct vmdev_hw *hw, struct vmdev_txq *txq)
{
	vmdev_vq_reset(hw, &txq->vq);
	hw->ring->tx_start(txq);
	return vmdev_vq_program(hw, &txq->vq);
}

/*
 * Every vq of the port (queues set up, control queue) in order: calls
 * fn, stops at the first error.
 */
static int
vmdev_foreach_vq(struct vmdev_hw *hw,
		int (*fn)(struct vmdev_hw *hw, struct vmdev_vq *vq))
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	struct vmdev_rxq *rxq;
	struct vmdev_txq *txq;
	uint16_t i;
	int ret;

	for (i = 0; i < data->nb_rx_queues; i++) {
		rxq = data->rx_queues[i];
		if (rxq == NULL)
			continue;
		ret = fn(hw, &rxq->vq);
		if (ret != 0)
			return ret;
	}
	for (i = 0; i < data->nb_tx_queues; i++) {
		txq = data->tx_queues[i];
		if (txq == NULL)
			continue;
		ret = fn(hw, &txq->vq);
		if (ret != 0)
			return ret;
	}
	if (hw->ctrl != NULL)
		return fn(hw, &hw->ctrl->vq);
	return 0;
}

static int
vmdev_queues_check(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i;

	for (i = 0; i < data->nb_rx_queues; i++)
		if (data->rx_queues[i] == NULL) {
			VMDEV_LOG(ERR, hw->name, "rx queue %u is not set up", i);
			return -EINVAL;
		}
	for (i = 0; i < data->nb_tx_queues; i++)
		if (data->tx_queues[i] == NULL) {
			VMDEV_LOG(ERR, hw->name, "tx queue %u is not set up", i);
			return -EINVAL;
		}
	return 0;
}

/* After FEATURES_OK: rings reset, programmed, filled and enabled. */
int
vmdev_queues_start(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i;
	int ret;

	ret = vmdev_queues_check(hw);
	if (ret != 0)
		return ret;
	for (i = 0; i < data->nb_rx_queues; i++) {
		ret = vmdev_rxq_start(hw, data->rx_queues[i]);
		if (ret != 0)
			return ret;
	}
	for (i = 0; i < data->nb_tx_queues; i++) {
		ret = vmdev_txq_start(hw, data->tx_queues[i]);
		if (ret != 0)
			return ret;
	}
	ret = vmdev_ctrl_start(hw);
	if (ret != 0)
		return ret;
	return vmdev_foreach_vq(hw, vmdev_vq_enable);
}

/* Make the device stop using every ring (before the reset). */
void
vmdev_queues_stop(struct vmdev_hw *hw)
{
	vmdev_foreach_vq(hw, vmdev_vq_disable);
}

/* After the reset: give back every mbuf the rings held. */
void
vmdev_queues_reclaim(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i, id;

	for (i = 0; i < data->nb_rx_queues; i++) {
		struct vmdev_rxq *rxq = data->rx_queues[i];

		if (rxq == NULL)
			continue;
		for (id = 0; id < rxq->vq.size; id++) {
			rte_pktmbuf_free(rxq->sw_ring[id]);
			rxq->sw_ring[id] = NULL;
		}
	}
	for (i = 0; i < data->nb_tx_queues; i++) {
		struct vmdev_txq *txq = data->tx_queues[i];

		if (txq == NULL)
			continue;
		for (id = 0; id < txq->vq.size; id++) {
			rte_pktmbuf_free(txq->slots[id].mbuf);
			txq->slots[id].mbuf = NULL;
		}
	}
}
