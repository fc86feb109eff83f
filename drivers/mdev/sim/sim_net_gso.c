/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Segmentation offload (VIRTIO_NET_F_HOST_TSO4 / HOST_TSO6). A tx packet
 * whose header has gso_type TCPV4 or TCPV6 (with NEEDS_CSUM, the
 * specification requires it) is one TCP packet of up to 64 KiB to be
 * cut into gso_size pieces. On the loopback, a driver that negotiated
 * the matching GUEST_TSO feature (and GUEST_CSUM) gets it whole, with
 * the GSO fields in its rx header, as Linux's tap does; without
 * mergeable buffers it gets it whole only when its rx buffer holds it.
 * Otherwise, and always on an ethdev wire, the device segments it: each
 * segment carries a copy of the headers, with the IPv4 total length, id
 * and checksum or the IPv6 payload length, the TCP sequence number and
 * checksum fixed, FIN and PSH only on the last segment, CWR only on the
 * first.
 *
 * Everything is checked on a linear copy of the packet before any use:
 * an Ethernet (optionally one VLAN tag) + IPv4 (no fragment) or IPv6 (no
 * extension header) + TCP packet, csum_start at the TCP header,
 * csum_offset at its checksum field, hdr_len and the headers within the
 * packet. A packet that is not is dropped and counted in tx_bad_offload.
 * The segments are made in place in that copy: the headers of segment i
 * are written just before its payload, over payload already delivered.
 */

#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "sim_copy.h"
#include "sim_net.h"

/* Longest headers: Ethernet, a VLAN tag, IPv4 with options, TCP's 60. */
#define SIM_GSO_HDR_MAX (RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN + 60 + 60)

#define SIM_IPV4_FRAG_MASK (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)

/* Where the headers of a GSO packet are. */
struct sim_gso {
	uint32_t l3;		/* IP header */
	uint32_t l4;		/* TCP header (csum_start) */
	uint32_t hlen;		/* all the headers */
	uint16_t mss;		/* gso_size: payload bytes per segment */
	bool v6;
};

