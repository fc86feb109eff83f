/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * The test's own little driver: guest memory, ring layout, posting
 * receive buffers, sending packets and reading what came back.
 */

#define _GNU_SOURCE	/* open_memstream */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "sim_engine.h"
#include "test_sim.h"

uint8_t *g_mem[G_NB_REGIONS];

#define RING_STRIDE	0x4000
#define AVAIL_OFF	0x1000
#define USED_OFF	0x2000

void *
g_va(uint64_t iova, uint32_t len)
{
	uint64_t off;
	int i;

	for (i = 0; i < G_NB_REGIONS; i++) {
		off = iova - (G_IOVA_BASE + (uint64_t)i * G_REGION_SIZE);
		if (off < G_REGION_SIZE && len <= G_REGION_SIZE - off)
			return g_mem[i] + off;
	}
	return NULL;
}

/* Byte-wise copies that may cross from one region into the next. */
static void
g_write(uint64_t iova, const void *src, uint32_t len)
{
	const uint8_t *s = src;
	uint32_t i;

	for (i = 0; i < len; i++)
		*(uint8_t *)g_va(iova + i, 1) = s[i];
}

static void
g_read(void *dst, uint64_t iova, uint32_t len)
{
	uint8_t *d = dst;
	uint32_t i;

	for (i = 0; i < len; i++)
		d[i] = *(const uint8_t *)g_va(iova + i, 1);
}

int
g_map(struct ctx *c)
{
	int i, ret;

	for (i = 0; i < G_NB_REGIONS; i++) {
		ret = c->ops->dma_map(c->dev, 0,
			G_IOVA_BASE + (uint64_t)i * G_REGION_SIZE,
			G_REGION_SIZE, g_mem[i], RTE_VIRTIO_MDEV_DMA_RW);
		if (ret != 0)
			return ret;
	}
	return 0;
}

uint64_t
g_alloc(struct ctx *c, uint32_t len)
{
	uint64_t iova = c->bump;

	c->bump += (len + 63) & ~63u;
	return iova;
}

/* A zeroed buffer (for headers and packets that are never sent back). */
uint64_t
zbuf(struct ctx *c, uint32_t len)
{
	uint64_t b = g_alloc(c, len);

	memset(g_va(b, len), 0, len);
	return b;
}

/* Queue and config callbacks count their calls. */
void
count_cb(void *arg)
{
	(*(int *)arg)++;
}

static int
tq_setup(struct ctx *c, uint16_t qid)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	struct rte_virtio_mdev_callback cb = { count_cb, &c->vq_cbs[qid] };
	struct tq *q = &c->q[qid];
	int ret;

	memset(q, 0, sizeof(*q));
	q->qid = qid;
	q->num = T_QSZ;
	q->desc_iova = G_RING_IOVA + (uint64_t)qid * RING_STRIDE;
	q->avail_iova = q->desc_iova + AVAIL_OFF;
	q->used_iova = q->desc_iova + USED_OFF;
	q->desc = g_va(q->desc_iova, 16 * T_QSZ);
	q->avail = g_va(q->avail_iova, 6 + 2 * T_QSZ);
	q->used = g_va(q->used_iova, 6 + 8 * T_QSZ);
	ret = ops->set_vq_num(c->dev, qid, T_QSZ);
	if (ret == 0)
		ret = ops->set_vq_address(c->dev, qid, q->desc_iova,
			q->avail_iova, q->used_iova);
	ops->set_vq_cb(c->dev, qid, &cb);
	if (ret == 0)
		ret = ops->set_vq_ready(c->dev, qid, true);
	return ret;
}

/*
 * Reset the device and start the case afresh: rings zeroed, counters
 * and callbacks counts at 0, buffers allocated from the start again.
 */
void
ctx_reset(struct ctx *c)
{
	uint16_t i;

	c->ops->set_status(c->dev, 0);
	memset(g_mem[0], 0, G_REGION_SIZE);
	memset(c->vq_cbs, 0, sizeof(c->vq_cbs));
	for (i = 0; i < T_NB_Q; i++)
		c->ops->reset_vq_stats(c->dev, i);
	c->config_cbs = 0;
	c->bump = G_BUF_IOVA;
}

