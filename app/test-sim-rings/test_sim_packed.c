/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Packed rings (VIRTIO_F_RING_PACKED) and EVENT_IDX: a small packed-ring
 * driver of the test's own, the good path byte for byte (sizes, chains,
 * mergeable buffers, indirect tables, many laps of rings whose size is
 * not a power of two), hostile rings, and callback suppression with
 * EVENT_IDX for split and packed rings.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "sim_engine.h"
#include "test_sim.h"

#define P_RING_STRIDE	0x4000
#define P_DRV_OFF	0x1000
#define P_DEV_OFF	0x2000
#define P_MAX_NUM	64
#define P_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define P_USED		(1u << VRING_PACKED_DESC_F_USED)
#define P_MRG_BUF	512

/* The driver's view of one packed queue. */
struct pq {
	uint16_t qid;
	uint16_t num;
	uint64_t desc_iova;
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *drv;
	struct vring_packed_desc_event *dev;
	uint16_t avail;		/* next descriptor to fill */
	uint8_t avail_wrap;
	uint16_t used;		/* next descriptor to look at for used */
	uint8_t used_wrap;
	uint16_t next_id;
	uint64_t id_addr[P_MAX_NUM];	/* first buffer of each buffer id */
	uint16_t id_ndesc[P_MAX_NUM];	/* ring descriptors of each id */
};

static struct pq pqs[T_NB_Q];

static void
p_poll(struct ctx *c)
{
	sim_engine_poll_mdev(c->dev);
}

static void
p_step(const struct pq *q, uint16_t *pos, uint8_t *wrap)
{
	if (++*pos == q->num) {
		*pos = 0;
		*wrap ^= 1;
	}
}

/* Flags that make a descriptor available for driver wrap counter w. */
static uint16_t
p_avail_flags(uint8_t w)
{
	return w ? P_AVAIL : P_USED;
}

static int
pq_setup(struct ctx *c, uint16_t qid, uint16_t num)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	struct rte_virtio_mdev_callback cb = { count_cb, &c->vq_cbs[qid] };
	struct pq *q = &pqs[qid];
	uint64_t base = G_RING_IOVA + (uint64_t)qid * P_RING_STRIDE;
	int ret;

	memset(q, 0, sizeof(*q));
	q->qid = qid;
	q->num = num;
	q->desc_iova = base;
	q->desc = g_va(base, 16 * num);
	q->drv = g_va(base + P_DRV_OFF, 4);
	q->dev = g_va(base + P_DEV_OFF, 4);
	q->avail_wrap = 1;
	q->used_wrap = 1;
	ret = ops->set_vq_num(c->dev, qid, num);
	if (ret == 0)
		ret = ops->set_vq_address(c->dev, qid, base, base + P_DRV_OFF,
			base + P_DEV_OFF);
	ops->set_vq_cb(c->dev, qid, &cb);
	if (ret == 0)
		ret = ops->set_vq_ready(c->dev, qid, true);
	return ret;
}

