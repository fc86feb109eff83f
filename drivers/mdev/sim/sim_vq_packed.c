/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 virtio-mdev for DPDK authors
 */

/*
 * Device-side packed ring: chain parsing and validation against the wrap
 * counters, batched used descriptor writes, and event suppression. The
 * driver is untrusted exactly as for split rings: the first violation
 * breaks the queue (sim_vq_break) and nothing outside mapped memory is
 * read or written.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "sim_log.h"
#include "sim_vq_packed.h"

/* Map the ring and both event areas, and say whether we want kicks. */
int
sim_packed_enable(struct sim_dev *d, struct sim_vq *vq)
{
	uint32_t n = vq->num;
	uint16_t ev;

	/* A position set for a larger ring (or a split one) is no use. */
	if (!vq->addr_set || n == 0 || vq->last_avail >= n ||
			vq->used_idx >= n)
		return -EINVAL;
	if ((vq->desc_iova & 15) || (vq->driver_iova & 3) ||
			(vq->device_iova & 3))
		return -EINVAL;
	vq->pdesc = sim_iova_contig(vq->rings, vq->desc_iova,
		(uint64_t)n * sizeof(struct vring_packed_desc),
		RTE_VIRTIO_MDEV_DMA_READ | RTE_VIRTIO_MDEV_DMA_WRITE);
	vq->drv_event = sim_iova_contig(vq->rings, vq->driver_iova,
		sizeof(struct vring_packed_desc_event),
		RTE_VIRTIO_MDEV_DMA_READ);
	vq->dev_event = sim_iova_contig(vq->rings, vq->device_iova,
		sizeof(struct vring_packed_desc_event),
		RTE_VIRTIO_MDEV_DMA_WRITE);
	if (vq->pdesc == NULL || vq->drv_event == NULL ||
			vq->dev_event == NULL)
		return -EFAULT;
	if (sim_vq_grow((void **)&vq->segs, &vq->segs_cap, n,
			sizeof(*vq->segs)) != 0 ||
			sim_vq_grow((void **)&vq->shadow, &vq->shadow_cap, n,
			sizeof(*vq->shadow)) != 0)
		return -ENOMEM;
	vq->nshadow = 0;
	vq->pub_idx = vq->used_idx;
	vq->pub_wrap = vq->used_wrap;
	ev = vq->polled ? VRING_PACKED_EVENT_FLAG_DISABLE :
		VRING_PACKED_EVENT_FLAG_ENABLE;
	vq->dev_event->off_wrap = 0;
	__atomic_store_n(&vq->dev_event->flags, rte_cpu_to_le_16(ev),
		__ATOMIC_RELEASE);
	return 0;
}

/* One load per field: the driver may rewrite the descriptor meanwhile. */
static inline void
sim_packed_desc_read(const struct vring_packed_desc *p,
		struct vring_packed_desc *d)
{
	d->addr = rte_le_to_cpu_64(__atomic_load_n(&p->addr, __ATOMIC_RELAXED));
	d->len = rte_le_to_cpu_32(__atomic_load_n(&p->len, __ATOMIC_RELAXED));
	d->id = rte_le_to_cpu_16(__atomic_load_n(&p->id, __ATOMIC_RELAXED));
}

/* The walk of one chain: what pass 1 has gathered so far. */
struct sim_packed_walk {
	enum sim_chain_mode mode;
	uint16_t start;		/* ring position of the head, for messages */
	bool seen_write;
	uint64_t total;
	uint64_t out;
};

/* Check one buffer's direction and length and record it as a segment. */
static inline int
sim_packed_seg_add(struct sim_dev *d, struct sim_vq *vq,
		struct sim_packed_walk *w, struct sim_chain *c, uint64_t addr,
		uint32_t len, bool writable)
{
	if (unlikely(!sim_dir_ok(w->mode, writable, &w->seen_write)))
		return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"%s (chain at %u)", sim_vq_dir_msg[w->mode],
			w->start);
	w->total += len;
	if (unlikely(sim_iova_wraps(addr, len) || w->total > UINT32_MAX))
		return sim_vq_break(d, vq, &vq->stats.invalid_buffer,
			"length overflow in chain at %u (addr 0x%" PRIx64 " len %u)",
			w->start, addr, len);
	if (!writable)
		w->out += len;
	if (len != 0)
		vq->segs[c->nseg++] = (struct sim_seg){
			.iova = addr, .len = len, .writable = writable };
	return 0;
}