/* The IP header at g->l3: its length in *l3len, or -1. */
static int
sim_gso_parse_ip(const uint8_t *p, uint32_t plen, const struct sim_gso *g,
		uint32_t *l3len)
{
	const struct rte_ipv6_hdr *ip6 = (const void *)(p + g->l3);
	const struct rte_ipv4_hdr *ip = (const void *)(p + g->l3);

	/* Pointers only: nothing is read before its length is checked. */
	if (g->v6) {
		if (plen < g->l3 + sizeof(*ip6) ||
				(rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6 ||
				ip6->proto != IPPROTO_TCP)
			return -1;
		*l3len = sizeof(*ip6);
		return 0;
	}
	if (plen < g->l3 + sizeof(*ip) || (ip->version_ihl >> 4) != 4 ||
			ip->next_proto_id != IPPROTO_TCP ||
			(rte_be_to_cpu_16(ip->fragment_offset) &
			 SIM_IPV4_FRAG_MASK) != 0)
		return -1;
	*l3len = (ip->version_ihl & 0xf) * 4;
	if (*l3len < sizeof(*ip) || plen < g->l3 + *l3len)
		return -1;
	return 0;
}

/* Check the header h against the packet p (plen bytes): 0 and g, or -1. */
static int
sim_gso_parse(const uint8_t *p, uint32_t plen,
		const struct virtio_net_hdr *h, struct sim_gso *g)
{
	uint16_t start = rte_le_to_cpu_16(h->csum_start);
	uint16_t off = rte_le_to_cpu_16(h->csum_offset);
	uint16_t etype, want;
	uint32_t l3len, l4len;

	if (h->gso_type != VIRTIO_NET_HDR_GSO_TCPV4 &&
			h->gso_type != VIRTIO_NET_HDR_GSO_TCPV6)
		return -1;	/* ECN and UDP were not offered */
	g->v6 = h->gso_type == VIRTIO_NET_HDR_GSO_TCPV6;
	g->mss = rte_le_to_cpu_16(h->gso_size);
	if (g->mss < SIM_GSO_MIN_MSS || rte_le_to_cpu_16(h->hdr_len) > plen ||
			off != offsetof(struct rte_tcp_hdr, cksum) ||
			plen < RTE_ETHER_HDR_LEN)
		return -1;
	g->l3 = RTE_ETHER_HDR_LEN;
	memcpy(&etype, p + g->l3 - 2, 2);
	if (etype == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		g->l3 += RTE_VLAN_HLEN;
		if (plen < g->l3)
			return -1;
		memcpy(&etype, p + g->l3 - 2, 2);
	}
	want = g->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4;
	if (etype != rte_cpu_to_be_16(want) ||
			sim_gso_parse_ip(p, plen, g, &l3len) != 0)
		return -1;
	g->l4 = g->l3 + l3len;
	if (start != g->l4 || plen < g->l4 + sizeof(struct rte_tcp_hdr))
		return -1;
	l4len = (p[g->l4 + offsetof(struct rte_tcp_hdr, data_off)] >> 4) * 4;
	if (l4len < sizeof(struct rte_tcp_hdr) || plen < g->l4 + l4len)
		return -1;
	g->hlen = g->l4 + l4len;
	return 0;
}

/* What segment i of a packet is. */
struct sim_gso_seg {
	uint32_t pay;		/* payload bytes */
	uint32_t seq;		/* TCP sequence number */
	uint16_t id;		/* IPv4 id */
	uint8_t flags;		/* TCP flags */
};

/* Fix the headers of a segment (at s) and complete its checksums. */
static void
sim_gso_fix(uint8_t *s, const struct sim_gso *g, const struct sim_gso_seg *x)
{
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(s + g->l4);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(s + g->l3);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(s + g->l3);
	uint32_t l4len = g->hlen - g->l4 + x->pay;

	th->sent_seq = rte_cpu_to_be_32(x->seq);
	th->tcp_flags = x->flags;
	th->cksum = 0;
	if (g->v6) {
		ip6->payload_len = rte_cpu_to_be_16(l4len);
		th->cksum = rte_ipv6_udptcp_cksum(ip6, th);
		return;
	}
	ip->total_length = rte_cpu_to_be_16(g->l4 - g->l3 + l4len);
	ip->packet_id = rte_cpu_to_be_16(x->id);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
}

/* Deliver or send one linear packet (a segment). false: stop. */
static bool
sim_gso_out(struct sim_dev *d, struct sim_rx_ctx *r, uint8_t *p,
		uint32_t len)
{
	struct sim_seg seg = { .va = p, .len = len };
	struct sim_cursor lin;

	sim_cursor_init(&lin, &seg, 1);
	if (d->wire.port_ok) {
		/* Many segments from one chain: do not overflow the batch. */
		if (d->wire.tx_n == SIM_WIRE_BURST)
			sim_wire_tx_flush(d, r->vq->qid / 2);
		sim_wire_tx(d, &lin, len);
		return true;
	}
	if (!r->ok) {
		r->vq->stats.completion_errors++;
		return false;
	}
	sim_rx_packet(d, r, &lin, len);
	return true;
}

/* Segment the packet in d->bounce (plen bytes, checked into g). */
static void
sim_gso_segment(struct sim_dev *d, const struct sim_gso *g, uint32_t plen,
		struct sim_rx_ctx *r)
{
	uint8_t tmpl[SIM_GSO_HDR_MAX];
	const struct rte_tcp_hdr *th = (const void *)(tmpl + g->l4);
	uint32_t pay = plen - g->hlen, off = 0, i;
	struct sim_gso_seg x;
	uint8_t flags;

	memcpy(tmpl, d->bounce, g->hlen);
	x.seq = rte_be_to_cpu_32(th->sent_seq);
	x.id = g->v6 ? 0 : rte_be_to_cpu_16(((const struct rte_ipv4_hdr *)
		(tmpl + g->l3))->packet_id);
	flags = th->tcp_flags;
	for (i = 0; i == 0 || off < pay; i++) {
		uint8_t *s = d->bounce + off;

		x.pay = RTE_MIN((uint32_t)g->mss, pay - off);
		x.flags = flags;
		if (off + x.pay < pay)
			x.flags &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
		if (i > 0) {
			x.flags &= ~RTE_TCP_CWR_FLAG;
			memcpy(s, tmpl, g->hlen);
		}
		sim_gso_fix(s, g, &x);
		if (!sim_gso_out(d, r, s, g->hlen + x.pay))
			return;
		d->net_stats.tx_tso_sw++;
		if (r->gso_left > 0)
			r->gso_left--;
		off += x.pay;
		x.seq += x.pay;
		x.id++;
	}
}

/*
 * Give the packet whole (in d->bounce) to a driver that negotiated the
 * GUEST_TSO feature of its type. false: not done, segment it instead.
 */
static bool
sim_gso_pass(struct sim_dev *d, const struct virtio_net_hdr *h,
		const struct sim_gso *g, uint32_t plen, struct sim_rx_ctx *r)
{
	struct sim_seg seg = { .va = d->bounce, .len = plen };
	struct sim_vq *rx = r->vq;
	struct virtio_net_hdr rh;
	struct sim_cursor lin;
	uint64_t small;

	if (!sim_has(d, VIRTIO_NET_F_GUEST_CSUM) || !sim_has(d, g->v6 ?
			VIRTIO_NET_F_GUEST_TSO6 : VIRTIO_NET_F_GUEST_TSO4))
		return false;
	memset(&rh, 0, sizeof(rh));
	rh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	rh.csum_start = h->csum_start;
	rh.csum_offset = h->csum_offset;
	rh.gso_type = h->gso_type;
	rh.gso_size = h->gso_size;
	/* The length found, not the driver's hint. */
	rh.hdr_len = rte_cpu_to_le_16(g->hlen);
	sim_cursor_init(&lin, &seg, 1);
	small = rx->stats.invalid_buffer;
	r->hdr = &rh;
	sim_rx_packet(d, r, &lin, plen);
	r->hdr = NULL;
	/*
	 * Without mergeable buffers a chain too small for the packet is
	 * left in the ring untouched: not an error here, as the segments
	 * may fit it.
	 */
	if (!d->mrg_rxbuf && rx->stats.invalid_buffer != small) {
		rx->stats.invalid_buffer = small;
		return false;
	}
	d->net_stats.tx_gso_passed++;
	return true;
}

void
sim_tx_gso(struct sim_dev *d, const struct virtio_net_hdr *h,
		struct sim_cursor *src, uint32_t plen, struct sim_rx_ctx *r)
{
	unsigned int bit = h->gso_type == VIRTIO_NET_HDR_GSO_TCPV6 ?
		VIRTIO_NET_F_HOST_TSO6 : VIRTIO_NET_F_HOST_TSO4;
	struct sim_seg seg = { .va = d->bounce, .len = plen };
	struct sim_cursor lin;
	struct sim_gso g;

	if (!sim_has(d, bit) || plen > SIM_BOUNCE_MAX ||
			sim_copy_out(sim_data_as(d), src, d->bounce, plen) != plen ||
			sim_gso_parse(d->bounce, plen, h, &g) != 0) {
		d->net_stats.tx_bad_offload++;
		return;
	}
	if (!d->wire.port_ok) {
		if (!r->ok) {
			r->vq->stats.completion_errors++;
			return;
		}
		sim_cursor_init(&lin, &seg, 1);
		if (!sim_rx_accept(d, &lin, plen))
			return;
		if (sim_gso_pass(d, h, &g, plen, r))
			return;
	}
	sim_gso_segment(d, &g, plen, r);
}
