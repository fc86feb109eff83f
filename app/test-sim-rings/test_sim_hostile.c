/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Hostile drivers: every malformed ring must stop its queue, set
 * NEEDS_RESET, notify the config callback once, count exactly one error
 * in the right counter, log one line, change nothing else, and the
 * device must work again after a reset.
 */

#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "test_sim.h"

enum side { TX_SIDE, RX_SIDE, CTRL_SIDE };

struct hostile {
	void (*build)(struct ctx *c);
	enum side side;
	size_t counter;		/* offset in struct rte_virtio_mdev_vq_stats */
};

#define TX(c) (&(c)->q[1])
#define RXQ(c) (&(c)->q[0])
#define CTRLQ(c) (&(c)->q[T_CTRL_QID])

static void
send_good(struct ctx *c)
{
	static const uint8_t pkt[64];

	send_pkt(c, 1, pkt, sizeof(pkt), 1);
}

static void
build_desc_outside(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), G_UNMAPPED, 112, 0, 0));
}

/* Starts in the last region and runs past its end: nothing follows. */
static void
build_desc_past_end(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), G_END_IOVA - 50, 112, 0, 0));
}

static void
build_second_desc_outside(struct ctx *c)
{
	uint16_t d1 = tq_desc(TX(c), G_UNMAPPED, 100, 0, 0);

	tq_push(TX(c), tq_desc(TX(c), zbuf(c, T_HDR_LEN), T_HDR_LEN,
		VRING_DESC_F_NEXT, d1));
}

static void
build_avail_jump(struct ctx *c)
{
	struct tq *q = TX(c);

	q->avail_idx += T_QSZ + 1;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
}

static void
push_raw_head(struct tq *q, uint16_t head)
{
	q->avail->ring[q->avail_idx & (q->num - 1)] = head;
	q->avail_idx++;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
}

static void
build_head_ge_size(struct ctx *c)
{
	push_raw_head(TX(c), T_QSZ);
}

static void
build_next_ge_size(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), zbuf(c, 112), 112, VRING_DESC_F_NEXT,
		T_QSZ));
}

static void
build_loop(struct ctx *c)
{
	struct tq *q = TX(c);
	uint16_t i0 = q->next_desc & (q->num - 1);
	uint64_t b = zbuf(c, 64);

	tq_desc(q, b, 64, VRING_DESC_F_NEXT, (i0 + 1) & (q->num - 1));
	tq_desc(q, b, 64, VRING_DESC_F_NEXT, i0);
	tq_push(q, i0);
}

/* An indirect table of n entries; entry i links to link[i] (or ends). */
static uint64_t
itable(struct ctx *c, unsigned int n, const int *link)
{
	uint64_t t = g_alloc(c, n * sizeof(struct vring_desc));
	uint64_t b = zbuf(c, 64);
	struct vring_desc *d = g_va(t, n * sizeof(*d));
	unsigned int i;

	for (i = 0; i < n; i++) {
		int nx = link != NULL ? link[i] : (i + 1 < n ? (int)i + 1 : -1);

		d[i] = (struct vring_desc){ b, i == 0 ? T_HDR_LEN : 8,
			nx >= 0 ? VRING_DESC_F_NEXT : 0, nx >= 0 ? nx : 0 };
	}
	return t;
}

static void
push_indirect(struct ctx *c, uint64_t table, uint32_t len, uint16_t flags)
{
	tq_push(TX(c), tq_desc(TX(c), table, len,
		VRING_DESC_F_INDIRECT | flags, 0));
}

static void
build_chain_too_long(struct ctx *c)
{
	push_indirect(c, itable(c, T_QSZ + 1, NULL),
		(T_QSZ + 1) * sizeof(struct vring_desc), 0);
}

static void
build_indirect_loop(struct ctx *c)
{
	static const int link[] = { 1, 2, 3, 1 };

	push_indirect(c, itable(c, 4, link), 4 * sizeof(struct vring_desc), 0);
}

static void
build_indirect_outside(struct ctx *c)
{
	push_indirect(c, G_UNMAPPED, 3 * sizeof(struct vring_desc), 0);
}

static void
build_indirect_bad_len(struct ctx *c)
{
	push_indirect(c, itable(c, 2, NULL), 20, 0);
}

static void
build_indirect_nested(struct ctx *c)
{
	uint64_t t = itable(c, 2, NULL);
	struct vring_desc *d = g_va(t, 2 * sizeof(*d));

	d[1].flags |= VRING_DESC_F_INDIRECT;
	push_indirect(c, t, 2 * sizeof(*d), 0);
}

static void
build_indirect_next(struct ctx *c)
{
	push_indirect(c, itable(c, 2, NULL), 2 * sizeof(struct vring_desc),
		VRING_DESC_F_NEXT);
}

static void
build_len_wrap_64(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), UINT64_C(0xfffffffffffff000), 0x2000,
		0, 0));
}