/*
 * An indirect table: a packed descriptor alone (no NEXT), pointing at
 * len / 16 descriptors used in order. budget: entries still allowed.
 */
static int
sim_packed_indirect(struct sim_dev *d, struct sim_vq *vq,
		struct sim_packed_walk *w, struct sim_chain *c,
		const struct vring_packed_desc *desc, uint16_t flags,
		uint32_t budget)
{
	const struct vring_packed_desc *table;
	uint32_t entries, i;
	struct vring_packed_desc e;
	uint16_t ef;

	if (!sim_has(d, VIRTIO_RING_F_INDIRECT_DESC) ||
			(flags & VRING_DESC_F_NEXT))
		return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"indirect descriptor at %u %s", w->start,
			(flags & VRING_DESC_F_NEXT) ? "with the NEXT flag" :
			"without VIRTIO_RING_F_INDIRECT_DESC negotiated");
	table = sim_vq_indirect(d, vq, desc->addr, desc->len, budget,
		&entries);
	if (table == NULL)
		return -1;
	for (i = 0; i < entries; i++) {
		sim_packed_desc_read(&table[i], &e);
		ef = rte_le_to_cpu_16(__atomic_load_n(&table[i].flags,
			__ATOMIC_RELAXED));
		if (ef & VRING_DESC_F_INDIRECT)
			return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
				"indirect descriptor inside an indirect table (chain at %u)",
				w->start);
		if (sim_packed_seg_add(d, vq, w, c, e.addr, e.len,
				ef & VRING_DESC_F_WRITE) < 0)
			return -1;
	}
	return 0;
}

/* Pass 1 of one chain: flags against the wrap counter, ids, lengths. */
static int
sim_packed_walk(struct sim_dev *d, struct sim_vq *vq,
		uint16_t pos, uint8_t wrap, uint16_t flags,
		enum sim_chain_mode mode, struct sim_chain *c)
{
	const struct vring_packed_desc *ring = vq->pdesc;
	struct sim_packed_walk w = { .mode = mode, .start = pos };
	uint32_t budget = vq->num, ndesc = 0;
	struct vring_packed_desc desc;

	c->nseg = 0;
	for (;;) {
		if (unlikely(budget == 0))
			return sim_vq_break(d, vq, &vq->stats.exceed_max_chain,
				"chain at %u is longer than the ring (%u)",
				w.start, vq->num);
		budget--;
		if (ndesc > 0) {
			flags = rte_le_to_cpu_16(__atomic_load_n(
				&ring[pos].flags, __ATOMIC_RELAXED));
			if (unlikely(!sim_packed_is_avail(flags, wrap)))
				return sim_vq_break(d, vq,
					&vq->stats.bad_desc_errors,
					"descriptor %u of the chain at %u has flags 0x%04x: not available for wrap counter %u",
					pos, w.start, flags, wrap);
		}
		ndesc++;
		sim_packed_desc_read(&ring[pos], &desc);
		c->head = desc.id;
		if (flags & VRING_DESC_F_INDIRECT) {
			/* The table's entries count, not the pointer. */
			if (sim_packed_indirect(d, vq, &w, c, &desc, flags,
					budget + 1) < 0)
				return -1;
			break;
		}
		if (sim_packed_seg_add(d, vq, &w, c, desc.addr, desc.len,
				flags & VRING_DESC_F_WRITE) < 0)
			return -1;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		sim_packed_step(vq, &pos, &wrap, 1);
	}
	if (unlikely(c->head >= vq->num))
		return sim_vq_break(d, vq, &vq->stats.bad_desc_errors,
			"buffer id %u of the chain at %u >= queue size %u",
			c->head, w.start, vq->num);
	c->ndesc = ndesc;
	c->len = w.total;
	c->out_len = w.out;
	return 0;
}

