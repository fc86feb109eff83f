/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Checksum offload: a tx header with VIRTIO_NET_HDR_F_NEEDS_CSUM is
 * passed on (NEEDS_CSUM and the offsets in the rx header) to a driver
 * that negotiated VIRTIO_NET_F_GUEST_CSUM, else the device completes the
 * checksum, checked against DPDK's rte_ipv4_udptcp_cksum(). Then the same
 * on an ethdev wire (a net_ring port), where the device always completes
 * it, and the receive filters on that wire.
 */

#include <stddef.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "sim.h"
#include "sim_net.h"
#include "test_sim.h"

#define O_CSUM (T_FEAT(VIRTIO_NET_F_CSUM))
#define O_GUEST_CSUM (T_FEAT(VIRTIO_NET_F_GUEST_CSUM))
#define O_L3 (sizeof(struct rte_ether_hdr))
#define O_L4 (O_L3 + sizeof(struct rte_ipv4_hdr))

static void
put(uint64_t iova, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint32_t i;

	for (i = 0; i < len; i++)
		*(uint8_t *)g_va(iova + i, 1) = s[i];
}

static void
get(void *dst, uint64_t iova, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t i;

	for (i = 0; i < len; i++)
		d[i] = *(const uint8_t *)g_va(iova + i, 1);
}

/* An IPv4 frame: TCP (proto 6) or UDP (17), with pay bytes of payload. */
static uint32_t
make_frame(uint8_t *f, uint8_t proto, uint32_t pay)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + O_L3);
	uint32_t l4 = proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
		sizeof(struct rte_udp_hdr);
	uint32_t len = O_L4 + l4 + pay;

	make_payload(f, len, proto + pay);
	memset(f, 0xff, RTE_ETHER_ADDR_LEN);	/* broadcast: never filtered */
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(len - O_L3);
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)(f + O_L4);

		memset(t, 0, sizeof(*t));
		t->src_port = rte_cpu_to_be_16(1234);
		t->dst_port = rte_cpu_to_be_16(80);
		t->sent_seq = rte_cpu_to_be_32(0x12345678);
		t->data_off = 0x50;
		t->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		t->rx_win = rte_cpu_to_be_16(65535);
		/* What a driver leaves for the device: the pseudo header. */
		t->cksum = rte_ipv4_phdr_cksum(ip, 0);
	} else {
		struct rte_udp_hdr *u = (struct rte_udp_hdr *)(f + O_L4);

		u->src_port = rte_cpu_to_be_16(1234);
		u->dst_port = rte_cpu_to_be_16(53);
		u->dgram_len = rte_cpu_to_be_16(len - O_L4);
		u->dgram_cksum = rte_ipv4_phdr_cksum(ip, 0);
	}
	return len;
}

/* The L4 checksum DPDK computes for the frame (its field ignored). */
static uint16_t
ref_cksum(const uint8_t *f, uint8_t proto)
{
	static uint8_t g[T_MAX_PKT];
	const struct rte_ipv4_hdr *ip = (const void *)(f + O_L3);
	uint32_t len = O_L3 + rte_be_to_cpu_16(ip->total_length);
	uint16_t off = proto == IPPROTO_TCP ? 16 : 6;

	memcpy(g, f, len);
	memset(g + O_L4 + off, 0, 2);
	return rte_ipv4_udptcp_cksum((const void *)(g + O_L3), g + O_L4);
}

/* One tx chain: header, then the frame in nsegs (1 or 2) pieces. */
static void
send_hdr(struct ctx *c, const struct virtio_net_hdr *h, const uint8_t *f,
		uint32_t len, int nsegs)
{
	struct virtio_net_hdr_mrg_rxbuf mh;
	struct tq *q = &c->q[1];
	uint32_t l1 = nsegs == 2 ? (len / 2) | 1 : len;
	uint64_t hb = g_alloc(c, T_HDR_LEN), b1 = g_alloc(c, l1), b2 = 0;
	uint16_t next = 0;

	memset(&mh, 0, sizeof(mh));
	mh.hdr = *h;
	put(hb, &mh, T_HDR_LEN);
	put(b1, f, l1);
	if (nsegs == 2) {
		b2 = g_alloc(c, len - l1);
		put(b2, f + l1, len - l1);
		next = tq_desc(q, b2, len - l1, 0, 0);
	}
	next = tq_desc(q, b1, l1, nsegs == 2 ? VRING_DESC_F_NEXT : 0, next);
	next = tq_desc(q, hb, T_HDR_LEN, VRING_DESC_F_NEXT, next);
	tq_push(q, next);
}

