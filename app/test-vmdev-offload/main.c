/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * test-vmdev-offload: the virtio_mdev PMD's offload mapping
 * (virtio_mdev_offload.c, compiled in) between mbuf offload flags and the
 * virtio-net header, without a device: tx headers and tx_prepare for
 * checksums and TSO, rx flags for DATA_VALID, NEEDS_CSUM, a partial
 * checksum the PMD must complete, and GSO (LRO). The sim offers neither
 * DATA_VALID nor segmentation, so these paths are checked here.
 * One line per case, "PASS name" or "FAIL name: why"; exit status 1 if
 * any case failed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "virtio_mdev.h"

#define L2 ((uint16_t)sizeof(struct rte_ether_hdr))
#define L3_4 ((uint16_t)sizeof(struct rte_ipv4_hdr))
#define L3_6 ((uint16_t)sizeof(struct rte_ipv6_hdr))
#define TCP_LEN ((uint16_t)sizeof(struct rte_tcp_hdr))
#define UDP_LEN ((uint16_t)sizeof(struct rte_udp_hdr))
#define PAYLOAD 1000

static struct rte_mempool *mp;
static unsigned int failed;
static char why[256];

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		snprintf(why, sizeof(why), __VA_ARGS__); \
		return -1; \
	} \
} while (0)

/* An Ethernet / IPv4 or IPv6 / TCP or UDP frame with PAYLOAD bytes. */
static struct rte_mbuf *
frame(bool v6, bool tcp)
{
	uint16_t l3 = v6 ? L3_6 : L3_4, l4 = tcp ? TCP_LEN : UDP_LEN;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ether_hdr *eth;
	uint8_t *p, *l4h;
	uint32_t i;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, L2 + l3 + l4 + PAYLOAD);
	memset(p, 0, L2 + l3 + l4);
	eth = (struct rte_ether_hdr *)p;
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
		RTE_ETHER_TYPE_IPV4);
	if (v6) {
		struct rte_ipv6_hdr *ip = (void *)(p + L2);

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(l4 + PAYLOAD);
		ip->proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->hop_limits = 64;
		ip->src_addr[15] = 1;
		ip->dst_addr[15] = 2;
	} else {
		struct rte_ipv4_hdr *ip = (void *)(p + L2);

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(l3 + l4 + PAYLOAD);
		ip->time_to_live = 64;
		ip->next_proto_id = tcp ? IPPROTO_TCP : IPPROTO_UDP;
		ip->src_addr = rte_cpu_to_be_32(0x0a000001);
		ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	}
	l4h = p + L2 + l3;
	if (tcp) {
		struct rte_tcp_hdr *th = (void *)l4h;

		th->src_port = rte_cpu_to_be_16(1);
		th->dst_port = rte_cpu_to_be_16(2);
		th->data_off = (TCP_LEN / 4) << 4;
	} else {
		struct rte_udp_hdr *uh = (void *)l4h;

		uh->src_port = rte_cpu_to_be_16(1);
		uh->dst_port = rte_cpu_to_be_16(2);
		uh->dgram_len = rte_cpu_to_be_16(UDP_LEN + PAYLOAD);
	}
	for (i = 0; i < PAYLOAD; i++)
		l4h[l4 + i] = (uint8_t)(i * 7);
	m->l2_len = L2;
	m->l3_len = l3;
	m->l4_len = l4;
	return m;
}

static uint16_t
field(struct rte_mbuf *m, uint32_t off)
{
	return *rte_pktmbuf_mtod_offset(m, uint16_t *, off);
}

static struct vmdev_txq txq_all = {
	.offload = VMDEV_TXO_CSUM | VMDEV_TXO_TSO4 | VMDEV_TXO_TSO6,
};