static void
build_len_wrap_32(struct ctx *c)
{
	uint64_t b = zbuf(c, 64);
	uint16_t d1 = tq_desc(TX(c), b, 0x80000010u, 0, 0);

	tq_push(TX(c), tq_desc(TX(c), b, 0x80000000u, VRING_DESC_F_NEXT, d1));
}

static void
build_writable_in_tx(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), zbuf(c, 112), 112, VRING_DESC_F_WRITE,
		0));
}

static void
build_rx_readonly(struct ctx *c)
{
	tq_push(RXQ(c), tq_desc(RXQ(c), zbuf(c, 2048), 2048, 0, 0));
	send_good(c);
}

static void
build_rx_outside(struct ctx *c)
{
	tq_push(RXQ(c), tq_desc(RXQ(c), G_UNMAPPED, 2048,
		VRING_DESC_F_WRITE, 0));
	send_good(c);
}

static void
build_rx_avail_jump(struct ctx *c)
{
	struct tq *q = RXQ(c);

	q->avail_idx += T_QSZ + 1;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
	send_good(c);
}

/*
 * Memory a consumer keeps for itself (a control queue, shadow rings) in
 * address space 1, at the IOVA right above guest memory, as the vDPA
 * driver maps it: the data queues' descriptors name address space 0,
 * where it does not exist.
 */
#define PRIV_IOVA	G_END_IOVA
#define PRIV_LEN	4096
#define PRIV_BYTE	0x5a
static uint8_t priv_page[PRIV_LEN] __rte_aligned(PRIV_LEN);

static void
build_desc_private(struct ctx *c)
{
	tq_push(TX(c), tq_desc(TX(c), PRIV_IOVA, 112, 0, 0));
}

static void
build_rx_private(struct ctx *c)
{
	tq_push(RXQ(c), tq_desc(RXQ(c), PRIV_IOVA + 0xe00, 512,
		VRING_DESC_F_WRITE, 0));
	send_good(c);
}

static void
build_indirect_private(struct ctx *c)
{
	push_indirect(c, PRIV_IOVA, 3 * sizeof(struct vring_desc), 0);
}

static void
build_ctrl_no_ack(struct ctx *c)
{
	uint64_t b = zbuf(c, 3);

	*(uint8_t *)g_va(b, 1) = VIRTIO_NET_CTRL_RX;
	tq_push(CTRLQ(c), tq_desc(CTRLQ(c), b, 3, 0, 0));
	c->ops->kick_vq(c->dev, T_CTRL_QID);
}

static void
build_ctrl_head_ge_size(struct ctx *c)
{
	push_raw_head(CTRLQ(c), T_QSZ);
	c->ops->kick_vq(c->dev, T_CTRL_QID);
}

static int
check_untouched(struct ctx *c, uint64_t rxb, int count)
{
	const uint8_t *p = g_va(rxb, count * 2048);
	int i;

	for (i = 0; i < count * 2048; i++)
		CHECK(c, p[i] == 0xaa, "rx buffer byte %d written", i);
	return 0;
}

/* After the break: more input, and the broken queue must not move. */
static int
check_stopped(struct ctx *c, const struct hostile *h,
		struct rte_virtio_mdev_vq_stats *exp)
{
	switch (h->side) {
	case TX_SIDE:
		send_good(c);
		dev_poll(c);
		CHECK(c, tq_used_idx(TX(c)) == 0, "broken tx queue moved");
		break;
	case RX_SIDE:
		post_rx(c, 0, 1, 2048);
		send_good(c);
		dev_poll(c);
		CHECK(c, tq_used_idx(RXQ(c)) == 0, "broken rx queue moved");
		exp[1].received_descs++;
		exp[1].completed_descs++;
		exp[0].completion_errors++;
		break;
	case CTRL_SIDE:
		c->ops->kick_vq(c->dev, T_CTRL_QID);
		dev_poll(c);
		CHECK(c, tq_used_idx(CTRLQ(c)) == 0, "broken ctrl queue moved");
		break;
	}
	return check_stats(c, exp);
}

static int
check_recovers(struct ctx *c, const struct hostile *h)
{
	uint8_t on = 1, ack = 0xff;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, !(c->ops->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET),
		"NEEDS_RESET survived the reset");
	post_rx(c, 0, 1, 2048);
	if (loop_check(c, 0, 100, 1) < 0)
		return -1;
	if (h->side == CTRL_SIDE) {
		if (ctrl_cmd(c, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
				&on, 1, &ack) != 0)
			return -1;
		CHECK(c, ack == VIRTIO_NET_OK, "ctrl after reset: ack %u", ack);
	}
	return 0;
}