static void
csum_hdr(struct virtio_net_hdr *h, uint8_t proto)
{
	memset(h, 0, sizeof(*h));
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = O_L4;
	h->csum_offset = proto == IPPROTO_TCP ? 16 : 6;
}

/*
 * Send f with header h on pair 0 and receive it: out and the rx header.
 * Returns 0, or -1 with the reason.
 */
static int
round_trip(struct ctx *c, const struct virtio_net_hdr *h, const uint8_t *f,
		uint32_t len, int nsegs, uint8_t *out,
		struct virtio_net_hdr *rh)
{
	uint64_t rxb = post_rx(c, 0, 1, 2048);
	uint32_t got = 0;
	int nb;

	send_hdr(c, h, f, len, nsegs);
	dev_poll(c);
	nb = recv_pkt(c, 0, out, &got);
	CHECK(c, nb == 1 && got == len, "recv %d, %u bytes (sent %u)", nb,
		got, len);
	get(rh, rxb, sizeof(*rh));
	return 0;
}

static struct sim_net_stats *
nstats(struct ctx *c)
{
	return &sim_dev_of(c->dev)->net_stats;
}

/* GUEST_CSUM: the partial checksum and its offsets reach the driver. */
static int
csum_passthrough(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	struct virtio_net_hdr h, rh;
	uint64_t passed;
	uint32_t len;

	if (dev_setup(c, T_BASE_FEATURES | O_CSUM | O_GUEST_CSUM) != 0)
		return -1;
	passed = nstats(c)->tx_csum_passed;
	len = make_frame(f, IPPROTO_TCP, 100);
	csum_hdr(&h, IPPROTO_TCP);
	if (round_trip(c, &h, f, len, 1, out, &rh) != 0)
		return -1;
	CHECK(c, rh.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
		rh.csum_start == O_L4 && rh.csum_offset == 16 &&
		rh.gso_type == VIRTIO_NET_HDR_GSO_NONE,
		"rx header flags %u start %u offset %u gso %u", rh.flags,
		rh.csum_start, rh.csum_offset, rh.gso_type);
	CHECK(c, memcmp(f, out, len) == 0, "packet changed on the way");
	CHECK(c, nstats(c)->tx_csum_passed == passed + 1,
		"tx_csum_passed not counted");
	return 0;
}

/* Without GUEST_CSUM the device completes TCP and UDP checksums. */
static int
csum_software(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	static const struct {
		uint8_t proto;
		uint32_t pay;
		int nsegs;
	} t[] = {
		{ IPPROTO_TCP, 100, 1 }, { IPPROTO_TCP, 1401, 2 },
		{ IPPROTO_UDP, 333, 2 }, { IPPROTO_UDP, 0, 1 },
	};
	struct virtio_net_hdr h, rh;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(out + O_L3);
	uint16_t off, want, got;
	uint64_t sw;
	uint32_t len;
	unsigned int i;

	if (dev_setup(c, T_BASE_FEATURES | O_CSUM) != 0)
		return -1;
	for (i = 0; i < RTE_DIM(t); i++) {
		sw = nstats(c)->tx_csum_sw;
		len = make_frame(f, t[i].proto, t[i].pay);
		csum_hdr(&h, t[i].proto);
		off = h.csum_offset;
		if (round_trip(c, &h, f, len, t[i].nsegs, out, &rh) != 0)
			return -1;
		CHECK(c, rh.flags == 0 && rh.csum_start == 0 &&
			rh.csum_offset == 0, "case %u: rx header flags %u",
			i, rh.flags);
		want = ref_cksum(f, t[i].proto);
		memcpy(&got, out + O_L4 + off, 2);
		CHECK(c, got == want, "case %u: checksum 0x%04x, DPDK 0x%04x",
			i, got, want);
		CHECK(c, rte_ipv4_udptcp_cksum_verify(ip, out + O_L4) == 0,
			"case %u: checksum does not verify", i);
		/* Everything else as sent. */
		memcpy(out + O_L4 + off, f + O_L4 + off, 2);
		CHECK(c, memcmp(f, out, len) == 0, "case %u: packet changed",
			i);
		CHECK(c, nstats(c)->tx_csum_sw == sw + 1,
			"case %u: tx_csum_sw not counted", i);
	}
	return 0;
}

