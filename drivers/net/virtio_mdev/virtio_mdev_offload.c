/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Checksum and segmentation offloads through the virtio-net header,
 * with DPDK's meanings on the mbuf side. These run only on queues whose
 * port negotiated an offload (the data path tests one queue flag), so
 * they are kept out of line.
 *
 * Tx: RTE_MBUF_F_TX_{TCP,UDP}_CKSUM become NEEDS_CSUM with csum_start at
 * the L4 header and csum_offset at its checksum field; the field holds
 * the pseudo-header sum, as both DPDK and virtio expect.
 * RTE_MBUF_F_TX_TCP_SEG becomes a GSO request (also NEEDS_CSUM). DPDK's
 * TSO pseudo-header sum leaves the length out, virtio devices segment
 * from a sum that includes the TCP length (as Linux builds it): the
 * length is added when the packet goes on the ring.
 *
 * Rx (GUEST_CSUM, GUEST_TSO*): DATA_VALID means the device verified the
 * L4 checksum (RTE_MBUF_F_RX_L4_CKSUM_GOOD); NEEDS_CSUM means the
 * sender left it partial but the data is intact
 * (RTE_MBUF_F_RX_L4_CKSUM_NONE) when it is the checksum of the TCP or
 * UDP header the packet parses to, else it is completed here; a GSO type
 * means a coalesced TCP packet (RTE_MBUF_F_RX_LRO, tso_segsz).
 */

#include <errno.h>
#include <string.h>
#include <stddef.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "virtio_mdev.h"

/* Tx */

/* Add the TCP length to the pseudo-header sum of a TSO packet. */
static void
vmdev_tso_phdr_len(struct rte_mbuf *m, uint32_t l4_off)
{
	struct rte_tcp_hdr *th;
	uint32_t sum;

	/* tx_prepare refuses a TSO packet whose headers are split. */
	if (unlikely(rte_pktmbuf_data_len(m) < l4_off + sizeof(*th)))
		return;
	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, l4_off);
	sum = th->cksum;
	sum += rte_cpu_to_be_16((uint16_t)(rte_pktmbuf_pkt_len(m) - l4_off));
	sum = (sum & 0xffff) + (sum >> 16);
	th->cksum = (uint16_t)sum;
}

/*
 * The header of an mbuf on a queue with tx offloads. Called once per
 * packet put on the ring (never for a packet the burst hands back).
 */
void
vmdev_tx_hdr_offload(struct virtio_net_hdr_v1 *hdr, struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	uint32_t l4_off = m->l2_len + m->l3_len;

	memset(hdr, 0, VMDEV_NET_HDR_SIZE);
	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr->csum_start = l4_off;
		hdr->csum_offset = offsetof(struct rte_tcp_hdr, cksum);
		hdr->gso_type = (ol & RTE_MBUF_F_TX_IPV6) ?
			VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
		hdr->gso_size = m->tso_segsz;
		hdr->hdr_len = l4_off + m->l4_len;
		vmdev_tso_phdr_len(m, l4_off);
		return;
	}
	switch (ol & RTE_MBUF_F_TX_L4_MASK) {
	case RTE_MBUF_F_TX_TCP_CKSUM:
		hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr->csum_start = l4_off;
		hdr->csum_offset = offsetof(struct rte_tcp_hdr, cksum);
		break;
	case RTE_MBUF_F_TX_UDP_CKSUM:
		hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr->csum_start = l4_off;
		hdr->csum_offset = offsetof(struct rte_udp_hdr, dgram_cksum);
		break;
	default:
		/* SCTP is not claimed; nothing asked for. */
		break;
	}
}

