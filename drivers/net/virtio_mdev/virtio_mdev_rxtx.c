/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The cold part of what every ring layout shares (virtio_mdev_rxtx.h):
 * kept out of line, off the bursts' fast path.
 */

#include <string.h>

#include <rte_mbuf.h>

#include "virtio_mdev_logs.h"
#include "virtio_mdev_rxtx.h"

void
vmdev_tx_drop_oversized(struct vmdev_txq *txq, struct rte_mbuf *m)
{
	VMDEV_LOG(DEBUG, txq->vq.name,
		"tx queue %u: dropped a packet of %u segments (ring of %u)",
		txq->queue_id, m->nb_segs, txq->vq.size);
	rte_pktmbuf_free(m);
	txq->stats.errors++;
}

/* Rx: every descriptor is one mbuf, the free ids are a stack. */
void
vmdev_rxq_ids_reset(struct vmdev_rxq *rxq)
{
	uint16_t i;

	for (i = 0; i < rxq->vq.size; i++)
		rxq->free_ids[i] = rxq->vq.size - 1 - i;
	memset(rxq->sw_ring, 0, sizeof(rxq->sw_ring[0]) * rxq->vq.size);
}

/*
 * Tx: chains linked through next[], a private copy of the split ring's
 * desc[].next; packed rings link their free buffer ids the same way.
 */
void
vmdev_txq_ids_reset(struct vmdev_txq *txq)
{
	uint16_t i;

	for (i = 0; i < txq->vq.size; i++)
		txq->next[i] = i + 1;
	txq->free_head = 0;
	memset(txq->slots, 0, sizeof(txq->slots[0]) * txq->vq.size);
}