/*
 * The last step of a setup, from status s (FEATURES_OK and the queues
 * set up): the config callback counted, then DRIVER_OK accepted.
 */
int
dev_driver_ok(struct ctx *c, uint8_t s)
{
	struct rte_virtio_mdev_callback cb = { count_cb, &c->config_cbs };

	c->ops->set_config_cb(c->dev, &cb);
	s |= VIRTIO_CONFIG_S_DRIVER_OK;
	c->ops->set_status(c->dev, s);
	CHECK(c, c->ops->get_status(c->dev) == s, "DRIVER_OK refused: 0x%x",
		c->ops->get_status(c->dev));
	return 0;
}

int
dev_setup(struct ctx *c, uint64_t features)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	uint8_t s = VIRTIO_CONFIG_S_ACKNOWLEDGE;
	uint16_t i;

	ctx_reset(c);
	CHECK(c, ops->get_status(c->dev) == 0, "status 0x%x after reset",
		ops->get_status(c->dev));
	ops->set_status(c->dev, s);
	s |= VIRTIO_CONFIG_S_DRIVER;
	ops->set_status(c->dev, s);
	CHECK(c, ops->set_features(c->dev, features) == 0,
		"set_features(0x%" PRIx64 ") failed", features);
	s |= VIRTIO_CONFIG_S_FEATURES_OK;
	ops->set_status(c->dev, s);
	CHECK(c, ops->get_status(c->dev) == s, "FEATURES_OK refused: 0x%x",
		ops->get_status(c->dev));
	for (i = 0; i < T_NB_Q; i++)
		CHECK(c, tq_setup(c, i) == 0, "queue %u setup failed", i);
	return dev_driver_ok(c, s);
}

/* Run a pass, or wait (up to 2 s) for the device's engine to take all tx. */
void
dev_poll(struct ctx *c)
{
	int i;

	if (!c->engine) {
		sim_engine_poll_mdev(c->dev);
		return;
	}
	for (i = 0; i < 20000; i++) {
		if (tq_used_idx(&c->q[1]) == c->q[1].avail_idx &&
				tq_used_idx(&c->q[3]) == c->q[3].avail_idx)
			return;
		usleep(100);
	}
}

uint16_t
tq_desc(struct tq *q, uint64_t addr, uint32_t len, uint16_t flags,
		uint16_t next)
{
	uint16_t i = q->next_desc++ & (q->num - 1);

	q->desc[i].addr = addr;
	q->desc[i].len = len;
	q->desc[i].flags = flags;
	q->desc[i].next = next;
	return i;
}

void
tq_push(struct tq *q, uint16_t head)
{
	q->avail->ring[q->avail_idx & (q->num - 1)] = head;
	q->avail_idx++;
	__atomic_store_n(&q->avail->idx, q->avail_idx, __ATOMIC_RELEASE);
}

uint16_t
tq_used_idx(const struct tq *q)
{
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE);
}

/* Post count one-buffer receive chains filled with 0xaa; first IOVA. */
uint64_t
post_rx(struct ctx *c, uint16_t qid, int count, uint32_t size)
{
	struct tq *q = &c->q[qid];
	uint64_t buf, first = c->bump;
	int i;

	for (i = 0; i < count; i++) {
		buf = g_alloc(c, size);
		memset(g_va(buf, size), 0xaa, size);
		tq_push(q, tq_desc(q, buf, size, VRING_DESC_F_WRITE, 0));
	}
	return first;
}

void
make_payload(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 131 + seed * 7 + (i >> 8));
}

