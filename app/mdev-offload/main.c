/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * mdev-offload: checksum offloads through a looped-back port. Sends TCP
 * and UDP frames over IPv4 and IPv6 whose L4 checksum is left to the
 * port (RTE_MBUF_F_TX_{TCP,UDP}_CKSUM, pseudo-header written by
 * rte_eth_tx_prepare) and checks what comes back:
 *
 *   - every frame comes back once, its bytes as sent apart from the L4
 *     checksum field;
 *   - a frame flagged RTE_MBUF_F_RX_L4_CKSUM_NONE (partial checksum,
 *     data intact) has the pseudo-header sum in its field, and its
 *     checksum is right once the application completes it;
 *   - any other frame has a right L4 checksum (verified in software);
 *     none is flagged RTE_MBUF_F_RX_L4_CKSUM_BAD.
 *
 *   mdev-offload <EAL options> -- [--port N] [--count N] [--rx-csum]
 *       [--no-tx-csum] [--expect none|good|any] [--skip-prepare]
 *
 * --rx-csum enables RTE_ETH_RX_OFFLOAD_{TCP,UDP}_CKSUM; --no-tx-csum
 * computes checksums in software and sends without offload flags;
 * --expect says which rx L4 flag every frame must carry (none: partial,
 * good: verified, any: whatever, the default). --skip-prepare leaves
 * the garbage in the checksum fields (no rte_eth_tx_prepare): a check of
 * the checker, which must then fail. Without the tx capability
 * the program says "no tx checksum offload" and sends in software.
 *
 * TSO mode (--tso [--lro] [--expect-rx lro|segments]): TCP frames over
 * IPv4 and IPv6 with 3000 to 9000 bytes of payload, sent with
 * RTE_MBUF_F_TX_TCP_SEG and an MSS (tso_segsz) of 536 to 1448. --lro
 * enables RTE_ETH_RX_OFFLOAD_TCP_LRO when the port has it. What comes
 * back is either, per frame, one packet flagged RTE_MBUF_F_RX_LRO with
 * tso_segsz the MSS, the frame's bytes and the partial checksum in its
 * field (RTE_MBUF_F_RX_L4_CKSUM_NONE); or segments of at most MSS bytes
 * (all but the last exactly MSS), in order, with right IPv4 header and
 * TCP checksums, IPv4 total length and id, IPv6 payload length, sequence
 * numbers, CWR on the first only, PSH on the last only, and the payload
 * bytes that put back together are the frame's. --expect-rx says which
 * of the two every frame must be. Without the TSO capability the program
 * prints "offload: tso not offered" and exits 3.
 *
 * --linger MS: once done, print "offload: lingering" and wait MS
 * milliseconds before closing the port, for a script to read the
 * device's counters (telemetry) meanwhile.
 *
 * Last line: "offload: sent N received N partial N good N unknown N
 * bad N" (TSO mode: "offload: tso ... lro N segments N"). Exit 0 when
 * everything checked out, 1 otherwise, 2 on a set-up error.
 */

#include <getopt.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#define NB_DESC 256
#define BURST 32
#define WINDOW 128
#define MAX_COUNT 100000
#define KINDS 4		/* tcp4, udp4, tcp6, udp6 */

#define TSO_WINDOW 8	/* frames of up to 17 segments, 256 rx buffers */
#define TSO_PAY_MIN 3000
#define TSO_PAY_MAX 9000
#define TSO_FRAME_MAX (TSO_PAY_MAX + 14 + 40 + 20)

enum expect { EXPECT_ANY, EXPECT_NONE, EXPECT_GOOD };
enum expect_rx { RX_ANY, RX_LRO, RX_SEGMENTS };

static struct {
	uint16_t port;
	uint32_t count;
	bool rx_csum;
	bool tx_csum;
	bool skip_prepare;
	enum expect expect;
	bool tso;
	bool lro;
	enum expect_rx expect_rx;
	uint32_t linger_ms;
} opt = { .count = 2000, .tx_csum = true };