/* Offsets beyond the packet: dropped and counted, the tx chain done. */
static int
csum_bad_offsets(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT];
	struct rte_virtio_mdev_vq_stats s;
	struct virtio_net_hdr h;
	uint64_t bad;
	uint32_t len;
	int g;

	for (g = 0; g < 2; g++) {
		if (dev_setup(c, T_BASE_FEATURES | O_CSUM |
				(g ? O_GUEST_CSUM : 0)) != 0)
			return -1;
		bad = nstats(c)->tx_bad_offload;
		len = make_frame(f, IPPROTO_UDP, 10);
		csum_hdr(&h, IPPROTO_UDP);
		h.csum_offset = len - O_L4 - 1;	/* field would end past it */
		post_rx(c, 0, 1, 2048);
		send_hdr(c, &h, f, len, 1);
		dev_poll(c);
		CHECK(c, tq_used_idx(&c->q[1]) == 1, "tx chain not completed");
		CHECK(c, tq_used_idx(&c->q[0]) == 0, "packet delivered");
		CHECK(c, nstats(c)->tx_bad_offload == bad + 1,
			"tx_bad_offload not counted");
		get_stats(c, 1, &s);
		CHECK(c, s.bad_desc_errors == 0 && s.invalid_buffer == 0,
			"counted as a ring error");
	}
	return 0;
}

/* CSUM not negotiated: the header's flags are ignored. */
static int
csum_not_negotiated(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	struct virtio_net_hdr h, rh;
	uint32_t len;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	len = make_frame(f, IPPROTO_TCP, 50);
	csum_hdr(&h, IPPROTO_TCP);
	if (round_trip(c, &h, f, len, 1, out, &rh) != 0)
		return -1;
	CHECK(c, rh.flags == 0, "rx header flags %u", rh.flags);
	CHECK(c, memcmp(f, out, len) == 0, "packet changed");
	return 0;
}

/* The same on an ethdev wire: a net_ring port that loops back. */
#define O_RING	"net_ringO"
#define O_SIM	"mdev_simO"
static struct ctx o;

static int
o_create(struct ctx *c)
{
	uint16_t port;

	if (o.dev != NULL)
		return 1;
	if (rte_vdev_init(O_RING, NULL) != 0 ||
			rte_eth_dev_get_port_by_name(O_RING, &port) != 0) {
		snprintf(c->why, sizeof(c->why), "SKIP: no net_ring driver");
		return 0;
	}
	CHECK(c, rte_vdev_init(O_SIM,
		"class=vdpa,queues=2,queue_size=64,wire=" O_RING) == 0,
		"probe with wire=" O_RING " failed");
	o.dev = rte_mdev_find(O_SIM);
	CHECK(c, o.dev != NULL, "no mdev " O_SIM);
	o.ops = o.dev->ops;
	CHECK(c, g_map(&o) == 0, "dma_map failed");
	return 1;
}

