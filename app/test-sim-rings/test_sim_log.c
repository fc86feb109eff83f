/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Dirty page logging (RTE_VIRTIO_MDEV_F_LOG_DIRTY): the bitmap must hold
 * exactly the pages the device wrote (receive buffers up to the length
 * it reported, the control queue's ack byte, the used rings), nothing
 * the device only read (tx buffers, descriptors, avail rings), nothing
 * while logging is off, and never a byte past the size it was given.
 */

#include <string.h>

#include <rte_common.h>

#include "sim.h"
#include "test_sim.h"

#define L_PAGE		4096u
/* One bit per page of everything the test maps, and room to spare. */
#define L_BYTES		(G_END_IOVA / L_PAGE / 8)
#define L_SPARE		256u

static uint8_t logmap[L_BYTES + L_SPARE];
static uint8_t want[L_BYTES];
/* Used index of each queue up to which want[] accounts for. */
static uint16_t seen[T_NB_Q];

static void
want_range(uint64_t iova, uint64_t len)
{
	uint64_t p;

	if (len == 0)
		return;
	for (p = iova / L_PAGE; p <= (iova + len - 1) / L_PAGE; p++)
		if (p / 8 < L_BYTES)
			want[p / 8] |= 1u << (p % 8);
}

static void
want_reset(struct ctx *c)
{
	uint16_t i;

	memset(want, 0, sizeof(want));
	for (i = 0; i < T_NB_Q; i++)
		seen[i] = tq_used_idx(&c->q[i]);
}

/* A ready queue's used ring, all of it (flags, idx, ring, avail_event). */
static void
want_used_ring(const struct tq *q)
{
	want_range(q->used_iova, 6 + 8 * q->num);
}

/*
 * What the used ring says the device wrote since the last call: the
 * first "len" device-writable bytes of each chain, and the used ring.
 * Called after every burst, before the test's driver reuses descriptors.
 */
static void
want_used(struct ctx *c)
{
	const struct vring_desc *d;
	struct vring_used_elem e;
	struct tq *q;
	uint16_t i, to, id, hops;
	uint32_t left, n;

	for (i = 0; i < T_NB_Q; i++) {
		q = &c->q[i];
		to = tq_used_idx(q);
		if (to != seen[i])
			want_used_ring(q);
		for (; seen[i] != to; seen[i]++) {
			e = q->used->ring[seen[i] & (q->num - 1)];
			left = e.len;
			id = e.id;
			for (hops = 0; hops < q->num && left > 0; hops++) {
				d = &q->desc[id & (q->num - 1)];
				if (d->flags & VRING_DESC_F_WRITE) {
					n = RTE_MIN(left, d->len);
					want_range(d->addr, n);
					left -= n;
				}
				if (!(d->flags & VRING_DESC_F_NEXT))
					break;
				id = d->next;
			}
		}
	}
}

/* logmap against want[] for the first "bytes"; the rest must be zero. */
static int
log_check(struct ctx *c, const char *when, uint64_t bytes)
{
	uint64_t i, page;
	unsigned int b;
	uint8_t diff;

	for (i = 0; i < bytes; i++) {
		diff = logmap[i] ^ want[i];
		if (diff == 0)
			continue;
		b = __builtin_ctz(diff);
		page = i * 8 + b;
		CHECK(c, false, "%s: page 0x%" PRIx64 " (IOVA 0x%" PRIx64
			") is %s, expected %s", when, page, page * L_PAGE,
			(logmap[i] >> b) & 1 ? "dirty" : "clean",
			(want[i] >> b) & 1 ? "dirty" : "clean");
	}
	for (; i < sizeof(logmap); i++)
		CHECK(c, logmap[i] == 0, "%s: byte %" PRIu64
			" beyond the log size %" PRIu64 " was written (0x%02x)",
			when, i, bytes, logmap[i]);
	return 0;
}

/* Logging off and no bitmap, whatever a case left behind. */
static void
log_clear(struct ctx *c)
{
	c->ops->set_log_enable(c->dev, false);
	c->ops->set_log_base(c->dev, NULL, 0);
}

static uint64_t
log_beyond(struct ctx *c)
{
	return sim_dev_of(c->dev)->dlog.beyond;
}

/* Start the next buffer on a page of its own. */
static void
page_align(struct ctx *c, uint32_t off)
{
	c->bump = RTE_ALIGN_CEIL(c->bump, (uint64_t)L_PAGE) + off;
}

/*
 * One packet of len bytes in nsegs pieces through a pair, into nbufs rx
 * buffers of size bytes that start at off in a page of their own (the
 * tx buffers on the next page); want[] follows the used rings.
 */
static int
page_loop(struct ctx *c, uint16_t pair, uint32_t off, int nbufs,
		uint32_t size, uint32_t len, int nsegs)
{
	page_align(c, off);
	post_rx(c, 2 * pair, nbufs, size);
	page_align(c, 0);
	if (loop_check(c, pair, len, nsegs) < 0)
		return -1;
	want_used(c);
	return 0;
}

/*
 * Traffic of every kind: packets of several sizes and chain shapes on
 * pair 0, an rx header split over two descriptors, a control command,
 * then pair 1. want[] follows the used rings.
 */
static int
traffic(struct ctx *c, bool mrg)
{
	static uint8_t in[1500];
	struct tq *rx = &c->q[0];
	struct vring_used_elem e;
	uint64_t a, b;
	uint16_t pairs = 2, d1, nbufs;
	uint8_t ack = 0;

	/* 76 bytes written from 6 bytes before a page end: two pages. */
	if (page_loop(c, 0, L_PAGE - 6, 1, 2048, 64, 1) != 0)
		return -1;
	/* 76 bytes at the start of a buffer that runs into the next page. */
	if (page_loop(c, 0, L_PAGE - 1024, 1, 2048, 64, 1) != 0)
		return -1;
	/* A 2 KiB buffer partly written, and a three-piece tx chain. */
	if (page_loop(c, 0, L_PAGE - 1024, mrg ? 3 : 1, mrg ? 512 : 2048,
			1400, 3) != 0)
		return -1;
	/* The header (and num_buffers) split between two pages. */
	page_align(c, 0);
	a = g_alloc(c, 11);
	page_align(c, 0);
	b = g_alloc(c, 2048);
	memset(g_va(a, 11), 0xaa, 11);
	memset(g_va(b, 2048), 0xaa, 2048);
	d1 = tq_desc(rx, b, 2048, VRING_DESC_F_WRITE, 0);
	tq_push(rx, tq_desc(rx, a, 11, VRING_DESC_F_WRITE |
		VRING_DESC_F_NEXT, d1));
	make_payload(in, sizeof(in), 3);
	page_align(c, 0);
	send_pkt(c, 1, in, 300, 1);
	dev_poll(c);
	CHECK(c, tq_used_idx(rx) == (uint16_t)(rx->used_seen + 1),
		"split-header packet not received");
	e = rx->used->ring[rx->used_seen++ & (rx->num - 1)];
	nbufs = *(uint8_t *)g_va(a + 10, 1) | *(uint8_t *)g_va(b, 1) << 8;
	CHECK(c, e.len == T_HDR_LEN + 300 && nbufs == 1 &&
		memcmp(g_va(b + 1, 300), in, 300) == 0,
		"split-header packet: len %u num_buffers %u or payload wrong",
		e.len, nbufs);
	want_used(c);
	/* Control queue: the ack byte and its used ring. */
	page_align(c, 0);
	CHECK(c, ctrl_cmd(c, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &pairs, sizeof(pairs),
		&ack) == 0 && ack == VIRTIO_NET_OK, "VQ_PAIRS_SET 2: ack %u",
		ack);
	want_used(c);
	return page_loop(c, 1, 100, 1, 2048, 1000, 2);
}

static int
log_ops_body(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;

	CHECK(c, o->get_mdev_features(c->dev) &
		RTE_VIRTIO_MDEV_FEATURE(RTE_VIRTIO_MDEV_F_LOG_DIRTY),
		"LOG_DIRTY not advertised");
	log_clear(c);
	CHECK(c, o->set_log_base(c->dev, NULL, 8) == -EINVAL,
		"set_log_base(NULL, 8) accepted");
	CHECK(c, o->set_log_enable(c->dev, true) == -EINVAL,
		"set_log_enable without a log accepted");
	CHECK(c, o->set_log_base(c->dev, logmap, L_BYTES) == 0,
		"set_log_base refused");
	CHECK(c, o->set_log_enable(c->dev, true) == 0, "enable refused");
	CHECK(c, o->set_log_enable(c->dev, true) == 0, "enable twice refused");
	CHECK(c, o->set_log_base(c->dev, logmap, L_BYTES) == -EBUSY,
		"set_log_base while logging: not -EBUSY");
	CHECK(c, o->set_log_enable(c->dev, false) == 0, "disable refused");
	CHECK(c, o->set_log_enable(c->dev, false) == 0, "disable twice refused");
	CHECK(c, o->set_log_base(c->dev, NULL, 0) == 0,
		"set_log_base(NULL, 0) refused");
	return 0;
}

/* A bitmap given but logging off: nothing is marked. */
static int
log_off_body(struct ctx *c)
{
	int ret;

	log_clear(c);
	memset(logmap, 0, sizeof(logmap));
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, c->ops->set_log_base(c->dev, logmap, L_BYTES) == 0,
		"set_log_base refused");
	want_reset(c);
	ret = traffic(c, false);
	memset(want, 0, sizeof(want));
	if (ret == 0)
		ret = log_check(c, "logging off", 0);
	return ret;
}