struct counts {
	uint32_t sent, received, partial, good, unknown, bad, errors;
	uint32_t lro, segments;
};

/* TSO mode: payload bytes of each frame received so far (segments). */
static uint32_t *tso_next;
static struct rte_mempool *tso_pool;

static struct rte_ether_addr port_mac;
static uint8_t *seen;

static int
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s <EAL options> -- [--port N] [--count N] [--rx-csum] [--no-tx-csum] [--expect none|good|any] [--skip-prepare] [--tso [--lro] [--expect-rx lro|segments|any]] [--linger MS]\n",
		prog);
	return 2;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "rx-csum", no_argument, NULL, 'r' },
		{ "no-tx-csum", no_argument, NULL, 't' },
		{ "expect", required_argument, NULL, 'e' },
		{ "skip-prepare", no_argument, NULL, 's' },
		{ "tso", no_argument, NULL, 'T' },
		{ "lro", no_argument, NULL, 'L' },
		{ "expect-rx", required_argument, NULL, 'x' },
		{ "linger", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			opt.port = atoi(optarg);
			break;
		case 'c':
			opt.count = strtoul(optarg, NULL, 0);
			if (opt.count == 0 || opt.count > MAX_COUNT) {
				fprintf(stderr, "--count: 1 to %u\n", MAX_COUNT);
				return -1;
			}
			break;
		case 'r':
			opt.rx_csum = true;
			break;
		case 't':
			opt.tx_csum = false;
			break;
		case 's':
			opt.skip_prepare = true;
			break;
		case 'T':
			opt.tso = true;
			break;
		case 'L':
			opt.lro = true;
			break;
		case 'l':
			opt.linger_ms = strtoul(optarg, NULL, 0);
			if (opt.linger_ms > 60000) {
				fprintf(stderr, "--linger: 0 to 60000 ms\n");
				return -1;
			}
			break;
		case 'x':
			if (strcmp(optarg, "lro") == 0)
				opt.expect_rx = RX_LRO;
			else if (strcmp(optarg, "segments") == 0)
				opt.expect_rx = RX_SEGMENTS;
			else if (strcmp(optarg, "any") == 0)
				opt.expect_rx = RX_ANY;
			else {
				fprintf(stderr, "--expect-rx: lro, segments or any\n");
				return -1;
			}
			break;
		case 'e':
			if (strcmp(optarg, "none") == 0)
				opt.expect = EXPECT_NONE;
			else if (strcmp(optarg, "good") == 0)
				opt.expect = EXPECT_GOOD;
			else if (strcmp(optarg, "any") == 0)
				opt.expect = EXPECT_ANY;
			else {
				fprintf(stderr, "--expect: none, good or any\n");
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* Frame seq: kind seq % KINDS, payload bytes derived from seq. */
static uint16_t
payload_len(uint32_t seq)
{
	return 18 + (seq * 37) % 700;
}

static uint8_t
payload_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131 + i * 7 + (i >> 8));
}