/* On a wire the device completes the checksum even with GUEST_CSUM. */
static int
wire_csum(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(out + O_L3);
	struct virtio_net_hdr h, rh;
	uint16_t want, got;
	uint32_t len;
	int r = o_create(c);

	if (r <= 0)
		return r;
	if (dev_setup(&o, T_BASE_FEATURES | O_CSUM | O_GUEST_CSUM |
			T_FEAT(VIRTIO_NET_F_MRG_RXBUF)) != 0)
		goto fail;
	len = make_frame(f, IPPROTO_TCP, 1000);
	csum_hdr(&h, IPPROTO_TCP);
	if (round_trip(&o, &h, f, len, 2, out, &rh) != 0)
		goto fail;
	CHECK(c, rh.flags == 0, "rx header flags %u", rh.flags);
	want = ref_cksum(f, IPPROTO_TCP);
	memcpy(&got, out + O_L4 + 16, 2);
	CHECK(c, got == want, "checksum 0x%04x, DPDK 0x%04x", got, want);
	CHECK(c, rte_ipv4_udptcp_cksum_verify(ip, out + O_L4) == 0,
		"checksum does not verify");
	return 0;
fail:
	memcpy(c->why, o.why, sizeof(c->why));
	return -1;
}

/* Receive filters apply to what the wire received too. */
static int
wire_filter(struct ctx *c)
{
	static const uint8_t foreign[6] = {
		0x02, 0x99, 0x88, 0x77, 0x66, 0x55,
	};
	static uint8_t f[T_MAX_PKT];
	struct sim_dev *od;
	uint64_t filt, deliv, nobuf, rxp;
	uint8_t zero = 0, ack = 0;
	int r = o_create(c);

	if (r <= 0)
		return r;
	od = sim_dev_of(o.dev);
	if (dev_setup(&o, T_BASE_FEATURES) != 0 ||
			ctrl_cmd(&o, VIRTIO_NET_CTRL_RX,
			VIRTIO_NET_CTRL_RX_PROMISC, &zero, 1, &ack) != 0) {
		memcpy(c->why, o.why, sizeof(c->why));
		return -1;
	}
	CHECK(c, ack == VIRTIO_NET_OK, "PROMISC 0: ack %u", ack);
	filt = od->net_stats.rx_filtered;
	deliv = od->wire.stats.rx_delivered;
	nobuf = od->wire.stats.rx_nobuf_drops;
	rxp = od->wire.stats.rx_packets;
	post_rx(&o, 0, 1, 2048);
	make_payload(f, 64, 3);
	memcpy(f, foreign, 6);
	send_pkt(&o, 1, f, 64, 1);
	dev_poll(&o);
	CHECK(c, tq_used_idx(&o.q[0]) == 0, "foreign frame delivered");
	CHECK(c, od->wire.stats.rx_packets == rxp + 1,
		"frame did not come back from the port");
	CHECK(c, od->net_stats.rx_filtered == filt + 1 &&
		od->wire.stats.rx_delivered == deliv &&
		od->wire.stats.rx_nobuf_drops == nobuf,
		"filtered %" PRIu64 " -> %" PRIu64 ", nobuf %" PRIu64
		" -> %" PRIu64, filt, od->net_stats.rx_filtered, nobuf,
		od->wire.stats.rx_nobuf_drops);
	/* Broadcast still passes. */
	memset(f, 0xff, 6);
	send_pkt(&o, 1, f, 64, 1);
	dev_poll(&o);
	CHECK(c, tq_used_idx(&o.q[0]) == 1, "broadcast not delivered");
	/* Leave the device reset, as the other cases expect theirs. */
	o.ops->set_status(o.dev, 0);
	return 0;
}

/* Segmentation offload (HOST_TSO4/6, GUEST_TSO4/6; sim_net_gso.c). */

#define O_TSO (T_FEAT(VIRTIO_NET_F_HOST_TSO4) | T_FEAT(VIRTIO_NET_F_HOST_TSO6))
#define O_GUEST_TSO (T_FEAT(VIRTIO_NET_F_GUEST_TSO4) | \
	T_FEAT(VIRTIO_NET_F_GUEST_TSO6))
#define O_MRG (T_FEAT(VIRTIO_NET_F_MRG_RXBUF))
#define O_L4_6 (O_L3 + sizeof(struct rte_ipv6_hdr))
#define O_SEQ 0x7ffffe00u

