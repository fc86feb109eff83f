/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Good path: packets loop back byte-exact, with and without mergeable
 * receive buffers, through multi-descriptor, indirect and region-spanning
 * chains; drops are counted; control queue commands are answered.
 */

#include <string.h>

#include <rte_common.h>

#include "test_sim.h"

T_CASE_OF(good_sizes, ring_sizes, &split_ring, false)
T_CASE_OF(good_sizes_mrg, ring_sizes, &split_ring, true)

/*
 * Buffers crossing region boundaries (adjacent IOVAs, unrelated VAs):
 * the tx payload crosses regions 1/2, the rx buffer crosses 0/1 with the
 * header's num_buffers split between the two.
 */
static int
good_spanning(struct ctx *c)
{
	static uint8_t in[1400], out[2048];
	struct tq *tx = &c->q[1], *rx = &c->q[0];
	uint64_t hdr, pay = G_BUF_IOVA + G_REGION_SIZE - 700;
	uint64_t rxb = G_BUF_IOVA - 11;
	uint32_t len = 0;
	uint16_t d1, d0;

	if (dev_setup(c, T_BASE_FEATURES | T_FEAT(VIRTIO_NET_F_MRG_RXBUF)))
		return -1;
	g_alloc(c, 2048);	/* keep the bump allocator off rxb */
	memset(g_va(rxb, 11), 0xaa, 11);
	memset(g_va(G_BUF_IOVA, 2048 - 11), 0xaa, 2048 - 11);
	tq_push(rx, tq_desc(rx, rxb, 2048, VRING_DESC_F_WRITE, 0));
	make_payload(in, sizeof(in), 5);
	memcpy(g_va(pay, 700), in, 700);
	memcpy(g_va(pay + 700, 700), in + 700, 700);
	hdr = g_alloc(c, T_HDR_LEN);
	memset(g_va(hdr, T_HDR_LEN), 0, T_HDR_LEN);
	d1 = tq_desc(tx, pay, sizeof(in), 0, 0);
	d0 = tq_desc(tx, hdr, T_HDR_LEN, VRING_DESC_F_NEXT, d1);
	tq_push(tx, d0);
	dev_poll(c);
	CHECK(c, recv_pkt(c, 0, out, &len) == 1, "no packet or num_buffers != 1");
	CHECK(c, len == sizeof(in) && memcmp(in, out, len) == 0,
		"payload differs (%u bytes)", len);
	return check_clean(c, 0) || check_clean(c, 1);
}

static int
good_indirect(struct ctx *c)
{
	static uint8_t in[T_PIECES_LEN], out[2048];
	struct tq *tx = &c->q[1];
	struct vring_desc *t;
	uint64_t table, a[3];
	uint32_t len = 0;
	int nb;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	post_rx(c, 0, 1, 2048);
	make_payload(in, sizeof(in), 9);
	table = g_alloc(c, 3 * sizeof(*t));
	tx_pieces(c, in, a);
	t = g_va(table, 3 * sizeof(*t));
	t[0] = (struct vring_desc){ a[0], T_HDR_LEN, VRING_DESC_F_NEXT, 2 };
	t[2] = (struct vring_desc){ a[1], 300, VRING_DESC_F_NEXT, 1 };
	t[1] = (struct vring_desc){ a[2], 700, 0, 0 };
	tq_push(tx, tq_desc(tx, table, 3 * sizeof(*t),
		VRING_DESC_F_INDIRECT, 0));
	dev_poll(c);
	nb = recv_pkt(c, 0, out, &len);
	return check_one(c, nb, in, out, len);
}

/* Drops: no rx buffer, then an rx buffer too small (no mergeable). */
static int
good_drops(struct ctx *c)
{
	static uint8_t pkt[1500];
	struct rte_virtio_mdev_vq_stats s;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	make_payload(pkt, sizeof(pkt), 1);
	send_pkt(c, 1, pkt, 100, 1);
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[1]) == 1, "tx not completed without rx");
	get_stats(c, 0, &s);
	CHECK(c, s.completion_errors == 1, "no rx buffer: completion_errors %"
		PRIu64, s.completion_errors);
	post_rx(c, 0, 1, 256);
	send_pkt(c, 1, pkt, sizeof(pkt), 1);
	dev_poll(c);
	get_stats(c, 0, &s);
	CHECK(c, s.invalid_buffer == 1 && tq_used_idx(&c->q[0]) == 0,
		"too small: invalid_buffer %" PRIu64 " rx used %u",
		s.invalid_buffer, tq_used_idx(&c->q[0]));
	/* The small buffer is still there for a packet that fits. */
	if (loop_check(c, 0, 200, 1) < 0)
		return -1;
	get_stats(c, 0, &s);
	CHECK(c, s.received_descs == 1 && s.completed_descs == 1,
		"rx received %" PRIu64 " completed %" PRIu64,
		s.received_descs, s.completed_descs);
	return 0;
}