/* Reset and bring the device up with packed rings of num descriptors. */
static int
pdev_setup(struct ctx *c, uint64_t features, uint16_t num)
{
	const struct rte_virtio_mdev_ops *ops = c->ops;
	uint8_t s = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	uint16_t i;

	features |= T_FEAT(VIRTIO_F_RING_PACKED);
	ctx_reset(c);
	ops->set_status(c->dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	ops->set_status(c->dev, s);
	CHECK(c, ops->get_features(c->dev) & T_FEAT(VIRTIO_F_RING_PACKED),
		"VIRTIO_F_RING_PACKED not offered (packed_vq=1 given)");
	CHECK(c, ops->set_features(c->dev, features) == 0,
		"set_features(0x%" PRIx64 ") failed", features);
	s |= VIRTIO_CONFIG_S_FEATURES_OK;
	ops->set_status(c->dev, s);
	CHECK(c, ops->get_status(c->dev) == s, "FEATURES_OK refused");
	for (i = 0; i < T_NB_Q; i++)
		CHECK(c, pq_setup(c, i, num) == 0, "packed queue %u (%u) setup failed",
			i, num);
	return dev_driver_ok(c, s);
}

/*
 * Make a chain of n descriptors available under buffer id "id"; the
 * head's flags are written last, as a driver must.
 */
static void
pq_add_id(struct pq *q, int n, const uint64_t *addr, const uint32_t *len,
		const uint16_t *flags, uint16_t id)
{
	uint16_t pos = q->avail, head = q->avail, hf = 0, f;
	uint8_t w = q->avail_wrap;
	int i;

	for (i = 0; i < n; i++) {
		q->desc[pos].addr = addr[i];
		q->desc[pos].len = len[i];
		q->desc[pos].id = id;
		f = flags[i] | (i < n - 1 ? VRING_DESC_F_NEXT : 0) |
			p_avail_flags(w);
		if (i == 0)
			hf = f;
		else
			q->desc[pos].flags = f;
		p_step(q, &pos, &w);
	}
	if (id < P_MAX_NUM) {
		q->id_addr[id] = addr[0];
		q->id_ndesc[id] = n;
	}
	q->avail = pos;
	q->avail_wrap = w;
	__atomic_store_n(&q->desc[head].flags, hf, __ATOMIC_RELEASE);
}

static uint16_t
pq_add(struct pq *q, int n, const uint64_t *addr, const uint32_t *len,
		const uint16_t *flags)
{
	uint16_t id = q->next_id;

	q->next_id = (id + 1) % q->num;
	pq_add_id(q, n, addr, len, flags, id);
	return id;
}

/* Next used entry: 1 and its id/len, 0 if none, -1 if inconsistent. */
static int
pq_get_used(struct pq *q, uint16_t *id, uint32_t *len)
{
	uint16_t f = __atomic_load_n(&q->desc[q->used].flags,
		__ATOMIC_ACQUIRE), i;

	if (!!(f & P_AVAIL) != q->used_wrap || !!(f & P_USED) != q->used_wrap)
		return 0;
	*id = q->desc[q->used].id;
	*len = q->desc[q->used].len;
	if (*id >= q->num || q->id_ndesc[*id] == 0)
		return -1;
	for (i = 0; i < q->id_ndesc[*id]; i++)
		p_step(q, &q->used, &q->used_wrap);
	return 1;
}

/* count receive chains of one buffer of size bytes (0xaa); first IOVA. */
static uint64_t
p_post_rx(struct ctx *c, uint16_t qid, int count, uint32_t size)
{
	uint16_t fl = VRING_DESC_F_WRITE;
	uint64_t buf, first = c->bump;
	int i;

	for (i = 0; i < count; i++) {
		buf = g_alloc(c, size);
		memset(g_va(buf, size), 0xaa, size);
		pq_add(&pqs[qid], 1, &buf, &size, &fl);
	}
	return first;
}

/* A receive chain of two descriptors over one contiguous buffer. */
static void
p_post_rx2(struct ctx *c, uint16_t qid, uint32_t size)
{
	static const uint16_t fl[2] = { VRING_DESC_F_WRITE,
		VRING_DESC_F_WRITE };
	uint64_t a[2];
	uint32_t l[2];

	a[0] = g_alloc(c, size);
	memset(g_va(a[0], size), 0xaa, size);
	l[0] = 100;
	a[1] = a[0] + 100;
	l[1] = size - 100;
	pq_add(&pqs[qid], 2, a, l, fl);
}

/* A transmit chain: one buffer, or the header and then 1 or 2 pieces. */
static void
p_send(struct ctx *c, uint16_t qid, const uint8_t *p, uint32_t len, int nsegs)
{
	static const uint16_t fl[3];
	uint64_t a[3];
	uint32_t l[3];
	int i;

	if (nsegs == 1) {
		a[0] = g_alloc(c, T_HDR_LEN + len);
		memset(g_va(a[0], T_HDR_LEN), 0, T_HDR_LEN);
		memcpy(g_va(a[0] + T_HDR_LEN, len), p, len);
		l[0] = T_HDR_LEN + len;
	} else {
		a[0] = g_alloc(c, T_HDR_LEN);
		memset(g_va(a[0], T_HDR_LEN), 0, T_HDR_LEN);
		l[0] = T_HDR_LEN;
		l[1] = nsegs == 2 ? len : len / 3;
		l[2] = len - l[1];
		for (i = 1; i < nsegs; i++) {
			a[i] = g_alloc(c, l[i]);
			memcpy(g_va(a[i], l[i]), p, l[i]);
			p += l[i];
		}
	}
	pq_add(&pqs[qid], nsegs, a, l, fl);
}

/* Read one received packet; its number of buffers, 0 none, -1 bad. */
static int
p_recv(struct ctx *c, uint16_t qid, uint8_t *out, uint32_t *len)
{
	struct virtio_net_hdr_mrg_rxbuf hdr;
	struct pq *q = &pqs[qid];
	uint16_t nbufs = 1, k, id;
	uint32_t total = 0, n;
	uint64_t addr;
	int r;

	RTE_SET_USED(c);
	for (k = 0; k < nbufs; k++) {
		r = pq_get_used(q, &id, &n);
		if (r <= 0)
			return k == 0 ? r : -1;
		addr = q->id_addr[id];
		if (k == 0) {
			if (n < T_HDR_LEN)
				return -1;
			memcpy(&hdr, g_va(addr, T_HDR_LEN), T_HDR_LEN);
			nbufs = hdr.num_buffers;
			addr += T_HDR_LEN;
			n -= T_HDR_LEN;
		}
		if (total + n > T_MAX_PKT)
			return -1;
		memcpy(out + total, g_va(addr, n), n);
		total += n;
	}
	*len = total;
	return nbufs;
}

/* One packet through pair 0, back byte-exact; its rx buffer count. */
static int
p_loop(struct ctx *c, uint32_t len, int nsegs)
{
	static uint8_t in[T_MAX_PKT], out[T_MAX_PKT];
	uint32_t got = 0, ulen;
	uint16_t id;
	int nb;

	make_payload(in, len, len + nsegs);
	p_send(c, 1, in, len, nsegs);
	p_poll(c);
	CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 1,
		"tx: no used descriptor for %u bytes in %d pieces", len, nsegs);
	nb = p_recv(c, 0, out, &got);
	CHECK(c, nb > 0, "rx: no packet (recv %d)", nb);
	CHECK(c, got == len, "rx: %u bytes, sent %u", got, len);
	CHECK(c, memcmp(in, out, len) == 0, "rx: payload differs");
	return nb;
}