/* A TCP frame over IPv4 or IPv6 as a driver leaves it for TSO. */
static uint32_t
make_tso_frame(uint8_t *f, bool v6, uint32_t pay)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	uint32_t l4 = v6 ? O_L4_6 : O_L4;
	uint32_t len = l4 + sizeof(struct rte_tcp_hdr) + pay;
	struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)(f + l4);
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(f + O_L3);

	if (!v6) {
		len = make_frame(f, IPPROTO_TCP, pay);
		t->sent_seq = rte_cpu_to_be_32(O_SEQ);
		t->tcp_flags |= RTE_TCP_CWR_FLAG | RTE_TCP_FIN_FLAG;
		return len;
	}
	make_payload(f, len, pay);
	memset(f, 0xff, RTE_ETHER_ADDR_LEN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	memset(ip6, 0, sizeof(*ip6));
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(len - l4);
	ip6->proto = IPPROTO_TCP;
	ip6->hop_limits = 64;
	memset(t, 0, sizeof(*t));
	t->src_port = rte_cpu_to_be_16(1234);
	t->dst_port = rte_cpu_to_be_16(80);
	t->sent_seq = rte_cpu_to_be_32(O_SEQ);
	t->data_off = 0x50;
	t->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_CWR_FLAG;
	t->rx_win = rte_cpu_to_be_16(65535);
	t->cksum = rte_ipv6_phdr_cksum(ip6, 0);
	return len;
}

static void
tso_hdr(struct virtio_net_hdr *h, bool v6, uint16_t mss)
{
	memset(h, 0, sizeof(*h));
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	h->gso_size = mss;
	h->csum_start = v6 ? O_L4_6 : O_L4;
	h->csum_offset = 16;
	h->hdr_len = h->csum_start + sizeof(struct rte_tcp_hdr);
}

/* Check segment k (out, got bytes) of frame f cut at mss. */
static int
tso_check_seg(struct ctx *c, const uint8_t *f, uint32_t len, bool v6,
		uint16_t mss, uint32_t k, const uint8_t *out, uint32_t got)
{
	uint32_t l4 = v6 ? O_L4_6 : O_L4, hl = l4 + sizeof(struct rte_tcp_hdr);
	uint32_t pay = len - hl, n = RTE_MIN((uint32_t)mss, pay - k * mss);
	const struct rte_tcp_hdr *t = (const void *)(out + l4);
	const struct rte_ipv4_hdr *ip = (const void *)(out + O_L3);
	bool last = k * mss + n == pay;
	uint8_t want = RTE_TCP_ACK_FLAG | RTE_TCP_CWR_FLAG |
		(last ? RTE_TCP_PSH_FLAG | RTE_TCP_FIN_FLAG : 0);

	if (v6)
		want &= ~RTE_TCP_FIN_FLAG;
	if (k > 0)
		want &= ~RTE_TCP_CWR_FLAG;
	CHECK(c, got == hl + n, "segment %u: %u bytes, expected %u", k, got,
		hl + n);
	CHECK(c, memcmp(out + hl, f + hl + k * mss, n) == 0,
		"segment %u: payload differs", k);
	CHECK(c, rte_be_to_cpu_32(t->sent_seq) == O_SEQ + k * mss,
		"segment %u: seq 0x%x", k, rte_be_to_cpu_32(t->sent_seq));
	CHECK(c, t->tcp_flags == want, "segment %u: TCP flags 0x%x, want 0x%x",
		k, t->tcp_flags, want);
	if (v6) {
		const struct rte_ipv6_hdr *ip6 = (const void *)(out + O_L3);

		CHECK(c, rte_be_to_cpu_16(ip6->payload_len) == got - O_L4_6,
			"segment %u: IPv6 payload length %u", k,
			rte_be_to_cpu_16(ip6->payload_len));
		CHECK(c, rte_ipv6_udptcp_cksum_verify(ip6, t) == 0,
			"segment %u: TCP checksum does not verify", k);
		return 0;
	}
	CHECK(c, rte_be_to_cpu_16(ip->total_length) == got - O_L3,
		"segment %u: IPv4 total length %u", k,
		rte_be_to_cpu_16(ip->total_length));
	CHECK(c, rte_be_to_cpu_16(ip->packet_id) == k, "segment %u: IPv4 id %u",
		k, rte_be_to_cpu_16(ip->packet_id));
	CHECK(c, rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
		"segment %u: IPv4 header checksum does not verify", k);
	CHECK(c, rte_ipv4_udptcp_cksum_verify(ip, t) == 0,
		"segment %u: TCP checksum does not verify", k);
	return 0;
}

