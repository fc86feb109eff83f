/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Basic stats and xstats. The queues count packets in software; the
 * device's own per-virtqueue counters (RTE_VIRTIO_MDEV_F_VQ_STATS) give
 * imissed (rx completion_errors: packets dropped for want of a buffer)
 * and appear as xstats. Device counters are folded into a base before
 * every device reset, so they keep counting across port stop/start.
 */

#include <stdio.h>
#include <string.h>

#include "virtio_mdev.h"
#include "virtio_mdev_logs.h"
#include "virtio_mdev_stats.h"

struct vmdev_xstat_def {
	const char *name;
	size_t offset;
};

/* Software counters of every queue, DPDK's usual per-queue names. */
static const struct vmdev_xstat_def vmdev_q_xstats[] = {
	{ "good_packets", offsetof(struct vmdev_qstats, packets) },
	{ "good_bytes", offsetof(struct vmdev_qstats, bytes) },
	{ "errors", offsetof(struct vmdev_qstats, errors) },
	{ "multicast_packets", offsetof(struct vmdev_qstats, multicast) },
	{ "broadcast_packets", offsetof(struct vmdev_qstats, broadcast) },
	{ "undersize_packets", offsetof(struct vmdev_qstats, size_bins[0]) },
	{ "size_64_packets", offsetof(struct vmdev_qstats, size_bins[1]) },
	{ "size_65_127_packets", offsetof(struct vmdev_qstats, size_bins[2]) },
	{ "size_128_255_packets", offsetof(struct vmdev_qstats, size_bins[3]) },
	{ "size_256_511_packets", offsetof(struct vmdev_qstats, size_bins[4]) },
	{ "size_512_1023_packets", offsetof(struct vmdev_qstats, size_bins[5]) },
	{ "size_1024_1518_packets",
		offsetof(struct vmdev_qstats, size_bins[6]) },
	{ "size_1519_max_packets", offsetof(struct vmdev_qstats, size_bins[7]) },
};

#define VMDEV_NB_Q_XSTATS RTE_DIM(vmdev_q_xstats)
#define VMDEV_NB_VQ_XSTATS RTE_VIRTIO_MDEV_VQ_STATS_NB
#define VMDEV_VQ_STATS_WORDS \
	(sizeof(struct rte_virtio_mdev_vq_stats) / sizeof(uint64_t))

static_assert(sizeof(struct rte_virtio_mdev_vq_stats) ==
	VMDEV_VQ_STATS_WORDS * sizeof(uint64_t),
	"device counters are expected to be 64-bit words");

static uint64_t
vmdev_stat(const void *base, size_t offset)
{
	return *(const uint64_t *)((const char *)base + offset);
}

/* Base plus what the running device counted. */
static void
vmdev_vq_dev_stats(struct vmdev_hw *hw, uint16_t qid,
		struct rte_virtio_mdev_vq_stats *out)
{
	struct rte_virtio_mdev_vq_stats cur;
	uint64_t *o = (uint64_t *)out;
	const uint64_t *c = (const uint64_t *)&cur;
	unsigned int i;

	*out = hw->vq_stats_base[qid];
	if (!hw->has_vq_stats || !hw->started)
		return;
	if (hw->ops->get_vq_stats(hw->mdev, qid, &cur) != 0)
		return;
	for (i = 0; i < VMDEV_VQ_STATS_WORDS; i++)
		o[i] += c[i];
}

static unsigned int
vmdev_xstats_per_queue(const struct vmdev_hw *hw)
{
	return VMDEV_NB_Q_XSTATS + (hw->has_vq_stats ? VMDEV_NB_VQ_XSTATS : 0);
}

static unsigned int
vmdev_xstats_count(const struct rte_eth_dev *dev)
{
	const struct vmdev_hw *hw = dev->data->dev_private;

	return (dev->data->nb_rx_queues + dev->data->nb_tx_queues) *
		vmdev_xstats_per_queue(hw);
}

int
vmdev_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	struct rte_virtio_mdev_vq_stats vs;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct vmdev_rxq *rxq = dev->data->rx_queues[i];

		if (rxq == NULL)
			continue;
		stats->ipackets += rxq->stats.packets;
		stats->ibytes += rxq->stats.bytes;
		stats->ierrors += rxq->stats.errors;
		vmdev_vq_dev_stats(hw, vmdev_rx_vq(i), &vs);
		stats->imissed += vs.completion_errors;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			stats->q_ipackets[i] = rxq->stats.packets;
			stats->q_ibytes[i] = rxq->stats.bytes;
			stats->q_errors[i] = rxq->stats.errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct vmdev_txq *txq = dev->data->tx_queues[i];

		if (txq == NULL)
			continue;
		stats->opackets += txq->stats.packets;
		stats->obytes += txq->stats.bytes;
		stats->oerrors += txq->stats.errors;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			stats->q_opackets[i] = txq->stats.packets;
			stats->q_obytes[i] = txq->stats.bytes;
		}
	}
	return 0;
}