static int
tx_csum(bool v6, bool tcp)
{
	struct virtio_net_hdr_v1 hdr;
	struct rte_mbuf *m = frame(v6, tcp);
	void *l3h;
	uint16_t l3 = v6 ? L3_6 : L3_4, off, phdr;

	CHECK(m != NULL, "no mbuf");
	m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4) |
		(tcp ? RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM);
	CHECK(vmdev_tx_prepare(&txq_all, &m, 1) == 1, "tx_prepare refused: %s",
		rte_strerror(rte_errno));
	memset(&hdr, 0xff, sizeof(hdr));
	vmdev_tx_hdr_offload(&hdr, m);
	off = tcp ? offsetof(struct rte_tcp_hdr, cksum) :
		offsetof(struct rte_udp_hdr, dgram_cksum);
	CHECK(hdr.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
		hdr.csum_start == L2 + l3 && hdr.csum_offset == off &&
		hdr.gso_type == VIRTIO_NET_HDR_GSO_NONE && hdr.gso_size == 0 &&
		hdr.hdr_len == 0,
		"header flags %u start %u offset %u gso %u/%u/%u", hdr.flags,
		hdr.csum_start, hdr.csum_offset, hdr.gso_type, hdr.gso_size,
		hdr.hdr_len);
	l3h = rte_pktmbuf_mtod_offset(m, void *, L2);
	phdr = v6 ? rte_ipv6_phdr_cksum(l3h, m->ol_flags) :
		rte_ipv4_phdr_cksum(l3h, m->ol_flags);
	CHECK(field(m, L2 + l3 + off) == phdr,
		"L4 field 0x%04x, pseudo-header sum 0x%04x",
		field(m, L2 + l3 + off), phdr);
	rte_pktmbuf_free(m);
	return 0;
}

static int
test_tx_tcp4(void) { return tx_csum(false, true); }
static int
test_tx_udp4(void) { return tx_csum(false, false); }
static int
test_tx_tcp6(void) { return tx_csum(true, true); }
static int
test_tx_udp6(void) { return tx_csum(true, false); }

/* TSO: GSO fields, and the pseudo-header sum with the TCP length. */
static int
tx_tso(bool v6)
{
	struct virtio_net_hdr_v1 hdr;
	struct rte_mbuf *m = frame(v6, true);
	uint16_t l3 = v6 ? L3_6 : L3_4, want;
	uint32_t off = L2 + l3 + offsetof(struct rte_tcp_hdr, cksum);
	void *l3h;

	CHECK(m != NULL, "no mbuf");
	m->ol_flags = (v6 ? RTE_MBUF_F_TX_IPV6 :
		RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM) |
		RTE_MBUF_F_TX_TCP_SEG;
	m->tso_segsz = 400;
	CHECK(vmdev_tx_prepare(&txq_all, &m, 1) == 1, "tx_prepare refused: %s",
		rte_strerror(rte_errno));
	l3h = rte_pktmbuf_mtod_offset(m, void *, L2);
	/* DPDK's TSO convention: no length in the sum. */
	want = v6 ? rte_ipv6_phdr_cksum(l3h, RTE_MBUF_F_TX_TCP_SEG) :
		rte_ipv4_phdr_cksum(l3h, RTE_MBUF_F_TX_TCP_SEG);
	CHECK(field(m, off) == want, "after tx_prepare 0x%04x, expected 0x%04x",
		field(m, off), want);
	vmdev_tx_hdr_offload(&hdr, m);
	CHECK(hdr.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
		hdr.csum_start == L2 + l3 &&
		hdr.csum_offset == offsetof(struct rte_tcp_hdr, cksum) &&
		hdr.gso_type == (v6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
			VIRTIO_NET_HDR_GSO_TCPV4) &&
		hdr.gso_size == 400 && hdr.hdr_len == L2 + l3 + TCP_LEN,
		"header flags %u start %u offset %u gso %u/%u/%u", hdr.flags,
		hdr.csum_start, hdr.csum_offset, hdr.gso_type, hdr.gso_size,
		hdr.hdr_len);
	/* virtio's: the sum includes the TCP length. */
	want = v6 ? rte_ipv6_phdr_cksum(l3h, 0) : rte_ipv4_phdr_cksum(l3h, 0);
	CHECK(field(m, off) == want, "on the ring 0x%04x, expected 0x%04x",
		field(m, off), want);
	rte_pktmbuf_free(m);
	return 0;
}

static int
test_tx_tso4(void) { return tx_tso(false); }
static int
test_tx_tso6(void) { return tx_tso(true); }