/* Build frame seq; returns NULL when the pool is empty. */
static struct rte_mbuf *
build(struct rte_mempool *mp, uint32_t seq, bool offload)
{
	unsigned int kind = seq % KINDS;
	bool v6 = kind >= 2, tcp = (kind & 1) == 0;
	uint16_t l3 = v6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);
	uint16_t l4 = tcp ? sizeof(struct rte_tcp_hdr) :
		sizeof(struct rte_udp_hdr);
	uint16_t plen = payload_len(seq);
	uint16_t l2 = sizeof(struct rte_ether_hdr);
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ether_hdr *eth;
	uint8_t *p, *l3h, *l4h, *pay;
	uint16_t *csum;
	uint32_t i;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, l2 + l3 + l4 + plen);
	eth = (struct rte_ether_hdr *)p;
	eth->dst_addr = port_mac;
	eth->src_addr = port_mac;
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
		RTE_ETHER_TYPE_IPV4);
	l3h = p + l2;
	l4h = l3h + l3;
	pay = l4h + l4;
	if (v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3h;

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(l4 + plen);
		ip->proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->hop_limits = 64;
		ip->src_addr[15] = 1;
		ip->dst_addr[15] = 2;
		ip->src_addr[0] = ip->dst_addr[0] = 0xfd;
		ip->src_addr[14] = (uint8_t)seq;
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3h;

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(l3 + l4 + plen);
		ip->packet_id = rte_cpu_to_be_16((uint16_t)seq);
		ip->time_to_live = 64;
		ip->next_proto_id = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(0xc0a80001 + (seq & 0xff));
		ip->dst_addr = rte_cpu_to_be_32(0xc0a80002);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (tcp) {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)l4h;

		memset(th, 0, sizeof(*th));
		th->src_port = rte_cpu_to_be_16(1000 + kind);
		th->dst_port = rte_cpu_to_be_16(2000);
		th->sent_seq = rte_cpu_to_be_32(seq);
		th->data_off = (sizeof(*th) / 4) << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		th->rx_win = rte_cpu_to_be_16(65535);
		csum = (uint16_t *)(l4h + offsetof(struct rte_tcp_hdr, cksum));
	} else {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)l4h;

		uh->src_port = rte_cpu_to_be_16(1000 + kind);
		uh->dst_port = rte_cpu_to_be_16(2000);
		uh->dgram_len = rte_cpu_to_be_16(l4 + plen);
		csum = (uint16_t *)(l4h +
			offsetof(struct rte_udp_hdr, dgram_cksum));
	}
	/* The sequence number is in the payload, for every kind. */
	memcpy(pay, &seq, sizeof(seq));
	for (i = sizeof(seq); i < plen; i++)
		pay[i] = payload_byte(seq, i);
	m->l2_len = l2;
	m->l3_len = l3;
	m->l4_len = l4;
	*csum = 0;
	if (offload) {
		/* tx_prepare writes the pseudo-header sum: leave garbage. */
		*csum = 0xdead;
		m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
			(tcp ? RTE_MBUF_F_TX_TCP_CKSUM :
				RTE_MBUF_F_TX_UDP_CKSUM);
	} else if (v6) {
		*csum = rte_ipv6_udptcp_cksum((void *)l3h, l4h);
	} else {
		*csum = rte_ipv4_udptcp_cksum((void *)l3h, l4h);
	}
	return m;
}

/* The checksum field of a received frame, and its L3 header. */
static uint16_t *
l4_csum_field(struct rte_mbuf *m, uint32_t seq, void **l3h, void **l4h,
		bool *v6)
{
	unsigned int kind = seq % KINDS;
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint16_t l3;

	*v6 = kind >= 2;
	l3 = *v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	*l3h = p + sizeof(struct rte_ether_hdr);
	*l4h = (uint8_t *)*l3h + l3;
	return (uint16_t *)((uint8_t *)*l4h + ((kind & 1) == 0 ?
		offsetof(struct rte_tcp_hdr, cksum) :
		offsetof(struct rte_udp_hdr, dgram_cksum)));
}