/* Send one TSO frame and check the segments that come back on c's pair 0. */
static int
tso_segments(struct ctx *c, bool v6, uint32_t pay, uint16_t mss)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	/* No payload: one segment, the headers. */
	uint32_t nseg = RTE_MAX((pay + mss - 1) / mss, 1u), k, len, got;
	struct sim_net_stats *ns = &sim_dev_of(c->dev)->net_stats;
	uint64_t sw = ns->tx_tso_sw;
	struct virtio_net_hdr h;

	len = make_tso_frame(f, v6, pay);
	tso_hdr(&h, v6, mss);
	post_rx(c, 0, nseg, 2048);
	send_hdr(c, &h, f, len, 2);
	dev_poll(c);
	for (k = 0; k < nseg; k++) {
		got = 0;
		CHECK(c, recv_pkt(c, 0, out, &got) == 1,
			"%s: segment %u of %u not received", v6 ? "v6" : "v4",
			k, nseg);
		if (tso_check_seg(c, f, len, v6, mss, k, out, got) != 0)
			return -1;
	}
	CHECK(c, recv_pkt(c, 0, out, &got) == 0, "more than %u segments",
		nseg);
	CHECK(c, ns->tx_tso_sw == sw + nseg, "tx_tso_sw +%" PRIu64 ", not +%u",
		ns->tx_tso_sw - sw, nseg);
	return 0;
}

/* No GUEST_TSO: the device cuts the packet into MSS-sized segments. */
static int
tso_software(struct ctx *c)
{
	static const struct {
		bool v6;
		uint32_t pay;
		uint16_t mss;
	} t[] = {
		{ false, 3000, 1000 }, { false, 4001, 1448 },
		{ true, 3500, 1220 }, { true, 100, 1440 }, { false, 0, 536 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		/* Even with GUEST_CSUM, without GUEST_TSO. */
		if (dev_setup(c, T_BASE_FEATURES | O_CSUM | O_TSO |
				(i & 1 ? O_GUEST_CSUM : 0)) != 0)
			return -1;
		if (tso_segments(c, t[i].v6, t[i].pay, t[i].mss) != 0)
			return -1;
	}
	return 0;
}

/* GUEST_TSO and mergeable buffers: the frame is passed on whole. */
static int
tso_passthrough(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	struct sim_net_stats *ns = &sim_dev_of(c->dev)->net_stats;
	struct virtio_net_hdr h, rh;
	uint64_t passed, rxb;
	uint32_t len, got = 0;
	int v6, nb;

	for (v6 = 0; v6 < 2; v6++) {
		if (dev_setup(c, T_BASE_FEATURES | O_CSUM | O_TSO |
				O_GUEST_CSUM | O_GUEST_TSO | O_MRG) != 0)
			return -1;
		passed = ns->tx_gso_passed;
		len = make_tso_frame(f, v6, 5000);
		tso_hdr(&h, v6, 1400);
		h.hdr_len = 10;	/* a hint only: the device says the right one */
		rxb = post_rx(c, 0, 4, 2048);
		send_hdr(c, &h, f, len, 2);
		dev_poll(c);
		nb = recv_pkt(c, 0, out, &got);
		CHECK(c, nb == 3 && got == len, "recv %d buffers, %u bytes", nb,
			got);
		get(&rh, rxb, sizeof(rh));
		CHECK(c, rh.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
			rh.gso_type == h.gso_type && rh.gso_size == 1400 &&
			rh.csum_start == h.csum_start && rh.csum_offset == 16 &&
			rh.hdr_len == h.csum_start + 20,
			"rx header flags %u gso %u/%u start %u hdr_len %u",
			rh.flags, rh.gso_type, rh.gso_size, rh.csum_start,
			rh.hdr_len);
		CHECK(c, memcmp(f, out, len) == 0, "packet changed");
		CHECK(c, ns->tx_gso_passed == passed + 1,
			"tx_gso_passed not counted");
	}
	return 0;
}

/*
 * GUEST_TSO without mergeable buffers: a frame its rx buffer holds is
 * passed on, one that does not fit is segmented (not dropped).
 */
static int
tso_single_buffer(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT], out[T_MAX_PKT];
	struct sim_net_stats *ns = &sim_dev_of(c->dev)->net_stats;
	struct rte_virtio_mdev_vq_stats s;
	struct virtio_net_hdr h, rh;
	uint64_t passed, rxb;
	uint32_t len, got = 0;

	if (dev_setup(c, T_BASE_FEATURES | O_CSUM | O_TSO | O_GUEST_CSUM |
			O_GUEST_TSO) != 0)
		return -1;
	passed = ns->tx_gso_passed;
	len = make_tso_frame(f, false, 3000);
	tso_hdr(&h, false, 1000);
	rxb = post_rx(c, 0, 1, 4096);
	send_hdr(c, &h, f, len, 1);
	dev_poll(c);
	CHECK(c, recv_pkt(c, 0, out, &got) == 1 && got == len,
		"big buffer: not received whole (%u bytes)", got);
	get(&rh, rxb, sizeof(rh));
	CHECK(c, rh.gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
		ns->tx_gso_passed == passed + 1, "big buffer: gso %u, passed %"
		PRIu64, rh.gso_type, ns->tx_gso_passed - passed);
	/* 2 KiB buffers: three segments. */
	if (tso_segments(c, false, 3000, 1000) != 0)
		return -1;
	get_stats(c, 0, &s);
	CHECK(c, s.invalid_buffer == 0, "rx invalid_buffer %" PRIu64,
		s.invalid_buffer);
	return 0;
}

