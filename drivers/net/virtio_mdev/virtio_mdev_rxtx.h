/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

#ifndef VIRTIO_MDEV_RXTX_H
#define VIRTIO_MDEV_RXTX_H

/*
 * Data-path helpers shared by every ring layout: header handling,
 * per-packet statistics.
 */

#include <rte_branch_prediction.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "virtio_mdev.h"

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

/* No offloads are negotiated: a transmitted header is all zeroes. */
static __rte_always_inline void
vmdev_hdr_clear(struct virtio_net_hdr_v1 *hdr)
{
	memset(hdr, 0, VMDEV_NET_HDR_SIZE);
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

#endif /* VIRTIO_MDEV_RXTX_H */