/* Device counters of the configured queues. */
static void
vmdev_reset_device_stats(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i;

	memset(hw->vq_stats_base, 0,
		sizeof(hw->vq_stats_base[0]) * 2 * hw->max_pairs);
	if (!hw->has_vq_stats || !hw->started)
		return;
	for (i = 0; i < data->nb_rx_queues; i++)
		hw->ops->reset_vq_stats(hw->mdev, vmdev_rx_vq(i));
	for (i = 0; i < data->nb_tx_queues; i++)
		hw->ops->reset_vq_stats(hw->mdev, vmdev_tx_vq(i));
}

int
vmdev_stats_reset(struct rte_eth_dev *dev)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vmdev_rxq *rxq = dev->data->rx_queues[i];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct vmdev_txq *txq = dev->data->tx_queues[i];

		if (txq != NULL)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	vmdev_reset_device_stats(hw);
	return 0;
}

static void
vmdev_save_vq(struct vmdev_hw *hw, uint16_t qid)
{
	vmdev_vq_dev_stats(hw, qid, &hw->vq_stats_base[qid]);
	hw->ops->reset_vq_stats(hw->mdev, qid);
}

/* Before a device reset: keep what the device counted so far. */
void
vmdev_stats_save_device(struct vmdev_hw *hw)
{
	struct rte_eth_dev_data *data = hw->eth_dev->data;
	uint16_t i;

	if (!hw->has_vq_stats || !hw->started)
		return;
	for (i = 0; i < data->nb_rx_queues; i++)
		vmdev_save_vq(hw, vmdev_rx_vq(i));
	for (i = 0; i < data->nb_tx_queues; i++)
		vmdev_save_vq(hw, vmdev_tx_vq(i));
}

static void
vmdev_xstats_fill_queue(struct vmdev_hw *hw, const struct vmdev_qstats *qs,
		uint16_t vq, struct rte_eth_xstat *xstats, unsigned int *n)
{
	struct rte_virtio_mdev_vq_stats vs;
	unsigned int i;

	for (i = 0; i < VMDEV_NB_Q_XSTATS; i++) {
		xstats[*n].id = *n;
		xstats[*n].value = vmdev_stat(qs, vmdev_q_xstats[i].offset);
		(*n)++;
	}
	if (!hw->has_vq_stats)
		return;
	vmdev_vq_dev_stats(hw, vq, &vs);
	for (i = 0; i < VMDEV_NB_VQ_XSTATS; i++) {
		xstats[*n].id = *n;
		xstats[*n].value = vmdev_stat(&vs, rte_virtio_mdev_vq_stat_names[i].offset);
		(*n)++;
	}
}

int
vmdev_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int size)
{
	static const struct vmdev_qstats none;
	struct vmdev_hw *hw = dev->data->dev_private;
	unsigned int count = vmdev_xstats_count(dev);
	unsigned int n = 0;
	uint16_t i;

	if (xstats == NULL || size < count)
		return count;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct vmdev_rxq *rxq = dev->data->rx_queues[i];

		vmdev_xstats_fill_queue(hw, rxq ? &rxq->stats : &none,
			vmdev_rx_vq(i), xstats, &n);
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct vmdev_txq *txq = dev->data->tx_queues[i];

		vmdev_xstats_fill_queue(hw, txq ? &txq->stats : &none,
			vmdev_tx_vq(i), xstats, &n);
	}
	return n;
}

static void
vmdev_xstats_name_queue(struct vmdev_hw *hw, const char *dir, uint16_t q,
		struct rte_eth_xstat_name *names, unsigned int *n)
{
	unsigned int i;

	for (i = 0; i < VMDEV_NB_Q_XSTATS; i++)
		snprintf(names[(*n)++].name, RTE_ETH_XSTATS_NAME_SIZE,
			"%s_q%u_%s", dir, q, vmdev_q_xstats[i].name);
	if (!hw->has_vq_stats)
		return;
	for (i = 0; i < VMDEV_NB_VQ_XSTATS; i++)
		snprintf(names[(*n)++].name, RTE_ETH_XSTATS_NAME_SIZE,
			"%s_q%u_%s", dir, q, rte_virtio_mdev_vq_stat_names[i].name);
}

int
vmdev_xstats_get_names(struct rte_eth_dev *dev,
		struct rte_eth_xstat_name *names, unsigned int size)
{
	struct vmdev_hw *hw = dev->data->dev_private;
	unsigned int count = vmdev_xstats_count(dev);
	unsigned int n = 0;
	uint16_t i;

	if (names == NULL || size < count)
		return count;
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vmdev_xstats_name_queue(hw, "rx", i, names, &n);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vmdev_xstats_name_queue(hw, "tx", i, names, &n);
	return n;
}