/* What a queue did not negotiate is refused by tx_prepare. */
static int
test_tx_refused(void)
{
	struct vmdev_txq q = { .offload = VMDEV_TXO_CSUM | VMDEV_TXO_TSO4 };
	struct vmdev_txq none = { .offload = 0 };
	struct rte_mbuf *m = frame(true, true);
	struct rte_mbuf *u = frame(false, false);

	CHECK(m != NULL && u != NULL, "no mbuf");
	m->ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_SEG;
	m->tso_segsz = 400;
	rte_errno = 0;
	CHECK(vmdev_tx_prepare(&q, &m, 1) == 0 && rte_errno == ENOTSUP,
		"IPv6 TSO without HOST_TSO6 not refused with ENOTSUP");
	m->ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_SCTP_CKSUM;
	rte_errno = 0;
	CHECK(vmdev_tx_prepare(&q, &m, 1) == 0 && rte_errno == ENOTSUP,
		"SCTP checksum not refused with ENOTSUP");
	u->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_UDP_CKSUM;
	rte_errno = 0;
	CHECK(vmdev_tx_prepare(&none, &u, 1) == 0 && rte_errno == ENOTSUP,
		"checksum on a queue without CSUM not refused with ENOTSUP");
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(u);
	return 0;
}

/* IPv4 header checksum asked for without TSO: done in software. */
static int
test_tx_ip_cksum(void)
{
	struct rte_mbuf *m = frame(false, false);
	struct rte_ipv4_hdr *ip;

	CHECK(m != NULL, "no mbuf");
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	CHECK(vmdev_tx_prepare(&txq_all, &m, 1) == 1, "tx_prepare refused");
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L2);
	CHECK(ip->hdr_checksum != 0 && rte_raw_cksum(ip, L3_4) == 0xffff,
		"IPv4 header checksum 0x%04x is wrong", ip->hdr_checksum);
	rte_pktmbuf_free(m);
	return 0;
}

/* Rx: run vmdev_rx_offload on m with the given header. */
static int
rx(struct rte_mbuf *m, uint8_t flags, uint16_t start, uint16_t offset,
		uint8_t gso, uint16_t gso_size)
{
	struct virtio_net_hdr_v1 hdr = {
		.flags = flags, .csum_start = start, .csum_offset = offset,
		.gso_type = gso, .gso_size = gso_size,
	};

	m->ol_flags = 0;
	return vmdev_rx_offload(m, &hdr);
}