/* Spoil a good TSO frame (f, *slen bytes) or its header h: case i. */
#define TSO_BAD_CASES 12
static void
tso_spoil(int i, struct virtio_net_hdr *h, uint8_t *f, uint32_t *slen)
{
	switch (i) {
	case 0:		/* hdr_len past the packet */
		h->hdr_len = *slen + 1;
		break;
	case 1:
		h->gso_size = 0;
		break;
	case 2:		/* csum_start inside the TCP header */
		h->csum_start += 4;
		break;
	case 3:		/* csum_offset of UDP */
		h->csum_offset = 6;
		break;
	case 4:		/* not offered */
		h->gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		break;
	case 5:
		h->gso_type = VIRTIO_NET_HDR_GSO_UDP;
		break;
	case 6:		/* IHL 15: options over the TCP header */
		f[O_L3] = 0x4f;
		break;
	case 7:		/* TCP data offset 60, packet cut after 40 */
		f[O_L4 + 12] = 0xf0;
		*slen = O_L4 + 40;
		break;
	case 8:		/* cut inside the TCP header, hdr_len no help */
		*slen = O_L4 + 10;
		h->hdr_len = 0;
		break;
	case 9:		/* an IPv4 header as TCPV6 */
		h->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
		break;
	case 10:	/* below the minimum MSS: one segment per byte */
		h->gso_size = SIM_GSO_MIN_MSS - 1;
		break;
	default:	/* 11: HOST_TSO4 not negotiated (tso_bad_headers) */
		break;
	}
}

/*
 * Hostile headers: each is dropped, counted in tx_bad_offload, its tx
 * chain completed, nothing read beyond the packet (ASan watches). With
 * and without GUEST_TSO (pass-through).
 */