/* The usual data chain in one step (see sim_chain_single). */
static inline bool
sim_packed_chain_single(struct sim_dev *d, struct sim_vq *vq, uint16_t pos,
		uint16_t flags, enum sim_chain_mode mode, struct sim_chain *c)
{
	struct vring_packed_desc desc;
	bool writable = (flags & VRING_DESC_F_WRITE) != 0;

	if (mode == SIM_CHAIN_CTRL ||
			flags & (VRING_DESC_F_NEXT | VRING_DESC_F_INDIRECT) ||
			writable != (mode == SIM_CHAIN_RX))
		return false;
	sim_packed_desc_read(&vq->pdesc[pos], &desc);
	if (desc.id >= vq->num)
		return false;
	return sim_chain_single(d, vq, desc.id, desc.addr, desc.len, writable,
		c);
}

/* Acquire: the rest of the chain was written before these flags. */
static inline uint16_t
sim_packed_flags(const struct sim_vq *vq, uint16_t pos)
{
	return rte_le_to_cpu_16(__atomic_load_n(&vq->pdesc[pos].flags,
		__ATOMIC_ACQUIRE));
}

bool
sim_packed_chain_one(struct sim_dev *d, struct sim_vq *vq, uint16_t pos,
		uint8_t wrap, enum sim_chain_mode mode, struct sim_chain *c)
{
	uint16_t flags = sim_packed_flags(vq, pos);

	return sim_packed_is_avail(flags, wrap) &&
		sim_packed_chain_single(d, vq, pos, flags, mode, c);
}

int
sim_packed_chain(struct sim_dev *d, struct sim_vq *vq, uint16_t pos,
		uint8_t wrap, enum sim_chain_mode mode, struct sim_chain *c)
{
	uint16_t flags = sim_packed_flags(vq, pos);

	if (!sim_packed_is_avail(flags, wrap))
		return 0;
	if (likely(sim_packed_chain_single(d, vq, pos, flags, mode, c)))
		return 1;
	if (sim_packed_walk(d, vq, pos, wrap, flags, mode, c) < 0 ||
			sim_chain_resolve(d, vq, c) < 0)
		return -1;
	return 1;
}

/*
 * The pass's used entries are out, the first one's flags last (release):
 * mark its page after them and move on to position pos / wrap.
 */
static void
sim_packed_flush_end(struct sim_dev *d, struct sim_vq *vq, uint16_t first,
		uint16_t f0, uint16_t pos, uint8_t wrap)
{
	struct vring_packed_desc *ring = vq->pdesc;

	__atomic_store_n(&ring[first].flags, rte_cpu_to_le_16(f0),
		__ATOMIC_RELEASE);
	sim_log_write(d, vq->desc_iova + (uint64_t)first * sizeof(*ring),
		sizeof(*ring));
	vq->used_idx = pos;
	vq->used_wrap = wrap;
	vq->stats.completed_descs += vq->nshadow;
	vq->nshadow = 0;
}

/*
 * IN_ORDER and no buffer written to (transmit): one used descriptor for
 * the whole pass, at its first position and naming its last buffer; the
 * driver takes every buffer up to that one (virtio 1.1, 2.8.20). One
 * write instead of one per chain, on the line the driver polls.
 */
static bool
sim_packed_flush_in_order(struct sim_dev *d, struct sim_vq *vq)
{
	struct vring_packed_desc *ring = vq->pdesc;
	const struct sim_used *u = vq->shadow;
	uint16_t n = vq->nshadow, i, pos = vq->used_idx, first = pos;
	uint8_t wrap = vq->used_wrap;
	uint16_t f0 = wrap ? SIM_PACKED_AVAIL | SIM_PACKED_USED : 0;

	if (!vq->in_order || n < 2)
		return false;
	for (i = 0; i < n; i++)
		if (u[i].len != 0)
			return false;
	ring[first].id = rte_cpu_to_le_16(u[n - 1].id);
	ring[first].len = 0;
	for (i = 0; i < n; i++)
		sim_packed_step(vq, &pos, &wrap, u[i].ndesc);
	sim_packed_flush_end(d, vq, first, f0, pos, wrap);
	return true;
}