/* Check one received frame against the one sent. */
static void
check(struct rte_mempool *mp, struct rte_mbuf *m, struct counts *c)
{
	uint64_t fl = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	struct rte_mbuf *ref;
	uint16_t *field, *ref_field, got;
	void *l3h, *l4h;
	uint32_t seq, off;
	bool v6, ok;
	uint16_t hl;

	c->received++;
	if (m->nb_segs != 1 || m->pkt_len < 46) {
		c->errors++;
		printf("frame of %u bytes in %u segments\n", m->pkt_len,
			m->nb_segs);
		return;
	}
	/* Where the sequence number is: after the headers of the kind. */
	hl = rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->ether_type ==
		rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6) ? 40 : 20;
	off = sizeof(struct rte_ether_hdr) + hl;
	off += rte_pktmbuf_mtod_offset(m, uint8_t *, off - (hl == 40 ? 34 : 11))
		[0] == IPPROTO_TCP ? 20 : 8;
	memcpy(&seq, rte_pktmbuf_mtod_offset(m, void *, off), sizeof(seq));
	if (seq >= opt.count || seen[seq]) {
		c->errors++;
		printf("unexpected or duplicate frame %u\n", seq);
		return;
	}
	seen[seq] = 1;
	ref = build(mp, seq, false);
	if (ref == NULL) {
		c->errors++;
		return;
	}
	field = l4_csum_field(m, seq, &l3h, &l4h, &v6);
	got = *field;
	ref_field = rte_pktmbuf_mtod_offset(ref, uint16_t *,
		(uint8_t *)field - rte_pktmbuf_mtod(m, uint8_t *));
	*field = *ref_field;
	ok = ref->pkt_len == m->pkt_len && memcmp(rte_pktmbuf_mtod(ref, void *),
		rte_pktmbuf_mtod(m, void *), m->pkt_len) == 0;
	*field = got;
	if (!ok) {
		c->errors++;
		printf("frame %u: bytes differ from what was sent\n", seq);
		goto out;
	}
	if (fl == RTE_MBUF_F_RX_L4_CKSUM_NONE) {
		uint16_t phdr = v6 ? rte_ipv6_phdr_cksum(l3h, 0) :
			rte_ipv4_phdr_cksum(l3h, 0);

		c->partial++;
		/* Partial: the field holds the pseudo-header sum. */
		if (got != phdr) {
			c->errors++;
			printf("frame %u: partial checksum 0x%04x, pseudo-header sum 0x%04x\n",
				seq, got, phdr);
		}
	} else {
		int bad = v6 ? rte_ipv6_udptcp_cksum_verify(l3h, l4h) :
			rte_ipv4_udptcp_cksum_verify(l3h, l4h);

		if (fl == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
			c->good++;
		else if (fl == RTE_MBUF_F_RX_L4_CKSUM_BAD)
			c->bad++;
		else
			c->unknown++;
		if (bad) {
			c->errors++;
			printf("frame %u: wrong L4 checksum 0x%04x (expected 0x%04x)\n",
				seq, got, *ref_field);
		}
	}
	if ((opt.expect == EXPECT_NONE && fl != RTE_MBUF_F_RX_L4_CKSUM_NONE) ||
			(opt.expect == EXPECT_GOOD &&
			 fl != RTE_MBUF_F_RX_L4_CKSUM_GOOD)) {
		c->errors++;
		if (c->errors < 8)
			printf("frame %u: rx L4 flags 0x%" PRIx64 " not the expected ones\n",
				seq, fl);
	}
out:
	rte_pktmbuf_free(ref);
}

/* TSO mode */

/* Frame f: IPv4 (even f) or IPv6, payload and MSS derived from f. */
static bool
tso_v6(uint32_t f)
{
	return (f & 1) != 0;
}

static uint32_t
tso_pay(uint32_t f)
{
	return TSO_PAY_MIN + (f * 977) % (TSO_PAY_MAX - TSO_PAY_MIN + 1);
}

static uint16_t
tso_mss(uint32_t f)
{
	static const uint16_t mss[] = { 1448, 1000, 1220, 536 };

	return mss[(f / 2) % RTE_DIM(mss)];
}

static uint32_t
tso_hlen(bool v6)
{
	uint32_t l3 = v6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);

	return sizeof(struct rte_ether_hdr) + l3 + sizeof(struct rte_tcp_hdr);
}

/* A segment names its frame by its sequence number: f << 16 + offset. */
#define TSO_SEQ(f) ((uint32_t)(f) << 16)
#define TSO_ID(f) ((uint16_t)((f) * 32))
#define TSO_FLAGS (RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG | RTE_TCP_CWR_FLAG)