static int
tso_bad_headers(struct ctx *c)
{
	static uint8_t f[T_MAX_PKT];
	struct sim_net_stats *ns = &sim_dev_of(c->dev)->net_stats;
	uint64_t feat, bad;
	struct virtio_net_hdr h;
	uint32_t slen;
	int i, g;

	for (g = 0; g < 2; g++) {
		for (i = 0; i < TSO_BAD_CASES; i++) {
			feat = T_BASE_FEATURES | O_CSUM | (g ? O_GUEST_CSUM |
				O_GUEST_TSO | O_MRG : 0);
			if (i != TSO_BAD_CASES - 1)
				feat |= O_TSO;
			if (dev_setup(c, feat) != 0)
				return -1;
			bad = ns->tx_bad_offload;
			slen = make_tso_frame(f, false, 3000);
			tso_hdr(&h, false, 1000);
			tso_spoil(i, &h, f, &slen);
			post_rx(c, 0, 4, 2048);
			send_hdr(c, &h, f, slen, i & 1 ? 2 : 1);
			dev_poll(c);
			CHECK(c, tq_used_idx(&c->q[1]) == 1,
				"case %d/%d: tx chain not completed", g, i);
			CHECK(c, tq_used_idx(&c->q[0]) == 0,
				"case %d/%d: packet delivered", g, i);
			CHECK(c, ns->tx_bad_offload == bad + 1,
				"case %d/%d: tx_bad_offload not counted", g, i);
		}
	}
	return 0;
}

/*
 * Regression: chains of 64 KiB at the minimum MSS, 728 segments each,
 * made the device spend seconds in one pass with its lock held. A pass
 * now stops taking chains once SIM_GSO_BUDGET segments were made; the
 * rest wait for the next pass, none is lost.
 */
static int
tso_budget(struct ctx *c)
{
	static uint8_t f[64 * 1024 + 128];
	const uint32_t pay = 64000, nchains = 4;
	const uint32_t per = (pay + SIM_GSO_MIN_MSS - 1) / SIM_GSO_MIN_MSS;
	const uint32_t first = (SIM_GSO_BUDGET + per - 1) / per;
	struct sim_net_stats *ns = &sim_dev_of(c->dev)->net_stats;
	struct virtio_net_hdr h;
	uint64_t sw;
	uint32_t len, i;

	CHECK(c, !c->engine, "needs passes of its own (no engine)");
	if (dev_setup(c, T_BASE_FEATURES | O_CSUM | O_TSO) != 0)
		return -1;
	sw = ns->tx_tso_sw;
	len = make_tso_frame(f, false, pay);
	tso_hdr(&h, false, SIM_GSO_MIN_MSS);
	for (i = 0; i < nchains; i++)
		send_hdr(c, &h, f, len, 1);
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[1]) == first, "first pass took %u chains, "
		"expected %u (budget %u segments)", tq_used_idx(&c->q[1]),
		first, SIM_GSO_BUDGET);
	CHECK(c, ns->tx_tso_sw == sw + first * per, "first pass made %" PRIu64
		" segments, expected %u", ns->tx_tso_sw - sw, first * per);
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[1]) == nchains, "second pass: %u of %u "
		"chains done", tq_used_idx(&c->q[1]), nchains);
	CHECK(c, ns->tx_tso_sw == sw + nchains * per, "%" PRIu64 " segments "
		"in all, expected %u", ns->tx_tso_sw - sw, nchains * per);
	return 0;
}

/* On an ethdev wire the device always segments (the port gets MSS frames). */
static int
wire_tso(struct ctx *c)
{
	int r = o_create(c);

	if (r <= 0)
		return r;
	if (dev_setup(&o, T_BASE_FEATURES | O_CSUM | O_TSO | O_GUEST_CSUM |
			O_GUEST_TSO | O_MRG) != 0 ||
			tso_segments(&o, false, 6000, 1448) != 0 ||
			tso_segments(&o, true, 8000, 1000) != 0) {
		memcpy(c->why, o.why, sizeof(c->why));
		return -1;
	}
	o.ops->set_status(o.dev, 0);
	return 0;
}

const struct test_case offload_cases[] = {
	{ "csum_passthrough", csum_passthrough },
	{ "csum_software", csum_software },
	{ "csum_bad_offsets", csum_bad_offsets },
	{ "csum_not_negotiated", csum_not_negotiated },
	{ "wire_csum", wire_csum },
	{ "wire_filter", wire_filter },
	{ "tso_software", tso_software },
	{ "tso_passthrough", tso_passthrough },
	{ "tso_single_buffer", tso_single_buffer },
	{ "tso_bad_headers", tso_bad_headers },
	{ "tso_budget", tso_budget },
	{ "wire_tso", wire_tso },
};
const unsigned int nb_offload_cases = RTE_DIM(offload_cases);