/*
 * Write the pass's used entries: ids and lengths first, then the flags
 * of all but the first, then (release) the first one's, which the driver
 * polls: it sees the whole batch at once and never a half-written entry.
 */
static void
sim_packed_flush_batch(struct sim_dev *d, struct sim_vq *vq)
{
	struct vring_packed_desc *ring = vq->pdesc;
	const struct sim_used *u = vq->shadow;
	uint16_t n = vq->nshadow, i, pos = vq->used_idx, first = pos;
	uint8_t wrap = vq->used_wrap;
	uint16_t f, f0 = 0;

	for (i = 0; i < n; i++) {
		ring[pos].id = rte_cpu_to_le_16(u[i].id);
		ring[pos].len = rte_cpu_to_le_32(u[i].len);
		sim_packed_step(vq, &pos, &wrap, u[i].ndesc);
	}
	rte_atomic_thread_fence(__ATOMIC_RELEASE);
	pos = vq->used_idx;
	wrap = vq->used_wrap;
	for (i = 0; i < n; i++) {
		f = wrap ? SIM_PACKED_AVAIL | SIM_PACKED_USED : 0;
		if (u[i].len != 0)
			f |= VRING_DESC_F_WRITE;
		if (i == 0)
			f0 = f;
		else
			__atomic_store_n(&ring[pos].flags,
				rte_cpu_to_le_16(f), __ATOMIC_RELAXED);
		sim_log_write(d, vq->desc_iova + (uint64_t)pos * sizeof(*ring),
			sizeof(*ring));
		sim_packed_step(vq, &pos, &wrap, u[i].ndesc);
	}
	sim_packed_flush_end(d, vq, first, f0, pos, wrap);
}

/*
 * The driver's event suppression: ENABLE, DISABLE, or (EVENT_IDX) DESC:
 * call when the used descriptor at off_wrap was written in this publish,
 * i.e. lies in [old, new) once both are put on one line of positions.
 */
static bool
sim_packed_need_event(const struct sim_vq *vq, uint16_t old, uint8_t old_wrap)
{
	uint16_t flags, off_wrap;
	int32_t o = old, ev, n = vq->used_idx;

	flags = rte_le_to_cpu_16(__atomic_load_n(&vq->drv_event->flags,
		__ATOMIC_RELAXED));
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE)
		return false;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !vq->event_idx)
		return true;
	off_wrap = rte_le_to_cpu_16(__atomic_load_n(&vq->drv_event->off_wrap,
		__ATOMIC_RELAXED));
	ev = off_wrap & ~(1u << VRING_PACKED_EVENT_F_WRAP_CTR);
	if (old_wrap != vq->used_wrap)
		o -= vq->num;
	if ((off_wrap >> VRING_PACKED_EVENT_F_WRAP_CTR) != vq->used_wrap)
		ev -= vq->num;
	return o <= ev && ev < n;
}

void
sim_packed_publish(struct sim_dev *d, struct sim_vq *vq, bool defer_cb)
{
	uint16_t old = vq->used_idx;
	uint8_t old_wrap = vq->used_wrap;

	if (vq->nshadow == 0)
		return;
	if (!sim_packed_flush_in_order(d, vq))
		sim_packed_flush_batch(d, vq);
	vq->pub_idx = vq->used_idx;
	vq->pub_wrap = vq->used_wrap;
	/*
	 * The driver enables notifications and then looks at the ring
	 * again: order our flags stores before reading its choice.
	 */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->cb.fn == NULL || !sim_packed_need_event(vq, old, old_wrap))
		return;
	if (defer_cb)
		d->ctrl_cb_pending = true;
	else
		vq->cb.fn(vq->cb.arg);
}