/* A tx chain: one buffer (header + data), or header then data pieces. */
int
send_pkt(struct ctx *c, uint16_t qid, const uint8_t *p, uint32_t len,
		int nsegs)
{
	struct virtio_net_hdr_mrg_rxbuf hdr;
	struct tq *q = &c->q[qid];
	uint64_t buf[3];
	uint32_t l[3];
	int i, n = nsegs;
	uint16_t next = 0;

	memset(&hdr, 0, sizeof(hdr));
	if (nsegs == 1) {
		buf[0] = g_alloc(c, T_HDR_LEN + len);
		g_write(buf[0], &hdr, T_HDR_LEN);
		g_write(buf[0] + T_HDR_LEN, p, len);
		l[0] = T_HDR_LEN + len;
	} else {
		buf[0] = g_alloc(c, T_HDR_LEN);
		g_write(buf[0], &hdr, T_HDR_LEN);
		l[0] = T_HDR_LEN;
		l[1] = nsegs == 2 ? len : len / 3;
		l[2] = len - l[1];
		for (i = 1; i < nsegs; i++) {
			buf[i] = g_alloc(c, l[i]);
			g_write(buf[i], p, l[i]);
			p += l[i];
		}
	}
	/* Written last to first so that each knows its next. */
	for (i = n - 1; i >= 0; i--)
		next = tq_desc(q, buf[i], l[i],
			i == n - 1 ? 0 : VRING_DESC_F_NEXT, next);
	tq_push(q, next);
	return 0;
}

/*
 * Read one received packet (all its buffers). Returns its number of
 * buffers, 0 if none arrived, -1 if the used ring is inconsistent.
 */
int
recv_pkt(struct ctx *c, uint16_t qid, uint8_t *out, uint32_t *len)
{
	struct virtio_net_hdr_mrg_rxbuf hdr;
	struct tq *q = &c->q[qid];
	struct vring_used_elem e;
	uint16_t nbufs, k;
	uint32_t total = 0, n;
	uint64_t addr;

	for (k = 0, nbufs = 1; k < nbufs; k++) {
		if (q->used_seen == tq_used_idx(q))
			return k == 0 ? 0 : -1;
		e = q->used->ring[q->used_seen++ & (q->num - 1)];
		if (e.id >= q->num)
			return -1;
		addr = q->desc[e.id].addr;
		n = e.len;
		if (k == 0) {
			if (n < T_HDR_LEN)
				return -1;
			g_read(&hdr, addr, T_HDR_LEN);
			nbufs = hdr.num_buffers;
			addr += T_HDR_LEN;
			n -= T_HDR_LEN;
		}
		if (total + n > T_MAX_PKT)
			return -1;
		g_read(out + total, addr, n);
		total += n;
	}
	*len = total;
	return nbufs;
}

/* Send one packet on a pair's tx queue; it must come back byte-exact. */
int
loop_check(struct ctx *c, uint16_t pair, uint32_t len, int nsegs)
{
	static uint8_t in[T_MAX_PKT], out[T_MAX_PKT];
	struct tq *tx = &c->q[2 * pair + 1];
	uint16_t used0 = tq_used_idx(tx);
	uint32_t got = 0;
	int nb;

	make_payload(in, len, len + nsegs);
	send_pkt(c, tx->qid, in, len, nsegs);
	dev_poll(c);
	CHECK(c, tq_used_idx(tx) == (uint16_t)(used0 + 1),
		"tx%u used idx %u, expected %u", pair, tq_used_idx(tx),
		(uint16_t)(used0 + 1));
	nb = recv_pkt(c, 2 * pair, out, &got);
	CHECK(c, nb > 0, "rx%u: no packet (recv %d)", pair, nb);
	CHECK(c, got == len, "rx%u: %u bytes, sent %u", pair, got, len);
	CHECK(c, memcmp(in, out, len) == 0, "rx%u: payload differs", pair);
	return nb;
}