/* ---- good path ---- */

/* The sizes case on rings of 13 descriptors: not a power of two. */
static int
pdev_setup13(struct ctx *c, uint64_t features)
{
	return pdev_setup(c, features, 13);
}

static const struct t_ring packed_ring = { pdev_setup13, p_post_rx, p_loop };

T_CASE_OF(packed_good_sizes, ring_sizes, &packed_ring, false)
T_CASE_OF(packed_good_sizes_mrg, ring_sizes, &packed_ring, true)

/*
 * Many laps of a 7-descriptor ring: chains of 1 to 3 descriptors cross
 * its end in every position, several packets per pass; the position and
 * wrap counters the device reports at the end match the driver's.
 */
static int
packed_good_wrap(struct ctx *c)
{
	static uint8_t in[3][600], out[700];
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct rte_virtio_mdev_vq_state st;
	uint32_t got, ulen;
	uint16_t id;
	int i, k, burst;

	if (pdev_setup(c, T_BASE_FEATURES, 7) != 0)
		return -1;
	for (i = 0; i < 60; i++) {
		/* Bursts of 1 or 2 packets, rx chains of 1 or 2 buffers. */
		burst = 1 + (i % 2);
		for (k = 0; k < burst; k++) {
			if ((i + k) % 3 == 0)
				p_post_rx2(c, 0, 2048);
			else
				p_post_rx(c, 0, 1, 2048);
			make_payload(in[k], 100 + i + k, i * 3 + k);
			p_send(c, 1, in[k], 100 + i + k, 1 + (i + k) % 3);
		}
		p_poll(c);
		for (k = 0; k < burst; k++) {
			CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 1,
				"round %d: tx %d not used", i, k);
			got = 0;
			CHECK(c, p_recv(c, 0, out, &got) == 1,
				"round %d: rx %d missing", i, k);
			CHECK(c, got == 100u + i + k &&
				memcmp(out, in[k], got) == 0,
				"round %d: rx %d differs (%u bytes)", i, k, got);
		}
		if (check_clean(c, 0) || check_clean(c, 1))
			return -1;
	}
	CHECK(c, o->set_vq_ready(c->dev, 1, false) == 0 &&
		o->set_vq_ready(c->dev, 0, false) == 0, "stop failed");
	for (k = 0; k < 2; k++) {
		struct pq *q = &pqs[k];

		memset(&st, 0, sizeof(st));
		CHECK(c, o->get_vq_state(c->dev, k, &st) == 0, "get state");
		CHECK(c, st.packed.last_avail_idx == q->avail &&
			st.packed.last_avail_counter == q->avail_wrap &&
			st.packed.last_used_idx == q->used &&
			st.packed.last_used_counter == q->used_wrap,
			"queue %d state %u/%u %u/%u, driver at %u/%u %u/%u", k,
			st.packed.last_avail_idx,
			st.packed.last_avail_counter,
			st.packed.last_used_idx, st.packed.last_used_counter,
			q->avail, q->avail_wrap, q->used, q->used_wrap);
	}
	return 0;
}