/* What one packet asks for, against what the queue negotiated. */
static int
vmdev_tx_prepare_one(const struct vmdev_txq *txq, struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	uint64_t l4 = ol & RTE_MBUF_F_TX_L4_MASK;
	int ret;

	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		uint8_t need = (ol & RTE_MBUF_F_TX_IPV6) ?
			VMDEV_TXO_TSO6 : VMDEV_TXO_TSO4;

		if (!(txq->offload & need))
			return -ENOTSUP;
		if (m->tso_segsz == 0 || m->l4_len < sizeof(struct rte_tcp_hdr))
			return -EINVAL;
	} else if (l4 != 0) {
		if (l4 != RTE_MBUF_F_TX_TCP_CKSUM &&
				l4 != RTE_MBUF_F_TX_UDP_CKSUM)
			return -ENOTSUP;
		if (!(txq->offload & VMDEV_TXO_CSUM))
			return -ENOTSUP;
	}
#ifdef RTE_LIBRTE_ETHDEV_DEBUG
	ret = rte_validate_tx_offload(m);
	if (ret != 0)
		return ret;
#endif
	/* Pseudo-header sums in the L4 field (checks headers are whole). */
	ret = rte_net_intel_cksum_prepare(m);
	if (ret != 0)
		return ret;
	/*
	 * virtio cannot offload the IPv4 header checksum (the device fixes
	 * it only in the segments it makes): do it here for the rest.
	 */
	if ((ol & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG)) ==
			RTE_MBUF_F_TX_IP_CKSUM) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
			struct rte_ipv4_hdr *, m->l2_len);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	return 0;
}

uint16_t
vmdev_tx_prepare(void *tx_queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct vmdev_txq *txq = tx_queue;
	uint16_t i;
	int ret;

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i];

		if (!(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM |
				RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG)))
			continue;
		ret = vmdev_tx_prepare_one(txq, m);
		if (ret != 0) {
			rte_errno = -ret;
			break;
		}
	}
	return i;
}

/* Rx */

/*
 * Finish a partial checksum whose place we could not name to the
 * application: sum from csum_start to the end, store at csum_offset.
 */
static int
vmdev_rx_csum_complete(struct rte_mbuf *m,
		const struct virtio_net_hdr_v1 *hdr)
{
	uint32_t off = (uint32_t)hdr->csum_start + hdr->csum_offset;
	uint16_t csum = 0;

	if (off + sizeof(uint16_t) > rte_pktmbuf_data_len(m) ||
			hdr->csum_start >= rte_pktmbuf_pkt_len(m))
		return -EINVAL;
	if (rte_raw_cksum_mbuf(m, hdr->csum_start,
			rte_pktmbuf_pkt_len(m) - hdr->csum_start, &csum) < 0)
		return -EINVAL;
	if (csum != 0xffff)
		csum = ~csum;
	/* off comes from the device's header and may be odd. */
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), &csum, sizeof(csum));
	return 0;
}

/*
 * Offload flags of a packet from its header; < 0 for a header the
 * packet cannot be handed on with (the caller drops it).
 */
int
vmdev_rx_offload(struct rte_mbuf *m, const struct virtio_net_hdr_v1 *hdr)
{
	struct rte_net_hdr_lens lens;
	uint32_t ptype, l4;
	bool tcp_udp;

	ptype = rte_net_get_ptype(m, &lens, RTE_PTYPE_L2_MASK |
		RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK);
	m->packet_type = ptype;
	l4 = ptype & RTE_PTYPE_L4_MASK;
	tcp_udp = l4 == RTE_PTYPE_L4_TCP || l4 == RTE_PTYPE_L4_UDP;
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (tcp_udp && hdr->csum_start == lens.l2_len + lens.l3_len)
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
		else if (vmdev_rx_csum_complete(m, hdr) != 0)
			return -EINVAL;
	} else if ((hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID) && tcp_udp) {
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	if (hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	if (hdr->gso_size == 0 || l4 != RTE_PTYPE_L4_TCP)
		return -EINVAL;
	switch (hdr->gso_type) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		m->ol_flags |= RTE_MBUF_F_RX_LRO;
		m->tso_segsz = hdr->gso_size;
		return 0;
	default:
		/* ECN and UDP segmentation are not negotiated. */
		return -EINVAL;
	}
}