static int
log_exact(struct ctx *c, bool mrg)
{
	uint16_t i;
	int ret;

	log_clear(c);
	memset(logmap, 0, sizeof(logmap));
	if (dev_setup(c, T_BASE_FEATURES |
			(mrg ? T_FEAT(VIRTIO_NET_F_MRG_RXBUF) : 0)) != 0)
		return -1;
	CHECK(c, c->ops->set_log_base(c->dev, logmap, L_BYTES) == 0 &&
		c->ops->set_log_enable(c->dev, true) == 0,
		"logging refused");
	/* Turning logging on marks the used ring of every ready queue. */
	want_reset(c);
	for (i = 0; i < T_NB_Q; i++)
		want_used_ring(&c->q[i]);
	ret = log_check(c, "after set_log_enable", L_BYTES);
	/* The front end's sync: it clears what it copied. */
	memset(logmap, 0, sizeof(logmap));
	want_reset(c);
	if (ret == 0)
		ret = traffic(c, mrg);
	if (ret == 0)
		ret = log_check(c, "after traffic", L_BYTES);
	if (ret == 0)
		CHECK(c, log_beyond(c) == 0, "%" PRIu64 " writes beyond the log",
			log_beyond(c));
	return ret;
}

/* Logging on before the queues start: each one is marked as it starts. */
static int
log_before_start_body(struct ctx *c)
{
	uint16_t i;
	int ret;

	log_clear(c);
	memset(logmap, 0, sizeof(logmap));
	CHECK(c, c->ops->set_log_base(c->dev, logmap, L_BYTES) == 0 &&
		c->ops->set_log_enable(c->dev, true) == 0,
		"logging refused");
	/* The reset keeps the log (as it keeps DMA mappings). */
	ret = dev_setup(c, T_BASE_FEATURES);
	want_reset(c);
	for (i = 0; i < T_NB_Q; i++)
		want_used_ring(&c->q[i]);
	if (ret == 0)
		ret = log_check(c, "queues started while logging", L_BYTES);
	return ret;
}