/* VRING_AVAIL_F_NO_INTERRUPT silences the used-buffer callback. */
static int
good_no_interrupt(struct ctx *c)
{
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	c->q[0].avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	c->q[1].avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	post_rx(c, 0, 2, 2048);
	if (loop_check(c, 0, 64, 1) < 0)
		return -1;
	CHECK(c, c->vq_cbs[0] == 0 && c->vq_cbs[1] == 0,
		"callbacks despite NO_INTERRUPT: rx %d tx %d", c->vq_cbs[0],
		c->vq_cbs[1]);
	c->q[0].avail->flags = 0;
	if (loop_check(c, 0, 64, 1) < 0)
		return -1;
	CHECK(c, c->vq_cbs[0] == 1 && c->vq_cbs[1] == 0,
		"callbacks rx %d tx %d, expected 1 and 0", c->vq_cbs[0],
		c->vq_cbs[1]);
	return 0;
}

static int
ctrl_expect(struct ctx *c, uint8_t cls, uint8_t cmd, const void *data,
		uint32_t len, uint8_t want)
{
	uint8_t ack = 0xff;

	if (ctrl_cmd(c, cls, cmd, data, len, &ack) != 0)
		return -1;
	CHECK(c, ack == want, "ctrl %u/%u (%u bytes): ack %u, expected %u",
		cls, cmd, len, ack, want);
	return 0;
}

static int
good_ctrl(struct ctx *c)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x12, 0x34 };
	uint8_t on = 1, two[2] = { 1, 1 }, cfg[6];
	uint8_t table[4 + 6 + 4 + 12] = { 1, 0, 0, 0 };
	uint16_t pairs;
	uint32_t gen;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	table[10] = 2;	/* one unicast, two multicast entries */
	if (ctrl_expect(c, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
			&on, 1, VIRTIO_NET_OK) ||
			ctrl_expect(c, VIRTIO_NET_CTRL_RX,
			VIRTIO_NET_CTRL_RX_ALLMULTI, two, 2, VIRTIO_NET_ERR) ||
			ctrl_expect(c, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_TABLE_SET, table, sizeof(table),
			VIRTIO_NET_OK) ||
			ctrl_expect(c, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_TABLE_SET, table, 12,
			VIRTIO_NET_ERR) ||
			ctrl_expect(c, 99, 0, NULL, 0, VIRTIO_NET_ERR))
		return -1;
	gen = c->ops->get_generation(c->dev);
	if (ctrl_expect(c, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
			mac, 6, VIRTIO_NET_OK))
		return -1;
	c->ops->get_config(c->dev, 0, cfg, 6);
	CHECK(c, memcmp(cfg, mac, 6) == 0, "config mac not updated");
	CHECK(c, c->ops->get_generation(c->dev) != gen, "generation unchanged");
	/* Pair 1 is off until VQ_PAIRS_SET enables it. */
	post_rx(c, 2, 1, 2048);
	send_pkt(c, 3, mac, sizeof(mac), 1);
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[3]) == 0, "pair 1 served before MQ set");
	pairs = 3;
	if (ctrl_expect(c, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
			&pairs, 2, VIRTIO_NET_ERR))
		return -1;
	pairs = 0;
	if (ctrl_expect(c, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
			&pairs, 2, VIRTIO_NET_ERR))
		return -1;
	pairs = 2;
	if (ctrl_expect(c, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
			&pairs, 2, VIRTIO_NET_OK))
		return -1;
	dev_poll(c);
	CHECK(c, tq_used_idx(&c->q[3]) == 1 && tq_used_idx(&c->q[2]) == 1,
		"pair 1 not served after MQ set");
	c->q[2].used_seen = 1;
	post_rx(c, 2, 1, 2048);
	if (loop_check(c, 1, 1500, 3) < 0)
		return -1;
	/* The ctrl queue's callback comes from the engine, not the kick. */
	CHECK(c, c->vq_cbs[T_CTRL_QID] > 0, "no ctrl queue callback");
	return check_clean(c, T_CTRL_QID);
}

const struct test_case good_cases[] = {
	{ "good_sizes", good_sizes },
	{ "good_sizes_mergeable", good_sizes_mrg },
	{ "good_spanning_regions", good_spanning },
	{ "good_indirect", good_indirect },
	{ "good_drops_counted", good_drops },
	{ "good_no_interrupt", good_no_interrupt },
	{ "good_ctrl_queue", good_ctrl },
};
const unsigned int nb_good_cases = RTE_DIM(good_cases);