/* Indirect tables on both sides. */
static int
packed_good_indirect(struct ctx *c)
{
	static uint8_t in[T_PIECES_LEN], out[2048];
	static const uint16_t ind = VRING_DESC_F_INDIRECT;
	struct vring_packed_desc *t;
	uint64_t table, a[3], rxb;
	uint32_t len = 0, tl = 3 * sizeof(*t);
	int nb;

	if (pdev_setup(c, T_BASE_FEATURES, 10) != 0)
		return -1;
	/* rx: a table of two writable buffers, contiguous in memory. */
	table = g_alloc(c, 2 * sizeof(*t));
	rxb = g_alloc(c, 2048);
	memset(g_va(rxb, 2048), 0xaa, 2048);
	t = g_va(table, 2 * sizeof(*t));
	t[0] = (struct vring_packed_desc){ rxb, 40, 0, VRING_DESC_F_WRITE };
	t[1] = (struct vring_packed_desc){ rxb + 40, 2008, 0,
		VRING_DESC_F_WRITE };
	len = 2 * sizeof(*t);
	pq_add(&pqs[0], 1, &table, &len, &ind);
	pqs[0].id_addr[0] = rxb;
	/* tx: header and two pieces. */
	make_payload(in, sizeof(in), 9);
	table = g_alloc(c, tl);
	tx_pieces(c, in, a);
	t = g_va(table, tl);
	t[0] = (struct vring_packed_desc){ a[0], T_HDR_LEN, 0, 0 };
	t[1] = (struct vring_packed_desc){ a[1], 300, 0, 0 };
	t[2] = (struct vring_packed_desc){ a[2], 700, 0, 0 };
	pq_add(&pqs[1], 1, &table, &tl, &ind);
	p_poll(c);
	len = 0;
	nb = p_recv(c, 0, out, &len);
	return check_one(c, nb, in, out, len);
}