/* Write frame f into p (TCP checksum field zero); returns its length. */
static uint32_t
tso_fill(uint8_t *p, uint32_t f)
{
	bool v6 = tso_v6(f);
	uint32_t hl = tso_hlen(v6), pay = tso_pay(f), i;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(p + hl -
		sizeof(struct rte_tcp_hdr));
	uint8_t *l3h = p + sizeof(*eth);

	eth->dst_addr = port_mac;
	eth->src_addr = port_mac;
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
		RTE_ETHER_TYPE_IPV4);
	if (v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3h;

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(sizeof(*th) + pay);
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = 64;
		ip->src_addr[0] = ip->dst_addr[0] = 0xfd;
		ip->src_addr[15] = 1;
		ip->dst_addr[15] = 2;
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3h;

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(hl - sizeof(*eth) + pay);
		ip->packet_id = rte_cpu_to_be_16(TSO_ID(f));
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->src_addr = rte_cpu_to_be_32(0xc0a80001);
		ip->dst_addr = rte_cpu_to_be_32(0xc0a80002);
		/* Not offloaded: the device fixes it in each segment. */
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	memset(th, 0, sizeof(*th));
	th->src_port = rte_cpu_to_be_16(3000 + (f & 1));
	th->dst_port = rte_cpu_to_be_16(4000);
	th->sent_seq = rte_cpu_to_be_32(TSO_SEQ(f));
	th->data_off = (sizeof(*th) / 4) << 4;
	th->tcp_flags = TSO_FLAGS;
	th->rx_win = rte_cpu_to_be_16(65535);
	for (i = 0; i < pay; i++)
		p[hl + i] = payload_byte(f, i);
	return hl + pay;
}

static struct rte_mbuf *
tso_build(uint32_t f)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(tso_pool);
	bool v6 = tso_v6(f);
	struct rte_tcp_hdr *th;
	uint32_t len;

	if (m == NULL)
		return NULL;
	len = tso_fill(rte_pktmbuf_mtod(m, uint8_t *), f);
	m->data_len = len;
	m->pkt_len = len;
	m->l2_len = sizeof(struct rte_ether_hdr);
	m->l3_len = v6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);
	m->l4_len = sizeof(struct rte_tcp_hdr);
	m->tso_segsz = tso_mss(f);
	m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		RTE_MBUF_F_TX_TCP_SEG;
	/* tx_prepare writes the pseudo-header sum: leave garbage. */
	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *,
		m->l2_len + m->l3_len);
	th->cksum = 0xdead;
	return m;
}

#define TSO_ERR(c, ...) do { \
	(c)->errors++; \
	if ((c)->errors <= 10) \
		printf(__VA_ARGS__); \
} while (0)

/* Frame f came back whole (RTE_MBUF_F_RX_LRO): p, len bytes. */
static void
tso_check_lro(struct rte_mbuf *m, const uint8_t *p, uint32_t len,
		uint32_t f, struct counts *c)
{
	static uint8_t ref[TSO_FRAME_MAX];
	bool v6 = tso_v6(f);
	uint32_t hl = tso_hlen(v6), fo = hl - sizeof(struct rte_tcp_hdr) +
		offsetof(struct rte_tcp_hdr, cksum);
	uint16_t got, phdr;

	c->lro++;
	if (opt.expect_rx == RX_SEGMENTS)
		TSO_ERR(c, "frame %u: coalesced, segments expected\n", f);
	if (tso_next[f] != 0 || len != tso_fill(ref, f)) {
		TSO_ERR(c, "frame %u: LRO packet of %u bytes after %u bytes (frame %u)\n",
			f, len, tso_next[f], tso_fill(ref, f));
		return;
	}
	if (memcmp(p, ref, fo) != 0 || memcmp(p + fo + 2, ref + fo + 2,
			len - fo - 2) != 0)
		TSO_ERR(c, "frame %u: LRO bytes differ from what was sent\n", f);
	if (m->tso_segsz != tso_mss(f))
		TSO_ERR(c, "frame %u: tso_segsz %u, MSS %u\n", f, m->tso_segsz,
			tso_mss(f));
	/* Partial: the field holds the pseudo-header sum (with length). */
	memcpy(&got, p + fo, 2);
	phdr = v6 ? rte_ipv6_phdr_cksum((const void *)(ref + 14), 0) :
		rte_ipv4_phdr_cksum((const void *)(ref + 14), 0);
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) !=
			RTE_MBUF_F_RX_L4_CKSUM_NONE || got != phdr)
		TSO_ERR(c, "frame %u: L4 flags 0x%" PRIx64 ", field 0x%04x, pseudo-header sum 0x%04x\n",
			f, (uint64_t)(m->ol_flags &
				RTE_MBUF_F_RX_L4_CKSUM_MASK), got, phdr);
	tso_next[f] = UINT32_MAX;
	c->received++;
}