int
ctrl_cmd(struct ctx *c, uint8_t cls, uint8_t cmd, const void *data,
		uint32_t len, uint8_t *ack)
{
	struct tq *q = &c->q[T_CTRL_QID];
	uint16_t used0 = tq_used_idx(q), a, h;
	uint8_t hdr[2] = { cls, cmd };
	uint64_t buf, abuf;

	buf = g_alloc(c, sizeof(hdr) + len);
	g_write(buf, hdr, sizeof(hdr));
	g_write(buf + sizeof(hdr), data, len);
	abuf = g_alloc(c, 1);
	*(uint8_t *)g_va(abuf, 1) = 0xee;
	a = tq_desc(q, abuf, 1, VRING_DESC_F_WRITE, 0);
	h = tq_desc(q, buf, sizeof(hdr) + len, VRING_DESC_F_NEXT, a);
	tq_push(q, h);
	c->ops->kick_vq(c->dev, T_CTRL_QID);
	CHECK(c, tq_used_idx(q) == (uint16_t)(used0 + 1),
		"ctrl command %u/%u not answered at kick", cls, cmd);
	q->used_seen++;
	*ack = *(uint8_t *)g_va(abuf, 1);
	return 0;
}

int
get_stats(struct ctx *c, uint16_t qid, struct rte_virtio_mdev_vq_stats *s)
{
	return c->ops->get_vq_stats(c->dev, qid, s);
}

/* No error counted on the queue, and every chain it took completed. */
int
check_clean(struct ctx *c, uint16_t qid)
{
	struct rte_virtio_mdev_vq_stats s;

	CHECK(c, get_stats(c, qid, &s) == 0, "get_vq_stats(%u) failed", qid);
	CHECK(c, s.bad_desc_errors == 0 && s.exceed_max_chain == 0 &&
		s.invalid_buffer == 0 && s.completion_errors == 0,
		"queue %u error counters %" PRIu64 "/%" PRIu64 "/%" PRIu64
		"/%" PRIu64, qid, s.bad_desc_errors, s.exceed_max_chain,
		s.invalid_buffer, s.completion_errors);
	CHECK(c, s.received_descs == s.completed_descs,
		"queue %u received %" PRIu64 " completed %" PRIu64, qid,
		s.received_descs, s.completed_descs);
	return 0;
}

/*
 * The pieces of packet in[] (T_PIECES_LEN bytes) for an indirect table:
 * a zeroed header, then in[] in pieces of 300 and 700 bytes.
 */
void
tx_pieces(struct ctx *c, const uint8_t *in, uint64_t a[3])
{
	a[0] = zbuf(c, T_HDR_LEN);
	a[1] = g_alloc(c, 300);
	a[2] = g_alloc(c, 700);
	memcpy(g_va(a[1], 300), in, 300);
	memcpy(g_va(a[2], 700), in + 300, 700);
}

/* The packet read (nb buffers, len bytes) is in[] of tx_pieces(). */
int
check_one(struct ctx *c, int nb, const uint8_t *in, const uint8_t *out,
		uint32_t len)
{
	CHECK(c, nb == 1, "no packet");
	CHECK(c, len == T_PIECES_LEN && memcmp(in, out, len) == 0,
		"payload differs (%u bytes)", len);
	return check_clean(c, 0) || check_clean(c, 1);
}

/* The counters of every queue are exactly exp[queue]. */
int
check_stats(struct ctx *c, const struct rte_virtio_mdev_vq_stats *exp)
{
	struct rte_virtio_mdev_vq_stats s;
	uint16_t q;

	for (q = 0; q < T_NB_Q; q++) {
		CHECK(c, get_stats(c, q, &s) == 0, "get_vq_stats(%u)", q);
		CHECK(c, memcmp(&s, &exp[q], sizeof(s)) == 0,
			"queue %u counters rx %" PRIu64 " done %" PRIu64
			" bad %" PRIu64 " chain %" PRIu64 " buf %" PRIu64
			" drop %" PRIu64, q, s.received_descs,
			s.completed_descs, s.bad_desc_errors,
			s.exceed_max_chain, s.invalid_buffer,
			s.completion_errors);
	}
	return 0;
}

/* Log lines that announce a stopped queue, from a captured log. */
static int
count_stops(const char *log)
{
	int n = 0;

	while (log != NULL && (log = strstr(log, "stopped:")) != NULL) {
		n++;
		log++;
	}
	return n;
}