/* A queue started from a saved position with wrap counters 0. */
static int
packed_good_state(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	struct rte_virtio_mdev_vq_state st;
	uint16_t q;

	if (pdev_setup(c, T_BASE_FEATURES, 9) != 0)
		return -1;
	for (q = 0; q < 2; q++) {
		CHECK(c, o->set_vq_ready(c->dev, q, false) == 0, "stop");
		memset(&st, 0, sizeof(st));
		st.packed.last_avail_idx = 5;
		st.packed.last_used_idx = 5;
		CHECK(c, o->set_vq_state(c->dev, q, &st) == 0, "set state");
		CHECK(c, o->set_vq_ready(c->dev, q, true) == 0, "restart");
		pqs[q].avail = pqs[q].used = 5;
		pqs[q].avail_wrap = pqs[q].used_wrap = 0;
	}
	/* All-zero descriptors are not available for wrap counter 0. */
	p_poll(c);
	CHECK(c, !(o->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET),
		"zeroed ring taken as hostile");
	for (q = 0; q < 12; q++) {
		p_post_rx(c, 0, 1, 2048);
		if (p_loop(c, 200 + q, 1 + q % 3) < 0)
			return -1;
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

/* Control queue commands on a packed ring, answered at the kick. */
static int
p_ctrl(struct ctx *c, uint8_t cls, uint8_t cmd, const void *data,
		uint32_t len, uint8_t *ack)
{
	static const uint16_t fl[2] = { 0, VRING_DESC_F_WRITE };
	struct pq *q = &pqs[T_CTRL_QID];
	uint64_t a[2];
	uint32_t l[2], ulen;
	uint16_t id, want;

	a[0] = g_alloc(c, 2 + len);
	*(uint8_t *)g_va(a[0], 1) = cls;
	*(uint8_t *)g_va(a[0] + 1, 1) = cmd;
	if (len > 0)
		memcpy(g_va(a[0] + 2, len), data, len);
	l[0] = 2 + len;
	a[1] = g_alloc(c, 1);
	*(uint8_t *)g_va(a[1], 1) = 0xee;
	l[1] = 1;
	want = pq_add(q, 2, a, l, fl);
	c->ops->kick_vq(c->dev, T_CTRL_QID);
	CHECK(c, pq_get_used(q, &id, &ulen) == 1 && id == want && ulen == 1,
		"ctrl %u/%u: no used descriptor (id %u len %u) at the kick",
		cls, cmd, id, ulen);
	*ack = *(uint8_t *)g_va(a[1], 1);
	return 0;
}

static int
packed_good_ctrl(struct ctx *c)
{
	uint8_t on = 1, ack = 0;
	uint16_t pairs = 2;
	int i;

	if (pdev_setup(c, T_BASE_FEATURES, 6) != 0)
		return -1;
	/* Enough commands to go around the 6-descriptor ring twice. */
	for (i = 0; i < 7; i++) {
		if (p_ctrl(c, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
				&on, 1, &ack) != 0)
			return -1;
		CHECK(c, ack == VIRTIO_NET_OK, "promisc: ack %u", ack);
	}
	if (p_ctrl(c, 99, 0, NULL, 0, &ack) != 0)
		return -1;
	CHECK(c, ack == VIRTIO_NET_ERR, "unknown class: ack %u", ack);
	if (p_ctrl(c, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
			&pairs, 2, &ack) != 0)
		return -1;
	CHECK(c, ack == VIRTIO_NET_OK, "pairs 2: ack %u", ack);
	/* The queue callback comes from the engine's pass, not the kick. */
	p_poll(c);
	CHECK(c, c->vq_cbs[T_CTRL_QID] > 0, "no ctrl queue callback");
	return check_clean(c, T_CTRL_QID);
}

/* ---- EVENT_IDX and event suppression ---- */

/* Split: used_event decides, avail_event tells where to kick. */
static int
event_idx_split(struct ctx *c)
{
	uint16_t *used_event, *avail_event;
	int i;

	if (dev_setup(c, T_BASE_FEATURES |
			T_FEAT(VIRTIO_RING_F_EVENT_IDX)) != 0)
		return -1;
	used_event = &c->q[1].avail->ring[T_QSZ];
	avail_event = (uint16_t *)&c->q[1].used->ring[T_QSZ];
	*used_event = 2;		/* tx: call when entry 2 is used */
	c->q[0].avail->ring[T_QSZ] = 0;	/* rx: call for entry 0 only */
	post_rx(c, 0, 4, 2048);
	for (i = 0; i < 4; i++) {
		if (loop_check(c, 0, 64 + i, 1) < 0)
			return -1;
		CHECK(c, c->vq_cbs[1] == (i >= 2),
			"tx callbacks %d after %d packets (used_event 2)",
			c->vq_cbs[1], i + 1);
		CHECK(c, *avail_event == i + 1,
			"avail_event %u after %d chains", *avail_event, i + 1);
	}
	CHECK(c, c->vq_cbs[0] == 1, "rx callbacks %d (used_event 0)",
		c->vq_cbs[0]);
	/* NO_INTERRUPT means nothing once EVENT_IDX is negotiated. */
	c->q[0].avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	c->q[0].avail->ring[T_QSZ] = 4;
	post_rx(c, 0, 1, 2048);
	if (loop_check(c, 0, 100, 1) < 0)
		return -1;
	CHECK(c, c->vq_cbs[0] == 2, "rx callbacks %d, used_event 4 passed",
		c->vq_cbs[0]);
	return 0;
}

/* Packed: DISABLE, ENABLE, DESC with an offset and wrap counter. */
static int
event_idx_packed(struct ctx *c)
{
	struct pq *tx = &pqs[1];
	uint16_t ev;
	int i, cbs;

	if (pdev_setup(c, T_BASE_FEATURES | T_FEAT(VIRTIO_RING_F_EVENT_IDX),
			5) != 0)
		return -1;
	CHECK(c, tx->dev->flags == VRING_PACKED_EVENT_FLAG_ENABLE,
		"device event flags 0x%x for a kicked queue", tx->dev->flags);
	pqs[0].drv->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
	tx->drv->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
	p_post_rx(c, 0, 1, 2048);
	if (p_loop(c, 64, 1) < 0)
		return -1;
	CHECK(c, c->vq_cbs[0] == 0 && c->vq_cbs[1] == 0,
		"callbacks despite DISABLE: rx %d tx %d", c->vq_cbs[0],
		c->vq_cbs[1]);
	pqs[0].drv->flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	p_post_rx(c, 0, 1, 2048);
	if (p_loop(c, 64, 1) < 0)
		return -1;
	CHECK(c, c->vq_cbs[0] == 1 && c->vq_cbs[1] == 0,
		"callbacks rx %d tx %d, expected 1 and 0", c->vq_cbs[0],
		c->vq_cbs[1]);
	/*
	 * tx is at 2 (wrap 1) of a ring of 5: ask for the descriptor at 1
	 * of the next lap, the 5th single-descriptor chain from now.
	 */
	ev = 1 | (0u << VRING_PACKED_EVENT_F_WRAP_CTR);
	tx->drv->off_wrap = ev;
	tx->drv->flags = VRING_PACKED_EVENT_FLAG_DESC;
	for (i = 0; i < 6; i++) {
		p_post_rx(c, 0, 1, 2048);
		cbs = c->vq_cbs[1];
		if (p_loop(c, 80 + i, 1) < 0)
			return -1;
		CHECK(c, c->vq_cbs[1] - cbs == (i == 4),
			"tx chain %d: %d callbacks (event at 1, wrap 0)", i,
			c->vq_cbs[1] - cbs);
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

/* ---- hostile packed rings ---- */

static void
pb_bad_wrap(struct ctx *c)
{
	struct pq *q = &pqs[1];
	uint64_t a[2] = { zbuf(c, T_HDR_LEN), zbuf(c, 64) };
	uint32_t l[2] = { T_HDR_LEN, 64 };
	uint16_t f[2] = { 0, 0 }, second = q->avail + 1;

	pq_add(q, 2, a, l, f);
	/* The second descriptor claims the previous lap. */
	q->desc[second % q->num].flags = p_avail_flags(!q->avail_wrap);
}

static void
pb_bad_id(struct ctx *c)
{
	uint64_t a = zbuf(c, 112);
	uint32_t l = 112;
	uint16_t f = 0;

	pq_add_id(&pqs[1], 1, &a, &l, &f, pqs[1].num);
}

static void
pb_chain_past_ring(struct ctx *c)
{
	struct pq *q = &pqs[1];
	uint64_t b = zbuf(c, 64);
	uint16_t i, fl = VRING_DESC_F_NEXT | p_avail_flags(q->avail_wrap);

	for (i = 1; i < q->num; i++)
		q->desc[i] = (struct vring_packed_desc){ b, 64, 0, fl };
	q->desc[0].addr = b;
	q->desc[0].len = 64;
	q->desc[0].id = 0;
	__atomic_store_n(&q->desc[0].flags, fl, __ATOMIC_RELEASE);
}

static void
pb_desc_outside(struct ctx *c)
{
	uint64_t a = G_UNMAPPED;
	uint32_t l = 112;
	uint16_t f = 0;

	RTE_SET_USED(c);
	pq_add(&pqs[1], 1, &a, &l, &f);
}

static void
pb_indirect_bad_len(struct ctx *c)
{
	uint64_t t = zbuf(c, 64);
	uint32_t l = 20;
	uint16_t f = VRING_DESC_F_INDIRECT;

	pq_add(&pqs[1], 1, &t, &l, &f);
}

static void
pb_indirect_too_long(struct ctx *c)
{
	uint32_t n = pqs[1].num + 1, l = n * sizeof(struct vring_packed_desc);
	uint64_t t = g_alloc(c, l), b = zbuf(c, 64);
	struct vring_packed_desc *d = g_va(t, l);
	uint16_t f = VRING_DESC_F_INDIRECT;
	uint32_t i;

	for (i = 0; i < n; i++)
		d[i] = (struct vring_packed_desc){ b, 8, 0, 0 };
	pq_add(&pqs[1], 1, &t, &l, &f);
}

static void
pb_rx_outside(struct ctx *c)
{
	static const uint8_t pkt[64];
	uint64_t a = G_UNMAPPED;
	uint32_t l = 2048;
	uint16_t f = VRING_DESC_F_WRITE;

	pq_add(&pqs[0], 1, &a, &l, &f);
	p_send(c, 1, pkt, sizeof(pkt), 1);
}

struct phostile {
	void (*build)(struct ctx *c);
	bool rx;		/* the rx queue breaks (on a good packet) */
	size_t counter;
	const char *why;	/* in the log line */
};

static int
run_phostile(struct ctx *c, const struct phostile *h)
{
	static const uint8_t pkt[64];
	struct rte_virtio_mdev_vq_stats exp[T_NB_Q];
	uint64_t rxb = 0;
	const uint8_t *p;
	uint32_t ulen;
	uint16_t id;
	size_t i;

	if (pdev_setup(c, T_BASE_FEATURES, 8) != 0)
		return -1;
	if (!h->rx)
		rxb = p_post_rx(c, 0, 4, 2048);
	if (break_ring(c, h->build, p_poll, h->why) != 0)
		return -1;
	expect_break(exp, h->rx ? 0 : 1, h->counter, h->rx);
	if (h->rx) {
		CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 1,
			"tx not completed");
	} else {
		CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 0,
			"broken tx queue returned a descriptor");
		p = g_va(rxb, 4 * 2048);
		for (i = 0; i < 4 * 2048; i++)
			CHECK(c, p[i] == 0xaa, "rx buffer byte %zu written", i);
	}
	if (check_stats(c, exp) != 0)
		return -1;
	/* More input: the broken queue stays where it is. */
	p_send(c, 1, pkt, sizeof(pkt), 1);
	p_poll(c);
	if (!h->rx)
		CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 0,
			"broken tx queue moved");
	CHECK(c, c->config_cbs == 1, "config callback called %d times",
		c->config_cbs);
	/* Working again after a reset. */
	if (pdev_setup(c, T_BASE_FEATURES, 8) != 0)
		return -1;
	CHECK(c, !(c->ops->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET),
		"NEEDS_RESET survived the reset");
	p_post_rx(c, 0, 1, 2048);
	return p_loop(c, 100, 2) < 0 ? -1 : 0;
}

#define PERR(f) offsetof(struct rte_virtio_mdev_vq_stats, f)
#define PHOSTILE(nm, rx, field, why) \
static int \
packed_hostile_##nm(struct ctx *c) \
{ \
	static const struct phostile h = { pb_##nm, rx, PERR(field), why }; \
	return run_phostile(c, &h); \
}

PHOSTILE(bad_wrap, false, bad_desc_errors, "not available for wrap counter")
PHOSTILE(bad_id, false, bad_desc_errors, "buffer id 8 of the chain")
PHOSTILE(chain_past_ring, false, exceed_max_chain, "longer than the ring")
PHOSTILE(desc_outside, false, bad_desc_errors, "outside mapped")
PHOSTILE(indirect_bad_len, false, bad_desc_errors, "of length 20")
PHOSTILE(indirect_too_long, false, exceed_max_chain, "indirect table of 9")
PHOSTILE(rx_outside, true, bad_desc_errors, "outside mapped writable")

/* Any size from 1 to the maximum; powers of two only for split rings. */
static int
packed_ops_sizes(struct ctx *c)
{
	const struct rte_virtio_mdev_ops *o = c->ops;
	static const uint32_t good[] = { 1, 3, 7, 63, 64 };
	struct rte_virtio_mdev_vq_state st;
	unsigned int i;

	if (pdev_setup(c, T_BASE_FEATURES, 3) != 0)
		return -1;
	CHECK(c, o->set_vq_ready(c->dev, 0, false) == 0, "stop");
	for (i = 0; i < RTE_DIM(good); i++)
		CHECK(c, o->set_vq_num(c->dev, 0, good[i]) == 0,
			"packed size %u refused", good[i]);
	CHECK(c, o->set_vq_num(c->dev, 0, 0) == -EINVAL &&
		o->set_vq_num(c->dev, 0, 65) == -EINVAL,
		"packed size 0 or 65 (max 64) accepted");
	/* A position saved for a larger ring does not fit a smaller one. */
	memset(&st, 0, sizeof(st));
	st.packed.last_avail_idx = 50;
	st.packed.last_used_idx = 50;
	CHECK(c, o->set_vq_state(c->dev, 0, &st) == 0, "state 50 of 64");
	st.packed.last_avail_idx = 64;
	CHECK(c, o->set_vq_state(c->dev, 0, &st) == -EINVAL,
		"state 64 of 64 accepted");
	CHECK(c, o->set_vq_num(c->dev, 0, 10) == 0 &&
		o->set_vq_ready(c->dev, 0, true) == -EINVAL,
		"ring of 10 started at position 50");
	CHECK(c, o->set_vq_num(c->dev, 0, 64) == 0 &&
		o->set_vq_ready(c->dev, 0, true) == 0,
		"ring of 64 refused at position 50");
	/* A ring of one descriptor works too. */
	if (pdev_setup(c, T_BASE_FEATURES, 1) != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		p_post_rx(c, 0, 1, 2048);
		if (p_loop(c, 64 + i, 1) < 0)
			return -1;
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

/*
 * IN_ORDER: a transmit pass comes back as one used descriptor, at the
 * pass's first position and naming its last buffer; the positions of
 * the other chains are left as the driver made them available. Rx
 * chains still get one used descriptor each. Chains of 1 to 3
 * descriptors on a 7-descriptor ring, many laps.
 */
static int
packed_in_order_tx(struct ctx *c)
{
	static uint8_t in[3][300], out[400];
	struct pq *tx = &pqs[1];
	uint16_t first, id, last = 0, f, pos;
	uint8_t wrap;
	uint32_t got;
	int i, k;

	if (pdev_setup(c, T_BASE_FEATURES | T_FEAT(VIRTIO_F_IN_ORDER), 7) != 0)
		return -1;
	for (i = 0; i < 40; i++) {
		first = tx->used;
		wrap = tx->used_wrap;
		for (k = 0; k < 2; k++) {
			p_post_rx(c, 0, 1, 2048);
			make_payload(in[k], 60 + i + k, i + k);
			p_send(c, 1, in[k], 60 + i + k, 1 + (i + k) % 3);
			last = (tx->next_id + tx->num - 1) % tx->num;
		}
		p_poll(c);
		f = __atomic_load_n(&tx->desc[first].flags, __ATOMIC_ACQUIRE);
		CHECK(c, !!(f & P_AVAIL) == wrap && !!(f & P_USED) == wrap &&
			tx->desc[first].id == last && tx->desc[first].len == 0,
			"round %d: used descriptor at %u: flags 0x%x id %u len %u, expected id %u",
			i, first, f, tx->desc[first].id, tx->desc[first].len,
			last);
		/* The second chain's head: still available, not used. */
		pos = first;
		id = (last + tx->num - 1) % tx->num;	/* the first chain */
		for (k = 0; k < tx->id_ndesc[id]; k++)
			p_step(tx, &pos, &wrap);
		f = tx->desc[pos].flags;
		CHECK(c, !!(f & P_AVAIL) != !!(f & P_USED),
			"round %d: the device wrote a used descriptor at %u (flags 0x%x) for a chain of an in-order pass",
			i, pos, f);
		tx->used = tx->avail;
		tx->used_wrap = tx->avail_wrap;
		for (k = 0; k < 2; k++) {
			got = 0;
			CHECK(c, p_recv(c, 0, out, &got) == 1 &&
				got == 60u + i + k && memcmp(out, in[k], got) == 0,
				"round %d: rx %d missing or different", i, k);
		}
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

/*
 * Regression: packed rings of 8, split rings of 16, packed rings of 16
 * again, on one device. The split enable grew the chain scratch array
 * but not the packed used-entry shadow, and the last enable kept the
 * shadow of 8: a pass of 16 used entries overflowed it (ASan: heap
 * buffer overflow write in sim_packed_used).
 */
static int
packed_renegotiate(struct ctx *c)
{
	static const uint8_t in[64];
	uint32_t ulen;
	uint16_t id;
	int i;

	if (pdev_setup(c, T_BASE_FEATURES, 8) != 0 ||
			dev_setup(c, T_BASE_FEATURES) != 0 ||
			pdev_setup(c, T_BASE_FEATURES, 16) != 0)
		return -1;
	p_post_rx(c, 0, 16, 2048);
	for (i = 0; i < 16; i++)
		p_send(c, 1, in, sizeof(in), 1);
	p_poll(c);
	for (i = 0; i < 16; i++) {
		CHECK(c, pq_get_used(&pqs[1], &id, &ulen) == 1,
			"tx chain %d of 16 not used", i);
		CHECK(c, pq_get_used(&pqs[0], &id, &ulen) == 1,
			"rx chain %d of 16 not used", i);
	}
	return check_clean(c, 0) || check_clean(c, 1);
}

const struct test_case packed_cases[] = {
	{ "packed_renegotiate", packed_renegotiate },
	{ "packed_ops_sizes", packed_ops_sizes },
	{ "packed_good_sizes", packed_good_sizes },
	{ "packed_good_sizes_mergeable", packed_good_sizes_mrg },
	{ "packed_good_wrap", packed_good_wrap },
	{ "packed_in_order_tx", packed_in_order_tx },
	{ "packed_good_indirect", packed_good_indirect },
	{ "packed_good_state", packed_good_state },
	{ "packed_good_ctrl", packed_good_ctrl },
	{ "packed_hostile_bad_wrap", packed_hostile_bad_wrap },
	{ "packed_hostile_bad_id", packed_hostile_bad_id },
	{ "packed_hostile_chain_past_ring", packed_hostile_chain_past_ring },
	{ "packed_hostile_desc_outside", packed_hostile_desc_outside },
	{ "packed_hostile_indirect_bad_len", packed_hostile_indirect_bad_len },
	{ "packed_hostile_indirect_too_long",
		packed_hostile_indirect_too_long },
	{ "packed_hostile_rx_outside", packed_hostile_rx_outside },
	{ "event_idx_split", event_idx_split },
	{ "event_idx_packed", event_idx_packed },
};
const unsigned int nb_packed_cases = RTE_DIM(packed_cases);