/* The IP and TCP headers of a segment of frame f at payload offset off. */
static int
tso_check_hdrs(const uint8_t *p, uint32_t len, uint32_t f, uint32_t off,
		bool last)
{
	bool v6 = tso_v6(f);
	const void *l3h = p + sizeof(struct rte_ether_hdr);
	const struct rte_ipv6_hdr *ip6 = l3h;
	const struct rte_ipv4_hdr *ip = l3h;
	const struct rte_tcp_hdr *th = (const void *)(p + tso_hlen(v6) -
		sizeof(struct rte_tcp_hdr));
	uint8_t flags = RTE_TCP_ACK_FLAG | (off == 0 ? RTE_TCP_CWR_FLAG : 0) |
		(last ? RTE_TCP_PSH_FLAG : 0);

	if (th->tcp_flags != flags)
		return -1;
	if (v6)
		return rte_be_to_cpu_16(ip6->payload_len) == len - 54 &&
			rte_ipv6_udptcp_cksum_verify(ip6, th) == 0 ? 0 : -2;
	if (rte_be_to_cpu_16(ip->total_length) != len - 14 ||
			rte_be_to_cpu_16(ip->packet_id) !=
			(uint16_t)(TSO_ID(f) + off / tso_mss(f)) ||
			rte_raw_cksum(ip, sizeof(*ip)) != 0xffff)
		return -3;
	return rte_ipv4_udptcp_cksum_verify(ip, th) == 0 ? 0 : -2;
}

/* One segment of frame f, at payload offset off. */
static void
tso_check_seg(const uint8_t *p, uint32_t len, uint32_t f, uint32_t off,
		struct counts *c)
{
	uint32_t hl = tso_hlen(tso_v6(f)), n = len - hl, pay = tso_pay(f), i;
	uint16_t mss = tso_mss(f);
	bool last = off + n == pay;
	int r;

	c->segments++;
	if (opt.expect_rx == RX_LRO)
		TSO_ERR(c, "frame %u: a segment, LRO expected\n", f);
	if (off != tso_next[f] || n > mss || off + n > pay ||
			(n < mss && !last)) {
		TSO_ERR(c, "frame %u: segment at %u of %u bytes, expected one at %u of MSS %u (payload %u)\n",
			f, off, n, tso_next[f], mss, pay);
		return;
	}
	for (i = 0; i < n; i++)
		if (p[hl + i] != payload_byte(f, off + i))
			break;
	if (i < n)
		TSO_ERR(c, "frame %u: segment at %u: payload byte %u differs\n",
			f, off, off + i);
	r = tso_check_hdrs(p, len, f, off, last);
	if (r != 0)
		TSO_ERR(c, "frame %u: segment at %u: %s\n", f, off,
			r == -1 ? "wrong TCP flags" : r == -2 ?
			"wrong length or TCP checksum" :
			"wrong IPv4 length, id or header checksum");
	tso_next[f] = last ? UINT32_MAX : off + n;
	if (last)
		c->received++;
}