static int
run_hostile(struct ctx *c, const struct hostile *h)
{
	struct rte_virtio_mdev_vq_stats exp[T_NB_Q];
	uint16_t bq = h->side == TX_SIDE ? 1 : h->side == RX_SIDE ? 0 :
		T_CTRL_QID;
	uint64_t rxb = 0;

	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	if (h->side != RX_SIDE)
		rxb = post_rx(c, 0, 4, 2048);
	if (break_ring(c, h->build, dev_poll, NULL) != 0)
		return -1;
	expect_break(exp, bq, h->counter, h->side == RX_SIDE);
	if (h->side == RX_SIDE) {
		CHECK(c, tq_used_idx(TX(c)) == 1, "tx not completed");
	} else {
		CHECK(c, tq_used_idx(TX(c)) == 0 && tq_used_idx(RXQ(c)) == 0,
			"used idx moved: tx %u rx %u", tq_used_idx(TX(c)),
			tq_used_idx(RXQ(c)));
		if (check_untouched(c, rxb, 4) != 0)
			return -1;
	}
	if (check_stats(c, exp) != 0 || check_stopped(c, h, exp) != 0)
		return -1;
	CHECK(c, c->config_cbs == 1, "config callback called %d times",
		c->config_cbs);
	return check_recovers(c, h);
}

/* run_hostile() with the private page mapped; it must stay untouched. */
static int
run_private(struct ctx *c, const struct hostile *h)
{
	int ret, i;

	memset(priv_page, PRIV_BYTE, sizeof(priv_page));
	CHECK(c, c->ops->dma_map(c->dev, 1, PRIV_IOVA, PRIV_LEN, priv_page,
		RTE_VIRTIO_MDEV_DMA_RW) == 0, "dma_map in address space 1");
	ret = run_hostile(c, h);
	c->ops->dma_unmap(c->dev, 1, PRIV_IOVA, PRIV_LEN);
	if (ret != 0)
		return ret;
	for (i = 0; i < PRIV_LEN; i++)
		CHECK(c, priv_page[i] == PRIV_BYTE,
			"private page byte %d written", i);
	return 0;
}

#define ERR(f) offsetof(struct rte_virtio_mdev_vq_stats, f)
#define HOSTILE(nm, side, field) \
static int \
case_##nm(struct ctx *c) \
{ \
	static const struct hostile h = { build_##nm, side, ERR(field) }; \
	return run_hostile(c, &h); \
}

#define PRIVATE(nm, side, field) \
static int \
case_##nm(struct ctx *c) \
{ \
	static const struct hostile h = { build_##nm, side, ERR(field) }; \
	return run_private(c, &h); \
}

PRIVATE(desc_private, TX_SIDE, bad_desc_errors)
PRIVATE(rx_private, RX_SIDE, bad_desc_errors)
PRIVATE(indirect_private, TX_SIDE, bad_desc_errors)
HOSTILE(desc_outside, TX_SIDE, bad_desc_errors)
HOSTILE(desc_past_end, TX_SIDE, bad_desc_errors)
HOSTILE(second_desc_outside, TX_SIDE, bad_desc_errors)
HOSTILE(avail_jump, TX_SIDE, bad_desc_errors)
HOSTILE(head_ge_size, TX_SIDE, bad_desc_errors)
HOSTILE(next_ge_size, TX_SIDE, bad_desc_errors)
HOSTILE(loop, TX_SIDE, exceed_max_chain)
HOSTILE(chain_too_long, TX_SIDE, exceed_max_chain)
HOSTILE(indirect_loop, TX_SIDE, exceed_max_chain)
HOSTILE(indirect_outside, TX_SIDE, bad_desc_errors)
HOSTILE(indirect_bad_len, TX_SIDE, bad_desc_errors)
HOSTILE(indirect_nested, TX_SIDE, bad_desc_errors)
HOSTILE(indirect_next, TX_SIDE, bad_desc_errors)
HOSTILE(len_wrap_64, TX_SIDE, invalid_buffer)
HOSTILE(len_wrap_32, TX_SIDE, invalid_buffer)
HOSTILE(writable_in_tx, TX_SIDE, bad_desc_errors)
HOSTILE(rx_readonly, RX_SIDE, bad_desc_errors)
HOSTILE(rx_outside, RX_SIDE, bad_desc_errors)
HOSTILE(rx_avail_jump, RX_SIDE, bad_desc_errors)
HOSTILE(ctrl_no_ack, CTRL_SIDE, invalid_buffer)
HOSTILE(ctrl_head_ge_size, CTRL_SIDE, bad_desc_errors)

#define CASE(nm) { "hostile_" #nm, case_##nm }
const struct test_case hostile_cases[] = {
	CASE(desc_outside),
	CASE(desc_past_end),
	CASE(second_desc_outside),
	CASE(avail_jump),
	CASE(head_ge_size),
	CASE(next_ge_size),
	CASE(loop),
	CASE(chain_too_long),
	CASE(indirect_loop),
	CASE(indirect_outside),
	CASE(indirect_bad_len),
	CASE(indirect_nested),
	CASE(indirect_next),
	CASE(len_wrap_64),
	CASE(len_wrap_32),
	CASE(writable_in_tx),
	CASE(rx_readonly),
	CASE(rx_outside),
	CASE(rx_avail_jump),
	CASE(ctrl_no_ack),
	CASE(ctrl_head_ge_size),
	CASE(desc_private),
	CASE(rx_private),
	CASE(indirect_private),
};
const unsigned int nb_hostile_cases = RTE_DIM(hostile_cases);
