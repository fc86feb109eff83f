/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_RXTX_H
#define VIRTIO_MDEV_RXTX_H

/*
 * Data-path helpers shared by every ring layout, below them: header
 * handling, per-packet statistics, rx buffer merging, the queues' free
 * ids.
 */

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "virtio_mdev.h"
#include "vq_common.h"

/* The header sits just before the packet data (rx: in the headroom). */
static_assert(RTE_PKTMBUF_HEADROOM >= VMDEV_NET_HDR_SIZE,
	"mbuf headroom cannot hold the virtio-net header");

/*
 * A tx packet can carry its header in its own headroom only when no one
 * else sees that memory: a direct mbuf that is not shared.
 */
static __rte_always_inline bool
vmdev_tx_can_push_hdr(const struct rte_mbuf *m)
{
	return rte_pktmbuf_headroom(m) >= VMDEV_NET_HDR_SIZE &&
		RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

/* No offload asked for: a transmitted header is all zeroes. */
static __rte_always_inline void
vmdev_hdr_clear(struct virtio_net_hdr_v1 *hdr)
{
	memset(hdr, 0, VMDEV_NET_HDR_SIZE);
}

/*
 * The header of a packet going on the ring. Without negotiated tx
 * offloads (the queue flag, the same for every packet) it is zeroes.
 */
static __rte_always_inline void
vmdev_tx_hdr(const struct vmdev_txq *txq, struct virtio_net_hdr_v1 *hdr,
		struct rte_mbuf *m)
{
	if (likely(txq->offload == 0) ||
			!(m->ol_flags & (RTE_MBUF_F_TX_L4_MASK |
				RTE_MBUF_F_TX_TCP_SEG)))
		vmdev_hdr_clear(hdr);
	else
		vmdev_tx_hdr_offload(hdr, m);
}

/*
 * Rx offload flags from the header in front of the packet data of the
 * first mbuf, on queues that negotiated GUEST_CSUM. An all-zero header
 * (nothing to say) costs one test. False: drop the packet.
 */
static __rte_always_inline bool
vmdev_rx_hdr(const struct vmdev_rxq *rxq, struct rte_mbuf *m)
{
	const struct virtio_net_hdr_v1 *hdr;

	if (likely(!rxq->offload))
		return true;
	hdr = rte_pktmbuf_mtod_offset(m, const struct virtio_net_hdr_v1 *,
		-(int)VMDEV_NET_HDR_SIZE);
	if (hdr->flags == 0 && hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return true;
	return vmdev_rx_offload(m, hdr) == 0;
}

/*
 * Size class of a packet, in the order of the xstats names:
 * undersize, 64, 65-127, 128-255, 256-511, 512-1023, 1024-1518, 1519+.
 * Between 65 and 1023 the class is the bit length of the size minus 5.
 */
static __rte_always_inline unsigned int
vmdev_size_bin(uint32_t len)
{
	if (len == 64)
		return 1;
	if (len > 64 && len < 1024)
		return 27 - __builtin_clz(len);
	if (len < 64)
		return 0;
	return len < 1519 ? 6 : 7;
}

static __rte_always_inline void
vmdev_stats_count(struct vmdev_qstats *s, const struct rte_mbuf *m)
{
	const struct rte_ether_addr *dst =
		rte_pktmbuf_mtod(m, const struct rte_ether_addr *);
	uint32_t len = m->pkt_len;

	s->packets++;
	s->bytes += len;
	s->size_bins[vmdev_size_bin(len)]++;
	if (unlikely(rte_is_multicast_ether_addr(dst))) {
		if (rte_is_broadcast_ether_addr(dst))
			s->broadcast++;
		else
			s->multicast++;
	}
}

/*
 * Start loading the virtio-net header (and the frame's first bytes) of a
 * received buffer. The device wrote it on another core: read one packet
 * after the other (num_buffers, offloads, the statistics' MAC check),
 * each read would wait for its own cross-core miss (doc/guides/perf.rst,
 * "Where the 64 B loop stands").
 */
static __rte_always_inline void
vmdev_rx_prefetch_hdr(const struct rte_mbuf *m)
{
	const char *p;

	if (unlikely(m == NULL))
		return;
	/*
	 * With write intent: the application usually writes the frame
	 * (mac swap) and the tx path the header in front of it. Read
	 * first, each line would cross again to be written.
	 */
	p = (const char *)m->buf_addr + RTE_PKTMBUF_HEADROOM;
	rte_prefetch0_write(p - VMDEV_NET_HDR_SIZE);
	rte_prefetch0_write(p);
}

/* A received packet that cannot be given to the application. */
static __rte_always_inline void
vmdev_rx_drop(struct vmdev_rxq *rxq, struct rte_mbuf *m)
{
	rte_pktmbuf_free(m);
	rxq->stats.errors++;
}

/*
 * A packet assembled from mergeable rx buffers, by either ring layout:
 * the first buffer holds the header, the others data from their first
 * byte. "bad" remembers a length the device cannot have written.
 */
struct vmdev_rx_merge {
	struct rte_mbuf *head;
	struct rte_mbuf *tail;
	bool bad;
};

static __rte_always_inline void
vmdev_rx_merge_start(const struct vmdev_rxq *rxq, struct vmdev_rx_merge *p,
		struct rte_mbuf *m, uint32_t len)
{
	p->bad = len <= VMDEV_NET_HDR_SIZE || len > rxq->buf_len;
	m->data_len = len - VMDEV_NET_HDR_SIZE;
	m->pkt_len = m->data_len;
	m->port = rxq->port_id;
	p->head = m;
	p->tail = m;
}

static __rte_always_inline void
vmdev_rx_merge_add(const struct vmdev_rxq *rxq, struct vmdev_rx_merge *p,
		struct rte_mbuf *m, uint32_t len)
{
	p->bad |= len > rxq->buf_len;
	m->data_off = RTE_PKTMBUF_HEADROOM - VMDEV_NET_HDR_SIZE;
	m->data_len = len;
	p->head->pkt_len += len;
	p->tail->next = m;
	p->tail = m;
}

/* All nbufs buffers are in: the packet, or NULL once dropped. */
static __rte_always_inline struct rte_mbuf *
vmdev_rx_merge_end(struct vmdev_rxq *rxq, struct vmdev_rx_merge *p,
		uint16_t nbufs)
{
	p->head->nb_segs = nbufs;
	if (unlikely(p->bad || !vmdev_rx_hdr(rxq, p->head))) {
		vmdev_rx_drop(rxq, p->head);
		return NULL;
	}
	vmdev_stats_count(&rxq->stats, p->head);
	return p->head;
}

/* virtio_mdev_rxtx.c: cold helpers of every layout. */

/* A chain longer than the ring can never be sent: drop it (any layout). */
void __rte_cold vmdev_tx_drop_oversized(struct vmdev_txq *txq,
		struct rte_mbuf *m);
/* Queue start: every rx descriptor id free, no mbuf on the ring. */
void vmdev_rxq_ids_reset(struct vmdev_rxq *rxq);
/* Queue start: every tx descriptor id free (linked by next[]). */
void vmdev_txq_ids_reset(struct vmdev_txq *txq);

#endif /* VIRTIO_MDEV_RXTX_H */