/*
 * A log that covers the rings and only the first 64 KiB of the buffers:
 * pages beyond are counted, never marked, and no byte past the size is
 * touched.
 */
static int
log_small_body(struct ctx *c)
{
	const uint64_t bytes = (G_BUF_IOVA + 0x10000) / L_PAGE / 8;
	uint64_t p;
	int ret;

	log_clear(c);
	memset(logmap, 0, sizeof(logmap));
	if (dev_setup(c, T_BASE_FEATURES) != 0)
		return -1;
	CHECK(c, c->ops->set_log_base(c->dev, logmap, bytes) == 0 &&
		c->ops->set_log_enable(c->dev, true) == 0,
		"logging refused");
	memset(logmap, 0, sizeof(logmap));
	want_reset(c);
	/* The first packets land inside the log, the later ones past it. */
	if (traffic(c, false) != 0)
		return -1;
	page_align(c, 0);
	c->bump = RTE_MAX(c->bump, G_BUF_IOVA + 0x20000);
	post_rx(c, 0, 1, 2048);
	if (loop_check(c, 0, 500, 1) < 0)
		return -1;
	want_used(c);
	for (p = bytes; p < L_BYTES; p++)
		want[p] = 0;
	ret = log_check(c, "log of the first 64 KiB of buffers", bytes);
	if (ret == 0)
		CHECK(c, log_beyond(c) > 0, "no write counted beyond the log");
	return ret;
}

/* Every case leaves logging off and the bitmap forgotten, pass or fail. */
#define LOG_CASE(name, body) \
static int \
name(struct ctx *c) \
{ \
	int ret = body; \
	log_clear(c); \
	return ret; \
}
LOG_CASE(log_ops, log_ops_body(c))
LOG_CASE(log_off, log_off_body(c))
LOG_CASE(log_exact_plain, log_exact(c, false))
LOG_CASE(log_exact_mrg, log_exact(c, true))
LOG_CASE(log_before_start, log_before_start_body(c))
LOG_CASE(log_small, log_small_body(c))

const struct test_case log_cases[] = {
	{ "log_ops", log_ops },
	{ "log_off", log_off },
	{ "log_exact", log_exact_plain },
	{ "log_exact_mergeable", log_exact_mrg },
	{ "log_before_start", log_before_start },
	{ "log_small", log_small },
};
const unsigned int nb_log_cases = RTE_DIM(log_cases);