/*
 * Break a ring with build() and let the engine run into it (two passes
 * of poll(), log captured): the device needs a reset, told the config
 * callback once and logged the stop once, with why in it (NULL: any).
 */
int
break_ring(struct ctx *c, void (*build)(struct ctx *c),
		void (*poll)(struct ctx *c), const char *why)
{
	char *log = NULL;
	size_t log_len = 0;
	int stops, found;
	FILE *f;

	f = open_memstream(&log, &log_len);
	rte_openlog_stream(f);
	build(c);
	poll(c);
	poll(c);
	rte_openlog_stream(NULL);
	fclose(f);
	stops = count_stops(log);
	found = why == NULL || (log != NULL && strstr(log, why) != NULL);
	free(log);
	CHECK(c, found, "no log line saying \"%s\"", why);
	CHECK(c, c->ops->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET,
		"no NEEDS_RESET (status 0x%x)", c->ops->get_status(c->dev));
	CHECK(c, c->config_cbs == 1, "config callback called %d times",
		c->config_cbs);
	CHECK(c, stops == 1, "%d log lines about the stop", stops);
	return 0;
}

/*
 * The counters after break_ring(): one error in counter (an offset in
 * struct rte_virtio_mdev_vq_stats) of queue qid; when the rx queue
 * broke, the good packet it was given is sent by tx and dropped by rx.
 */
void
expect_break(struct rte_virtio_mdev_vq_stats *exp, uint16_t qid,
		size_t counter, bool rx)
{
	memset(exp, 0, T_NB_Q * sizeof(*exp));
	(*(uint64_t *)((uint8_t *)&exp[qid] + counter))++;
	if (rx) {
		exp[1].received_descs = exp[1].completed_descs = 1;
		exp[0].completion_errors = 1;
	}
}

static int
split_loop(struct ctx *c, uint32_t len, int nsegs)
{
	return loop_check(c, 0, len, nsegs);
}

const struct t_ring split_ring = { dev_setup, post_rx, split_loop };

#define T_MRG_BUF 512

/*
 * Packets of several sizes and chain shapes through pair 0, each in one
 * rx buffer or (mrg) in as many small ones as it needs; one callback per
 * packet on each queue, and nothing counted as an error.
 */
int
ring_sizes(struct ctx *c, const struct t_ring *r, bool mrg)
{
	static const struct { uint32_t len; int nsegs; } pk[] = {
		{ 64, 1 }, { 1500, 1 }, { 1500, 3 }, { 64, 3 }, { 4000, 2 },
	};
	uint64_t f = T_BASE_FEATURES |
		(mrg ? T_FEAT(VIRTIO_NET_F_MRG_RXBUF) : 0);
	uint32_t need;
	unsigned int i;
	int nb;

	if (r->setup(c, f) != 0)
		return -1;
	for (i = 0; i < RTE_DIM(pk); i++) {
		need = (pk[i].len + T_HDR_LEN + T_MRG_BUF - 1) / T_MRG_BUF;
		if (mrg)
			r->post_rx(c, 0, need, T_MRG_BUF);
		else
			r->post_rx(c, 0, 1,
				RTE_MAX(2048u, pk[i].len + T_HDR_LEN));
		nb = r->loop(c, pk[i].len, pk[i].nsegs);
		if (nb < 0)
			return -1;
		CHECK(c, nb == (int)(mrg ? need : 1),
			"%u bytes in %d buffers, expected %u", pk[i].len, nb,
			mrg ? need : 1);
	}
	CHECK(c, c->vq_cbs[0] == (int)RTE_DIM(pk) &&
		c->vq_cbs[1] == (int)RTE_DIM(pk),
		"callbacks rx %d tx %d, expected %zu each", c->vq_cbs[0],
		c->vq_cbs[1], RTE_DIM(pk));
	return check_clean(c, 0) || check_clean(c, 1);
}