static void
tso_check(struct rte_mbuf *m, struct counts *c)
{
	static uint8_t buf[TSO_FRAME_MAX];
	uint32_t len = m->pkt_len, seq, f;
	const struct rte_tcp_hdr *th;
	const uint8_t *p;
	bool v6;

	p = len <= sizeof(buf) && len >= tso_hlen(false) ?
		rte_pktmbuf_read(m, 0, len, buf) : NULL;
	if (p == NULL) {
		TSO_ERR(c, "frame of %u bytes\n", len);
		return;
	}
	v6 = ((const struct rte_ether_hdr *)p)->ether_type ==
		rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	if (len < tso_hlen(v6)) {
		TSO_ERR(c, "frame of %u bytes\n", len);
		return;
	}
	th = (const void *)(p + tso_hlen(v6) - sizeof(*th));
	seq = rte_be_to_cpu_32(th->sent_seq);
	f = seq >> 16;
	if (f >= opt.count || tso_v6(f) != v6 || tso_next[f] == UINT32_MAX) {
		TSO_ERR(c, "unexpected or duplicate packet, seq 0x%x\n", seq);
		return;
	}
	if (m->ol_flags & RTE_MBUF_F_RX_LRO)
		tso_check_lro(m, p, len, f, c);
	else
		tso_check_seg(p, len, f, seq & 0xffff, c);
}

/* TSO mode's offloads; 1 when the port has no TSO. */
static int
tso_conf(const struct rte_eth_dev_info *info, struct rte_eth_conf *conf,
		bool *lro)
{
	if (!(info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_TSO)) {
		printf("offload: tso not offered\n");
		return 1;
	}
	conf->txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO;
	*lro = opt.lro && (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_LRO);
	if (opt.lro && !*lro)
		printf("no rx LRO offload\n");
	if (*lro) {
		conf->rxmode.offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO;
		conf->rxmode.max_lro_pkt_size = info->max_lro_pkt_size;
	}
	return 0;
}

static int
port_setup(struct rte_mempool *mp, bool *tx_off, bool *lro)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint64_t tx_want = RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
	uint64_t rx_want = RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_RX_OFFLOAD_UDP_CKSUM;
	int ret;

	ret = rte_eth_dev_info_get(opt.port, &info);
	if (ret != 0)
		return ret;
	printf("port %u: tx_offload_capa 0x%" PRIx64 " rx_offload_capa 0x%"
		PRIx64 "\n", opt.port, info.tx_offload_capa,
		info.rx_offload_capa);
	if (opt.tso) {
		ret = tso_conf(&info, &conf, lro);
		if (ret != 0)
			return ret;
		*tx_off = true;
		goto setup;
	}
	*tx_off = opt.tx_csum &&
		(info.tx_offload_capa & tx_want) == tx_want;
	if (opt.tx_csum && !*tx_off)
		printf("no tx checksum offload: checksums in software\n");
	if (*tx_off)
		conf.txmode.offloads = tx_want;
	if (opt.rx_csum) {
		if ((info.rx_offload_capa & rx_want) != rx_want) {
			printf("no rx checksum offload\n");
			return -ENOTSUP;
		}
		conf.rxmode.offloads = rx_want;
	}