static int
test_rx_data_valid(void)
{
	struct rte_mbuf *m = frame(false, false);

	CHECK(m != NULL, "no mbuf");
	CHECK(rx(m, VIRTIO_NET_HDR_F_DATA_VALID, 0, 0, 0, 0) == 0, "dropped");
	CHECK((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
		RTE_MBUF_F_RX_L4_CKSUM_GOOD, "flags 0x%" PRIx64 ", not L4 GOOD",
		m->ol_flags);
	CHECK((m->packet_type & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_UDP,
		"packet type 0x%x", m->packet_type);
	rte_pktmbuf_free(m);
	return 0;
}

static int
test_rx_partial(void)
{
	struct rte_mbuf *m = frame(true, true);

	CHECK(m != NULL, "no mbuf");
	CHECK(rx(m, VIRTIO_NET_HDR_F_NEEDS_CSUM, L2 + L3_6,
		offsetof(struct rte_tcp_hdr, cksum), 0, 0) == 0, "dropped");
	CHECK((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
		RTE_MBUF_F_RX_L4_CKSUM_NONE, "flags 0x%" PRIx64 ", not L4 NONE",
		m->ol_flags);
	rte_pktmbuf_free(m);
	return 0;
}

/*
 * A partial checksum the application cannot find (not at the parsed L4
 * header: here a UDP checksum announced from the IP header on): the PMD
 * completes it.
 */
static int
test_rx_complete(void)
{
	struct rte_mbuf *m = frame(false, false);
	uint16_t start = L2 + 8, offset = L3_4 - 8 +
		offsetof(struct rte_udp_hdr, dgram_cksum);
	uint16_t sum = 0;

	CHECK(m != NULL, "no mbuf");
	CHECK(rx(m, VIRTIO_NET_HDR_F_NEEDS_CSUM, start, offset, 0, 0) == 0,
		"dropped");
	CHECK((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == 0,
		"flags 0x%" PRIx64 ": expected no L4 flag", m->ol_flags);
	CHECK(rte_raw_cksum_mbuf(m, start, m->pkt_len - start, &sum) == 0 &&
		sum == 0xffff, "completed checksum does not verify (sum 0x%04x)",
		sum);
	rte_pktmbuf_free(m);
	return 0;
}

/*
 * Regression: the device's header may place the checksum at an odd
 * offset; the PMD stored it through a uint16_t pointer (UBSan:
 * misaligned store). Stored bytewise, it verifies.
 */
static int
test_rx_complete_odd(void)
{
	struct rte_mbuf *m = frame(false, false);
	uint16_t start = L2 + 9, offset = 4;
	uint16_t sum = 0;

	CHECK(m != NULL, "no mbuf");
	CHECK(((rte_pktmbuf_mtod(m, uintptr_t) + start + offset) & 1) == 1,
		"the checksum's place is not odd: the case tests nothing");
	CHECK(rx(m, VIRTIO_NET_HDR_F_NEEDS_CSUM, start, offset, 0, 0) == 0,
		"dropped");
	CHECK(rte_raw_cksum_mbuf(m, start, m->pkt_len - start, &sum) == 0 &&
		sum == 0xffff, "completed checksum does not verify (sum 0x%04x)",
		sum);
	rte_pktmbuf_free(m);
	return 0;
}

static int
test_rx_lro(void)
{
	struct rte_mbuf *m = frame(false, true);

	CHECK(m != NULL, "no mbuf");
	CHECK(rx(m, VIRTIO_NET_HDR_F_NEEDS_CSUM, L2 + L3_4,
		offsetof(struct rte_tcp_hdr, cksum), VIRTIO_NET_HDR_GSO_TCPV4,
		1448) == 0, "dropped");
	CHECK((m->ol_flags & RTE_MBUF_F_RX_LRO) && m->tso_segsz == 1448 &&
		(m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
		RTE_MBUF_F_RX_L4_CKSUM_NONE,
		"flags 0x%" PRIx64 " tso_segsz %u", m->ol_flags, m->tso_segsz);
	CHECK(rx(m, 0, 0, 0, VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
		1448) != 0, "ECN segmentation not refused");
	CHECK(rx(m, 0, 0, 0, VIRTIO_NET_HDR_GSO_TCPV4, 0) != 0,
		"gso_size 0 not refused");
	CHECK(rx(m, 0, 0, 0, VIRTIO_NET_HDR_GSO_UDP, 1448) != 0,
		"UDP segmentation not refused");
	rte_pktmbuf_free(m);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "tx-csum-tcp4", test_tx_tcp4 },
	{ "tx-csum-udp4", test_tx_udp4 },
	{ "tx-csum-tcp6", test_tx_tcp6 },
	{ "tx-csum-udp6", test_tx_udp6 },
	{ "tx-tso4", test_tx_tso4 },
	{ "tx-tso6", test_tx_tso6 },
	{ "tx-refused", test_tx_refused },
	{ "tx-ip-cksum", test_tx_ip_cksum },
	{ "rx-data-valid", test_rx_data_valid },
	{ "rx-partial", test_rx_partial },
	{ "rx-complete", test_rx_complete },
	{ "rx-complete-odd", test_rx_complete_odd },
	{ "rx-lro", test_rx_lro },
};

int
main(int argc, char **argv)
{
	unsigned int i;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	mp = rte_pktmbuf_pool_create("offload", 63, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL) {
		fprintf(stderr, "no mbuf pool: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	for (i = 0; i < RTE_DIM(cases); i++) {
		why[0] = '\0';
		if (cases[i].fn() == 0) {
			printf("PASS %s\n", cases[i].name);
		} else {
			printf("FAIL %s: %s\n", cases[i].name, why);
			failed++;
		}
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return failed == 0 ? 0 : 1;
}