setup:
	ret = rte_eth_dev_configure(opt.port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(opt.port, 0, NB_DESC,
			rte_eth_dev_socket_id(opt.port), NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(opt.port, 0, NB_DESC,
			rte_eth_dev_socket_id(opt.port), NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(opt.port);
	if (ret == 0)
		ret = rte_eth_macaddr_get(opt.port, &port_mac);
	return ret;
}

static void
run(struct rte_mempool *mp, bool tx_off, struct counts *c)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t hz = rte_get_timer_hz();
	uint64_t last = rte_get_timer_cycles();
	uint32_t window = opt.tso ? TSO_WINDOW : WINDOW;
	uint32_t next = 0;
	uint16_t n, k, i;

	while (c->received + c->errors < c->sent || next < opt.count) {
		/*
		 * At most WINDOW frames in flight, fewer than the rx ring
		 * holds: the device drops what finds no rx buffer.
		 */
		for (n = 0; n < BURST && next + n < opt.count &&
				c->sent + n < c->received + window; n++) {
			pkts[n] = opt.tso ? tso_build(next + n) :
				build(mp, next + n, tx_off);
			if (pkts[n] == NULL)
				break;
		}
		k = opt.skip_prepare ? n :
			rte_eth_tx_prepare(opt.port, 0, pkts, n);
		if (k != n) {
			printf("tx_prepare refused frame %u: %s\n", next + k,
				rte_strerror(rte_errno));
			c->errors++;
			rte_pktmbuf_free_bulk(pkts, n);
			return;
		}
		k = rte_eth_tx_burst(opt.port, 0, pkts, n);
		rte_pktmbuf_free_bulk(pkts + k, n - k);
		next += k;
		c->sent += k;
		n = rte_eth_rx_burst(opt.port, 0, pkts, BURST);
		for (i = 0; i < n; i++) {
			if (opt.tso)
				tso_check(pkts[i], c);
			else
				check(mp, pkts[i], c);
			rte_pktmbuf_free(pkts[i]);
		}
		if (n > 0 || k > 0)
			last = rte_get_timer_cycles();
		else if (rte_get_timer_cycles() - last > 2 * hz)
			break;
	}
}

int
main(int argc, char **argv)
{
	struct counts c = { 0 };
	struct rte_mempool *mp;
	bool tx_off = false, lro = false;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 2;
	if (parse_args(argc - ret, argv + ret) != 0)
		return usage(argv[0]);
	if (!rte_eth_dev_is_valid_port(opt.port)) {
		fprintf(stderr, "no port %u\n", opt.port);
		return 2;
	}
	seen = calloc(opt.count, 1);
	mp = rte_pktmbuf_pool_create("offload", 4095, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	tso_next = calloc(opt.count, sizeof(*tso_next));
	/* Whole frames of up to 9 KB in one mbuf each. */
	tso_pool = rte_pktmbuf_pool_create("offload_tso", 511, 32, 0,
		RTE_PKTMBUF_HEADROOM + TSO_FRAME_MAX, rte_socket_id());
	if (seen == NULL || mp == NULL || tso_next == NULL ||
			tso_pool == NULL) {
		fprintf(stderr, "out of memory\n");
		return 2;
	}
	ret = port_setup(mp, &tx_off, &lro);
	if (ret > 0)
		return 3;
	if (ret != 0) {
		fprintf(stderr, "port %u set-up failed: %s\n", opt.port,
			rte_strerror(-ret));
		return 2;
	}
	run(mp, tx_off, &c);
	if (opt.linger_ms > 0) {
		printf("offload: lingering\n");
		fflush(stdout);
		rte_delay_ms(opt.linger_ms);
	}
	rte_eth_dev_stop(opt.port);
	rte_eth_dev_close(opt.port);
	if (opt.tso)
		printf("offload: tso, lro %s, sent %u received %u lro %u segments %u errors %u\n",
			lro ? "on" : "off", c.sent, c.received, c.lro,
			c.segments, c.errors);
	else
		printf("offload: tx %s, sent %u received %u partial %u good %u unknown %u bad %u errors %u\n",
		tx_off ? "offloaded" : "software", c.sent, c.received,
		c.partial, c.good, c.unknown, c.bad, c.errors);
	rte_eal_cleanup();
	free(seen);
	free(tso_next);
	return (c.errors == 0 && c.bad == 0 && c.received == opt.count &&
		c.sent == opt.count) ? 0 : 1;
}
